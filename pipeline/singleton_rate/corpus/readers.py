"""Read one work unit into :class:`Document` and :class:`Reject` records.

These run inside Spark workers, so they are plain Python generators over one file (or one
Parquet row group), stream their input, and never raise for bad data: every record that is
not a document comes out as a :class:`Reject` whose ``reason`` is a
:class:`~singleton_rate.corpus.document.RejectReason` value.

Locations: ``name:line`` (1-based) for a JSONL line, ``name:row`` (0-based, counted over the
whole file) for a Parquet row, ``name#rg<part>`` for a whole Parquet row group, and ``name``
for a whole file.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.compute as pc
import zstandard

from singleton_rate.corpus import remote
from singleton_rate.corpus.discover import InputFile, WorkUnit
from singleton_rate.corpus.document import Document, Reject, RejectReason

__all__ = [
    "FieldNames",
    "field_paths",
    "field_value",
    "read_unit",
    "resolve_column",
    "split_source",
    "url_domain",
]

Record = Document | Reject
# Where a field lives in a Parquet file: its top-level column and the struct children below.
Where = tuple[str, tuple[str, ...]]

_READ_CHUNK = 1 << 20
_ZSTD_INPUT_CHUNK = 1 << 16
_PARQUET_BATCH_ROWS = 512
# Real text has the odd stray NUL (removed); text that is more than this fraction NUL is
# binary or mis-decoded UTF-16 and would only produce garbage facts.
_NUL_REJECT_FRACTION = 0.01
_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_KEYS_IN_DETAIL = 10


@dataclass(frozen=True, slots=True)
class FieldNames:
    """Which fields (JSONL keys, Parquet columns) hold a document's parts.

    ``source`` is read only when set; ``id`` and ``title`` are optional in the data. A
    ``source`` ending in ``:domain`` (``url:domain``, ``meta.url:domain``) names a field that
    holds a URL and stratifies by its web domain (:func:`url_domain`); ``source_path`` is the
    field to read.
    """

    text: str = "text"
    id: str = "id"
    title: str = "title"
    source: str | None = None

    def __post_init__(self) -> None:
        for attr in ("text", "id", "title"):
            if not getattr(self, attr):
                raise ValueError(f"FieldNames.{attr} must be a non-empty field name")
        if self.source == "" or self.source_path == "":
            raise ValueError("FieldNames.source must be None or a non-empty field name")

    @property
    def source_path(self) -> str | None:
        """The field that ``source`` reads (``url`` for ``url:domain``)."""
        return None if self.source is None else split_source(self.source)[0]

    def derive_source(self, value: str | None) -> str | None:
        """The source of a document from the value of its ``source_path`` field."""
        if value is None or self.source is None:
            return value
        derive = split_source(self.source)[1]
        return value if derive is None else SOURCE_DERIVATIONS[derive](value)


def url_domain(url: str) -> str | None:
    """The web domain of a URL: its host, lower-cased, without port, userinfo or ``www.``.

    ``None`` when there is no host. A URL without a scheme is read as starting with its host.
    The host is kept whole (``en.wikipedia.org``): the registrable domain would need the
    public-suffix list, which a run must not download.

    Examples
    --------
    >>> url_domain("https://WWW.Example.com:8080/a?b=1"), url_domain("en.wikipedia.org/wiki/X")
    ('example.com', 'en.wikipedia.org')
    >>> url_domain("not a url"), url_domain("")
    (None, None)
    """
    text = url.strip()
    if not text:
        return None
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if not host or any(c.isspace() for c in host):
        return None
    host = host.rstrip(".")
    return host.removeprefix("www.") or None


SOURCE_DERIVATIONS: dict[str, Callable[[str], str | None]] = {"domain": url_domain}
"""``--source-field FIELD:NAME`` derivations: what the source is made from the field's value."""


