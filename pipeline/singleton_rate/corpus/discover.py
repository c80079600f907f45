"""Find corpus files on the driver and split them into work units for the workers.

The driver calls :func:`discover` on the user's paths and :func:`plan_units` on the result;
each :class:`WorkUnit` is small and picklable, so Spark can ship it to a worker, which reads
it with :func:`singleton_rate.corpus.readers.read_unit`.
"""

from __future__ import annotations

import glob
import logging
import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal, TypeVar

import pyarrow.fs as pafs

from singleton_rate.corpus import remote

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Compression",
    "Format",
    "InputError",
    "InputFile",
    "WorkUnit",
    "discover",
    "plan_units",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")
Format = Literal["jsonl", "parquet", "txt"]
Compression = Literal["none", "gzip", "zstd"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".jsonl",
    ".json",
    ".ndjson",
    ".jsonl.gz",
    ".json.gz",
    ".ndjson.gz",
    ".jsonl.zst",
    ".json.zst",
    ".ndjson.zst",
    ".parquet",
    ".txt",
)
"""Every file-name ending :func:`discover` accepts (matched case-insensitively)."""

_JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
_GLOB_MAGIC = frozenset("*?[")
_FOOTER_THREADS = 16


class InputError(ValueError):
    """The input paths do not name a usable set of corpus files."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One corpus file found by :func:`discover`.

    ``name`` is the file's path relative to the input root it was found under, with ``/``
    separators; it is what document ids and reject locations are built from, so it is
    unique within one :func:`discover` result. ``path`` is a local path or, for a remote
    file, its URI (``s3://bucket/key``), which the workers open themselves.
    """

    path: str
    name: str
    format: Format
    compression: Compression
    size: int
    mtime: float


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """The piece of one file that a single worker task reads.

    ``part`` is the Parquet row group to read (always 0 for other formats) and ``n_parts``
    the number of units the file was split into (at least 1).
    """

    file: InputFile
    part: int
    n_parts: int


def classify(filename: str) -> tuple[Format, Compression] | None:
    """Return the format and compression implied by a file name, or None if unsupported.

    Parameters
    ----------
    filename
        A file name or path; only its ending is looked at, case-insensitively.

    Returns
    -------
    tuple of (format, compression) or None
        ``None`` when the name ends in none of :data:`SUPPORTED_SUFFIXES`.
    """
    lower = filename.lower()
    compression: Compression = "none"
    if lower.endswith(".gz"):
        compression, lower = "gzip", lower[: -len(".gz")]
    elif lower.endswith(".zst"):
        compression, lower = "zstd", lower[: -len(".zst")]
    if lower.endswith(_JSONL_SUFFIXES):
        return "jsonl", compression
    if compression != "none":
        # Compressed Parquet/txt files are not something our readers can open.
        return None
    if lower.endswith(".parquet"):
        return "parquet", "none"
    if lower.endswith(".txt"):
        return "txt", "none"
    return None


