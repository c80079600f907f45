"""Tests for singleton_rate.corpus: discovery, work-unit planning and the three readers."""

from __future__ import annotations

import gzip
import json
import os
import pickle
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

import singleton_rate.corpus.readers as readers_module
from singleton_rate.corpus import (
    Document,
    FieldNames,
    InputError,
    InputFile,
    Reject,
    RejectReason,
    WorkUnit,
    discover,
    plan_units,
    read_unit,
)

Record = Document | Reject

# ---------------------------------------------------------------------------------------
# Helpers


def compress(data: bytes, compression: str) -> bytes:
    if compression == "gzip":
        return gzip.compress(data)
    if compression == "zstd":
        return zstandard.ZstdCompressor().compress(data)
    return data


SUFFIX = {"none": ".jsonl", "gzip": ".jsonl.gz", "zstd": ".jsonl.zst"}


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_paths(
    paths: Iterable[Path | str], fields: FieldNames | None = None, limit: int | None = None
) -> list[Record]:
    units = plan_units(discover([str(p) for p in paths]))
    out: list[Record] = []
    for unit in units:
        out.extend(read_unit(unit, fields or FieldNames(), limit=limit))
    return out


def docs(records: list[Record]) -> list[Document]:
    return [r for r in records if isinstance(r, Document)]


def rejects(records: list[Record]) -> list[tuple[str, str]]:
    return [(r.location, r.reason) for r in records if isinstance(r, Reject)]


def jl(obj: object) -> bytes:
    return json.dumps(obj).encode()


# One line per case the JSONL reader must handle; numbered in the comments by line.
MIXED_LINES: list[bytes] = [
    jl({"id": 7, "text": "good one", "title": "T", "src": "web"}),  # 1 doc, int id
    jl({"text": "no id here"}),  # 2 doc, stable id
    b'{"text": "unclosed"',  # 3 malformed_json
    b"[1, 2, 3]",  # 4 not_an_object
    jl({"id": "a", "body": "wrong field"}),  # 5 missing_text
    jl({"text": "   \t "}),  # 6 empty_text
    jl({"text": 5}),  # 7 wrong_type
    b'{"text": "caf\xe9"}',  # 8 invalid_utf8 (latin-1 byte)
    b"",  # 9 blank
    jl({"id": "s-10", "text": "a" * 200 + "\x00" + "b"}),  # 10 doc, NUL stripped
    jl({"text": "\x00\x00x"}),  # 11 nul_bytes
    jl({"text": None}),  # 12 missing_text (null)
    jl({"text": "titled", "title": 12}),  # 13 doc, title str()-ed
    jl({"text": "nulls", "id": None, "title": None}),  # 14 doc, stable id, no title
    b"   ",  # 15 blank (whitespace only)
    jl({"text": "bool id", "id": True}),  # 16 wrong_type (id)
    jl({"text": "empty id", "id": ""}),  # 17 doc, stable id
    b'{"text": "raw\ttab"}\r',  # 18 doc: raw control char and CRLF ending tolerated
    jl({"text": "\u00fcber", "src": 3}),  # 19 doc, non-ASCII, source str()-ed
]
N_BLANK = 2

EXPECTED_REJECTS = [
    (3, RejectReason.MALFORMED_JSON),
    (4, RejectReason.NOT_AN_OBJECT),
    (5, RejectReason.MISSING_TEXT),
    (6, RejectReason.EMPTY_TEXT),
    (7, RejectReason.WRONG_TYPE),
    (8, RejectReason.INVALID_UTF8),
    (11, RejectReason.NUL_BYTES),
    (12, RejectReason.MISSING_TEXT),
    (16, RejectReason.WRONG_TYPE),
]


def mixed_file(tmp_path: Path, compression: str) -> Path:
    data = b"\n".join(MIXED_LINES) + b"\n"
    return write_bytes(tmp_path / f"mixed{SUFFIX[compression]}", compress(data, compression))