def split_source(spec: str) -> tuple[str, str | None]:
    """``(field, derivation)`` of a ``--source-field`` value.

    Examples
    --------
    >>> split_source("url:domain"), split_source("meta.pile_set_name"), split_source("a:b")
    (('url', 'domain'), ('meta.pile_set_name', None), ('a:b', None))
    """
    head, sep, tail = spec.rpartition(":")
    if sep and tail in SOURCE_DERIVATIONS:
        return head, tail
    return spec, None


def field_value(obj: dict[str, object], path: str) -> tuple[bool, object]:
    """Look up a field of a JSON object by name or dotted path: ``(found, value)``.

    A key equal to ``path`` wins (some dumps use dotted keys); else each dot descends into
    a nested object (``meta.pile_set_name``). An intermediate value that is not an object
    means not found.

    Examples
    --------
    >>> doc = {"text": "x", "meta": {"pile_set_name": "Wikipedia"}, "a.b": 1}
    >>> field_value(doc, "meta.pile_set_name"), field_value(doc, "a.b")
    ((True, 'Wikipedia'), (True, 1))
    >>> field_value(doc, "meta.url"), field_value(doc, "text.x")
    ((False, None), (False, None))
    """
    if path in obj:
        return True, obj[path]
    if "." not in path:
        return False, None
    node: object = obj
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def field_paths(obj: dict[str, object], *, depth: int = 3) -> list[str]:
    """The fields of a JSON object as dotted paths, nested objects expanded to ``depth``.

    What an error lists so that the right ``--text-field`` or ``--source-field`` can be
    picked from it.

    Examples
    --------
    >>> field_paths({"id": 1, "meta": {"pile_set_name": "Pile-CC", "x": {}}, "raw": "t"})
    ['id', 'meta.pile_set_name', 'meta.x', 'raw']
    """
    paths: list[str] = []
    for key, value in obj.items():
        if isinstance(value, dict) and value and depth > 1:
            paths.extend(f"{key}.{sub}" for sub in field_paths(value, depth=depth - 1))
        else:
            paths.append(str(key))
    return paths


def resolve_column(schema: pa.Schema, path: str) -> Where | None:
    """Where a field lives in a Parquet schema: ``(top-level column, struct children)``.

    A column named ``path`` exactly (once) wins; else ``a.b.c`` is column ``a``, a struct,
    its child ``b``, a struct, its child ``c``. ``None`` when there is no such field (or the
    top-level name is duplicated: ambiguous).

    Examples
    --------
    >>> schema = pa.schema([("text", pa.string()),
    ...     ("meta", pa.struct([("pile_set_name", pa.string())]))])
    >>> resolve_column(schema, "meta.pile_set_name"), resolve_column(schema, "text")
    (('meta', ('pile_set_name',)), ('text', ()))
    >>> resolve_column(schema, "meta.url") is None, resolve_column(schema, "text.x") is None
    (True, True)
    """
    if schema.names.count(path) == 1:
        return path, ()
    head, *rest = path.split(".")
    if not rest or schema.names.count(head) != 1:
        return None
    dtype = schema.field(head).type
    for part in rest:
        if not pa.types.is_struct(dtype) or dtype.get_field_index(part) < 0:
            return None
        dtype = dtype.field(part).type
    return head, tuple(rest)


def column_type(schema: pa.Schema, where: Where) -> pa.DataType:
    """The type of a field found by :func:`resolve_column`."""
    dtype = schema.field(where[0]).type
    for part in where[1]:
        dtype = dtype.field(part).type
    return dtype


def schema_paths(schema: pa.Schema, *, depth: int = 3) -> list[str]:
    """A Parquet schema's fields as dotted paths, structs expanded to ``depth``.

    Examples
    --------
    >>> schema_paths(pa.schema([("id", pa.int64()),
    ...     ("meta", pa.struct([("source", pa.string())]))]))
    ['id', 'meta.source']
    """

    def walk(name: str, dtype: pa.DataType, left: int) -> list[str]:
        if pa.types.is_struct(dtype) and dtype.num_fields and left > 1:
            return [
                p
                for i in range(dtype.num_fields)
                for p in walk(f"{name}.{dtype.field(i).name}", dtype.field(i).type, left - 1)
            ]
        return [name]

    return [p for f in schema for p in walk(f.name, f.type, depth)]


