"""Score a question set against a run: how often does the corpus state each question's fact?

A question is an (entity, attribute[, value]) triple, e.g. a benchmark's. Each is keyed with
the run's own normalization (:func:`singleton_rate.normalize.entity_key` and the catalog value
types,
:mod:`singleton_rate.extract.keys`), looked up in the run's ``facts`` (with a value) or ``prompts``
(without one) through DuckDB, and given its counts and risk class per count unit
(:func:`singleton_rate.risk.risk_class`), and the counts of its prompt (entity, attribute).

The set's summary leads with the share of questions whose *prompt* is unseen in the corpus,
with a Wilson interval over the questions: the question set's analogue of the missing mass
that Kalai et al.'s (2025) Theorem 2 floor rests on. Definition 2 counts prompts, and for
questions drawn like the corpus's prompts the chance that a question's prompt is unseen is the
corpus's missing mass, which N1/N estimates for the corpus itself. Beside it, per count unit,
the share *unseen or singleton* at each question's own key is an empirical risk share
(Kandpal et al. 2023: facts a pretraining corpus states rarely are answered worse), not a
floor: for questions drawn like the corpus it is about (N1 + 2·N2)/N, above the missing mass.
The classes measure how often the corpus repeats a statement, not whether it is true: a fact
in class ``common`` is often repeated, not correct (Good–Turing measures sparsity, not truth).

Nothing is dropped: a row that cannot be scored (no entity or attribute, an attribute the
run's catalog does not know, a value that cannot be keyed, an unreadable line) is in the
output with ``status = "malformed"`` and a ``reason``.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from singleton_rate.contract import UNITS, read_manifest
from singleton_rate.estimate.proportion import wilson_interval
from singleton_rate.extract.keys import written_value_key
from singleton_rate.normalize import entity_key
from singleton_rate.query import connect
from singleton_rate.risk import RISK_CLASSES, SINGLETON, UNSEEN, risk_class
from singleton_rate.runkeys import RunKeys, ScoreError, run_keys

SCORED, MALFORMED = "scored", "malformed"
INTERVAL_METHOD = "wilson"
READ_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
}
WRITE_FORMATS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

# Reasons a row is not scored.
MISSING_ENTITY = "missing_entity"
MISSING_ATTRIBUTE = "missing_attribute"
UNKNOWN_ATTRIBUTE = "unknown_attribute"
UNKEYABLE_ENTITY = "unkeyable_entity"
UNKEYABLE_VALUE = "unkeyable_value"
WRONG_TYPE = "wrong_type"
MALFORMED_JSON = "malformed_json"
NOT_AN_OBJECT = "not_an_object"
WRONG_FIELD_COUNT = "wrong_field_count"
INVALID_UTF8 = "invalid_utf8"

OUTPUT_SCHEMA = pa.schema(
    [
        ("index", pa.int64()),  # 0-based position among the questions read
        # "line N" (CSV, JSON lines; 1-based), "row N" (Parquet), "item N" (JSON array; 0-based)
        ("location", pa.string()),
        ("id", pa.string()),
        ("entity", pa.string()),
        ("attribute", pa.string()),
        ("value", pa.string()),
        ("status", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("key", pa.string()),  # "fact" (with a value) or "prompt" (without)
        ("entity_key", pa.string()),
        ("attribute_key", pa.string()),
        ("value_key", pa.string()),
        ("value_precision", pa.string()),
        ("entity_seen", pa.bool_()),
        ("n_values", pa.int64()),
        # The prompt (entity, attribute)'s counts, whatever the question's key: 0 when unseen.
        ("prompt_mention_count", pa.int64()),
        ("prompt_doc_count", pa.int64()),
        ("prompt_seen", pa.bool_()),
        ("mention_count", pa.int64()),
        ("doc_count", pa.int64()),
        ("risk_mention", pa.string()),
        ("risk_document", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class Fields:
    """The question file's column (or JSON field) names."""

    entity: str = "entity"
    attribute: str = "attribute"
    value: str = "value"
    id: str = "id"


