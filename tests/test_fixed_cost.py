"""What every run pays whatever its size: the driver's imports, the model's meta, the summary.

No timings are asserted (they depend on the machine); these check that the cheaper paths
give what the expensive ones gave.
"""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from singleton_rate.count import fold_summary
from singleton_rate.extract.model import (
    enabled_pipeline,
    load_model,
    model_info,
    resolve_model_name,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "module", ["singleton_rate.count", "singleton_rate.extract.model", "singleton_rate.spark"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_fixed_cost_bench_examples() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        result = doctest.testmod(importlib.import_module("fixed_cost"))
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert result.attempted > 0 and result.failed == 0


def test_driver_imports_no_spacy() -> None:
    # The driver of a run records the model; only the workers parse.
    code = "import sys, singleton_rate.run, singleton_rate.cli; print('spacy' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "False"


def test_model_info_from_meta_matches_the_loaded_model() -> None:
    name = resolve_model_name()
    info = model_info(name)
    nlp = load_model(name)
    assert info.pipeline == tuple(nlp.pipe_names)
    assert info.version == nlp.meta["version"]
    assert info.name == f"{nlp.meta['lang']}_{nlp.meta['name']}"
    import spacy

    assert info.spacy_version == spacy.__version__


def test_enabled_pipeline_drops_excluded_and_disabled() -> None:
    meta = {"pipeline": ["tok2vec", "senter", "lemmatizer", "ner"], "disabled": ["senter"]}
    assert enabled_pipeline(meta) == ("tok2vec", "ner")
    assert enabled_pipeline({}) == ()


def test_fold_summary_by_hand() -> None:
    def row(file, kind, status=None, rows=0, ok=0, parsed=0, words=0, chars=0):
        return dict(
            file=file, kind=kind, status=status, rows=rows, ok=ok, parsed=parsed,
            words=words, chars=chars,
        )  # fmt: skip

    rows = [
        row("b.jsonl", "doc", rows=2, ok=2, parsed=2, words=10, chars=50),
        row("a.jsonl", "reject", rows=3),
        row("b.jsonl", "mention", "asserted", rows=5, ok=5),
        row("b.jsonl", "mention", "unkeyed", rows=1, ok=1),
        row("b.jsonl", "mention", None, rows=7, ok=7),  # no status: not reported
        row("b.jsonl", "doc", rows=1, ok=0, words=4, chars=20),  # a failed document
    ]
    per_file, statuses = fold_summary(rows)
    assert [f["file"] for f in per_file] == ["a.jsonl", "b.jsonl"]
    a, b = per_file
    assert a["documents"] == 0 and a["rejected_at_read"] == 3 and a["records_read"] == 3
    assert (b["documents"], b["processed"], b["failed"], b["parsed"]) == (3, 2, 1, 2)
    assert (b["words"], b["chars"], b["records_read"]) == (14, 70, 3)
    assert statuses == {"asserted": 5, "unkeyed": 1}
    assert fold_summary([]) == ([], {})


@pytest.mark.spark
def test_summary_without_spark_equals_the_spark_job(tmp_path: Path, spark) -> None:
    from singleton_rate.contract import EXTRACT_SCHEMA
    from singleton_rate.contract import spark_ddl as spark_schema
    from singleton_rate.count import summarize, summarize_local

    blank = {f.name: None for f in EXTRACT_SCHEMA}
    rows = [
        {**blank, "kind": "doc", "file": "a", "n_words": 5, "n_chars": 30, "parsed": True},
        {**blank, "kind": "doc", "file": "a", "n_words": 2, "n_chars": 9, "parsed": False},
        {
            **blank,
            "kind": "doc",
            "file": "a",
            "n_words": 1,
            "n_chars": 4,
            "reason": "extract_error",
        },
        {**blank, "kind": "mention", "file": "a", "status": "asserted", "attribute": "x"},
        {**blank, "kind": "mention", "file": "a", "status": "asserted", "attribute": "y"},
        {**blank, "kind": "mention", "file": "a", "status": "negated", "attribute": "x"},
        {**blank, "kind": "reject", "file": "b", "reason": "bad_json", "location": "b:1"},
    ]
    frame = spark.createDataFrame(rows, spark_schema(EXTRACT_SCHEMA))
    path = str(tmp_path / "extracted")
    frame.write.partitionBy("kind").parquet(path)
    local = summarize_local(path)
    assert local == summarize(spark.read.parquet(path))
    per_file, statuses = local
    assert statuses == {"asserted": 2, "negated": 1}
    a, b = per_file
    assert (a["documents"], a["processed"], a["parsed"], a["failed"]) == (3, 2, 1, 1)
    assert (a["words"], a["chars"], b["rejected_at_read"], b["records_read"]) == (8, 43, 1, 1)
    assert summarize_local(str(tmp_path / "absent")) == ([], {})


def _tables(folder: Path) -> dict[str, tuple[list[tuple[str, str]], list[tuple]]]:
    """Each split table's (column, type) list and rows in a canonical order."""
    import pyarrow.dataset as pads

    out = {}
    for name in ("mentions", "documents", "rejects"):
        table = pads.dataset(folder / name, format="parquet", partitioning="hive").to_table()
        types = sorted((f.name, str(f.type)) for f in table.schema)
        rows = sorted(tuple(sorted(row.items(), key=lambda kv: kv[0])) for row in table.to_pylist())
        out[name] = (types, [tuple(map(repr, r)) for r in rows])
    return out


@pytest.mark.spark
@pytest.mark.parametrize("empty", [False, True])
def test_tables_split_on_the_driver_equal_the_spark_writes(
    tmp_path: Path, spark, empty: bool
) -> None:
    from singleton_rate.contract import EXTRACT_SCHEMA
    from singleton_rate.contract import spark_ddl as spark_schema
    from singleton_rate.spark import read_parquet, write_tables
    from singleton_rate.split import scratch_files, splits_locally, write_tables_local
    from singleton_rate.store import RunFolder

    blank = {f.name: None for f in EXTRACT_SCHEMA}
    doc = dict(n_chars=30, n_words=5, n_sentences=2, n_chunks=1, parsed_chars=30, parsed=True)
    mention = dict(
        entity="e:1", value="1900", value_precision="year", entity_text="Ann", status="asserted",
        subject_text="she", resolution="pronoun", value_text="1900", sentence="s", pattern="p",
        sentence_start=0, start=10, end=14,
    )  # fmt: skip
    where = dict(file="a.jsonl", doc_id="d1", source="web", location="a.jsonl:1")
    rows = [
        {**blank, **where, **doc, "kind": "doc"},
        {**blank, **where, **doc, "kind": "doc", "doc_id": "d2", "reason": "extract_error",
         "detail": "boom", "parsed": False},
        {**blank, **where, **mention, "kind": "mention", "attribute": "birth_date"},
        {**blank, **where, **mention, "kind": "mention", "attribute": "birth_place",
         "value": "q:2", "start": None},
        {**blank, "kind": "reject", "file": "b.jsonl", "location": "b.jsonl:3",
         "reason": "bad_json", "detail": "line 3"},
    ]  # fmt: skip
    scratch = str(tmp_path / "extracted")
    if not empty:
        spark.createDataFrame(rows, spark_schema(EXTRACT_SCHEMA)).write.partitionBy("kind").parquet(
            scratch
        )
    files = scratch_files(scratch)
    assert splits_locally(files) and not splits_locally(files or ["/dev/null"], max_bytes=-1)
    by_spark, by_driver = RunFolder(tmp_path / "spark"), RunFolder(tmp_path / "driver")
    write_tables(read_parquet(spark, scratch, spark_schema(EXTRACT_SCHEMA)), by_spark)
    write_tables_local(files, by_driver)
    want, got = _tables(by_spark.path), _tables(by_driver.path)
    assert got == want
    assert len(got["mentions"][1]) == (0 if empty else 2)
    assert len(got["rejects"][1]) == (0 if empty else 2)
    if not empty:  # partitioned as Spark partitions it
        parts = sorted(p.name for p in (by_driver.path / "mentions").iterdir())
        assert parts == ["attribute=birth_date", "attribute=birth_place"]
