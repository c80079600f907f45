"""Preflight: check the field names against the first records before Spark starts.

A wrong ``--text-field`` used to show only after the whole read + extract pass, as a reject
rate. The driver reads the first records of the first few files (JSONL: the first objects;
Parquet: the schema and the first rows of the needed columns) and fails in seconds, naming
the fields it did find, when the text field is missing or not a string in most of them, or
when a source, id or title field that was asked for appears in none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from singleton_rate.corpus import remote
from singleton_rate.corpus.discover import InputError, InputFile
from singleton_rate.corpus.readers import (
    FieldNames,
    field_paths,
    field_value,
    head_objects,
    resolve_column,
    schema_paths,
)

PREFLIGHT_FILES = 3  # the first files (in discovery order) that are looked at
PREFLIGHT_RECORDS = 100  # records read from each
_SHOWN_FIELDS = 12
# A field whose sampled string values average at least this many characters is offered as
# the text field when the one asked for is missing.
_TEXT_LIKE_CHARS = 20


@dataclass(frozen=True, slots=True)
class FileSample:
    """The first records of one file, as JSON-like dicts, and the field paths it has."""

    name: str
    records: list[dict[str, object]]
    fields: list[str] = field(default_factory=list)


def sample_file(file: InputFile, fields: FieldNames, n: int = PREFLIGHT_RECORDS) -> FileSample:
    """Read the first ``n`` records of a JSONL or Parquet file (``.txt`` has no fields).

    Parquet: the field paths come from the schema, the records from the first rows of the
    columns the field names need (nested structs become dicts). Unreadable files give no
    records: the full read reports them with their reasons.
    """
    if file.format == "jsonl":
        records = head_objects(file, n)
        seen = dict.fromkeys(p for r in records for p in field_paths(r))
        return FileSample(file.name, records, list(seen))
    if file.format != "parquet":
        return FileSample(file.name, [])
    try:
        with remote.parquet_file(file.path) as pfile:
            schema = pfile.schema_arrow
            wanted = (fields.text, fields.id, fields.title, fields.source_path)
            found = [resolve_column(schema, f) for f in wanted if f is not None]
            columns = list(dict.fromkeys(w[0] for w in found if w is not None))
            if columns:
                batch = next(pfile.iter_batches(batch_size=n, columns=columns), None)
                records = batch.to_pylist() if batch is not None else []
            else:  # rows, but none of the fields: each sampled row lacks them all
                records = [{} for _ in range(min(n, pfile.metadata.num_rows))]
    except Exception:  # pyarrow raises assorted types; the full read reports them
        return FileSample(file.name, [])
    return FileSample(file.name, records, schema_paths(schema))


def _suggest(samples: Sequence[FileSample]) -> str:
    lengths: dict[str, list[int]] = {}
    for sample in samples:
        for record in sample.records:
            for path in field_paths(record):
                value = field_value(record, path)[1]
                if isinstance(value, str):
                    lengths.setdefault(path, []).append(len(value))
    means = {p: sum(v) / len(v) for p, v in lengths.items()}
    best = max(means, key=lambda p: means[p], default=None)
    if best is None or means[best] < _TEXT_LIKE_CHARS:
        return ""
    return f" (the longest text is in {best!r}: --text-field {best})"


def check_fields(
    samples: Sequence[FileSample], fields: FieldNames, *, max_reject_rate: float = 0.1
) -> None:
    """Raise :class:`InputError` when the sampled records do not fit the field names.

    The text field fails when it is missing or not a string in more than
    ``max(0.5, max_reject_rate)`` of the sampled records ("most": a share the full run's
    reject check would refuse anyway; with ``max_reject_rate`` 1 it never fails). A source
    field, and an id or title field other than the defaults, fail when no sampled record
    has them. Empty samples (no records read) check nothing.

    Examples
    --------
    >>> rp = [FileSample("rp.jsonl", [{"raw_content": "Ada Lovelace was born in London."}],
    ...                  ["raw_content"])]
    >>> check_fields(rp, FieldNames(text="raw_content"))
    >>> check_fields(rp, FieldNames())
    Traceback (most recent call last):
    ...
    singleton_rate.corpus.discover.InputError: --text-field 'text': missing or not a string in \
1 of 1 records sampled from rp.jsonl; fields found: 'raw_content' (the longest text is in \
'raw_content': --text-field raw_content)
    """
    records = [r for s in samples for r in s.records]
    if not records:
        return
    names = ", ".join(s.name for s in samples if s.records)
    found = list(dict.fromkeys(p for s in samples for p in s.fields))
    shown = ", ".join(repr(p) for p in found[:_SHOWN_FIELDS])
    if len(found) > _SHOWN_FIELDS:
        shown += f", … ({len(found)} in all)"
    where = f"records sampled from {names}; fields found: {shown or 'none'}"
    problems = []
    bad = sum(not isinstance(field_value(r, fields.text)[1], str) for r in records)
    if bad / len(records) > max(0.5, max_reject_rate):
        problems.append(
            f"--text-field {fields.text!r}: missing or not a string in {bad} of "
            f"{len(records)} {where}{_suggest(samples)}"
        )
    defaults = FieldNames()
    asked = [("--source-field", fields.source_path)]
    asked += [("--id-field", fields.id)] if fields.id != defaults.id else []
    asked += [("--title-field", fields.title)] if fields.title != defaults.title else []
    for flag, name in asked:
        if name is not None and not any(field_value(r, name)[0] for r in records):
            problems.append(f"{flag} {name!r}: in none of the {len(records)} {where}")
    if problems:
        raise InputError("; ".join(problems))


def preflight(
    files: Sequence[InputFile],
    fields: FieldNames,
    *,
    max_reject_rate: float = 0.1,
    n_files: int = PREFLIGHT_FILES,
    n_records: int = PREFLIGHT_RECORDS,
) -> list[FileSample]:
    """Check ``fields`` against the first records of the first JSONL or Parquet files.

    Runs on the driver before Spark starts; reads at most ``n_records`` records of each of
    the first ``n_files`` such files. Raises :class:`InputError` (see :func:`check_fields`);
    returns the samples.
    """
    chosen = [f for f in files if f.format in ("jsonl", "parquet")][:n_files]
    samples = [sample_file(f, fields, n_records) for f in chosen]
    check_fields(samples, fields, max_reject_rate=max_reject_rate)
    return samples