def discover(paths: Sequence[str]) -> list[InputFile]:
    """List the corpus files named by files, folders and globs.

    A folder is searched recursively; files and folders whose names start with ``.`` or
    ``_`` (hidden files, Spark's ``_SUCCESS`` and ``_temporary``) are skipped, and so are
    files with an unsupported suffix (logged as a warning). Glob matches are filtered the
    same way, and a folder matched by a glob is searched like a folder. Symlinked folders
    are followed once. Remote URIs (``s3://``, ``s3a://``, ``gs://``, ``hdfs://``,
    ``abfs://``, ``hf://``; :mod:`singleton_rate.corpus.remote`) are listed the same way,
    a "folder" being a key prefix; ``file://`` names a local path.

    Parameters
    ----------
    paths
        Files, folders or glob patterns (``*``, ``?``, ``[...]``, recursive ``**``), local or
        remote. A single string is taken as one path. A path that exists is never treated as
        a glob.

    Returns
    -------
    list of InputFile
        Sorted by ``(name, path)``. A file reached twice (two overlapping roots, or via a
        symlink) appears once, under the entry that sorts first.

    Raises
    ------
    InputError
        If no path is given; a path does not exist and matches nothing; a folder or glob
        holds no supported file; a file given directly has an unsupported suffix; a folder
        cannot be listed; or two different files end up with the same ``name`` (their ids
        and reject locations would be ambiguous).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [os.fspath(paths)]
    if not paths:
        raise InputError("no input paths given")

    found: list[InputFile] = []
    for raw in paths:
        found.extend(_discover_one(os.fspath(raw)))

    found.sort(key=lambda f: (f.name, f.path))
    unique: list[InputFile] = []
    seen_real: set[str] = set()
    by_name: dict[str, InputFile] = {}
    for f in found:
        real = f.path if remote.is_remote(f.path) else os.path.realpath(f.path)
        if real in seen_real:
            continue
        seen_real.add(real)
        other = by_name.get(f.name)
        if other is not None:
            raise InputError(
                f"two input files share the name {f.name!r}: {other.path} and {f.path}; "
                "pass a common parent folder instead so their names differ"
            )
        by_name[f.name] = f
        unique.append(f)
    return unique


def plan_units(files: Iterable[InputFile]) -> list[WorkUnit]:
    """Split files into work units: one per Parquet row group, one per other file.

    Reads each Parquet file's footer (metadata only). A Parquet file whose metadata cannot
    be read, or that has no row groups, still gets one unit, so that the worker reading it
    reports the problem (or checks the schema) instead of the file vanishing.

    Parameters
    ----------
    files
        Files from :func:`discover`.

    Returns
    -------
    list of WorkUnit
        In the order of ``files``, and by row group within a file.
    """
    files = list(files)
    parquet = [f.path for f in files if f.format == "parquet"]
    if any(remote.is_remote(p) for p in parquet):
        # A remote footer costs a round trip or two: thousands of shards in turn would take
        # minutes on the driver, so read them side by side.
        with ThreadPoolExecutor(max_workers=_FOOTER_THREADS) as pool:
            groups = dict(zip(parquet, pool.map(_parquet_row_groups, parquet), strict=True))
    else:
        groups = {p: _parquet_row_groups(p) for p in parquet}
    units: list[WorkUnit] = []
    for f in files:
        n_parts = groups[f.path] if f.format == "parquet" else 1
        units.extend(WorkUnit(file=f, part=i, n_parts=n_parts) for i in range(n_parts))
    return units


def _parquet_row_groups(path: str) -> int:
    try:
        n = remote.parquet_metadata(path).num_row_groups
    except Exception:  # pyarrow raises several unrelated types; the worker reports which
        return 1
    return max(n, 1)


def _discover_one(raw: str) -> list[InputFile]:
    if remote.is_remote(raw):
        return _discover_remote(raw)
    path = os.path.abspath(os.path.expanduser(remote.local_path(raw)))
    if os.path.isfile(path):
        name = os.path.basename(path)
        kind = classify(name)
        if kind is None:
            raise InputError(
                f"{raw}: unsupported file type; expected one of {', '.join(SUPPORTED_SUFFIXES)}"
            )
        return [_input_file(path, name, kind)]
    if os.path.isdir(path):
        files, skipped = _walk(path, root=path)
        _log_skipped(raw, skipped)
        if not files:
            raise InputError(f"{raw}: folder holds no supported file")
        return files
    if os.path.lexists(path):
        raise InputError(f"{raw}: not a regular file or folder (or a broken symlink)")
    if not any(c in _GLOB_MAGIC for c in raw):
        raise InputError(f"{raw}: does not exist")

    matches = sorted(glob.glob(path, recursive=True))
    if not matches:
        raise InputError(f"{raw}: does not exist and matches nothing")
    root = _glob_root(path)
    files = []
    skipped = []
    for match in matches:
        if os.path.isdir(match):
            sub_files, sub_skipped = _walk(match, root=root)
            files.extend(sub_files)
            skipped.extend(sub_skipped)
        elif os.path.isfile(match):
            name = _relative(match, root)
            if any(_is_hidden(part) for part in name.split("/")):
                # `**` descends into _temporary/ and the like; keep the folder rules.
                continue
            kind = classify(match)
            if kind is None:
                skipped.append(match)
            else:
                files.append(_input_file(match, name, kind))
    _log_skipped(raw, skipped)
    if not files:
        raise InputError(f"{raw}: glob matches no supported file")
    return files


def _walk(top: str, root: str) -> tuple[list[InputFile], list[str]]:
    files: list[InputFile] = []
    skipped: list[str] = []
    visited: set[str] = set()

    def fail(err: OSError) -> None:
        # os.walk would otherwise skip an unlistable folder and lose its files unnoticed.
        raise InputError(f"{err.filename}: cannot list folder: {err.strerror or err}") from err

    for dirpath, dirnames, filenames in os.walk(top, onerror=fail, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited:  # a symlink loop, or a second link to the same folder
            dirnames.clear()
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        for filename in sorted(filenames):
            if _is_hidden(filename):
                continue
            full = os.path.join(dirpath, filename)
            kind = classify(filename)
            if kind is None or not os.path.isfile(full):
                skipped.append(full)
                continue
            files.append(_input_file(full, _relative(full, root), kind))
    return files, skipped


def _input_file(path: str, name: str, kind: tuple[Format, Compression]) -> InputFile:
    try:
        st = os.stat(path)
    except OSError as err:
        raise InputError(f"{path}: cannot stat: {err.strerror or err}") from err
    return InputFile(
        path=path,
        name=name,
        format=kind[0],
        compression=kind[1],
        size=st.st_size,
        mtime=st.st_mtime,
    )


def _is_hidden(filename: str) -> bool:
    return filename.startswith((".", "_"))


def _relative(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def _glob_root(pattern: str) -> str:
    """Return the folder made of the pattern's leading components that contain no magic."""
    parts = pattern.split(os.sep)
    fixed: list[str] = []
    for part in parts[:-1]:  # the last component is a file pattern even if it has no magic
        if any(c in _GLOB_MAGIC for c in part):
            break
        fixed.append(part)
    return os.sep.join(fixed) or os.sep


