"""The Python API (singleton_rate.open_run, run_corpus): a run's tables, headline, lookups."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, SAMPLE_CORPUS

import singleton_rate
from singleton_rate.query import NotARun
from singleton_rate.store import TABLES


def test_import_is_light() -> None:
    # A notebook's first cell: the package itself loads neither DuckDB, pandas nor Spark.
    code = (
        "import sys, singleton_rate; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'duckdb', 'pandas', 'pyarrow', 'numpy', 'pyspark', 'spacy'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "pipeline"), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"


def test_open_run_tables_and_estimates(sample_run: Path) -> None:
    with singleton_rate.open_run(sample_run) as run:
        assert set(TABLES) <= set(run.tables)
        assert run.manifest["documents"]["documents"] == 200
        assert len(run.estimates) == pq.read_table(sample_run / "estimates").num_rows
        facts = run.table("facts")
        assert len(facts) == pq.read_table(sample_run / "facts").num_rows
        with pytest.raises(KeyError, match="no table 'nope'"):
            run.table("nope")


def test_headline_is_the_single_valued_document_prompt_row(sample_run: Path) -> None:
    run = singleton_rate.open_run(sample_run)
    est = run.estimates
    row = est[(est.scope == "single_valued") & (est.unit == "document") & (est.key == "prompt")]
    assert run.headline is not None
    assert run.headline["n"] == row.iloc[0]["n"]
    assert run.headline["singleton_rate"] == pytest.approx(row.iloc[0]["n1"] / row.iloc[0]["n"])
    assert run.headline_text().startswith(
        f"Headline: singleton rate = {row.iloc[0]['singleton_rate']:.4f}"
    )


def test_lookup_by_raw_text_matches_the_tables(sample_run: Path) -> None:
    run = singleton_rate.open_run(sample_run)
    fact = (
        run.sql(
            "select * from facts where attribute = ? order by doc_count desc, entity limit 1",
            ["birth_date"],
        )
        .df()
        .iloc[0]
    )
    prompt = (
        run.sql(
            "select * from prompts where attribute = 'birth_date' and entity = ?", [fact.entity]
        )
        .df()
        .iloc[0]
    )
    by_unit = run.lookup(fact.entity_text, "birth_date").set_index("unit")
    assert by_unit.loc["document", "count"] == prompt.doc_count
    assert by_unit.loc["mention", "count"] == prompt.mention_count
    assert by_unit.loc["document", "n_values"] == prompt.n_values
    one = run.lookup(fact.entity_text, "birth_date", fact.value_text).set_index("unit")
    assert one.loc["document", "count"] == fact.doc_count
    assert one.loc["mention", "count"] == fact.mention_count
    absent = run.lookup("Zyqx Vorbelthwaite", "birth_date")
    assert list(absent["count"]) == [0, 0] and set(absent["risk_class"]) == {"unseen"}


def test_open_run_of_a_folder_that_is_no_run(tmp_path: Path) -> None:
    with pytest.raises(NotARun, match="not a complete run folder"):
        singleton_rate.open_run(tmp_path)


@pytest.mark.spark
def test_run_corpus_leaves_the_callers_session_as_it_was(spark: Any, tmp_path: Path) -> None:
    key, batch = "spark.sql.shuffle.partitions", "spark.sql.execution.arrow.maxRecordsPerBatch"
    extra = "spark.sql.files.maxRecordsPerFile"
    spark.conf.set(key, "3")
    before = dict(spark.conf.getAll)
    try:
        run = singleton_rate.run_corpus(
            spark,
            SAMPLE_CORPUS,
            tmp_path / "run",
            progress=False,
            limit_docs=40,
            shuffle_partitions=5,
            arrow_batch_rows=128,
            spark_conf={extra: "1000"},
        )
        assert dict(spark.conf.getAll) == before
        assert spark.conf.get(key) == "3" and spark.conf.get(batch, None) == before.get(batch)
        assert spark.conf.get(extra, None) == before.get(extra)
        assert run.manifest["config"]["shuffle_partitions"] == 5
        assert run.manifest["documents"]["documents"] == 40
        assert run.headline is not None and run.headline["n"] > 0
        with pytest.raises(ValueError, match="master"):
            singleton_rate.run_corpus(spark, SAMPLE_CORPUS, tmp_path / "x", master="local[1]")
    finally:
        spark.conf.set(key, "2")  # the session fixture's
