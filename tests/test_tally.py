"""Counting one partition (singleton_rate.tally), against counts worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.tally import (
    MENTION_COLUMNS,
    as_table,
    partition_folder,
    read_stats,
    tally,
    write_stats,
)


def mentions(rows: list[tuple[str, ...]]) -> pa.Table:
    """Rows of (doc_id, source, entity, attribute, value, value_text, status); the other
    surfaces derived so the smallest is predictable."""
    out = []
    for doc, source, entity, attribute, value, value_text, status in rows:
        out.append(
            {
                "doc_id": doc,
                "source": source,
                "entity": entity,
                "attribute": attribute,
                "value": value,
                "value_precision": "day" if attribute.endswith("date") else "place",
                "entity_text": entity.title(),
                "value_text": value_text,
                "status": status,
            }
        )
    return as_table([pa.RecordBatch.from_pylist(out, schema=as_table([]).schema)])


ROWS = [
    # ada's birth date: 3 mentions in 2 documents, two surfaces
    ("d1", "wiki", "ada", "birth_date", "1815-12-10", "10 December 1815", "asserted"),
    ("d1", "wiki", "ada", "birth_date", "1815-12-10", "December 10, 1815", "asserted"),
    ("d2", "news", "ada", "birth_date", "1815-12-10", "10 December 1815", "asserted"),
    # a conflicting value, once
    ("d3", "news", "ada", "birth_date", "1816-12-10", "1816", "asserted"),
    # negated: not counted
    ("d3", "news", "ada", "birth_date", "1900-01-01", "1900", "negated"),
    ("d1", "wiki", "ada", "birth_place", "london", "London", "asserted"),
    ("d4", None, "alan", "birth_place", "london", "London", "asserted"),
]


def read(folder: Path) -> dict[tuple, dict]:
    out = {}
    for path in sorted(folder.rglob("*.parquet")):
        attribute = path.parent.name.split("=", 1)[1]
        for row in pq.read_table(path).to_pylist():
            key = (row["entity"], attribute, row.get("value"))
            out[key] = row
    return out


def test_facts_prompts_and_stats(tmp_path: Path) -> None:
    result = tally(
        mentions(ROWS), tmp_path / "facts", tmp_path / "prompts", "part-00007", by_source=True
    )
    assert (result.rows, result.counted, result.facts, result.prompts) == (7, 6, 4, 3)
    facts = read(tmp_path / "facts")
    ada = facts[("ada", "birth_date", "1815-12-10")]
    assert (ada["mention_count"], ada["doc_count"], ada["n_value_surfaces"]) == (3, 2, 2)
    assert ada["value_text"] == "10 December 1815"  # the smallest surface
    assert ada["entity_text"] == "Ada"
    assert (facts[("alan", "birth_place", "london")]["doc_count"]) == 1
    assert ("ada", "birth_date", "1900-01-01") not in facts
    prompts = read(tmp_path / "prompts")
    p = prompts[("ada", "birth_date", None)]
    assert (p["mention_count"], p["doc_count"], p["n_values"]) == (4, 3, 2)
    # one file per attribute, named by the part, sorted by entity
    assert (tmp_path / "facts" / "attribute=birth_place" / "part-00007.parquet").exists()
    names = pq.read_table(tmp_path / "facts" / "attribute=birth_place" / "part-00007.parquet")
    assert names.column("entity").to_pylist() == ["ada", "alan"]
    assert names.schema.names == [
        "entity", "value", "mention_count", "doc_count", "value_precision", "entity_text",
        "value_text", "n_value_surfaces",
    ]  # fmt: skip
    fof = {(r["scope"], r["unit"], r["key"], r["r"]): r["n_r"] for r in result.fof.to_pylist()}
    # birth_date facts by mention: 1815 three times, 1816 once
    assert fof[("attribute=birth_date", "mention", "fact", 3)] == 1
    assert fof[("attribute=birth_date", "mention", "fact", 1)] == 1
    assert fof[("attribute=birth_date", "document", "fact", 2)] == 1
    assert fof[("attribute=birth_date", "mention", "prompt", 4)] == 1
    assert fof[("attribute=birth_date", "document", "prompt", 3)] == 1
    # per source: wiki holds 1815 twice (one document), news 1815 once and 1816 once
    assert fof[("source=wiki", "mention", "fact", 2)] == 1
    assert fof[("source=wiki", "document", "fact", 1)] == 2  # ada's 1815 and ada's london
    assert fof[("source=news", "mention", "fact", 1)] == 2
    assert fof[("source=news", "mention", "prompt", 2)] == 1
    assert not any(scope == "source=None" for scope, *_ in fof)  # no source: no scope


def test_stats_add_up_across_partitions(tmp_path: Path) -> None:
    # ada in one partition, alan in another: as the shuffle by prompt places them
    first = [r for r in ROWS if r[2] == "ada"]
    second = [r for r in ROWS if r[2] == "alan"]
    for i, rows in enumerate([first, second, []]):
        part = f"part-{i:05d}"
        result = tally(
            mentions(rows) if rows else as_table([]), tmp_path / "f", tmp_path / "p", part
        )
        write_stats(result, tmp_path / "stats", part)
    totals = read_stats(tmp_path / "stats")
    fof = {(r["scope"], r["unit"], r["key"], r["r"]): r["n_r"] for r in totals.fof.to_pylist()}
    # london: ada once, alan once → two facts with one mention each
    assert fof[("attribute=birth_place", "mention", "fact", 1)] == 2
    assert totals.distinct_values == {"birth_date": 2, "birth_place": 1}
    assert len(list((tmp_path / "f").rglob("*.parquet"))) == 3  # 2 + 1 attribute files


def test_a_rerun_replaces_its_files(tmp_path: Path) -> None:
    for _ in range(2):  # a retried task writes the same names again
        tally(mentions(ROWS), tmp_path / "f", tmp_path / "p", "part-00000")
    assert sorted(p.name for p in (tmp_path / "f").rglob("*")) == [
        "attribute=birth_date", "attribute=birth_place", "part-00000.parquet",
        "part-00000.parquet",
    ]  # fmt: skip


def test_empty_partition_writes_nothing(tmp_path: Path) -> None:
    result = tally(as_table([]), tmp_path / "f", tmp_path / "p", "part-00000")
    assert (result.rows, result.facts, result.fof.num_rows) == (0, 0, 0)
    assert not (tmp_path / "f").exists()
    assert read_stats(tmp_path / "nothing").distinct_values == {}


def test_mention_columns_are_what_counting_reads() -> None:
    assert as_table([]).schema.names == list(MENTION_COLUMNS)


@pytest.mark.parametrize("bad", ["", "a/b", "x=y", "..", ".hidden"])
def test_attribute_must_name_a_folder(bad: str) -> None:
    with pytest.raises(ValueError, match="cannot name a folder"):
        partition_folder(bad)