def _shown(names: list[str]) -> str:
    shown = ", ".join(repr(k) for k in names[:_MAX_KEYS_IN_DETAIL])
    if len(names) > _MAX_KEYS_IN_DETAIL:
        shown += f", … ({len(names)} in all)"
    return shown or "none"


def read_unit(unit: WorkUnit, fields: FieldNames, limit: int | None = None) -> Iterator[Record]:
    """Read one work unit, yielding a Document or a Reject for every record in it.

    Parameters
    ----------
    unit
        What to read, from :func:`~singleton_rate.corpus.discover.plan_units`.
    fields
        Which fields hold the text, id, title and source.
    limit
        Stop once this many Documents have been yielded; Rejects met on the way are yielded
        too but do not count. ``None`` reads everything; ``0`` reads nothing.

    Returns
    -------
    Iterator of Document or Reject
        Lazily, in file order. Closing it early closes the file.

    Raises
    ------
    ValueError
        If ``limit`` is negative or the unit's format is unknown (raised at call time).
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be None or >= 0, got {limit}")
    reader = _READERS.get(unit.file.format)
    if reader is None:
        raise ValueError(f"unknown format {unit.file.format!r} for {unit.file.name}")
    if limit is None:
        return reader(unit, fields)
    return _limited(reader(unit, fields), limit)


def _limited(records: Iterator[Record], limit: int) -> Iterator[Record]:
    if limit == 0:
        return
    docs = 0
    # closing() so that stopping early releases the file now, not at garbage collection.
    with closing(records):
        for record in records:
            yield record
            if isinstance(record, Document):
                docs += 1
                if docs >= limit:
                    return


def _reject(location: str, reason: RejectReason, detail: str) -> Reject:
    return Reject(location=location, reason=reason.value, detail=detail)


# ---------------------------------------------------------------------------------------
# Field checks shared by all formats


def _type_name(value: object) -> str:
    """Name a value's type in JSON terms where there is one, else by its Python type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _check_text(value: object, what: str, location: str) -> str | Reject:
    """Return the usable text, or the Reject saying why there is none.

    ``value`` is None for a null; a missing field is the caller's to report.
    """
    if value is None:
        return _reject(location, RejectReason.MISSING_TEXT, f"{what} is null")
    if not isinstance(value, str):
        return _reject(
            location, RejectReason.WRONG_TYPE, f"{what} is {_type_name(value)}, expected string"
        )
    nuls = value.count("\x00")
    if nuls:
        if nuls > _NUL_REJECT_FRACTION * len(value):
            return _reject(
                location,
                RejectReason.NUL_BYTES,
                f"{what} has {nuls} NUL characters in {len(value)} "
                f"({nuls / len(value):.1%}); looks like binary data",
            )
        value = value.replace("\x00", "")
    if not value.strip():
        emptiness = "empty" if not value else "only whitespace"
        if nuls:
            emptiness += " once NULs are removed"
        return _reject(location, RejectReason.EMPTY_TEXT, f"{what} is {emptiness}")
    return value


def _check_id(value: object, field: str, location: str, fallback: str) -> str | Reject:
    # bool is an int subclass, but `true` is no id anyone meant; float ids lose digits.
    if value is None:
        return fallback
    if isinstance(value, str):
        return value if value.strip() else fallback
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _reject(
        location,
        RejectReason.WRONG_TYPE,
        f"field {field!r} (id) is {_type_name(value)}, expected string or integer",
    )


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    # Metadata is not worth a reject; a lone surrogate would only break UTF-8 encoding later.
    return _SURROGATE.sub("\ufffd", text)


