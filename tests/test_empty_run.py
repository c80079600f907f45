"""A corpus in which nothing is extracted finishes with empty tables and N = 0 estimates.

Before, Spark failed reading the empty mentions/ back (``UNABLE_TO_INFER_SCHEMA``: a
partitioned write of no rows leaves no file), and the estimators refused the empty table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from singleton_rate.config import RunConfig
from singleton_rate.progress import Progress
from singleton_rate.query import connect
from singleton_rate.run import TooManyRejects, run

NO_FACTS = [
    {"id": "a", "text": "The weather stayed mild that year."},
    {"id": "b", "text": "Nothing happened on Tuesday."},
]


@pytest.fixture(scope="module")
def empty_run(spark: Any, tmp_path_factory: pytest.TempPathFactory):
    src = tmp_path_factory.mktemp("nofacts") / "nofacts.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in NO_FACTS))
    out = tmp_path_factory.mktemp("runs") / "empty"
    config = RunConfig(inputs=(str(src),), out=str(out))
    return run(config, spark=spark, progress=Progress(quiet=True))


@pytest.mark.spark
def test_run_completes_with_empty_tables(empty_run) -> None:
    con = connect(empty_run.path)
    for table in ("mentions", "facts", "prompts", "freq_of_freq", "extrapolation", "audit"):
        assert con.execute(f"select count(*) from {table}").fetchone() == (0,), table
    assert con.execute("select count(*) from documents").fetchone() == (2,)
    # mentions/ keeps its columns, so a query naming them works
    assert con.execute("select entity, attribute, status from mentions").fetchall() == []
    assert empty_run.manifest["documents"]["processed"] == 2
    assert empty_run.manifest["mentions"]["by_status"] == {}


@pytest.mark.spark
def test_estimates_say_n_is_zero(empty_run) -> None:
    rows = (
        connect(empty_run.path)
        .execute(
            "select scope, unit, key, n, n1, singleton_rate, hallucination_floor, "
            "hallucination_ceiling, theorem2_applies, theorem2_reason from estimates "
            "order by key, unit"
        )
        .fetchall()
    )
    reason = "N = 0: no facts were extracted"
    assert rows == [
        ("all", "document", "fact", 0, 0, None, None, None, False, reason),
        ("all", "mention", "fact", 0, 0, None, None, None, False, reason),
        ("all", "document", "prompt", 0, 0, None, None, None, False, reason),
        ("all", "mention", "prompt", 0, 0, None, None, None, False, reason),
    ]
    # every column of a normal run is there, typed
    names = {r[0] for r in connect(empty_run.path).execute("describe estimates").fetchall()}
    assert {"rate_name", "missing_mass_low", "theorem2_reason", "conflicting_prompts"} <= names
    assert empty_run.manifest["estimates_note"].startswith("N = 0: no facts were extracted")


@pytest.mark.spark
def test_a_corpus_of_no_records_is_a_clear_error(spark: Any, tmp_path: Path) -> None:
    src = tmp_path / "blank.jsonl"
    src.write_text("\n\n")
    with pytest.raises(TooManyRejects, match="holds no records at all"):
        run(
            RunConfig(inputs=(str(src),), out=str(tmp_path / "run")),
            spark=spark,
            progress=Progress(quiet=True),
        )
    assert not (tmp_path / "run").exists()


def test_empty_estimates_print_n_zero() -> None:
    from singleton_rate.estimate.stage import empty_estimates
    from singleton_rate.estimate.table import Relations
    from singleton_rate.extract.catalog import load_catalog
    from singleton_rate.summary import format_estimates

    relations = Relations.of(load_catalog(()).relations)
    estimates, extrapolation = empty_estimates(RunConfig(), relations)
    assert extrapolation.num_rows == 0 and "predicted_floor" in extrapolation.column_names
    assert format_estimates(estimates.to_pandas()).startswith("N = 0: no facts were extracted")