# --------------------------------------------------------------------------------------------
# Reading questions
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    location: str
    id: str | None = None
    entity: str | None = None
    attribute: str | None = None
    value: str | None = None
    reason: str | None = None
    detail: str | None = None


def _as_text(value: Any) -> str | None:
    """A field as text: ``None`` when absent or blank; ``TypeError`` for lists, floats, …"""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"a boolean ({value})")
    if isinstance(value, str):
        if any("\udc80" <= c <= "\udcff" for c in value):
            raise UnicodeError("undecodable bytes")
        return value.strip() or None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a year stored as a float
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} ({str(value)[:40]!r})")


def _row(location: str, record: dict[str, Any], fields: Fields) -> _Row:
    row = _Row(location)
    for name, column in (
        ("id", fields.id),
        ("entity", fields.entity),
        ("attribute", fields.attribute),
        ("value", fields.value),
    ):
        try:
            setattr(row, name, _as_text(record.get(column)))
        except UnicodeError:
            row.reason, row.detail = INVALID_UTF8, f"field {column!r} holds undecodable bytes"
        except TypeError as exc:
            if row.reason is None:
                row.reason, row.detail = WRONG_TYPE, f"field {column!r} is {exc}"
    return row


def _require_columns(path: Path, columns: Sequence[str], fields: Fields) -> None:
    missing = [c for c in (fields.entity, fields.attribute) if c not in columns]
    if missing:
        raise ScoreError(
            f"{path}: no {' or '.join(repr(c) for c in missing)} column (found: "
            f"{', '.join(map(repr, columns)) or 'none'}); see --entity-field/--attribute-field"
        )


def _read_delimited(path: Path, fields: Fields, delimiter: str) -> Iterator[_Row]:
    # surrogateescape keeps undecodable bytes visible so that only their row is malformed.
    with path.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            raise ScoreError(f"{path}: empty file (no header line)")
        header = [h.strip() for h in header]
        _require_columns(path, header, fields)
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue  # a blank line is not a question
            if len(cells) != len(header):
                yield _Row(
                    f"line {start}",
                    reason=WRONG_FIELD_COUNT,
                    detail=f"{len(cells)} fields, the header has {len(header)}",
                )
                continue
            yield _row(f"line {start}", dict(zip(header, cells, strict=True)), fields)


def _from_json(location: str, record: Any, fields: Fields) -> _Row:
    if not isinstance(record, dict):
        return _Row(location, reason=NOT_AN_OBJECT, detail=f"a JSON {type(record).__name__}")
    return _row(location, record, fields)


def _read_jsonl(path: Path, fields: Fields) -> Iterator[_Row]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            location = f"line {number}"
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield _Row(location, reason=INVALID_UTF8, detail=str(exc))
                continue
            if not text.strip():
                continue  # a blank line is not a question
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield _Row(location, reason=MALFORMED_JSON, detail=str(exc))
                continue
            yield _from_json(location, record, fields)