def _build(
    text: str,
    raw_id: object,
    raw_title: object,
    raw_source: object,
    fields: FieldNames,
    location: str,
) -> Record:
    """Finish a Document whose text passed; ``location`` doubles as the fallback id."""
    doc_id = _check_id(raw_id, fields.id, location, location)
    if isinstance(doc_id, Reject):
        return doc_id
    return Document(
        doc_id=_optional_str(doc_id) or location,
        text=text,
        title=_optional_str(raw_title),
        source=fields.derive_source(_optional_str(raw_source)),
        location=location,
    )


# ---------------------------------------------------------------------------------------
# JSONL


# Errors that mean the compressed stream broke; plain OSError (I/O) is handled separately.
_STREAM_ERRORS: tuple[type[BaseException], ...] = (
    EOFError,
    zlib.error,
    gzip.BadGzipFile,
    zstandard.ZstdError,
)


class _ZstdStream:
    """Decompress concatenated zstd frames, raising EOFError if the data stops mid-frame.

    ``zstandard``'s own stream reader reports a truncated frame as a clean end of file,
    which would silently drop the rest of the shard.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._frame: zstandard.ZstdDecompressionObj | None = None
        self._pending = b""

    def read(self, size: int) -> bytes:
        while True:
            # Bounded input per call bounds the output too (zstd can expand 1000-fold).
            data = self._pending or self._raw.read(min(size, _ZSTD_INPUT_CHUNK))
            self._pending = b""
            if not data:
                if self._frame is not None:
                    raise EOFError("zstd data ended in the middle of a frame")
                return b""
            if self._frame is None:
                self._frame = self._dctx.decompressobj()
            out = self._frame.decompress(data)
            if self._frame.eof:
                self._pending = self._frame.unused_data
                self._frame = None
            if out:
                return out


class _LineSplitter:
    """Split a binary stream on ``\\n`` in bounded chunks, remembering any unfinished line."""

    def __init__(self, read: Callable[[int], bytes]) -> None:
        # `read` must return what it has as soon as it has something: a buffered read(n)
        # that fails while filling n bytes loses the lines it had already decompressed.
        self._read = read
        self.partial_bytes = 0
        self.bytes_read = 0

    def __iter__(self) -> Iterator[bytes]:
        parts: list[bytes] = []
        while chunk := self._read(_READ_CHUNK):
            self.bytes_read += len(chunk)
            start = 0
            while (newline := chunk.find(b"\n", start)) != -1:
                if parts:
                    parts.append(chunk[start:newline])
                    yield b"".join(parts)
                    parts.clear()
                else:
                    yield chunk[start:newline]
                start = newline + 1
            if start < len(chunk):
                parts.append(chunk[start:])
            self.partial_bytes = sum(map(len, parts))  # few pieces: chunks are 1 MiB
        if parts:
            self.partial_bytes = 0
            yield b"".join(parts)


def _read_jsonl(unit: WorkUnit, fields: FieldNames) -> Iterator[Record]:
    name = unit.file.name
    compression = unit.file.compression
    try:
        raw: BinaryIO = remote.open_binary(unit.file.path, unit.file.size)
    except OSError as exc:
        yield _reject(name, RejectReason.UNREADABLE_FILE, _open_detail(unit.file, exc))
        return
    with raw:
        read = _decompressed(raw, compression)
        lines = _LineSplitter(read)
        line_no = 0
        try:
            for line in lines:
                line_no += 1
                if not line.strip():
                    continue
                yield _parse_line(line, line_no == 1, fields, f"{name}:{line_no}")
        except _STREAM_ERRORS as exc:
            if lines.bytes_read == 0 and not isinstance(exc, EOFError):
                # Nothing decoded at all: not a damaged stream but not this format.
                yield _reject(
                    name, RejectReason.UNREADABLE_FILE, f"not readable as {compression}: {exc}"
                )
            else:
                yield _reject(
                    f"{name}:{line_no + 1}",
                    RejectReason.TRUNCATED_FILE,
                    _truncation_detail(compression, line_no, lines.partial_bytes, exc),
                )
        except OSError as exc:
            yield _reject(
                name,
                RejectReason.UNREADABLE_FILE,
                f"read failed after line {line_no}: {remote.one_line(exc)}"
                + remote.gave_up(exc)
                + _VANISHED * (remote.is_remote(unit.file.path) and remote.vanished(exc)),
            )


def _decompressed(raw: BinaryIO, compression: str) -> Callable[[int], bytes]:
    """The ``read`` of ``raw``'s decompressed bytes; returns what it has as soon as it has it."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb").read1
    if compression == "zstd":
        return _ZstdStream(raw).read
    # read1: one underlying read at most, so a remote read that fails loses no earlier bytes
    return getattr(raw, "read1", raw.read)


