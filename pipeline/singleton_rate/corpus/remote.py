"""Object stores and the Hub as corpus locations: ``s3://``, ``gs://``, ``hdfs://``, ``abfs://``, ``hf://``.

The driver lists remote inputs with :func:`discover_remote`; the workers open them with
:func:`open_binary` (a byte stream for JSONL and ``.txt``) and :func:`parquet_file`, which
build their own file system from the URI and the process's environment. So a work unit
carries only the URI, never a credential, and each executor authenticates as that machine
is set up to (environment, config files, instance roles).

Credentials come from where each client's tools look: ``AWS_ACCESS_KEY_ID``/``AWS_PROFILE``/
``~/.aws`` and instance roles for S3, application-default credentials for GCS, the Hadoop
configuration for HDFS, ``AZURE_STORAGE_ACCOUNT_KEY`` or Azure's default credential chain
for ABFS, ``HF_TOKEN`` or ``huggingface-cli login`` for the Hub. Nothing here logs them, and
error messages carry the client's words (which name the bucket and key, not the secret).

Settings read from the environment (the documented names of each client where there is one):

- ``AWS_ENDPOINT_URL_S3`` / ``AWS_ENDPOINT_URL``: an S3-compatible endpoint (MinIO, Ceph,
  a local test server), ``AWS_REGION`` / ``AWS_DEFAULT_REGION``: the region (else it is
  looked up from the bucket), ``SINGLETONS_S3_ANONYMOUS=1``: unsigned requests (public
  buckets).
- ``STORAGE_EMULATOR_HOST``: a GCS emulator.
- ``HF_ENDPOINT``: a Hub mirror (read by ``huggingface_hub`` itself).
- ``SINGLETONS_REMOTE_RETRIES``: attempts per read before a transient error counts (5).

Retries: the S3 client retries throttling (``SlowDown``, 503) and transient errors with
exponential backoff (the AWS standard strategy); on top of that every open and read that
still fails with a transient error (network, timeout, 5xx, throttling) is retried here with
exponential backoff and jitter, resuming at the byte (JSONL) or row (Parquet) it had
reached. A permanent error (not found, access denied) is not retried: the reader turns it
into a recorded reject.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

import pyarrow.fs as pafs
import pyarrow.parquet as pq

__all__ = [
    "REMOTE_SCHEMES",
    "RemoteError",
    "backoff_delays",
    "filesystem_for",
    "is_remote",
    "is_transient",
    "local_path",
    "open_binary",
    "parquet_file",
    "parquet_metadata",
    "redact",
    "retrying",
    "split_uri",
    "vanished",
]

T = TypeVar("T")

# Scheme → the file system that serves it. s3a/s3n are Hadoop's names for the same S3.
REMOTE_SCHEMES: dict[str, str] = {
    "s3": "s3",
    "s3a": "s3",
    "s3n": "s3",
    "gs": "gcs",
    "gcs": "gcs",
    "hdfs": "hdfs",
    "abfs": "abfs",
    "abfss": "abfs",
    "hf": "hf",
}

_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)
# Big enough that a ranged GET's latency is small beside its transfer, small enough that a
# retried block costs little.
REMOTE_BLOCK_BYTES = 8 * 1024 * 1024
_DEFAULT_RETRIES = 5
_BACKOFF_BASE_S = 0.5
_BACKOFF_CAP_S = 30.0
# Words in a client's error that mean retrying cannot help. Checked before the transient
# ones: "AWS Error ACCESS_DENIED ... 503" is still a denial.
_PERMANENT = re.compile(
    r"NOT_FOUND|NotFound|NoSuchKey|NoSuchBucket|does not exist|No such file|"
    r"ACCESS_DENIED|AccessDenied|"
    r"INVALID_ACCESS_KEY_ID|InvalidAccessKeyId|SIGNATURE_DOES_NOT_MATCH|SignatureDoesNotMatch|"
    r"Forbidden|Unauthorized|\b40[134]\b|PermissionDenied|permission denied|"
    r"InvalidToken|ExpiredToken|changed since",
    re.IGNORECASE,
)
_TRANSIENT = re.compile(
    r"SLOW_DOWN|SlowDown|THROTTL|Throttl|TooManyRequests|\b429\b|\b50[0234]\b|"
    r"INTERNAL_FAILURE|InternalError|SERVICE_UNAVAILABLE|ServiceUnavailable|"
    r"NETWORK_CONNECTION|REQUEST_TIMEOUT|RequestTimeout|timed? ?out|Timeout|"
    r"connection (reset|refused|aborted|closed)|Connection reset|Broken pipe|"
    r"curlCode|Failed to flush response stream|temporarily|Unavailable|UNAVAILABLE",
    re.IGNORECASE,
)


_TRANSIENT_TYPES = re.compile(r"Timeout|Connect|RemoteProtocol|ReadError|NetworkError")


class RemoteError(OSError):
    """A remote location cannot be used: unknown scheme, missing extra, bad URI."""


def split_uri(path: str) -> tuple[str, str] | None:
    """``(scheme, rest)`` of a URI, lower-cased scheme; ``None`` for a plain local path.

    Examples
    --------
    >>> split_uri("s3://bucket/a/b.jsonl"), split_uri("/data/x.jsonl")
    (('s3', 'bucket/a/b.jsonl'), None)
    >>> split_uri("HF://datasets/org/name")
    ('hf', 'datasets/org/name')
    """
    match = _URI.match(path)
    if match is None:
        return None
    return match.group(1).lower(), match.group(2)


def local_path(path: str) -> str:
    """A ``file://`` URI as the local path it names; other paths unchanged.

    Examples
    --------
    >>> local_path("file:///data/x.jsonl"), local_path("data/x.jsonl")
    ('/data/x.jsonl', 'data/x.jsonl')
    """
    parts = split_uri(path)
    if parts is not None and parts[0] == "file":
        rest = parts[1]
        # file://localhost/x and file:///x both name /x
        return rest[len("localhost") :] if rest.startswith("localhost/") else rest
    return path


def redact(uri: str) -> str:
    """A URI with any ``user:password@`` part hidden.

    Examples
    --------
    >>> redact("s3://AKIA:secret@bucket/k"), redact("s3://bucket/k")
    ('s3://***@bucket/k', 's3://bucket/k')
    """
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1***@", uri)


def is_remote(path: str) -> bool:
    """Whether ``path`` is a URI for a remote file system (anything but a local path or
    ``file://``).

    Examples
    --------
    >>> is_remote("s3a://b/k"), is_remote("file:///x"), is_remote("runs/x")
    (True, False, False)
    """
    parts = split_uri(path)
    return parts is not None and parts[0] != "file"


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def retry_attempts() -> int:
    """Attempts per remote call (``SINGLETONS_REMOTE_RETRIES``, default 5, at least 1)."""
    raw = os.environ.get("SINGLETONS_REMOTE_RETRIES", "")
    try:
        return max(1, int(raw)) if raw else _DEFAULT_RETRIES
    except ValueError:
        return _DEFAULT_RETRIES


def backoff_delays(
    attempts: int,
    *,
    base: float = _BACKOFF_BASE_S,
    cap: float = _BACKOFF_CAP_S,
    rng: random.Random | None = None,
) -> list[float]:
    """The waits before each retry: exponential, capped, with "full jitter".

    Full jitter (a uniform draw below the exponential step) spreads the retries of many
    workers throttled at once instead of having them return together.

    Examples
    --------
    >>> delays = backoff_delays(4, rng=random.Random(0))
    >>> len(delays), all(0 <= d <= c for d, c in zip(delays, [0.5, 1, 2, 4]))
    (3, True)
    >>> backoff_delays(1)
    []
    """
    rng = rng or random.Random()
    return [rng.uniform(0, min(cap, base * 2**k)) for k in range(attempts - 1)]


def is_transient(exc: BaseException) -> bool:
    """Whether a remote error may go away if the call is repeated (throttling, network).

    Not found, access denied and bad credentials are permanent; so is every error that is
    not an ``OSError`` (a bug, a bad argument).

    Examples
    --------
    >>> is_transient(OSError("AWS Error SLOW_DOWN during GetObject operation: Please reduce"))
    True
    >>> is_transient(OSError("AWS Error ACCESS_DENIED during HeadObject operation"))
    False
    >>> is_transient(FileNotFoundError("Path does not exist 'b/k'"))
    False
    >>> is_transient(OSError("ConnectError: [Errno 111] Connection refused"))
    True
    """
    if not isinstance(exc, OSError):
        # fsspec clients (the Hub's) raise their HTTP library's own types
        return bool(_TRANSIENT_TYPES.search(type(exc).__name__))
    if isinstance(exc, FileNotFoundError | PermissionError):
        return False
    if isinstance(exc, TimeoutError | ConnectionError):
        return True
    text = str(exc)
    if _PERMANENT.search(text):
        return False
    return bool(_TRANSIENT.search(text))


def gave_up(exc: BaseException) -> str:
    """What a reject's detail adds when ``exc`` was transient and still failed after every
    retry: the number of attempts, so "throttled for good" reads apart from a broken file
    (clients word the same HTTP 503 differently: ``SLOW_DOWN`` or ``SERVICE_UNAVAILABLE``).

    Examples
    --------
    >>> gave_up(OSError("AWS Error SLOW_DOWN during GetObject operation")).startswith(" (gave")
    True
    >>> gave_up(FileNotFoundError("Path does not exist 'b/k'"))
    ''
    """
    if not is_transient(exc):
        return ""
    return (
        f" (gave up after {retry_attempts()} attempts: the store kept failing with a "
        "transient error, throttling, network or 5xx; SINGLETONS_REMOTE_RETRIES sets the "
        "attempts)"
    )


_NOT_FOUND = re.compile(r"NOT_FOUND|NotFound|NoSuchKey|does not exist|No such file", re.I)


def vanished(exc: BaseException) -> bool:
    """Whether a remote error says the object is not there (any more).

    Examples
    --------
    >>> vanished(OSError("AWS Error RESOURCE_NOT_FOUND during GetObject operation:"))
    True
    >>> vanished(OSError("AWS Error ACCESS_DENIED during GetObject operation"))
    False
    """
    return isinstance(exc, FileNotFoundError) or bool(_NOT_FOUND.search(str(exc)))


def retrying(
    call: Callable[[], T],
    *,
    attempts: int | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> T:
    """``call()``, repeated after a backoff while it fails with a transient error.

    Errors of other types than ``OSError`` (an fsspec client's HTTP errors) come out as
    ``OSError`` naming their type, so that callers handle every remote failure alike.
    """
    delays = backoff_delays(attempts or retry_attempts())
    for delay in delays:
        try:
            return _as_oserror(call)
        except OSError as exc:
            if not is_transient(exc):
                raise
        sleep(delay)
    return _as_oserror(call)


def _as_oserror(call: Callable[[], T]) -> T:
    try:
        return call()
    except OSError:
        raise
    except Exception as exc:
        raise OSError(f"{type(exc).__name__}: {one_line(exc)}") from exc


def one_line(exc: BaseException, limit: int = 400) -> str:
    """An error's message on one line, cut at ``limit`` characters (clients' messages
    sometimes span several lines, or list every path they tried).

    Examples
    --------
    >>> one_line(OSError("a\\n  b")), one_line(OSError("x" * 10), limit=5)
    ('a b', 'xxxx…')
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- file systems --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Location:
    """Where a URI points: its file system and the path inside it.

    ``uri`` turns a path inside ``fs`` back into a URI: ``prefix`` + the path without its
    first ``drop`` characters (ABFS paths start with the container, which the URI holds in
    its authority: ``container/x`` ↔ ``abfs://container@host/x``).
    """

    fs: pafs.FileSystem
    path: str  # the path inside ``fs`` (``bucket/key`` for object stores)
    prefix: str
    drop: int = 0

    def uri(self, fs_path: str) -> str:
        return self.prefix + fs_path[self.drop :]


def resolve(uri: str) -> Location:
    """The file system serving ``uri`` and the path inside it.

    Raises
    ------
    RemoteError
        An unknown scheme, a malformed URI, or a scheme whose optional client is absent.
    """
    parts = split_uri(uri)
    if parts is None or parts[0] == "file":
        raise RemoteError(f"{uri}: not a remote URI")
    scheme, rest = parts
    kind = REMOTE_SCHEMES.get(scheme)
    if kind is None or kind == "hf":
        return _fsspec_location(uri, scheme)
    rest = rest.rstrip("/")
    if kind in ("s3", "gcs"):
        bucket = rest.split("/", 1)[0]
        if not bucket:
            raise RemoteError(f"{uri}: no bucket named")
        if "@" in bucket:
            # KEY:SECRET@bucket would land in logs, the manifest and the shell's history.
            raise RemoteError(
                f"{redact(uri)}: credentials in the URI are not accepted; set them in the "
                "environment or the store's config file"
            )
        return Location(filesystem_for(kind, bucket), rest, f"{scheme}://")
    if kind == "abfs":
        authority, _, path = rest.partition("/")
        container, at, host = authority.partition("@")
        if not at or not container or not host:
            raise RemoteError(
                f"{uri}: expected {scheme}://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH"
            )
        return Location(
            filesystem_for("abfs", host),
            f"{container}/{path}".rstrip("/"),
            f"{scheme}://{authority}/",
            drop=len(container) + 1,
        )
    if kind == "hdfs":
        authority, _, path = rest.partition("/")
        base = f"{scheme}://{authority}"
        return Location(filesystem_for("hdfs", base), "/" + path, base)
    raise RemoteError(f"{uri}: unknown file system kind {kind!r}")


def _fsspec_location(uri: str, scheme: str) -> Location:
    """``hf://`` (and any other protocol fsspec has, when the extra is installed) through
    pyarrow's bridge to fsspec, the path in the protocol's own form."""
    fs = filesystem_for("hf" if scheme == "hf" else f"fsspec:{scheme}", "")
    inner = fs.handler.fs  # the fsspec file system behind pyarrow's PyFileSystem
    return Location(fs, inner._strip_protocol(uri).rstrip("/"), f"{scheme}://")


# What a file system is built from, besides its URI: a change (a test, rotated credentials in
# the environment) makes a new client instead of reusing one built before.
_SETTINGS_ENV = (
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "SINGLETONS_S3_ANONYMOUS",
    "SINGLETONS_REMOTE_RETRIES",
    "STORAGE_EMULATOR_HOST",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "AZURE_STORAGE_ACCOUNT_KEY",
    "AZURE_STORAGE_SAS_TOKEN",
    "HF_TOKEN",
    "HF_ENDPOINT",
)


def filesystem_for(kind: str, authority: str) -> pafs.FileSystem:
    """One file system per kind, bucket (or host) and settings per process: clients are
    costly to make and safe to share, and a worker reads many units of the same bucket."""
    # The settings only key the cache (in this process's memory); they are never shown.
    return _filesystem(kind, authority, tuple(os.environ.get(n) for n in _SETTINGS_ENV))


@functools.lru_cache(maxsize=64)
def _filesystem(kind: str, authority: str, _settings: tuple[str | None, ...]) -> pafs.FileSystem:
    if kind == "s3":
        return _s3(authority)
    if kind == "gcs":
        return _gcs()
    if kind == "hdfs":
        try:
            fs, _ = pafs.FileSystem.from_uri(authority + "/")
        except Exception as exc:  # libhdfs or the JVM missing: pyarrow says which
            raise RemoteError(
                f"cannot connect to HDFS at {authority} (libhdfs needs a JVM and Hadoop's "
                f"CLASSPATH): {one_line(exc, limit=200)}"
            ) from exc
        return fs
    if kind == "abfs":
        account = authority.split(".", 1)[0]
        key = _env("AZURE_STORAGE_ACCOUNT_KEY")
        sas = _env("AZURE_STORAGE_SAS_TOKEN")
        return pafs.AzureFileSystem(account, account_key=key, sas_token=sas)
    if kind == "hf":
        return _hf()
    if kind.startswith("fsspec:"):
        return _fsspec(kind.removeprefix("fsspec:"))
    raise RemoteError(f"unknown file system kind {kind!r}")


def _s3(bucket: str) -> pafs.FileSystem:
    endpoint = _env("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
    region = _env("AWS_REGION", "AWS_DEFAULT_REGION")
    anonymous = os.environ.get("SINGLETONS_S3_ANONYMOUS", "").lower() in ("1", "true", "yes")
    if region is None and endpoint is None:
        # A bucket in another region answers with a redirect the client does not follow.
        try:
            region = pafs.resolve_s3_region(bucket)
        except Exception:  # offline, or a private bucket: let the SDK's default stand
            region = None
    return pafs.S3FileSystem(
        anonymous=anonymous,
        region=region,
        endpoint_override=endpoint,
        retry_strategy=pafs.AwsStandardS3RetryStrategy(max_attempts=retry_attempts()),
        connect_timeout=10,
        request_timeout=60,
        # Read-only use: never create or probe buckets.
        allow_bucket_creation=False,
        allow_bucket_deletion=False,
    )


def _gcs() -> pafs.FileSystem:
    emulator = _env("STORAGE_EMULATOR_HOST")
    kwargs: dict[str, Any] = {"retry_time_limit": dt.timedelta(seconds=60)}
    if emulator:
        scheme, _, host = emulator.rpartition("://")
        kwargs.update(endpoint_override=host, scheme=scheme or "http", anonymous=True)
    return pafs.GcsFileSystem(**kwargs)


def _hf() -> pafs.FileSystem:
    try:
        from huggingface_hub import HfFileSystem
    except ImportError as exc:
        raise RemoteError(
            "hf:// paths need the hf extra: pip install 'singleton-rate[hf]' "
            "(fsspec and huggingface_hub)"
        ) from exc
    return pafs.PyFileSystem(pafs.FSSpecHandler(HfFileSystem()))


def _fsspec(protocol: str) -> pafs.FileSystem:
    known = ", ".join(f"{s}://" for s in REMOTE_SCHEMES)
    unsupported = f"unsupported scheme {protocol}://; supported: {known}, file://"
    try:
        import fsspec
    except ImportError as exc:
        raise RemoteError(unsupported) from exc
    if protocol not in fsspec.available_protocols():
        raise RemoteError(unsupported)
    try:
        fs = fsspec.filesystem(protocol)
    except Exception as exc:  # the protocol's own package is missing, or it needs options
        raise RemoteError(f"{protocol}:// through fsspec: {one_line(exc)}") from exc
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs))


