"""Remote inputs against a real S3-compatible server (moto's) on 127.0.0.1.

The server runs as its own process with authentication on, so wrong credentials fail as on
AWS. Reads go through the same code a worker runs: discovery lists the bucket, the readers
stream JSONL.gz / JSONL.zst and Parquet row groups with ranged GETs, and a throttling proxy
in front of the server checks the retries.
"""

from __future__ import annotations

import gzip
import http.client
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from singleton_rate.corpus import (
    Document,
    FieldNames,
    InputError,
    Reject,
    discover,
    plan_units,
    read_unit,
)
from singleton_rate.corpus.remote import is_remote, is_transient
from singleton_rate.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"
BUCKET = "corpus-bkt"
PREFIX = "snap"

boto3 = pytest.importorskip("boto3", reason="moto[server] (the test extra) brings boto3")
pytest.importorskip("moto", reason="moto[server] is in the test extra")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    key: str
    secret: str

    def client(self, **kw: Any) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=kw.get("key", self.key),
            aws_secret_access_key=kw.get("secret", self.secret),
        )

    def env(self, endpoint: str | None = None) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": endpoint or self.endpoint,
            "AWS_ACCESS_KEY_ID": self.key,
            "AWS_SECRET_ACCESS_KEY": self.secret,
            "AWS_REGION": "us-east-1",
            "SINGLETONS_REMOTE_RETRIES": "3",
        }


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 server on a free 127.0.0.1 port, authentication enforced after the three
    IAM calls that make the test user (INITIAL_NO_AUTH_ACTION_COUNT)."""
    port = free_port()
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # a readiness poll, not a timed assertion
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"moto_server exited with {proc.returncode}")
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        iam = boto3.client(
            "iam",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="bootstrap",
            aws_secret_access_key="bootstrap",
        )
        iam.create_user(UserName="reader")
        iam.put_user_policy(
            UserName="reader",
            PolicyName="all",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
                }
            ),
        )
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        server = S3Server(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
        server.client().create_bucket(Bucket=BUCKET)
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def s3_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    """The process environment a user would set for the server: endpoint and credentials."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    return s3_server


def _records(lo: int, hi: int) -> list[dict[str, Any]]:
    with SAMPLE.open() as fh:
        rows = [json.loads(line) for line in fh][lo:hi]
    # A URL per record, for --source-field url:domain: www. and ports are not the domain.
    hosts = {"encyclopedia.example": "https://www.encyclopedia.example"}
    for r in rows:
        host = hosts.get(r["source"], f"http://{r['source']}:8080")
        r["url"] = f"{host}/page/{r['id']}"
    return rows


def snapshot_files() -> dict[str, bytes]:
    """A small snapshot as a crawl would store it: JSONL.gz, Parquet (2 row groups),
    JSONL.zst in a sub-folder, and files discovery must pass over."""
    jsonl = lambda rows: "".join(json.dumps(r) + "\n" for r in rows).encode()  # noqa: E731
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(_records(40, 80)), sink, row_group_size=20)
    return {
        "a.jsonl.gz": gzip.compress(jsonl(_records(0, 40)), mtime=0),
        "b.parquet": sink.getvalue().to_pybytes(),
        "sub/c.jsonl.zst": zstandard.ZstdCompressor().compress(jsonl(_records(80, 120))),
        "_SUCCESS": b"",
        ".hidden/x.jsonl": jsonl(_records(0, 1)),
        "sub/notes.md": b"not a corpus file\n",
    }


@pytest.fixture(scope="session")
def local_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    local = tmp_path_factory.mktemp("snapshot") / PREFIX
    for name, data in snapshot_files().items():
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_bytes(data)
    return local


@pytest.fixture(scope="session")
def snapshot(s3_server: S3Server, local_snapshot: Path) -> Path:
    """The snapshot under s3://corpus-bkt/snap/ and, byte for byte, in a local folder."""
    client = s3_server.client()
    for name, data in snapshot_files().items():
        client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/{name}", Body=data)
    return local_snapshot