def _log_skipped(raw: str, skipped: list[str]) -> None:
    if skipped:
        examples = ", ".join(os.path.basename(p) for p in skipped[:3])
        logger.warning(
            "%s: skipped %d file(s) with an unsupported suffix (e.g. %s)",
            raw,
            len(skipped),
            examples,
        )


# --- remote --------------------------------------------------------------------------------


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regex matching ``/``-separated paths the way :func:`glob.glob` would.

    ``*`` and ``?`` stay within one path component, ``[...]`` is a character class (``[!…]``
    negated), and a ``**`` component matches any number of components, none included.

    Examples
    --------
    >>> r = glob_regex("b/data/**/shard-*.jsonl.gz")
    >>> [bool(r.fullmatch(p)) for p in
    ...  ["b/data/shard-1.jsonl.gz", "b/data/x/y/shard-2.jsonl.gz", "b/data/x/shard.jsonl"]]
    [True, True, False]
    >>> bool(glob_regex("b/*.parquet").fullmatch("b/x/y.parquet"))
    False
    """
    out: list[str] = []
    parts = pattern.split("/")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]*/)*")
            continue
        j = 0
        while j < len(part):
            c = part[j]
            if c == "*":
                out.append("[^/]*")
            elif c == "?":
                out.append("[^/]")
            elif c == "[" and (end := part.find("]", j + 2)) != -1:
                body = part[j + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                j = end
            else:
                out.append(re.escape(c))
            j += 1
        if not last:
            out.append("/")
    return re.compile("".join(out))


def _discover_remote(raw: str) -> list[InputFile]:
    try:
        location = remote.resolve(raw)
    except OSError as exc:  # unknown scheme, missing extra, HDFS client absent
        message = remote.one_line(exc)
        shown = remote.redact(raw)
        if not message.startswith(shown):
            message = f"{shown}: {message}"
        raise InputError(message) from exc
    if any(c in _GLOB_MAGIC for c in location.path):
        return _remote_glob(raw, location)
    info = _remote_call(raw, "cannot access", lambda: location.fs.get_file_info(location.path))
    if info.type == pafs.FileType.File:
        name = location.path.rsplit("/", 1)[-1]
        kind = classify(name)
        if kind is None:
            raise InputError(
                f"{raw}: unsupported file type; expected one of {', '.join(SUPPORTED_SUFFIXES)}"
            )
        return [_remote_file(location, info, name, kind)]
    if info.type == pafs.FileType.Directory:
        files, skipped = _remote_walk(raw, location, location.path)
        _log_skipped(raw, skipped)
        if not files:
            raise InputError(f"{raw}: folder holds no supported file")
        return files
    raise InputError(f"{raw}: does not exist")


def _remote_glob(raw: str, location: remote.Location) -> list[InputFile]:
    parts = location.path.split("/")
    fixed: list[str] = []
    for part in parts[:-1]:
        if any(c in _GLOB_MAGIC for c in part):
            break
        fixed.append(part)
    if not fixed:
        raise InputError(f"{raw}: a glob cannot match bucket or container names")
    root = "/".join(fixed)
    pattern = glob_regex(location.path)
    infos = _remote_list(raw, location, root)
    files: list[InputFile] = []
    skipped: list[str] = []
    for info in infos:
        if info.type != pafs.FileType.File:
            continue
        name = info.path[len(root) + 1 :]
        # A file matches itself, or lies in a folder that matches (as glob.glob + _walk).
        pieces = info.path.split("/")
        if not any(
            pattern.fullmatch("/".join(pieces[:k])) for k in range(len(fixed) + 1, len(pieces) + 1)
        ):
            continue
        if any(_is_hidden(p) for p in name.split("/")):
            continue
        kind = classify(info.base_name)
        if kind is None:
            skipped.append(info.path)
        else:
            files.append(_remote_file(location, info, name, kind))
    if not files and not skipped and not infos:
        raise InputError(f"{raw}: does not exist and matches nothing")
    _log_skipped(raw, skipped)
    if not files:
        raise InputError(f"{raw}: glob matches no supported file")
    return files


def _remote_walk(
    raw: str, location: remote.Location, top: str
) -> tuple[list[InputFile], list[str]]:
    files: list[InputFile] = []
    skipped: list[str] = []
    for info in _remote_list(raw, location, top):
        if info.type != pafs.FileType.File:
            continue
        name = info.path[len(top) + 1 :]
        if any(_is_hidden(p) for p in name.split("/")):
            continue
        kind = classify(info.base_name)
        if kind is None:
            skipped.append(info.path)
        else:
            files.append(_remote_file(location, info, name, kind))
    return files, skipped


def _remote_list(raw: str, location: remote.Location, top: str) -> list[pafs.FileInfo]:
    selector = pafs.FileSelector(top, recursive=True, allow_not_found=True)
    infos = _remote_call(raw, "cannot list", lambda: location.fs.get_file_info(selector))
    return sorted(infos, key=lambda i: i.path)


def _remote_call(raw: str, what: str, call: Callable[[], T]) -> T:
    """A listing call, retried while transient; any failure becomes a one-line InputError."""
    try:
        return remote.retrying(call)
    except OSError as exc:
        message = f"{raw}: {what}: {remote.one_line(exc)}"
        if re.search(r"ACCESS_DENIED|INVALID_ACCESS_KEY|SIGNATURE|Forbidden|403", str(exc)):
            message += " (check the credentials this machine uses for the store)"
        raise InputError(message) from exc


def _remote_file(
    location: remote.Location,
    info: pafs.FileInfo,
    name: str,
    kind: tuple[Format, Compression],
) -> InputFile:
    mtime = info.mtime.timestamp() if info.mtime is not None else 0.0
    return InputFile(
        path=location.uri(info.path),
        name=name,
        format=kind[0],
        compression=kind[1],
        size=int(info.size or 0),
        mtime=mtime,
    )
