"""The document record every reader yields, and the reject record for what cannot be read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Document:
    """One input document.

    ``doc_id`` is the id field when the input has one, else a stable id made from the source
    file (relative to its input root) and the record's position: ``"shard-00.jsonl:17"``.
    ``location`` always says where the document came from (``file:line`` for JSONL, ``file:row``
    for Parquet, the file for ``.txt``), whatever its id.
    """

    doc_id: str
    text: str
    title: str | None
    source: str | None
    location: str


@dataclass(frozen=True, slots=True)
class Reject:
    """A document or file that could not be read, with where it was and why.

    ``reason`` is a short stable code (e.g. ``malformed_json``, ``missing_text``); ``detail``
    is the human-readable specifics (the parser's message, the offending type).
    ``location`` is ``file:line`` for one record or the file itself when the whole file failed.
    """

    location: str
    reason: str
    detail: str


class RejectReason(StrEnum):
    """Why a record or file became a :class:`Reject`; the value is what ``Reject.reason`` holds.

    Each member carries a one-line ``description`` so documentation can list the codes
    straight from here. ``Reject.reason`` stores the plain string value, not the member, so
    that records cross into Spark (which does not know this enum) as ordinary strings.
    """

    description: str

    def __new__(cls, value: str, description: str) -> RejectReason:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    INVALID_UTF8 = (
        "invalid_utf8",
        "The record's bytes are not valid UTF-8, or its text holds a lone surrogate escape.",
    )
    MALFORMED_JSON = "malformed_json", "The JSONL line does not parse as JSON."
    NOT_AN_OBJECT = "not_an_object", "The JSONL line is valid JSON but not a JSON object."
    MISSING_TEXT = "missing_text", "The record has no text field, or the text is null."
    EMPTY_TEXT = "empty_text", "The text is empty or only whitespace (after NUL removal)."
    WRONG_TYPE = "wrong_type", "The text is not a string, or the id is neither string nor integer."
    NUL_BYTES = "nul_bytes", "More than 1% of the text is NUL characters: likely binary data."
    TRUNCATED_FILE = (
        "truncated_file",
        "A compressed stream broke off (truncated or corrupt) after the records read before it.",
    )
    UNREADABLE_FILE = (
        "unreadable_file",
        "The file (or Parquet row group) could not be opened or read, at all or past a point "
        "(the records before it are kept); a remote object also when it vanished, was "
        "forbidden or changed size after listing, or kept failing after the retries.",
    )
    SCHEMA_MISMATCH = (
        "schema_mismatch",
        "A Parquet file lacks the text column, or the column is not of string type.",
    )
