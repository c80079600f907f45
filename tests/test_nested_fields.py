"""Dotted field paths (``meta.pile_set_name``) reach nested JSON objects and Parquet structs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.corpus import Document, FieldNames, Reject, discover, plan_units, read_unit

# As The Pile and RedPajama lay them out: the source under "meta".
PILE = [
    {"text": "Ada Lovelace was born in London.", "meta": {"pile_set_name": "Wikipedia"}},
    {"text": "Alan Turing was born in Maida Vale.", "meta": {"pile_set_name": "Pile-CC"}},
    {"text": "No meta here.", "meta": None},
    {"text": "No source here.", "meta": {"other": 1}},
    {"content": {"body": "nested text"}, "id": 7},
]


def read(path: Path, fields: FieldNames) -> list[Document | Reject]:
    return [r for u in plan_units(discover([str(path)])) for r in read_unit(u, fields)]


def test_jsonl_nested_source(tmp_path: Path) -> None:
    path = tmp_path / "pile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in PILE))
    got = read(path, FieldNames(source="meta.pile_set_name"))
    assert [(r.source if isinstance(r, Document) else r.reason) for r in got] == [
        "Wikipedia",
        "Pile-CC",
        None,
        None,
        "missing_text",
    ]
    # and the reject lists nested fields, so the right path can be picked from it
    assert got[4].detail == "no field 'text'; fields present: 'content.body', 'id'"


def test_jsonl_nested_text_and_dotted_key(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"content": {"body": "nested text"}, "id": 7})
        + "\n"
        # a literal dotted key wins over descending
        + json.dumps({"content.body": "flat", "content": {"body": "deep"}, "id": 8})
        + "\n"
    )
    got = read(path, FieldNames(text="content.body"))
    assert [(d.doc_id, d.text) for d in got] == [("7", "nested text"), ("8", "flat")]


def test_parquet_struct_fields(tmp_path: Path) -> None:
    meta = pa.struct([("pile_set_name", pa.string()), ("n", pa.int64())])
    table = pa.table(
        {
            "text": ["one fact", "two facts", "three"],
            "meta": pa.array(
                [{"pile_set_name": "Wikipedia", "n": 1}, None, {"pile_set_name": None, "n": 3}],
                meta,
            ),
            "doc": pa.array(
                [{"id": "a"}, {"id": "b"}, {"id": None}], pa.struct([("id", pa.string())])
            ),
        }
    )
    pq.write_table(table, tmp_path / "p.parquet")
    got = read(tmp_path / "p.parquet", FieldNames(id="doc.id", source="meta.pile_set_name"))
    assert [(d.doc_id, d.source) for d in got] == [
        ("a", "Wikipedia"),
        ("b", None),
        ("p.parquet:2", None),
    ]


def test_parquet_nested_text_and_its_absence(tmp_path: Path) -> None:
    body = pa.struct([("body", pa.string())])
    table = pa.table({"content": pa.array([{"body": "nested"}], body), "id": ["x"]})
    pq.write_table(table, tmp_path / "p.parquet")
    (doc,) = read(tmp_path / "p.parquet", FieldNames(text="content.body"))
    assert (doc.doc_id, doc.text) == ("x", "nested")
    (reject,) = read(tmp_path / "p.parquet", FieldNames(text="content.text"))
    assert reject.reason == "schema_mismatch"
    assert reject.detail == "no column 'content.text'; columns found: content.body, id"


@pytest.mark.spark
def test_run_stratifies_by_a_nested_source(spark: Any, tmp_path: Path) -> None:
    from singleton_rate.config import RunConfig
    from singleton_rate.progress import Progress
    from singleton_rate.query import connect
    from singleton_rate.run import run

    path = tmp_path / "pile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in PILE[:4]))
    config = RunConfig(
        inputs=(str(path),), out=str(tmp_path / "run"), source_field="meta.pile_set_name"
    )
    result = run(config, spark=spark, progress=Progress(quiet=True))
    con = connect(result.path)
    sources = con.execute("select distinct source from mentions order by 1").fetchall()
    assert sources == [("Pile-CC",), ("Wikipedia",)]
    scopes = {s for (s,) in con.execute("select distinct scope from estimates").fetchall()}
    assert {"source=Pile-CC", "source=Wikipedia"} <= scopes
