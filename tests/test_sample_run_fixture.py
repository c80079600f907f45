"""The committed run folder the analysis-side tests read is what a fresh run makes today.

``tests/data/sample_run`` (the first 200 sample documents, made by
``tests/data/make_sample_run.py``) lets the query, score, report, SQL and notebook tests run
without Spark. This test runs the same corpus through Spark again and compares every table
row for row, and the manifest's counts, so the committed copy cannot go stale: when the
extraction or the counts change on purpose, regenerate it with that script.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds
import pytest
from conftest import SAMPLE_RUN, build_sample_run

pytestmark = [pytest.mark.spark, pytest.mark.slow]

REGENERATE = "regenerate it: flock /tmp/spark.lock .venv/bin/python tests/data/make_sample_run.py"
# Manifest entries that describe this run's circumstances (when, where, how fast, which
# machine), not its content.
CIRCUMSTANCES = {
    "run_id", "started_at", "finished_at", "command", "timings_s", "versions", "spark",
    "code_version",  # the commit: every commit after the fixture's differs
}  # fmt: skip


def table(run: Path, name: str) -> pd.DataFrame:
    """A table's rows in a canonical order (Spark's file layout and row order are not part of
    the contract), hive partition columns included, columns sorted by name."""
    frame = ds.dataset(run / name, format="parquet", partitioning="hive").to_table().to_pandas()
    frame = frame[sorted(frame.columns)]
    if frame.empty:
        return frame
    order = frame.map(repr).agg("\x1f".join, axis=1).sort_values().index
    return frame.loc[order].reset_index(drop=True)


def content(manifest: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in copy.deepcopy(manifest).items() if k not in CIRCUMSTANCES}
    for entry in kept["inputs"]:
        entry.pop("path")  # absolute in a fresh run, relative in the committed one
        entry.pop("mtime")  # a checkout's, not the corpus's
    kept["config"] = {k: v for k, v in kept["config"].items() if k != "out"}
    kept.pop("fingerprints")  # the input's includes its mtime; the config's is compared below
    return kept


@pytest.fixture(scope="module")
def fresh(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_run(tmp_path_factory.mktemp("fresh") / "run", spark=spark)


def test_committed_sample_run_has_every_table(fresh: Path) -> None:
    committed = sorted(p.name for p in SAMPLE_RUN.iterdir())
    assert committed == sorted(p.name for p in fresh.iterdir()), REGENERATE


@pytest.mark.parametrize(
    "name",
    [
        "mentions",
        "documents",
        "rejects",
        "facts",
        "prompts",
        "freq_of_freq",
        "estimates",
        "extrapolation",
        "error_sets",
        "document_groups",
        "audit",
    ],
)
def test_committed_table_equals_a_fresh_run(fresh: Path, name: str) -> None:
    want, got = table(fresh, name), table(SAMPLE_RUN, name)
    assert list(got.columns) == list(want.columns), f"{name}: columns changed; {REGENERATE}"
    assert len(got) == len(want), (
        f"{name}: {len(got)} rows committed, {len(want)} fresh; {REGENERATE}"
    )
    pd.testing.assert_frame_equal(
        got, want, check_exact=False, rtol=1e-9, obj=f"{name} ({REGENERATE})"
    )


def test_committed_manifest_equals_a_fresh_run(fresh: Path) -> None:
    want = json.loads((fresh / "manifest.json").read_text("utf-8"))
    got = json.loads((SAMPLE_RUN / "manifest.json").read_text("utf-8"))
    assert got["fingerprints"]["config"] == want["fingerprints"]["config"], REGENERATE
    assert content(got) == content(want), REGENERATE
    assert got["inputs"][0]["path"] == "data/sample/corpus.jsonl", "no machine's path committed"