# ---------------------------------------------------------------------------------------
# JSONL


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
def test_jsonl_every_case(tmp_path: Path, compression: str) -> None:
    path = mixed_file(tmp_path, compression)
    name = path.name
    records = read_paths([path], FieldNames(source="src"))

    assert rejects(records) == [(f"{name}:{line}", reason) for line, reason in EXPECTED_REJECTS]
    got = [(d.doc_id, d.text, d.title, d.source, d.location) for d in docs(records)]
    assert got == [
        ("7", "good one", "T", "web", f"{name}:1"),
        (f"{name}:2", "no id here", None, None, f"{name}:2"),
        ("s-10", "a" * 200 + "b", None, None, f"{name}:10"),
        (f"{name}:13", "titled", "12", None, f"{name}:13"),
        (f"{name}:14", "nulls", None, None, f"{name}:14"),
        (f"{name}:17", "empty id", None, None, f"{name}:17"),
        (f"{name}:18", "raw\ttab", None, None, f"{name}:18"),
        (f"{name}:19", "über", None, "3", f"{name}:19"),
    ]


def test_jsonl_reject_details(tmp_path: Path) -> None:
    path = mixed_file(tmp_path, "none")
    by_line = {
        int(r.location.rsplit(":", 1)[1]): r
        for r in read_paths([path], FieldNames(source="src"))
        if isinstance(r, Reject)
    }
    assert "Expecting" in by_line[3].detail  # the json parser's own message
    assert "array" in by_line[4].detail
    assert "'text'" in by_line[5].detail and "'body'" in by_line[5].detail
    assert "whitespace" in by_line[6].detail
    assert "'text'" in by_line[7].detail and "number" in by_line[7].detail
    assert "byte 13" in by_line[8].detail and "0xe9" in by_line[8].detail
    assert "66.7%" in by_line[11].detail
    assert "null" in by_line[12].detail
    assert "'id'" in by_line[16].detail and "boolean" in by_line[16].detail
    assert all(isinstance(r.reason, str) and type(r.reason) is str for r in by_line.values())


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
def test_every_line_is_accounted_for(tmp_path: Path, compression: str) -> None:
    path = mixed_file(tmp_path, compression)
    records = read_paths([path])
    raw = b"\n".join(MIXED_LINES) + b"\n"
    lines = raw.split(b"\n")[:-1]  # the final newline ends the last line, it adds none
    blank = sum(1 for line in lines if not line.strip())
    assert blank == N_BLANK
    assert len(docs(records)) + len(rejects(records)) + blank == len(lines)
    # and each non-blank line is reported exactly once, at its own location
    non_blank = {f"{path.name}:{i}" for i, line in enumerate(lines, 1) if line.strip()}
    assert sorted(r.location for r in records) == sorted(non_blank)


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_line_splitting_does_not_depend_on_chunk_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    path = mixed_file(tmp_path, "gzip")
    expected = read_paths([path])
    monkeypatch.setattr(readers_module, "_READ_CHUNK", chunk)
    assert read_paths([path]) == expected


def test_last_line_without_newline_and_bom(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "x.ndjson", b'\xef\xbb\xbf{"text": "one"}\n{"text": "two"}')
    assert [(d.text, d.location) for d in docs(read_paths([path]))] == [
        ("one", "x.ndjson:1"),
        ("two", "x.ndjson:2"),
    ]


def test_long_line_passes_through(tmp_path: Path) -> None:
    text = "word " * 600_000  # 3 MB: spans several read chunks
    path = write_bytes(tmp_path / "long.jsonl", jl({"text": text}) + b"\n")
    (doc,) = read_paths([path])
    assert isinstance(doc, Document) and doc.text == text


def test_lone_surrogates(tmp_path: Path) -> None:
    lines = [b'{"text": "bad \\ud800 text"}', b'{"text": "ok", "title": "t\\udfff"}']
    path = write_bytes(tmp_path / "s.jsonl", b"\n".join(lines))
    records = read_paths([path])
    assert rejects(records) == [("s.jsonl:1", RejectReason.INVALID_UTF8)]
    assert docs(records)[0].title == "t\ufffd"


