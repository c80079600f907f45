"""``--source-field url:domain`` and the pure parts of remote reading (no server needed)."""

from __future__ import annotations

import doctest
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.config import ConfigError, RunConfig
from singleton_rate.corpus import Document, FieldNames, InputError, discover, plan_units, read_unit
from singleton_rate.corpus.preflight import preflight
from singleton_rate.corpus.readers import split_source, url_domain
from singleton_rate.corpus.remote import backoff_delays, is_transient, retrying

RECORDS = [
    {"text": "Ada Lovelace was born in London.", "url": "https://www.Example.com/a"},
    {"text": "Alan Turing was born in Maida Vale.", "url": "http://en.wikipedia.org:80/wiki/T"},
    {"text": "No URL here.", "url": None},
    {"text": "Not a URL.", "url": "see the library"},
    {"text": "Scheme-less.", "url": "news.example/story/1"},
    {"text": "Nested.", "meta": {"url": "https://user:pw@blog.example/p"}},
]


def read(path: Path, fields: FieldNames) -> list[Document]:
    got = [r for u in plan_units(discover([str(path)])) for r in read_unit(u, fields)]
    assert all(isinstance(r, Document) for r in got)
    return got  # type: ignore[return-value]


def test_docstring_examples_hold() -> None:
    import importlib

    # by import_module: the package's `discover` attribute is the function, not the module
    for name in ("discover", "readers", "remote"):
        module = importlib.import_module(f"singleton_rate.corpus.{name}")
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_url_domain() -> None:
    assert [url_domain(str(r.get("url") or "")) for r in RECORDS] == [
        "example.com",
        "en.wikipedia.org",
        None,
        None,
        "news.example",
        None,
    ]
    assert url_domain("https://[::1]:8080/x") == "::1"
    assert url_domain("https://[broken/x") is None
    assert url_domain("HTTPS://WWW.Shop.Example./") == "shop.example"


def test_split_source() -> None:
    assert split_source("meta.url:domain") == ("meta.url", "domain")
    assert split_source("source") == ("source", None)
    assert FieldNames(source="url:domain").source_path == "url"
    assert FieldNames().source_path is None
    with pytest.raises(ValueError):
        FieldNames(source=":domain")


def test_jsonl_source_by_domain(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    got = read(path, FieldNames(source="url:domain"))
    assert [d.source for d in got] == [
        "example.com",
        "en.wikipedia.org",
        None,
        None,
        "news.example",
        None,
    ]
    nested = read(path, FieldNames(source="meta.url:domain"))
    assert [d.source for d in nested] == [None] * 5 + ["blog.example"]
    # without the suffix the field's value is the source, as before
    assert read(path, FieldNames(source="url"))[0].source == "https://www.Example.com/a"


def test_parquet_source_by_domain(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": [r["text"] for r in RECORDS[:3]],
            "meta": pa.array(
                [{"url": r["url"]} for r in RECORDS[:3]], pa.struct([("url", pa.string())])
            ),
        }
    )
    pq.write_table(table, tmp_path / "p.parquet")
    got = read(tmp_path / "p.parquet", FieldNames(source="meta.url:domain"))
    assert [d.source for d in got] == ["example.com", "en.wikipedia.org", None]


