"""The preflight: wrong field names fail in seconds, before Spark, naming the fields found."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.corpus import FieldNames, InputError, discover
from singleton_rate.corpus.preflight import check_fields, preflight, sample_file

# RedPajama's layout: the text is in raw_content, the source under meta.
RP = [
    {
        "raw_content": f"Ada Lovelace was born in London in 18{i:02d}.",
        "meta": {"url": f"https://x.org/{i}", "source_domain": "x.org"},
        "doc_id": f"d{i}",
    }
    for i in range(30)
]


def write_jsonl(path: Path, records: list[object]) -> Path:
    body = "".join(json.dumps(r) + "\n" for r in records).encode()
    path.write_bytes(gzip.compress(body) if path.suffix == ".gz" else body)
    return path


def check(path: Path, fields: FieldNames, **kw: float) -> None:
    preflight(discover([str(path)]), fields, **kw)


def test_raw_content_instead_of_text_is_named(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "rp.jsonl.gz", RP)
    with pytest.raises(InputError) as err:
        check(path, FieldNames())
    assert str(err.value) == (
        "--text-field 'text': missing or not a string in 30 of 30 records sampled from "
        "rp.jsonl.gz; fields found: 'raw_content', 'meta.url', 'meta.source_domain', 'doc_id' "
        "(the longest text is in 'raw_content': --text-field raw_content)"
    )
    check(path, FieldNames(text="raw_content", source="meta.source_domain", id="doc_id"))


def test_source_and_explicit_id_must_exist(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "rp.jsonl", RP)
    with pytest.raises(InputError) as err:
        check(path, FieldNames(text="raw_content", source="meta.pile_set_name", id="docid"))
    message = str(err.value)
    assert "--source-field 'meta.pile_set_name': in none of the 30 records" in message
    assert "; --id-field 'docid': in none of the 30 records" in message
    assert "\n" not in message
    # the default id and title may be absent: documents get ids from their location
    check(path, FieldNames(text="raw_content"))


def test_most_not_some(tmp_path: Path) -> None:
    # 4 of 10 without a string text: the run's reject check judges that, not the preflight
    records = [{"text": "fine text"}] * 6 + [{"text": 3}] * 2 + [{"body": "x"}] * 2
    path = write_jsonl(tmp_path / "mixed.jsonl", records)
    check(path, FieldNames())
    bad = write_jsonl(tmp_path / "bad.jsonl", records[4:])  # 4 of 6
    with pytest.raises(InputError, match="missing or not a string in 4 of 6"):
        check(bad, FieldNames())
    check(bad, FieldNames(), max_reject_rate=1.0)  # "show me the rejects" turns it off


def test_parquet_schema_and_struct_fields(tmp_path: Path) -> None:
    meta = pa.struct([("pile_set_name", pa.string())])
    table = pa.table(
        {"content": ["a", "b"], "meta": pa.array([{"pile_set_name": "Pile-CC"}] * 2, meta)}
    )
    pq.write_table(table, tmp_path / "p.parquet")
    with pytest.raises(InputError) as err:
        check(tmp_path / "p.parquet", FieldNames(source="meta.pile_set_name"))
    assert str(err.value) == (
        "--text-field 'text': missing or not a string in 2 of 2 records sampled from "
        "p.parquet; fields found: 'content', 'meta.pile_set_name'"
    )
    check(tmp_path / "p.parquet", FieldNames(text="content", source="meta.pile_set_name"))
    sample = sample_file(discover([str(tmp_path / "p.parquet")])[0], FieldNames())
    assert sample.records == [{}, {}]  # none of the asked columns: not read


def test_only_the_first_files_and_records(tmp_path: Path) -> None:
    for i in range(5):
        write_jsonl(tmp_path / f"s{i}.jsonl", [{"text": "t"}] * 200)
    samples = preflight(discover([str(tmp_path)]), FieldNames(), n_files=3, n_records=50)
    assert [(s.name, len(s.records)) for s in samples] == [
        ("s0.jsonl", 50),
        ("s1.jsonl", 50),
        ("s2.jsonl", 50),
    ]
    check_fields([], FieldNames(text="nope"))  # nothing read: nothing to judge


def test_cli_fails_in_seconds_before_spark(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "rp.jsonl", RP)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "singleton_rate.cli", "run", str(path), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 2
    assert proc.stderr.startswith("singletons: error: --text-field 'text': missing")
    assert proc.stderr.count("\n") == 1 and "raw_content" in proc.stderr
    assert not (tmp_path / "o").exists()
    assert elapsed < 20, elapsed  # no Spark session was started (that alone takes ~10 s)