_VANISHED = " (deleted or renamed since the run listed it)"


def _open_detail(file: InputFile, exc: BaseException) -> str:
    detail = f"cannot open: {remote.one_line(exc)}" + remote.gave_up(exc)
    if remote.is_remote(file.path) and remote.vanished(exc):
        detail += _VANISHED
    return detail


def head_objects(file: InputFile, n: int) -> list[dict[str, object]]:
    """The JSON objects among the first lines of a JSONL file, at most ``n``, for a preflight.

    Lines that are blank, not UTF-8, not JSON or not an object are passed over (the full
    read rejects them with their reasons); a file that cannot be opened, or whose stream
    breaks, gives what was read before. At most ``4·n`` lines are looked at.
    """
    objects: list[dict[str, object]] = []
    try:
        with remote.open_binary(file.path) as raw:
            read = _decompressed(raw, file.compression)
            for line_no, line in enumerate(_LineSplitter(read)):
                if len(objects) >= n or line_no >= 4 * n:
                    break
                try:
                    obj = json.loads(line.decode("utf-8").removeprefix(_BOM), strict=False)
                except (ValueError, RecursionError):
                    continue
                if isinstance(obj, dict):
                    objects.append(obj)
    except (*_STREAM_ERRORS, OSError):
        pass
    return objects


def _truncation_detail(compression: str, line_no: int, partial: int, exc: BaseException) -> str:
    detail = f"{compression} stream broke off after line {line_no}: {exc}"
    if partial:
        detail += f"; the {partial} bytes of unfinished line {line_no + 1} were discarded"
    return detail


def _parse_line(line: bytes, first: bool, fields: FieldNames, location: str) -> Record:
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _reject(
            location,
            RejectReason.INVALID_UTF8,
            f"byte {exc.start} of the line (0x{line[exc.start]:02x}): {exc.reason}",
        )
    if first and decoded.startswith(_BOM):
        decoded = decoded[1:]
    try:
        # strict=False: raw tabs/newlines (and NULs, judged below) inside strings are common
        # in scraped dumps and carry no ambiguity.
        obj = json.loads(decoded, strict=False)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        return _reject(location, RejectReason.MALFORMED_JSON, str(exc) or type(exc).__name__)
    if not isinstance(obj, dict):
        return _reject(
            location, RejectReason.NOT_AN_OBJECT, f"line is a JSON {_type_name(obj)}, not object"
        )
    found, raw_text = field_value(obj, fields.text)
    if not found:
        return _reject(
            location,
            RejectReason.MISSING_TEXT,
            f"no field {fields.text!r}; fields present: {_shown(field_paths(obj))}",
        )
    text = _check_text(raw_text, f"field {fields.text!r}", location)
    if isinstance(text, Reject):
        return text
    # Only a \u escape can smuggle a surrogate past strict UTF-8 decoding.
    if b"\\u" in line and (bad := _SURROGATE.search(text)):
        return _reject(
            location,
            RejectReason.INVALID_UTF8,
            f"field {fields.text!r} has a lone surrogate escape "
            f"(\\u{ord(bad.group()):04x}) at character {bad.start()}",
        )
    source = field_value(obj, fields.source_path)[1] if fields.source_path is not None else None
    raw_id, raw_title = field_value(obj, fields.id)[1], field_value(obj, fields.title)[1]
    return _build(text, raw_id, raw_title, source, fields, location)


