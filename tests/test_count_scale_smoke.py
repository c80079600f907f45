"""The count-scale benchmark's main path on a tiny table: both sides agree exactly.

No timing is asserted: the figures belong in bench/RESULTS.md, not in a unit test.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("count_scale", ROOT / "bench" / "count_scale.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["count_scale"] = module
    spec.loader.exec_module(module)
    return module


def test_spark_and_duckdb_give_the_same_tables(tmp_path: Path) -> None:
    bench = _bench()
    result = bench.run_benchmark(20_000, tmp_path, argv=["--mentions", "20000"])
    check = result.check
    assert check["fof_identical"], "Spark and DuckDB (r, N_r) tables differ"
    assert check["facts_rows_differing"] == 0
    assert check["prompts_rows_differing"] == 0
    # The generated table has the intended shape: most mentions asserted, a realistic N1/N.
    assert 0.85 < check["counted_mentions"] / 20_000 < 0.97
    assert 0.15 < check["singletons"] / check["counted_mentions"] < 0.4
    assert check["fof_rows"] > 100
    for side in (result.spark, result.duckdb):
        assert side.peak_rss > 0 and side.report["seconds"] > 0
    assert result.spark.report["statuses"] == result.duckdb.report["statuses"]
    text = (tmp_path / "count_scale.md").read_text()
    assert "Identical (r, N_r) tables:\n**yes**" in text
    # Generated data is removed unless kept; the report stays.
    assert not (tmp_path / "mentions").exists()
