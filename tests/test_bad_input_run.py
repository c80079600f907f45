"""Bad input through the whole run: every kind of broken record or file lands in `rejects/`
with its reason and location, and the manifest reconciles each file: records read =
documents + rejected."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from singleton_rate.config import RunConfig
from singleton_rate.progress import Progress
from singleton_rate.query import connect
from singleton_rate.run import run

pytestmark = [pytest.mark.spark, pytest.mark.slow]

GOOD = {"id": "g", "title": "Ada Lovelace", "text": "Ada Lovelace was born in London."}
# A document of about 50 MB: filler with one fact at the end. It is split at sentence
# boundaries, never truncated; the prefilter skips the pieces that cannot hold a fact.
BIG_TEXT = "The weather stayed mild that year. " * 1_450_000 + "She died in Marylebone."


def jsonl(records: list[Any]) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records
    )


@pytest.fixture(scope="module")
def bad_run(spark: Any, tmp_path_factory: pytest.TempPathFactory):
    src = tmp_path_factory.mktemp("bad")
    (src / "lines.jsonl").write_bytes(
        jsonl(
            [
                GOOD,
                b"{not json",
                b"[1, 2]",
                {"id": "t1", "text": 42},
                {"id": "t2", "title": "x"},
                {"id": "t3", "text": "   "},
                b'{"id": "u1", "text": "caf\xe9 bytes"}',
                {"id": "n1", "text": "\x00" * 50 + "ab"},
                {"id": "big", "title": "Ada Lovelace", "text": BIG_TEXT},
            ]
        )
    )
    body = jsonl([{**GOOD, "id": f"gz{i}"} for i in range(20)])
    (src / "cut.jsonl.gz").write_bytes(gzip.compress(body)[:-30])
    (src / "cut.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(body)[:-10])
    pq.write_table(
        pa.table({"id": ["p1"], "body": ["Ada Lovelace was born in London."]}),
        src / "other.parquet",
    )
    pq.write_table(
        pa.table({"id": ["p2"], "text": [GOOD["text"]], "title": [GOOD["title"]]}),
        src / "fine.parquet",
    )
    out = tmp_path_factory.mktemp("runs") / "bad"
    config = RunConfig(
        inputs=(str(src),), out=str(out), max_reject_rate=1.0, max_chunk_chars=100_000
    )
    return run(config, spark=spark, progress=Progress(quiet=True))


def test_every_bad_kind_is_rejected_with_its_reason(bad_run) -> None:
    got = dict(connect(bad_run.path).execute("select location, reason from rejects").fetchall())
    assert got["lines.jsonl:2"] == "malformed_json"
    assert got["lines.jsonl:3"] == "not_an_object"
    assert got["lines.jsonl:4"] == "wrong_type"
    assert got["lines.jsonl:5"] == "missing_text"
    assert got["lines.jsonl:6"] == "empty_text"
    assert got["lines.jsonl:7"] == "invalid_utf8"
    assert got["lines.jsonl:8"] == "nul_bytes"
    assert any(loc.startswith("cut.jsonl.gz") and r == "truncated_file" for loc, r in got.items())
    assert any(loc.startswith("cut.jsonl.zst") and r == "truncated_file" for loc, r in got.items())
    assert any(loc.startswith("other.parquet") and r == "schema_mismatch" for loc, r in got.items())


def test_every_file_reconciles(bad_run) -> None:
    files = {f["file"]: f for f in bad_run.manifest["files"]}
    assert set(files) == {
        "lines.jsonl",
        "cut.jsonl.gz",
        "cut.jsonl.zst",
        "other.parquet",
        "fine.parquet",
    }
    for f in files.values():
        assert f["records_read"] == f["documents"] + f["rejected_at_read"]
        assert f["documents"] == f["processed"] + f["failed"]
    assert (files["lines.jsonl"]["documents"], files["lines.jsonl"]["rejected_at_read"]) == (2, 7)
    assert files["fine.parquet"]["documents"] == 1


def test_the_big_document_is_split_not_truncated(bad_run) -> None:
    con = connect(bad_run.path)
    [(chunks, chars)] = con.execute(
        "select n_chunks, n_chars from documents where doc_id = 'big'"
    ).fetchall()
    assert chars == len(BIG_TEXT) and chars > 50_000_000
    assert con.execute("select value from mentions where doc_id = 'big'").fetchall() == [
        ("marylebone",)
    ]
    assert chunks >= 1