# ---------------------------------------------------------------------------------------
# Parquet


def _read_parquet(unit: WorkUnit, fields: FieldNames) -> Iterator[Record]:
    name = unit.file.name
    part = unit.part
    unit_location = f"{name}#rg{part}"
    try:
        pfile = remote.parquet_file(unit.file.path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, … for one bad file
        if remote.is_remote(unit.file.path) and remote.vanished(exc):
            detail = _open_detail(unit.file, exc)
        else:
            detail = f"cannot open as Parquet: {remote.one_line(exc)}"
        yield _reject(name, RejectReason.UNREADABLE_FILE, detail)
        return
    with pfile:
        meta = pfile.metadata
        n_groups = meta.num_row_groups
        if part >= n_groups and not (n_groups == 0 and part == 0):
            yield _reject(
                unit_location,
                RejectReason.UNREADABLE_FILE,
                f"row group {part} requested but the file has {n_groups} "
                "(was it rewritten after planning?)",
            )
            return

        schema = pfile.schema_arrow
        mismatch = _text_column_problem(schema, fields.text)
        if mismatch is not None:
            yield _reject(unit_location, RejectReason.SCHEMA_MISMATCH, mismatch)
            return
        if n_groups == 0:
            return

        # Each field's (column, struct children); a duplicated optional column is ambiguous:
        # treated as absent rather than guessed (resolve_column gives None).
        where = {
            f: resolve_column(schema, f)
            for f in (fields.text, fields.id, fields.title, fields.source_path)
            if f is not None
        }
        columns = list(dict.fromkeys(w[0] for w in where.values() if w is not None))
        row = sum(meta.row_group(i).num_rows for i in range(part))
        # A remote read that fails transiently is repeated after a backoff, skipping the rows
        # already yielded: the same rows come out once each, as from an unbroken read.
        delays = (
            remote.backoff_delays(remote.retry_attempts())
            if remote.is_remote(unit.file.path)
            else []
        )
        done = 0
        handle = pfile
        while True:
            try:
                batches = handle.iter_batches(
                    batch_size=_PARQUET_BATCH_ROWS, row_groups=[part], columns=columns
                )
                skip = done
                for batch in batches:
                    if skip >= batch.num_rows:
                        skip -= batch.num_rows
                        continue
                    if skip:
                        batch, skip = batch.slice(skip), 0
                    texts = _text_bytes(_field_array(batch, where[fields.text]))
                    ids = _column_values(batch, where.get(fields.id))
                    titles = _column_values(batch, where.get(fields.title))
                    sources = _column_values(batch, where.get(fields.source_path))
                    for raw_text, raw_id, raw_title, raw_source in zip(
                        texts, ids, titles, sources, strict=True
                    ):
                        yield _parquet_row(
                            raw_text, raw_id, raw_title, raw_source, fields, f"{name}:{row}"
                        )
                        row += 1
                        done += 1
                break
            except Exception as exc:  # corrupt pages surface as assorted pyarrow errors
                if delays and remote.is_transient(exc):
                    time.sleep(delays.pop(0))
                    try:
                        fresh = remote.parquet_file(unit.file.path)
                    except Exception as reopen_exc:
                        exc = reopen_exc
                    else:
                        if handle is not pfile:
                            handle.close()
                        handle = fresh
                        continue
                yield _reject(
                    unit_location,
                    RejectReason.UNREADABLE_FILE,
                    f"read failed at row {row}: {remote.one_line(exc)}"
                    + _VANISHED * (remote.is_remote(unit.file.path) and remote.vanished(exc)),
                )
                break
        if handle is not pfile:
            handle.close()


def _is_text_type(dtype: pa.DataType) -> bool:
    if pa.types.is_dictionary(dtype):
        dtype = dtype.value_type
    return (
        pa.types.is_string(dtype)
        or pa.types.is_large_string(dtype)
        or pa.types.is_string_view(dtype)
        # An all-null column written without a type; its rows are reported one by one.
        or pa.types.is_null(dtype)
    )


def _text_column_problem(schema: pa.Schema, column: str) -> str | None:
    count = schema.names.count(column)
    if count > 1:
        return f"column {column!r} appears {count} times"
    where = resolve_column(schema, column)
    if where is None:
        return f"no column {column!r}; columns found: {', '.join(schema_paths(schema)) or 'none'}"
    dtype = column_type(schema, where)
    if not _is_text_type(dtype):
        return f"column {column!r} has type {dtype}, expected a string type"
    return None


def _text_bytes(array: pa.Array) -> list[bytes | None]:
    """Return the column's values as raw bytes so that bad UTF-8 fails one row, not a batch."""
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    dtype = array.type
    if pa.types.is_null(dtype):
        return [None] * len(array)
    if pa.types.is_large_string(dtype):
        target = pa.large_binary()
    elif pa.types.is_string_view(dtype):
        target = pa.binary_view()
    else:
        target = pa.binary()
    return array.cast(target).to_pylist()


def _field_array(batch: pa.RecordBatch, where: Where | None) -> pa.Array:
    """A field's values in ``batch``: a column, or a child of struct columns (null where
    a parent is null)."""
    assert where is not None  # the text column was checked before reading
    array = batch.column(where[0])
    for part in where[1]:
        array = pc.struct_field(array, part)
    return array


def _column_values(batch: pa.RecordBatch, where: Where | None) -> list[object]:
    if where is None:
        return [None] * batch.num_rows
    array = _field_array(batch, where)
    try:
        return array.to_pylist()
    except UnicodeDecodeError:
        # Bad UTF-8 in an id/title/source cell is no reason to lose the rows; mark it instead.
        raw = _text_bytes(array)
        return [None if v is None else v.decode("utf-8", errors="replace") for v in raw]


def _parquet_row(
    raw_text: bytes | None,
    raw_id: object,
    raw_title: object,
    raw_source: object,
    fields: FieldNames,
    location: str,
) -> Record:
    what = f"column {fields.text!r}"
    if raw_text is None:
        return _reject(location, RejectReason.MISSING_TEXT, f"{what} is null")
    try:
        decoded = raw_text.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _reject(
            location,
            RejectReason.INVALID_UTF8,
            f"{what}: byte {exc.start} (0x{raw_text[exc.start]:02x}): {exc.reason}",
        )
    text = _check_text(decoded, what, location)
    if isinstance(text, Reject):
        return text
    return _build(text, raw_id, raw_title, raw_source, fields, location)


# ---------------------------------------------------------------------------------------
# Plain text


def _read_txt(unit: WorkUnit, fields: FieldNames) -> Iterator[Record]:
    name = unit.file.name
    try:
        with remote.open_binary(unit.file.path, unit.file.size) as fh:
            data = fh.read()
    except OSError as exc:
        yield _reject(name, RejectReason.UNREADABLE_FILE, f"cannot read: {exc}")
        return
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield _reject(
            name,
            RejectReason.INVALID_UTF8,
            f"byte {exc.start} of the file (0x{data[exc.start]:02x}): {exc.reason}",
        )
        return
    if decoded.startswith(_BOM):
        decoded = decoded[1:]
    text = _check_text(decoded, "file", name)
    if isinstance(text, Reject):
        yield text
        return
    yield Document(doc_id=name, text=text, title=None, source=None, location=name)


_READERS: dict[str, Callable[[WorkUnit, FieldNames], Iterator[Record]]] = {
    "jsonl": _read_jsonl,
    "parquet": _read_parquet,
    "txt": _read_txt,
}