# --- reading in the workers ----------------------------------------------------------------


class _RetryingInput(io.RawIOBase):
    """A remote file as a raw byte stream: ranged reads that survive transient errors.

    Each read is ``read_at(offset, n)`` on a random-access handle, so a failed read is
    repeated (after a backoff, on a fresh handle) from the very byte it was to start at and
    the decompressor above sees one unbroken stream. An object that is gone, forbidden, or
    shorter than when it was opened raises ``OSError``: the reader records it as a reject.
    """

    def __init__(self, location: Location, expected_size: int | None = None) -> None:
        super().__init__()
        self._loc = location
        self._file = retrying(lambda: location.fs.open_input_file(location.path))
        self._size = self._file.size()
        self._pos = 0
        if expected_size is not None and self._size != expected_size:
            self._file.close()
            # Read anyway and the run's input fingerprint (sizes, mtimes) would describe
            # other data than it counted.
            raise OSError(
                f"object is {self._size} bytes, {expected_size} when the run listed it: "
                "changed since"
            )

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self._size - self._pos, REMOTE_BLOCK_BYTES)
        if want <= 0:
            return 0
        data = self._read_at(want)
        if not data:
            raise OSError(
                f"{self._loc.uri(self._loc.path)}: object ended at byte {self._pos} of "
                f"{self._size}: changed since it was opened"
            )
        n = len(data)
        buffer[:n] = data
        self._pos += n
        return n

    def _read_at(self, n: int) -> bytes:
        def attempt() -> bytes:
            try:
                return self._file.read_at(n, self._pos)
            except Exception as exc:
                if is_transient(exc):  # the next attempt starts from a fresh handle
                    self._reopen()
                raise

        return retrying(attempt)

    def _reopen(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()
        try:
            self._file = _as_oserror(lambda: self._loc.fs.open_input_file(self._loc.path))
        except OSError as exc:
            # Gone or forbidden now: say so rather than repeat the read's transient words.
            if not is_transient(exc):
                raise
            raise OSError(f"reopening after a failed read: {one_line(exc)}") from exc

    def close(self) -> None:
        try:
            self._file.close()
        finally:
            super().close()


def open_binary(path: str, expected_size: int | None = None) -> BinaryIO:
    """A buffered binary stream over a local path or remote URI, for sequential reading.

    Remote streams read :data:`REMOTE_BLOCK_BYTES` at a time and retry transient errors;
    given ``expected_size`` (the size discovery listed), a remote object of another size
    raises. Raises ``OSError`` when the file cannot be opened.
    """
    if not is_remote(path):
        return open(local_path(path), "rb")
    location = resolve(path)
    raw = _RetryingInput(location, expected_size)
    return io.BufferedReader(raw, buffer_size=REMOTE_BLOCK_BYTES)


def parquet_file(path: str) -> pq.ParquetFile:
    """A Parquet file at a local path or remote URI (remote: reads coalesced, retried open)."""
    if not is_remote(path):
        return pq.ParquetFile(local_path(path))
    location = resolve(path)
    # pre_buffer coalesces a row group's column chunks into few large ranged reads.
    return retrying(lambda: pq.ParquetFile(location.path, filesystem=location.fs, pre_buffer=True))


def parquet_metadata(path: str) -> pq.FileMetaData:
    """A Parquet file's footer at a local path or remote URI."""
    if not is_remote(path):
        return pq.read_metadata(local_path(path))
    location = resolve(path)
    return retrying(lambda: pq.read_metadata(location.path, filesystem=location.fs))