def test_string_ids_and_big_ints(tmp_path: Path) -> None:
    lines = [jl({"id": 2**70, "text": "a"}), jl({"id": "doc/α", "text": "b"})]
    path = write_bytes(tmp_path / "ids.jsonl", b"\n".join(lines))
    assert [d.doc_id for d in docs(read_paths([path]))] == [str(2**70), "doc/α"]


def test_custom_field_names(tmp_path: Path) -> None:
    line = jl({"body": "hello", "uid": 3, "headline": "H", "origin": "news"})
    path = write_bytes(tmp_path / "c.json", line)
    fields = FieldNames(text="body", id="uid", title="headline", source="origin")
    assert read_paths([path], fields) == [
        Document(doc_id="3", text="hello", title="H", source="news", location="c.json:1")
    ]


def big_jsonl(n: int) -> bytes:
    # Varied text so the compressed stream spans several blocks and cuts land mid-stream.
    return b"".join(
        jl({"id": i, "text": f"document {i} says {i * 7919 % 104729} things"}) + b"\n"
        for i in range(1, n + 1)
    )


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_truncated_stream(tmp_path: Path, compression: str) -> None:
    n = 20_000
    whole = compress(big_jsonl(n), compression)
    path = write_bytes(tmp_path / f"cut{SUFFIX[compression]}", whole[: len(whole) // 2])
    records = read_paths([path])

    *good, last = records
    assert isinstance(last, Reject)
    assert all(isinstance(r, Document) for r in good)
    k = len(good)
    assert 0 < k < n
    # everything readable came out, in order, with nothing skipped
    assert [d.doc_id for d in good] == [str(i) for i in range(1, k + 1)]
    assert (last.location, last.reason) == (f"{path.name}:{k + 1}", RejectReason.TRUNCATED_FILE)
    assert f"after line {k}" in last.detail


def test_truncated_gzip_with_no_complete_line(tmp_path: Path) -> None:
    whole = gzip.compress(big_jsonl(5))
    path = write_bytes(tmp_path / "tiny.jsonl.gz", whole[:12])
    assert rejects(read_paths([path])) == [("tiny.jsonl.gz:1", RejectReason.TRUNCATED_FILE)]


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_concatenated_members_and_frames(tmp_path: Path, compression: str) -> None:
    data = compress(big_jsonl(3), compression) + compress(big_jsonl(2), compression)
    path = write_bytes(tmp_path / f"cat{SUFFIX[compression]}", data)
    records = read_paths([path])
    assert rejects(records) == []
    assert [d.doc_id for d in docs(records)] == ["1", "2", "3", "1", "2"]


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_not_actually_compressed(tmp_path: Path, compression: str) -> None:
    path = write_bytes(tmp_path / f"plain{SUFFIX[compression]}", big_jsonl(3))
    records = read_paths([path])
    assert rejects(records) == [(path.name, RejectReason.UNREADABLE_FILE)]


def test_file_vanishing_after_discovery(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "gone.jsonl", big_jsonl(1))
    (unit,) = plan_units(discover([str(path)]))
    path.unlink()
    records = list(read_unit(unit, FieldNames()))
    assert rejects(records) == [("gone.jsonl", RejectReason.UNREADABLE_FILE)]
    assert "No such file" in records[0].detail


# ---------------------------------------------------------------------------------------
# limit


def test_limit_counts_documents_only(tmp_path: Path) -> None:
    path = mixed_file(tmp_path, "none")
    records = read_paths([path], limit=3)
    # docs on lines 1, 2, 10; the rejects met before the third doc come out too
    assert [d.location for d in docs(records)] == [
        "mixed.jsonl:1",
        "mixed.jsonl:2",
        "mixed.jsonl:10",
    ]
    assert [loc for loc, _ in rejects(records)] == [f"mixed.jsonl:{i}" for i in (3, 4, 5, 6, 7, 8)]
    assert isinstance(records[-1], Document)


def test_limit_zero_and_negative(tmp_path: Path) -> None:
    path = mixed_file(tmp_path, "none")
    (unit,) = plan_units(discover([str(path)]))
    assert list(read_unit(unit, FieldNames(), limit=0)) == []
    with pytest.raises(ValueError, match="limit"):
        read_unit(unit, FieldNames(), limit=-1)


def test_limit_larger_than_input(tmp_path: Path) -> None:
    path = mixed_file(tmp_path, "zstd")
    assert read_paths([path], limit=1000) == read_paths([path])


# ---------------------------------------------------------------------------------------
# Parquet


def write_parquet(path: Path, table: pa.Table, row_group_size: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def test_parquet_two_row_groups(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": pa.array([10, 11, None, 13, 14], pa.int64()),
            "text": ["first", "second", "third", None, ""],
            "title": ["a", None, "c", "d", "e"],
            "extra": [1, 2, 3, 4, 5],
        }
    )
    path = write_parquet(tmp_path / "p.parquet", table, row_group_size=3)
    units = plan_units(discover([str(path)]))
    assert [(u.part, u.n_parts) for u in units] == [(0, 2), (1, 2)]

    first = list(read_unit(units[0], FieldNames()))
    second = list(read_unit(units[1], FieldNames()))
    assert [(d.doc_id, d.text, d.title, d.location) for d in docs(first)] == [
        ("10", "first", "a", "p.parquet:0"),
        ("11", "second", None, "p.parquet:1"),
        ("p.parquet:2", "third", "c", "p.parquet:2"),
    ]
    # row numbers continue across row groups
    assert docs(second) == []
    assert rejects(second) == [
        ("p.parquet:3", RejectReason.MISSING_TEXT),
        ("p.parquet:4", RejectReason.EMPTY_TEXT),
    ]


def test_parquet_batches_inside_a_row_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers_module, "_PARQUET_BATCH_ROWS", 2)
    n = 7
    table = pa.table({"text": [f"t{i}" for i in range(n)], "source": ["s"] * n})
    path = write_parquet(tmp_path / "b.parquet", table)
    records = read_paths([path], FieldNames(source="source"))
    assert [(d.doc_id, d.text, d.source) for d in docs(records)] == [
        (f"b.parquet:{i}", f"t{i}", "s") for i in range(n)
    ]


def test_parquet_missing_text_column(tmp_path: Path) -> None:
    table = pa.table({"id": [1, 2], "body": ["x", "y"]})
    write_parquet(tmp_path / "sub" / "m.parquet", table, row_group_size=1)
    records = read_paths([tmp_path])
    assert rejects(records) == [
        ("sub/m.parquet#rg0", RejectReason.SCHEMA_MISMATCH),
        ("sub/m.parquet#rg1", RejectReason.SCHEMA_MISMATCH),
    ]
    assert "'text'" in records[0].detail and "id, body" in records[0].detail


def test_parquet_text_column_not_string(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "n.parquet", pa.table({"text": [1, 2]}))
    records = read_paths([path])
    assert rejects(records) == [("n.parquet#rg0", RejectReason.SCHEMA_MISMATCH)]
    assert "int64" in records[0].detail


def test_parquet_other_string_encodings(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": pa.array(["x", "y", "x"]).dictionary_encode(),
            "id": pa.array(["a", "b", "c"], pa.large_string()),
        }
    )
    path = write_parquet(tmp_path / "d.parquet", table)
    assert [(d.doc_id, d.text) for d in docs(read_paths([path]))] == [
        ("a", "x"),
        ("b", "y"),
        ("c", "x"),
    ]