def test_preflight_checks_the_url_field(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    files = discover([str(path)])
    preflight(files, FieldNames(source="url:domain"))
    with pytest.raises(InputError, match=r"--source-field 'link': in none of the 6 records"):
        preflight(files, FieldNames(source="link:domain"))


def test_remote_out_is_refused() -> None:
    for out in ("s3://bucket/runs/x", "gs://b/x", "hdfs://nn/runs/x"):
        with pytest.raises(ConfigError, match="remote run folders are not supported"):
            RunConfig(inputs=("x.jsonl",), out=out).validate()


def test_transient_or_permanent() -> None:
    transient = [
        OSError("AWS Error SLOW_DOWN during GetObject operation: Please reduce your rate"),
        OSError("AWS Error NETWORK_CONNECTION during ListObjectsV2 operation: curlCode: 7"),
        OSError("AWS Error SERVICE_UNAVAILABLE during GetObject operation: HTTP 503"),
        TimeoutError("timed out"),
        ConnectionResetError("Connection reset by peer"),
    ]
    permanent = [
        FileNotFoundError("[Errno 2] Path does not exist 'b/k'"),
        OSError("AWS Error ACCESS_DENIED during HeadObject operation: No response body."),
        OSError("AWS Error INVALID_ACCESS_KEY_ID during ListObjectsV2 operation"),
        OSError("object is 10 bytes, 12 when the run listed it: changed since"),
        ValueError("a bug, not the network"),
    ]
    assert [is_transient(e) for e in transient] == [True] * len(transient)
    assert [is_transient(e) for e in permanent] == [False] * len(permanent)


def test_backoff_grows_and_is_capped() -> None:
    delays = backoff_delays(12, base=0.5, cap=8, rng=random.Random(1))
    assert len(delays) == 11
    assert all(0 <= d <= min(8, 0.5 * 2**k) for k, d in enumerate(delays))


def test_retrying_repeats_transient_errors_only() -> None:
    slept: list[float] = []
    calls = iter([OSError("AWS Error SLOW_DOWN"), OSError("curlCode: 28, Timeout"), "data"])

    def flaky() -> str:
        value = next(calls)
        if isinstance(value, Exception):
            raise value
        return value

    assert retrying(flaky, attempts=5, sleep=slept.append) == "data"
    assert len(slept) == 2
    slept.clear()

    def denied() -> str:
        raise OSError("AWS Error ACCESS_DENIED")

    with pytest.raises(OSError, match="ACCESS_DENIED"):
        retrying(denied, attempts=5, sleep=slept.append)
    assert slept == []

    def foreign() -> str:  # an fsspec client's own error type comes out as OSError
        raise RuntimeError("boom")

    with pytest.raises(OSError, match="RuntimeError: boom"):
        retrying(foreign, attempts=3, sleep=slept.append)


def test_file_uri_is_a_local_path(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n")
    (f,) = discover([f"file://{path}"])
    assert (f.path, f.name) == (str(path), "c.jsonl")
    assert [f.name for f in discover([f"file://{tmp_path}/*.jsonl"])] == ["c.jsonl"]


def test_uris_of_the_other_stores() -> None:
    """Paths inside each store's file system and back (no server: clients connect lazily)."""
    from singleton_rate.corpus.remote import resolve

    gs = resolve("gs://bkt/a/b.jsonl")
    assert (gs.path, gs.uri(gs.path)) == ("bkt/a/b.jsonl", "gs://bkt/a/b.jsonl")
    abfs = resolve("abfss://cont@acct.dfs.core.windows.net/a/")
    assert abfs.path == "cont/a"
    assert abfs.uri("cont/a/x.jsonl") == "abfss://cont@acct.dfs.core.windows.net/a/x.jsonl"
    cases = {
        "abfs://nocontainer/x": "expected abfs://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH",
        "s3:///x.jsonl": "no bucket named",
        "s3://AKIAKEY:hunter2@bkt/x/": r"^s3://\*\*\*@bkt/x/: credentials in the URI are not",
    }
    for path, words in cases.items():
        with pytest.raises(InputError, match=words) as err:
            discover([path])
        assert "hunter2" not in str(err.value)


def test_hdfs_without_its_client_is_one_short_line() -> None:
    try:
        import pyarrow.fs

        pyarrow.fs.HadoopFileSystem("default")
        pytest.skip("this machine has a working libhdfs")
    except OSError:
        pass
    with pytest.raises(InputError) as err:
        discover(["hdfs://namenode:8020/data/"])
    message = str(err.value)
    assert message.startswith("hdfs://namenode:8020/data/: cannot connect to HDFS at")
    assert "\n" not in message and len(message) < 400