def read_all(paths: list[str], fields: FieldNames | None = None) -> list[Document | Reject]:
    fields = fields or FieldNames()
    return [r for u in plan_units(discover(paths)) for r in read_unit(u, fields)]


# --- discovery and reads -------------------------------------------------------------------


def test_discovery_lists_a_prefix_like_a_folder(s3_env: S3Server, snapshot: Path) -> None:
    files = discover([f"s3://{BUCKET}/{PREFIX}/"])
    assert [f.name for f in files] == ["a.jsonl.gz", "b.parquet", "sub/c.jsonl.zst"]
    assert [f.path for f in files] == [
        f"s3://{BUCKET}/{PREFIX}/a.jsonl.gz",
        f"s3://{BUCKET}/{PREFIX}/b.parquet",
        f"s3://{BUCKET}/{PREFIX}/sub/c.jsonl.zst",
    ]
    local = discover([str(snapshot)])
    # sizes as on disk, mtimes as the store has them (for the input fingerprint)
    assert [f.size for f in files] == [f.size for f in local]
    assert all(f.mtime > 1e9 for f in files)
    assert [(f.format, f.compression) for f in files] == [
        ("jsonl", "gzip"),
        ("parquet", "none"),
        ("jsonl", "zstd"),
    ]
    # two row groups: two work units, planned from the remote footer
    assert [(u.file.name, u.part) for u in plan_units(files)] == [
        ("a.jsonl.gz", 0),
        ("b.parquet", 0),
        ("b.parquet", 1),
        ("sub/c.jsonl.zst", 0),
    ]


def test_discovery_globs_and_s3a(s3_env: S3Server, snapshot: Path) -> None:
    assert [f.name for f in discover([f"s3a://{BUCKET}/{PREFIX}/**/*.zst"])] == ["sub/c.jsonl.zst"]
    assert [f.name for f in discover([f"s3://{BUCKET}/{PREFIX}/*.parquet"])] == ["b.parquet"]
    # a glob matching a folder takes the folder's files, as on disk
    assert [f.name for f in discover([f"s3://{BUCKET}/{PREFIX}/su*"])] == ["sub/c.jsonl.zst"]
    (one,) = discover([f"s3a://{BUCKET}/{PREFIX}/a.jsonl.gz"])
    assert (one.name, one.path) == ("a.jsonl.gz", f"s3a://{BUCKET}/{PREFIX}/a.jsonl.gz")


def test_discovery_errors_are_one_line(s3_env: S3Server, snapshot: Path) -> None:
    cases = {
        f"s3://{BUCKET}/nothing/": "does not exist",
        f"s3://{BUCKET}/{PREFIX}/*.txt": "glob matches no supported file",
        f"s3://{BUCKET}/{PREFIX}/sub/notes.md": "unsupported file type",
        "nosuch://host/x.jsonl": "nosuch://host/x.jsonl: unsupported scheme nosuch://",
    }
    for path, words in cases.items():
        with pytest.raises(InputError) as err:
            discover([path])
        assert words in str(err.value) and "\n" not in str(err.value), path


def test_remote_reads_equal_local_reads(s3_env: S3Server, snapshot: Path) -> None:
    fields = FieldNames(source="url:domain")
    remote_records = read_all([f"s3://{BUCKET}/{PREFIX}/"], fields)
    local_records = read_all([str(snapshot)], fields)
    assert len(remote_records) == 120
    assert all(isinstance(r, Document) for r in remote_records)
    assert remote_records == local_records
    assert {r.source for r in remote_records} == {
        "encyclopedia.example",
        "news.example",
        "blog.example",
    }