def unvalidated_strings(values: list[bytes]) -> pa.Array:
    """A string array holding bytes Arrow never checked, as a careless writer may store."""
    return pa.Array.from_buffers(pa.string(), len(values), pa.array(values, pa.binary()).buffers())


def test_parquet_invalid_utf8(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": unvalidated_strings([b"ok", b"caf\xe9", b"fine"]),
            "title": unvalidated_strings([b"t\xff", b"x", b"y"]),
        }
    )
    path = write_parquet(tmp_path / "u.parquet", table)
    records = read_paths([path])
    assert rejects(records) == [("u.parquet:1", RejectReason.INVALID_UTF8)]
    assert [(d.text, d.title) for d in docs(records)] == [("ok", "t\ufffd"), ("fine", "y")]


def test_parquet_float_id_is_rejected(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "f.parquet", pa.table({"text": ["x"], "id": [1.5]}))
    assert rejects(read_paths([path])) == [("f.parquet:0", RejectReason.WRONG_TYPE)]


def test_parquet_corrupt_file(tmp_path: Path) -> None:
    path = write_bytes(tmp_path / "bad.parquet", b"this is not parquet at all")
    units = plan_units(discover([str(path)]))
    assert [(u.part, u.n_parts) for u in units] == [(0, 1)]
    assert rejects(read_paths([path])) == [("bad.parquet", RejectReason.UNREADABLE_FILE)]


