"""Shared fixtures: one SparkSession for the whole test session (local[2], UI off)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout; SINGLETONS_SHARED names it elsewhere (a git worktree).
SHARED = Path(os.environ.get("SINGLETONS_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from singleton_rate.spark import build_session

    session = build_session(
        "local[2]",
        app_name="singletons-tests",
        shuffle_partitions=2,
        extra_conf={"spark.ui.enabled": "false", "spark.default.parallelism": "2"},
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The annotated corpora beside the project; tests that need them skip without them."""
    path = SHARED / "corpora"
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the shared annotated corpora are not beside this checkout")
    return path


# The analysts'-surface tests read a committed run folder, so they need no Spark: a real run
# over the first 200 documents of the bundled sample, made by tests/data/make_sample_run.py
# (build_sample_run); tests/test_sample_run_fixture.py checks that a fresh run of the same
# corpus still gives the same tables, so the committed copy cannot go stale unnoticed.
SAMPLE_RUN = ROOT / "tests" / "data" / "sample_run"
SAMPLE_CORPUS = ROOT / "data" / "sample" / "corpus.jsonl"
SAMPLE_RUN_DOCS = 200


def build_sample_run(out: Path, spark: Any | None = None) -> Path:
    """Run the pipeline over the first 200 sample documents into ``out`` (replacing it).

    The manifest's paths inside this checkout are made relative to it (``data/sample/…``), so
    the committed folder names no machine; everything else is the run's own output.
    """
    import json
    import sys

    from singleton_rate.config import RunConfig
    from singleton_rate.progress import Progress
    from singleton_rate.run import run

    result = run(
        RunConfig(
            inputs=(str(SAMPLE_CORPUS),),
            out=str(out),
            limit_docs=SAMPLE_RUN_DOCS,
            overwrite=True,
        ),
        spark=spark,
        progress=Progress(quiet=True),
    )
    prefix = f"{ROOT}{os.sep}"

    def portable(value: Any) -> Any:
        if isinstance(value, str):
            return value.removeprefix(prefix)
        if isinstance(value, list):
            return [portable(v) for v in value]
        if isinstance(value, dict):
            return {k: portable(v) for k, v in value.items()}
        return value

    manifest = result.path / "manifest.json"
    data = portable(json.loads(manifest.read_text("utf-8")))
    data["command"] = [Path(sys.argv[0]).name, *sys.argv[1:]]
    manifest.write_text(json.dumps(data, indent=2, default=str) + "\n", "utf-8")
    return result.path


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run over the first 200 documents of the bundled sample, without Spark.

    A copy of the committed :data:`SAMPLE_RUN`, made once per session. Shared by the
    analysts'-surface tests (SQL, score, report, notebook): treat it as read-only; a test that
    must change a run copies it first.
    """
    if not (SAMPLE_RUN / "manifest.json").is_file():
        pytest.fail(f"{SAMPLE_RUN} is missing: python tests/data/make_sample_run.py makes it")
    out = tmp_path_factory.mktemp("sample_run") / "run"
    shutil.copytree(SAMPLE_RUN, out)
    return out


SPARK_MARKS = {"spark", "slow", "cluster"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that takes the ``spark`` fixture must say so with a marker: the fast loop
    (``make test-fast``, ``-m "not spark and not slow and not cluster"``) starts no Spark."""
    unmarked = [
        item.nodeid
        for item in items
        if "spark" in getattr(item, "fixturenames", ())
        and not SPARK_MARKS & {m.name for m in item.iter_markers()}
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests using the spark fixture without a spark/slow/cluster marker: "
            + ", ".join(unmarked)
        )
