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


@pytest.mark.parametrize("module", ["singleton_rate.count", "singleton_rate.extract.model"])
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