def test_parquet_truncated_footer(tmp_path: Path) -> None:
    full = write_parquet(tmp_path / "ok.parquet", pa.table({"text": ["x"] * 100}))
    path = write_bytes(tmp_path / "cut" / "cut.parquet", full.read_bytes()[:-30])
    assert rejects(read_paths([path])) == [("cut.parquet", RejectReason.UNREADABLE_FILE)]


def test_parquet_without_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    pq.ParquetWriter(path, pa.schema([("text", pa.string())])).close()
    assert pq.read_metadata(path).num_row_groups == 0
    units = plan_units(discover([str(path)]))
    assert [(u.part, u.n_parts) for u in units] == [(0, 1)]
    assert list(read_unit(units[0], FieldNames())) == []

    other = tmp_path / "empty_body.parquet"
    pq.ParquetWriter(other, pa.schema([("body", pa.string())])).close()
    assert rejects(read_paths([other])) == [
        ("empty_body.parquet#rg0", RejectReason.SCHEMA_MISMATCH)
    ]


def test_parquet_row_group_gone_after_planning(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "r.parquet", pa.table({"text": ["a", "b"]}), row_group_size=1)
    units = plan_units(discover([str(path)]))
    write_parquet(path, pa.table({"text": ["a"]}))
    assert rejects(list(read_unit(units[1], FieldNames()))) == [
        ("r.parquet#rg1", RejectReason.UNREADABLE_FILE)
    ]


# ---------------------------------------------------------------------------------------
# Plain text


def test_txt_files(tmp_path: Path) -> None:
    write_bytes(tmp_path / "t" / "a.txt", b"Line one.\nLine two.\n")
    write_bytes(tmp_path / "t" / "sub" / "b.txt", b"\xef\xbb\xbfWith BOM")
    write_bytes(tmp_path / "t" / "empty.txt", b"")
    write_bytes(tmp_path / "t" / "blank.txt", b" \n\n")
    write_bytes(tmp_path / "t" / "latin1.txt", b"caf\xe9")
    write_bytes(tmp_path / "t" / "binary.txt", b"\x00\x01\x00\x02" * 10)
    records = read_paths([tmp_path / "t"])
    assert rejects(records) == [
        ("binary.txt", RejectReason.NUL_BYTES),
        ("blank.txt", RejectReason.EMPTY_TEXT),
        ("empty.txt", RejectReason.EMPTY_TEXT),
        ("latin1.txt", RejectReason.INVALID_UTF8),
    ]
    assert docs(records) == [
        Document("a.txt", "Line one.\nLine two.\n", None, None, "a.txt"),
        Document("sub/b.txt", "With BOM", None, None, "sub/b.txt"),
    ]


# ---------------------------------------------------------------------------------------
# discover / plan_units