def test_wrong_credentials_fail_in_one_line(
    s3_env: S3Server, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(InputError) as err:
        discover([f"s3://{BUCKET}/{PREFIX}/"])
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"s3://{BUCKET}/{PREFIX}/: cannot access:")
    assert "ACCESS_DENIED" in message
    assert "check the credentials" in message
    assert "not-the-secret" not in message and s3_env.key not in message


def test_cli_wrong_credentials_and_remote_out(
    s3_server: S3Server, snapshot: Path, tmp_path: Path
) -> None:
    """Through the real command: exit status 2 and one line on stderr, before Spark starts."""
    env = dict(os.environ, **s3_server.env(), PYTHONPATH=str(ROOT / "pipeline"))
    env["AWS_ACCESS_KEY_ID"] = "AKIANOTAKEY"
    cmd = [sys.executable, "-m", "singleton_rate.cli", "run"]
    bad = subprocess.run(
        [*cmd, f"s3://{BUCKET}/{PREFIX}/", "--out", str(tmp_path / "r")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2, bad.stderr
    (line,) = bad.stderr.strip().splitlines()
    assert "cannot access" in line and "check the credentials" in line
    assert s3_server.secret not in bad.stderr
    out = subprocess.run(
        [*cmd, str(snapshot), "--out", f"s3://{BUCKET}/runs/x"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 2, out.stderr
    (line,) = out.stderr.strip().splitlines()
    assert "remote run folders are not supported" in line
    assert not (tmp_path / "r").exists()


def test_object_deleted_before_read_is_a_reject(s3_env: S3Server, snapshot: Path) -> None:
    s3_env.client().put_object(
        Bucket=BUCKET, Key="gone/x.jsonl", Body=b'{"text": "Ada was born in London."}\n'
    )
    s3_env.client().put_object(
        Bucket=BUCKET, Key="gone/y.parquet", Body=(snapshot / "b.parquet").read_bytes()
    )
    units = plan_units(discover([f"s3://{BUCKET}/gone/"]))
    for key in ("gone/x.jsonl", "gone/y.parquet"):
        s3_env.client().delete_object(Bucket=BUCKET, Key=key)
    got = [r for u in units for r in read_unit(u, FieldNames())]
    assert [(r.location, r.reason) for r in got] == [
        ("x.jsonl", "unreadable_file"),
        ("y.parquet", "unreadable_file"),
        ("y.parquet", "unreadable_file"),
    ]
    assert all("deleted or renamed since the run listed it" in r.detail for r in got)


def test_fsspec_bridge_reads_like_disk(local_snapshot: Path) -> None:
    """hf:// goes through pyarrow's bridge to fsspec; the Hub is not reachable from a test,
    so the bridge is checked on fsspec's in-memory file system, the same code path."""
    fsspec = pytest.importorskip("fsspec", reason="fsspec comes with the hf extra")
    memory = fsspec.filesystem("memory")
    for name, data in snapshot_files().items():
        memory.pipe(f"/bridge/{name}", data)
    try:
        files = discover(["memory://bridge/"])
        assert [f.name for f in files] == ["a.jsonl.gz", "b.parquet", "sub/c.jsonl.zst"]
        assert [f.size for f in files] == [f.size for f in discover([str(local_snapshot)])]
        assert len(plan_units(files)) == 4
        assert read_all(["memory://bridge/"]) == read_all([str(local_snapshot)])
        assert [f.name for f in discover(["memory://bridge/**/*.zst"])] == ["sub/c.jsonl.zst"]
    finally:
        memory.rm("/bridge", recursive=True)


def test_hf_unreachable_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("huggingface_hub", reason="the hf extra")
    # a closed port on this machine: the Hub client's request is refused at once
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("SINGLETONS_REMOTE_RETRIES", "1")
    with pytest.raises(InputError) as err:
        discover(["hf://datasets/org/name/data/"])
    assert str(err.value).startswith("hf://datasets/org/name/data/: cannot access:")
    assert "\n" not in str(err.value)


def test_object_deleted_while_read_keeps_what_was_read(
    s3_env: S3Server, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from singleton_rate.corpus import remote

    monkeypatch.setattr(remote, "REMOTE_BLOCK_BYTES", 2048)  # many ranged reads per file
    body = "".join(json.dumps(r) + "\n" for r in _records(0, 40)).encode()
    s3_env.client().put_object(Bucket=BUCKET, Key="going/x.jsonl", Body=body)
    (unit,) = plan_units(discover([f"s3://{BUCKET}/going/"]))
    records = read_unit(unit, FieldNames())
    first = next(records)
    s3_env.client().delete_object(Bucket=BUCKET, Key="going/x.jsonl")
    got = [first, *records]
    docs = [r for r in got if isinstance(r, Document)]
    *_, last = got
    assert 1 <= len(docs) < 40
    assert (last.location, last.reason) == ("x.jsonl", "unreadable_file")
    # every line read before the object vanished is a document; the reject says where
    assert last.detail.startswith(f"read failed after line {len(docs)}: ")
    assert last.detail.endswith("(deleted or renamed since the run listed it)")


# --- retries: a throttling proxy in front of the server ------------------------------------


class ThrottlingProxy(http.server.ThreadingHTTPServer):
    """Forwards requests to the S3 server, answering some object GETs with 503 SlowDown
    first, as S3 does under load: ``throttle(n)`` throttles the next ``n`` ranged GETs."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.lock = threading.Lock()
        self.pending = 0
        self.throttled = 0
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    def throttle(self, n: int) -> None:
        with self.lock:
            self.pending = n

    def take(self) -> bool:
        with self.lock:
            if self.pending > 0:
                self.pending -= 1
                self.throttled += 1
                return True
            return False


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: ThrottlingProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.command == "GET" and "Range" in self.headers and self.server.take():
            payload = (
                b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
                b"<Message>Please reduce your request rate.</Message></Error>"
            )
            self.send_response(503)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        conn = http.client.HTTPConnection(self.server.upstream, timeout=60)
        # The Host header is part of the request's signature: pass it on unchanged.
        conn.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for name, value in resp.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        # a HEAD's length is the object's, not that of the (empty) body
        length = resp.getheader("Content-Length") if self.command == "HEAD" else None
        self.send_header("Content-Length", length or str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _forward


@contextmanager
def throttling_proxy(upstream: str) -> Iterator[ThrottlingProxy]:
    proxy = ThrottlingProxy(upstream)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


def test_throttled_reads_are_retried(
    s3_env: S3Server, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = read_all([str(snapshot)])
    with throttling_proxy(s3_env.endpoint) as proxy:
        host, port = proxy.server_address[:2]
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
        units = plan_units(discover([f"s3://{BUCKET}/{PREFIX}/"]))
        got = []
        for unit in units:
            proxy.throttle(2)  # the first two reads of every unit are refused
            got.extend(read_unit(unit, FieldNames()))
        assert proxy.throttled == 2 * len(units)
    assert got == expected


def test_throttled_for_good_is_a_reject_not_a_gap(
    s3_env: S3Server, snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SINGLETONS_REMOTE_RETRIES", "2")
    with throttling_proxy(s3_env.endpoint) as proxy:
        host, port = proxy.server_address[:2]
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
        units = plan_units(discover([f"s3://{BUCKET}/{PREFIX}/a.jsonl.gz"]))
        proxy.throttle(10_000)
        got = [r for u in units for r in read_unit(u, FieldNames())]
    (reject,) = got
    assert (reject.location, reject.reason) == ("a.jsonl.gz", "unreadable_file")
    # The client words the proxy's 503 as SLOW_DOWN or SERVICE_UNAVAILABLE depending on its
    # version and on which call it was in; what the user must read is that it was retried.
    assert "gave up after 2 attempts" in reject.detail
    assert is_transient(OSError(reject.detail))


# --- through a real run --------------------------------------------------------------------


@contextmanager
def worker_env(spark: Any, env: dict[str, str]) -> Iterator[None]:
    """Give Spark's Python workers the environment (the session was made before it was
    set; a user's `singletons run` starts Spark from an environment that has it)."""
    saved = dict(spark.sparkContext.environment)
    spark.sparkContext.environment.update(env)
    try:
        yield
    finally:
        spark.sparkContext.environment.clear()
        spark.sparkContext.environment.update(saved)


def tables(run: Path) -> dict[str, list[tuple]]:
    from singleton_rate.query import connect

    con = connect(run)
    return {
        name: con.execute(f"select * from {name} order by all").fetchall()
        for name in ("mentions", "documents", "rejects", "facts", "prompts", "freq_of_freq")
    }


@pytest.mark.spark
def test_run_from_s3_equals_run_from_disk(
    spark: Any, s3_env: S3Server, snapshot: Path, tmp_path: Path
) -> None:
    from singleton_rate.config import RunConfig
    from singleton_rate.run import run

    def one(inputs: str, out: str) -> Any:
        config = RunConfig(inputs=(inputs,), out=str(tmp_path / out), source_field="url:domain")
        return run(config, spark=spark, progress=Progress(quiet=True))

    with worker_env(spark, s3_env.env()):
        from_s3 = one(f"s3://{BUCKET}/{PREFIX}/", "s3")
    from_disk = one(str(snapshot), "disk")
    assert from_s3.manifest["documents"] == from_disk.manifest["documents"]
    assert from_s3.manifest["documents"]["documents"] == 120
    assert (
        from_s3.manifest["fingerprints"]["config"] == from_disk.manifest["fingerprints"]["config"]
    )
    assert all(is_remote(f["path"]) for f in from_s3.manifest["inputs"])
    s3_tables, disk_tables = tables(from_s3.path), tables(from_disk.path)
    assert s3_tables["mentions"], "the snapshot states facts"
    assert s3_tables == disk_tables
    scopes = set(from_s3.estimates["scope"])
    assert {"source=encyclopedia.example", "source=news.example"} <= scopes


class DeletingProgress(Progress):
    """A run's progress that deletes an object once Spark starts reading: the object was
    listed and planned, and is gone when its worker opens it."""

    def __init__(self, client: Any, key: str) -> None:
        super().__init__(quiet=True)
        self.client, self.key = client, key

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        if name == "read + extract":
            self.client.delete_object(Bucket=BUCKET, Key=self.key)
        with super().step(name):
            yield


@pytest.mark.spark
def test_object_deleted_mid_run_is_recorded(
    spark: Any, s3_env: S3Server, snapshot: Path, tmp_path: Path
) -> None:
    from singleton_rate.config import RunConfig
    from singleton_rate.query import connect
    from singleton_rate.run import run

    client = s3_env.client()
    for name, data in snapshot_files().items():
        client.put_object(Bucket=BUCKET, Key=f"mid/{name}", Body=data)
    config = RunConfig(inputs=(f"s3://{BUCKET}/mid/",), out=str(tmp_path / "run"))
    with worker_env(spark, s3_env.env()):
        result = run(config, spark=spark, progress=DeletingProgress(client, "mid/sub/c.jsonl.zst"))
    rows = connect(result.path).execute("select file, reason, detail from rejects").fetchall()
    assert [(f, r) for f, r, _ in rows] == [("sub/c.jsonl.zst", "unreadable_file")]
    assert "deleted or renamed since the run listed it" in rows[0][2]
    per_file = {f["file"]: f for f in result.manifest["files"]}
    assert per_file["sub/c.jsonl.zst"]["documents"] == 0
    assert per_file["sub/c.jsonl.zst"]["rejected_at_read"] == 1
    assert per_file["a.jsonl.gz"]["documents"] == 40
    assert per_file["b.parquet"]["documents"] == 40
    assert result.manifest["documents"]["records_read"] == 81