def _read_json(path: Path, fields: Fields) -> Iterator[_Row]:
    """A ``.json`` file: one array of objects, else JSON lines."""
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"["):
        yield from _read_jsonl(path, fields)
        return
    try:
        records = json.loads(path.read_text("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScoreError(f"{path}: not a valid JSON array: {exc}") from exc
    for number, record in enumerate(records):
        yield _from_json(f"item {number}", record, fields)


def _read_parquet(path: Path, fields: Fields) -> Iterator[_Row]:
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise ScoreError(f"{path}: cannot read Parquet: {exc}") from exc
    names = parquet.schema_arrow.names
    _require_columns(path, names, fields)
    columns = (fields.id, fields.entity, fields.attribute, fields.value)
    wanted = [c for c in dict.fromkeys(columns) if c in names]
    number = 0
    for batch in parquet.iter_batches(columns=wanted, batch_size=65_536):
        for record in batch.to_pylist():
            yield _row(f"row {number}", record, fields)
            number += 1


def read_questions(path: str | Path, fields: Fields = Fields()) -> Iterator[_Row]:
    """The questions of a CSV, TSV, JSON lines, JSON array or Parquet file, in file order.

    Blank lines are skipped; every other line or row yields one record, malformed or not.

    Raises
    ------
    ScoreError
        When the file is missing, of an unknown format, or lacks the entity or attribute
        column (CSV, TSV, Parquet).
    """
    path = Path(path)
    if not path.is_file():
        raise ScoreError(f"{path}: no such question file")
    kind = READ_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ScoreError(
            f"{path}: unknown question format {path.suffix!r} "
            f"(expected one of {', '.join(READ_FORMATS)})"
        )
    if kind in ("csv", "tsv"):
        return _read_delimited(path, fields, "," if kind == "csv" else "\t")
    if kind == "jsonl":
        return _read_jsonl(path, fields)
    if kind == "json":
        return _read_json(path, fields)
    return _read_parquet(path, fields)


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Share:
    """``k`` of ``n`` scored questions, with a Wilson interval (``None`` when ``n = 0``)."""

    k: int
    n: int
    share: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, k: int, n: int, confidence: float) -> Share:
        if n == 0:
            return cls(k, n, None, None, None)
        low, high = wilson_interval(k, n, confidence)
        return cls(k, n, k / n, low, high)


MEANING: dict[str, str] = {
    "prompt_unseen": (
        "share of scored questions whose prompt (entity, attribute) the corpus never states: "
        "the question set's analogue of the missing mass behind Theorem 2's floor (Kalai et "
        "al. 2025; for questions drawn like the corpus's prompts it estimates that mass); "
        "Wilson interval with the question as the unit (questions taken as independent draws); "
        "Theorem 2 assumes one correct value per prompt, so read it for single-valued attributes"
    ),
    "unseen_or_singleton": (
        "share of scored questions whose key (fact with a value, else prompt) the corpus "
        "states at most once: an empirical risk share (Kandpal et al. 2023), not a floor; "
        "for questions drawn like the corpus it is about (N1 + 2*N2)/N, above the missing mass"
    ),
    "common": (
        "the corpus repeats the key more than rare_max times: often repeated, not correct "
        "(Good-Turing measures sparsity, not truth; a wrong value repeated often is common too)"
    ),
}
"""What the summary's shares and classes mean; printed by :func:`format_summary`, and in JSON."""


@dataclass(frozen=True, slots=True)
class UnitSummary:
    """One count unit's classes: counts per risk class and their shares.

    ``unseen_or_singleton`` is the empirical risk share (Kandpal et al. 2023), not a floor
    (:data:`MEANING`).
    """

    unit: str
    counts: dict[str, int]  # risk class → questions
    unseen: Share
    singleton: Share
    unseen_or_singleton: Share  # an empirical risk share, not a floor


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """A question set's summary against one run.

    Shares are over the scored questions (malformed rows are counted apart, never in the
    denominators); intervals are Wilson score intervals (``interval``) at ``confidence``,
    with the question as the unit: they treat the questions as independent draws from the
    population they stand for (many questions about one entity make them too narrow).

    ``prompt_unseen`` (questions whose prompt the corpus never states) is the question set's
    analogue of the missing mass behind Theorem 2's floor; the per-unit
    ``unseen_or_singleton`` is an empirical risk share; ``meaning`` says so in words
    (:data:`MEANING`).
    """

    run: str
    questions: str
    n_questions: int
    n_scored: int
    n_malformed: int
    malformed_reasons: dict[str, int]
    n_by_key: dict[str, int]  # scored at the fact key (with a value) / the prompt key
    n_unknown_entities: int  # scored questions whose entity the run never names (unseen)
    prompt_unseen: Share  # the predicted-floor analogue: prompt (entity, attribute) unseen
    rare_max: int
    confidence: float
    interval: str
    units: dict[str, UnitSummary]
    catalog_matches: bool
    notes: tuple[str, ...] = field(default_factory=tuple)
    meaning: dict[str, str] = field(default_factory=lambda: dict(MEANING))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize_scores(
    table: pa.Table,
    *,
    run: str,
    questions: str,
    rare_max: int,
    confidence: float = 0.95,
    catalog_matches: bool = True,
    notes: Sequence[str] = (),
) -> ScoreSummary:
    """The summary of a per-question table (:data:`OUTPUT_SCHEMA`).

    Over the ``n`` scored questions (``status = "scored"``):

    - ``prompt_unseen``: ``k`` = questions with ``prompt_seen`` false, share ``k/n`` with
      Wilson's interval (:func:`wilson_interval`);
    - per unit, the questions per risk class of the key's count and the shares ``unseen``,
      ``singleton`` and ``unseen_or_singleton`` (their sum), each with Wilson's interval.

    Examples
    --------
    Eight questions, two of whose prompts the corpus never states (2/8 = 0.25, Wilson 95%
    [0.0715, 0.5907]):

    >>> rows = [dict(status="scored", reason=None, key="prompt", entity_seen=True,
    ...              prompt_seen=seen, risk_mention=c, risk_document=c)
    ...         for seen, c in [(False, "unseen")] * 2 + [(True, "singleton")] * 3
    ...         + [(True, "common")] * 3]
    >>> got = summarize_scores(pa.Table.from_pylist(rows), run="r", questions="q", rare_max=5)
    >>> got.prompt_unseen.k, got.prompt_unseen.n, round(got.prompt_unseen.low, 4)
    (2, 8, 0.0715)
    >>> got.units["document"].unseen_or_singleton.k
    5
    """
    rows = table.select(
        ["status", "reason", "key", "entity_seen", "prompt_seen", "risk_mention", "risk_document"]
    )
    records = rows.to_pylist()
    scored = [r for r in records if r["status"] == SCORED]
    reasons = Counter(r["reason"] for r in records if r["status"] == MALFORMED)
    units: dict[str, UnitSummary] = {}
    for unit in UNITS:
        classes = Counter(r[f"risk_{unit}"] for r in scored)
        n = len(scored)
        units[unit] = UnitSummary(
            unit=unit,
            counts={c: classes.get(c, 0) for c in RISK_CLASSES},
            unseen=Share.of(classes[UNSEEN], n, confidence),
            singleton=Share.of(classes[SINGLETON], n, confidence),
            unseen_or_singleton=Share.of(classes[UNSEEN] + classes[SINGLETON], n, confidence),
        )
    keys = Counter(r["key"] for r in scored)
    return ScoreSummary(
        run=run,
        questions=questions,
        n_questions=len(records),
        n_scored=len(scored),
        n_malformed=len(records) - len(scored),
        malformed_reasons=dict(sorted(reasons.items())),
        n_by_key={"fact": keys.get("fact", 0), "prompt": keys.get("prompt", 0)},
        n_unknown_entities=sum(1 for r in scored if not r["entity_seen"]),
        prompt_unseen=Share.of(
            sum(1 for r in scored if not r["prompt_seen"]), len(scored), confidence
        ),
        rare_max=rare_max,
        confidence=confidence,
        interval=INTERVAL_METHOD,
        units=units,
        catalog_matches=catalog_matches,
        notes=tuple(notes),
    )


def _share_text(share: Share) -> str:
    if share.share is None or share.low is None or share.high is None:
        return "-"
    return f"{share.share:.4f} [{share.low:.4f}, {share.high:.4f}]"


def format_summary(summary: ScoreSummary) -> str:
    """The summary as a few readable lines (the CLI prints this).

    First the predicted-floor analogue (questions whose prompt is unseen, with its interval),
    then per unit the risk classes and the risk share *unseen or singleton*, then what each
    means (:data:`MEANING`): ``common`` is often repeated, not correct.
    """
    reasons = ", ".join(f"{k} {v}" for k, v in summary.malformed_reasons.items())
    level = f"{summary.confidence:.0%} {summary.interval}"
    unseen = summary.prompt_unseen
    lines = [
        f"questions: {summary.n_questions} read = {summary.n_scored} scored "
        f"({summary.n_by_key['fact']} at the fact key, {summary.n_by_key['prompt']} at the "
        f"prompt key) + {summary.n_malformed} malformed" + (f" ({reasons})" if reasons else ""),
        f"entities the run never names (counted unseen): {summary.n_unknown_entities}",
        "",
        f"prompt (entity, attribute) unseen in the corpus: {unseen.k} of {unseen.n} = "
        f"{_share_text(unseen)} [{level}, the question as the unit]",
        "  the question set's analogue of the missing mass behind Theorem 2's floor (Kalai et "
        "al. 2025):",
        "  for questions drawn like the corpus's prompts it estimates that mass; the interval "
        "takes the",
        "  questions as independent draws (many questions about one entity make it too narrow);",
        "  Theorem 2 assumes one correct value per prompt: read it for single-valued attributes",
        "",
    ]
    header = ["unit", "unseen", "singleton", "rare", "common", f"unseen or singleton [{level}]"]
    body = [
        [
            unit.unit,
            *(str(unit.counts[c]) for c in RISK_CLASSES),
            _share_text(unit.unseen_or_singleton),
        ]
        for unit in summary.units.values()
    ]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
    for cells in (header, *body):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    lines.extend(
        [
            f"(risk classes by the count of each question's key, the fact with a value, else "
            f"the prompt: unseen 0, singleton 1, rare 2–{summary.rare_max}, common more.",
            " unseen or singleton is an empirical risk share (Kandpal et al. 2023: facts stated "
            "rarely are answered",
            " worse), not a floor: for questions drawn like the corpus it is about "
            "(N1 + 2·N2)/N, above the missing mass.",
            " common means often repeated in the corpus, not correct: Good–Turing measures "
            "sparsity, not truth,",
            " and a wrong value the corpus repeats is common too.)",
        ]
    )
    lines.extend(f"note: {n}" for n in summary.notes)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def _key_row(row: _Row, keys: RunKeys) -> dict[str, Any]:
    """The output record of one question before lookup: keys, or why there are none."""
    out: dict[str, Any] = {
        "location": row.location,
        "id": row.id,
        "entity": row.entity,
        "attribute": row.attribute,
        "value": row.value,
        "status": MALFORMED,
        "reason": row.reason,
        "detail": row.detail,
    }
    if row.reason is not None:
        return out
    if row.entity is None:
        out.update(reason=MISSING_ENTITY, detail="no entity")
        return out
    if row.attribute is None:
        out.update(reason=MISSING_ATTRIBUTE, detail="no attribute")
        return out
    attribute = keys.attribute(row.attribute)
    if attribute is None:
        known = ", ".join(sorted(keys.relations))
        out.update(
            reason=UNKNOWN_ATTRIBUTE,
            detail=f"{row.attribute!r} is not an attribute of the run's catalog ({known})",
        )
        return out
    entity = entity_key(row.entity)
    if not entity:
        out.update(reason=UNKEYABLE_ENTITY, detail=f"{row.entity!r} keys to nothing")
        return out
    out.update(entity_key=entity, attribute_key=attribute)
    if row.value is not None:
        relation = keys.relations[attribute]
        keyed = written_value_key(relation, row.value)
        if keyed is None:
            out.update(
                reason=UNKEYABLE_VALUE,
                detail=f"{row.value!r} is not a {relation.value} value the run could key",
            )
            return out
        out.update(value_key=keyed[0], value_precision=keyed[1], key="fact")
    else:
        out["key"] = "prompt"
    out.update(status=SCORED, reason=None, detail=None)
    return out


def _has_column(con: Any, view: str, column: str) -> bool:
    return column in {r[0] for r in con.execute(f"describe {view}").fetchall()}


_WIKIDATA_ID = re.compile(r"[QP][1-9][0-9]*")


def wikidata_id_note(entities: Sequence[str | None]) -> str | None:
    """A warning when question entities look like Wikidata ids (``Q7186``), else ``None``.

    The run keys entities by their names as the corpus writes them (``marie curie``), so an
    id can never match: every such question would be counted unseen, silently inflating the
    predicted floor.

    Examples
    --------
    >>> wikidata_id_note(["Q7186", "Marie Curie", " q42 ", None]).split(":")[0]
    "2 of 3 question entities look like Wikidata ids (e.g. 'Q7186')"
    >>> wikidata_id_note(["Marie Curie", "Q"]) is None
    True
    """
    given = [e.strip() for e in entities if e is not None and e.strip()]
    ids = [e for e in given if _WIKIDATA_ID.fullmatch(e.upper())]
    if not ids:
        return None
    return (
        f"{len(ids)} of {len(given)} question entities look like Wikidata ids (e.g. {ids[0]!r}):"
        " the run keys entities by name, so they can only be unseen; give the entities' names"
        " (--entity-field NAME_COLUMN)"
    )


def score(
    run: str | Path,
    questions: str | Path,
    *,
    fields: Fields = Fields(),
    confidence: float = 0.95,
) -> tuple[pa.Table, ScoreSummary]:
    """Score every question of ``questions`` against the run folder ``run``.

    Parameters
    ----------
    run : str or Path
        A complete run folder (``manifest.json`` present); opened read-only through
        :func:`singleton_rate.query.connect`.
    questions : str or Path
        CSV, TSV, JSON lines, JSON array or Parquet (by extension) with an entity, an
        attribute and optionally a value per question (column names in ``fields``).
    fields : Fields
        Column names; ``id`` is carried through when present.
    confidence : float
        Level of the Wilson intervals in the summary.

    Returns
    -------
    (pyarrow.Table, ScoreSummary)
        One row per question read, in file order (:data:`OUTPUT_SCHEMA`), and the summary.

    Notes
    -----
    A question with a value is scored at the fact key (entity, attribute, value), one without
    at the prompt key (entity, attribute). Its ``mention_count`` and ``doc_count`` are the
    run's counts of that key (0 when the corpus never states it, including when the run never
    names the entity: ``entity_seen`` is then false); ``risk_mention``/``risk_document`` are
    :func:`singleton_rate.risk.risk_class` of each with the run's ``rare_max``. Every scored
    question also gets its prompt's counts (``prompt_mention_count``, ``prompt_doc_count``)
    and ``prompt_seen`` (the prompt has at least one mention; the same at either unit), from
    which the summary's ``prompt_unseen`` share is counted: a question whose value the corpus
    never gives is unseen at the fact key, yet its prompt is seen when the corpus gives the
    entity another value for the attribute. Dates are keyed at
    the precision the question gives: "1867" is the key ``1867`` and does not match a fact
    stated as ``1867-11-07``.
    """
    if not 0 < confidence < 1:
        raise ScoreError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    con = connect(run)
    manifest = read_manifest(run)
    has_facts = _has_column(con, "facts", "entity")
    attributes = (
        [r[0] for r in con.execute("select distinct attribute from facts").fetchall()]
        if has_facts
        else []
    )
    keys = run_keys(manifest, attributes)
    records = [_key_row(row, keys) for row in read_questions(questions, fields)]
    for i, rec in enumerate(records):
        rec["index"] = i
    lookup = pa.table(
        {
            "idx": pa.array([r["index"] for r in records if r["status"] == SCORED], pa.int64()),
            "key": pa.array([r["key"] for r in records if r["status"] == SCORED], pa.string()),
            "entity": pa.array(
                [r["entity_key"] for r in records if r["status"] == SCORED], pa.string()
            ),
            "attribute": pa.array(
                [r["attribute_key"] for r in records if r["status"] == SCORED], pa.string()
            ),
            "value": pa.array(
                [r.get("value_key") for r in records if r["status"] == SCORED], pa.string()
            ),
        }
    )
    con.register("q", lookup)
    if has_facts:
        found = con.execute(
            """
            with seen as (
                select distinct entity from prompts where entity in (select entity from q)
            )
            select q.idx,
                   case when q.key = 'fact' then f.mention_count else p.mention_count end,
                   case when q.key = 'fact' then f.doc_count else p.doc_count end,
                   p.n_values,
                   s.entity is not null,
                   p.mention_count,
                   p.doc_count
            from q
            left join facts f on q.key = 'fact' and f.entity = q.entity
                 and f.attribute = q.attribute and f.value = q.value
            left join prompts p on p.entity = q.entity and p.attribute = q.attribute
            left join seen s on s.entity = q.entity
            """
        ).fetchall()
    else:  # a run that extracted nothing: every question is unseen
        found = [(i, None, None, None, False, None, None) for i in lookup.column("idx").to_pylist()]
    con.close()
    for idx, mentions, docs, n_values, seen, prompt_mentions, prompt_docs in found:
        rec = records[idx]
        rec.update(
            mention_count=int(mentions or 0),
            doc_count=int(docs or 0),
            n_values=int(n_values or 0),
            entity_seen=bool(seen),
            prompt_mention_count=int(prompt_mentions or 0),
            prompt_doc_count=int(prompt_docs or 0),
            prompt_seen=bool(prompt_mentions),
            risk_mention=risk_class(mentions, keys.rare_max),
            risk_document=risk_class(docs, keys.rare_max),
        )
    table = pa.Table.from_pylist(
        [{name: r.get(name) for name in OUTPUT_SCHEMA.names} for r in records],
        schema=OUTPUT_SCHEMA,
    )
    summary = summarize_scores(
        table,
        run=str(run),
        questions=str(questions),
        rare_max=keys.rare_max,
        confidence=confidence,
        catalog_matches=keys.catalog_matches,
        notes=(*keys.notes, *filter(None, [wikidata_id_note(table.column("entity").to_pylist())])),
    )
    return table, summary


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def output_format(path: str | Path) -> str:
    """``parquet``, ``csv`` or ``jsonl`` by the file's extension; ``ScoreError`` otherwise."""
    kind = WRITE_FORMATS.get(Path(path).suffix.lower())
    if kind is None:
        raise ScoreError(
            f"{path}: unknown output format (expected one of {', '.join(WRITE_FORMATS)})"
        )
    return kind


def summary_path(output: str | Path) -> Path:
    """Where the summary JSON goes by default: beside the output, ``NAME.summary.json``."""
    out = Path(output)
    return out.with_name(out.stem + ".summary.json")


def _atomic_write(path: Path, write: Any) -> None:
    """Write through a temporary file in the same folder, renamed into place when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_scores(table: pa.Table, path: str | Path) -> Path:
    """Write the per-question table as Parquet, CSV or JSON lines (by extension)."""
    out = Path(path)
    kind = output_format(out)

    def write(tmp: str) -> None:
        if kind == "parquet":
            pq.write_table(table, tmp)
        elif kind == "csv":
            pacsv.write_csv(table, tmp)
        else:
            with open(tmp, "w", encoding="utf-8") as fh:
                for rec in table.to_pylist():
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    _atomic_write(out, write)
    return out


def write_summary(summary: ScoreSummary, path: str | Path) -> Path:
    """Write the summary as indented JSON."""
    out = Path(path)
    text = json.dumps(summary.as_dict(), indent=2, ensure_ascii=False) + "\n"
    _atomic_write(out, lambda tmp: Path(tmp).write_text(text, "utf-8"))
    return out