def make_tree(root: Path) -> None:
    write_bytes(root / "a.jsonl", jl({"text": "a"}))
    write_bytes(root / "sub" / "b.json.gz", gzip.compress(jl({"text": "b"})))
    write_bytes(root / "sub" / "deep" / "c.NDJSON.zst", compress(jl({"text": "c"}), "zstd"))
    write_parquet(root / "d.parquet", pa.table({"text": ["d"]}))
    write_bytes(root / "e.txt", b"e")
    # everything below must be skipped
    write_bytes(root / "_SUCCESS", b"")
    write_bytes(root / ".hidden.jsonl", jl({"text": "hidden"}))
    write_bytes(root / "_temporary" / "0" / "part.jsonl", jl({"text": "tmp"}))
    write_bytes(root / ".git" / "x.jsonl", jl({"text": "git"}))
    write_bytes(root / "notes.md", b"# notes")
    write_bytes(root / "f.parquet.gz", b"")


def test_discover_folder(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "corpus"
    make_tree(root)
    files = discover([str(root)])
    assert [(f.name, f.format, f.compression) for f in files] == [
        ("a.jsonl", "jsonl", "none"),
        ("d.parquet", "parquet", "none"),
        ("e.txt", "txt", "none"),
        ("sub/b.json.gz", "jsonl", "gzip"),
        ("sub/deep/c.NDJSON.zst", "jsonl", "zstd"),
    ]
    assert all(os.path.isabs(f.path) and f.path.endswith(f.name) for f in files)
    assert files[0].size == (root / "a.jsonl").stat().st_size
    assert files[0].mtime == (root / "a.jsonl").stat().st_mtime
    assert "skipped 2 file(s)" in caplog.text


def test_discover_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    files = discover(["corpus"])
    assert files[0].path == str(tmp_path / "corpus" / "a.jsonl")


def test_discover_glob(tmp_path: Path) -> None:
    root = tmp_path / "data"
    for day in ("2024-01", "2024-02", "2023-12"):
        write_bytes(root / day / "part-0.jsonl", jl({"text": day}))
        write_bytes(root / day / "_SUCCESS", b"")
    files = discover([str(root / "2024-*" / "part-*.jsonl")])
    assert [f.name for f in files] == ["2024-01/part-0.jsonl", "2024-02/part-0.jsonl"]

    # a glob matching folders searches them; `**` keeps the folder skipping rules
    write_bytes(root / "2024-01" / "_temporary" / "x.jsonl", jl({"text": "tmp"}))
    assert [f.name for f in discover([str(root / "2024-*")])] == [
        "2024-01/part-0.jsonl",
        "2024-02/part-0.jsonl",
    ]
    assert [f.name for f in discover([str(root / "**" / "*.jsonl")])] == [
        "2023-12/part-0.jsonl",
        "2024-01/part-0.jsonl",
        "2024-02/part-0.jsonl",
    ]


def test_discover_file_directly_and_dedup(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    make_tree(root)
    direct = discover([str(root / "sub" / "b.json.gz")])
    assert [f.name for f in direct] == ["b.json.gz"]
    # the same file reached twice (folder, direct path, symlink) is listed once
    os.symlink(root / "a.jsonl", tmp_path / "link.jsonl")
    files = discover([str(root), str(root / "a.jsonl"), str(root / "a.jsonl")])
    assert [f.name for f in files].count("a.jsonl") == 1
    with_link = discover([str(tmp_path / "link.jsonl"), str(root / "a.jsonl")])
    assert [f.name for f in with_link] == ["a.jsonl"]


def test_discover_mixed_inputs_sorted(tmp_path: Path) -> None:
    write_bytes(tmp_path / "x" / "z.jsonl", jl({"text": "z"}))
    write_bytes(tmp_path / "y" / "m.txt", b"m")
    files = discover([str(tmp_path / "x"), str(tmp_path / "y" / "*.txt")])
    assert [f.name for f in files] == ["m.txt", "z.jsonl"]


def test_discover_symlink_loop(tmp_path: Path) -> None:
    write_bytes(tmp_path / "c" / "a.jsonl", jl({"text": "a"}))
    os.symlink(tmp_path / "c", tmp_path / "c" / "loop")
    assert [f.name for f in discover([str(tmp_path / "c")])] == ["a.jsonl"]


@pytest.mark.parametrize(
    ("setup", "arg", "message"),
    [
        (None, "missing.jsonl", "does not exist"),
        (None, "missing/*.jsonl", "matches nothing"),
        ("empty_dir", "empty", "no supported file"),
        ("only_unsupported", "only", "no supported file"),
        ("only_unsupported", "only/*", "no supported file"),
        ("csv", "table.csv", "unsupported file type"),
        ("csv", "table.txt.gz", "unsupported file type"),
    ],
)
def test_discover_errors(tmp_path: Path, setup: str | None, arg: str, message: str) -> None:
    if setup == "empty_dir":
        (tmp_path / "empty").mkdir()
    elif setup == "only_unsupported":
        write_bytes(tmp_path / "only" / "_SUCCESS", b"")
        write_bytes(tmp_path / "only" / "x.csv", b"a,b")
        write_bytes(tmp_path / "only" / ".hidden.jsonl", b"{}")
    elif setup == "csv":
        write_bytes(tmp_path / "table.csv", b"a,b")
        write_bytes(tmp_path / "table.txt.gz", b"")
    target = str(tmp_path / arg)
    with pytest.raises(InputError, match=message) as info:
        discover([target])
    assert target in str(info.value)
    assert isinstance(info.value, ValueError)


def test_discover_no_paths() -> None:
    with pytest.raises(InputError):
        discover([])


def test_discover_name_collision(tmp_path: Path) -> None:
    write_bytes(tmp_path / "a" / "part-0.jsonl", jl({"text": "a"}))
    write_bytes(tmp_path / "b" / "part-0.jsonl", jl({"text": "b"}))
    with pytest.raises(InputError, match=r"part-0\.jsonl"):
        discover([str(tmp_path / "a"), str(tmp_path / "b")])
    assert [f.name for f in discover([str(tmp_path)])] == ["a/part-0.jsonl", "b/part-0.jsonl"]


def test_plan_units_mixed(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    make_tree(root)
    write_parquet(root / "g.parquet", pa.table({"text": ["1", "2", "3"]}), row_group_size=1)
    units = plan_units(discover([str(root)]))
    assert [(u.file.name, u.part, u.n_parts) for u in units] == [
        ("a.jsonl", 0, 1),
        ("d.parquet", 0, 1),
        ("e.txt", 0, 1),
        ("g.parquet", 0, 3),
        ("g.parquet", 1, 3),
        ("g.parquet", 2, 3),
        ("sub/b.json.gz", 0, 1),
        ("sub/deep/c.NDJSON.zst", 0, 1),
    ]
    texts = [d.text for u in units for d in docs(list(read_unit(u, FieldNames())))]
    assert texts == ["a", "d", "e", "1", "2", "3", "b", "c"]


# ---------------------------------------------------------------------------------------
# Records and configuration


def test_records_pickle_for_spark(tmp_path: Path) -> None:
    path = mixed_file(tmp_path, "none")
    (unit,) = plan_units(discover([str(path)]))
    assert isinstance(unit, WorkUnit) and isinstance(unit.file, InputFile)
    assert pickle.loads(pickle.dumps(unit)) == unit
    records = list(read_unit(unit, FieldNames()))
    assert pickle.loads(pickle.dumps(records)) == records


def test_reject_reasons_documented() -> None:
    values = [r.value for r in RejectReason]
    assert len(set(values)) == len(values) == 10
    assert all(r.description and type(r.value) is str for r in RejectReason)
    assert RejectReason("truncated_file") is RejectReason.TRUNCATED_FILE


def test_field_names_validation() -> None:
    assert FieldNames() == FieldNames(text="text", id="id", title="title", source=None)
    with pytest.raises(ValueError):
        FieldNames(text="")
    with pytest.raises(ValueError):
        FieldNames(source="")
