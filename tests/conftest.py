"""Shared fixtures: one SparkSession for the whole test session (local[2], UI off)."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def sample_run(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run over the first 200 documents of the bundled sample, made once per session.

    Shared by the analysts'-surface tests (SQL, score, report, notebook): treat it as
    read-only; a test that must change a run copies it first.
    """
    from singleton_rate.config import RunConfig
    from singleton_rate.progress import Progress
    from singleton_rate.run import run

    out = tmp_path_factory.mktemp("sample_run") / "run"
    run(
        RunConfig(
            inputs=(str(ROOT / "data" / "sample" / "corpus.jsonl"),), out=str(out), limit_docs=200
        ),
        spark=spark,
        progress=Progress(quiet=True),
    )
    return out
