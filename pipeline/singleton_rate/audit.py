"""``singletons audit``: a person's verdicts on the audit sample, carried into the estimate.

A run's ``audit`` table is a seeded uniform sample of singleton mentions (facts stated once in
the corpus), each with its sentence. A person reads each row and says whether the sentence
states that fact about that entity. This module reads those verdicts, measures the precision
of singleton facts ``p1`` with a Wilson interval, and, with a recall figure, writes the
sensitivity band of :mod:`singleton_rate.estimate.extraction` into the run folder's
``audit_estimates`` table, one row per ``(scope, unit, key)`` of the run's estimates. The raw
rate is kept in every row beside the corrected ones; ``estimates`` is never changed.

Audit row ids
-------------
Every audit row has an id: the first 10 hex digits of the SHA-1 of ``doc_id``, ``entity``,
``attribute`` and ``value`` joined by the unit separator ``\\x1f``. A singleton fact has one
counted mention, so these four fields name one row; the id does not depend on the order in
which the table's files are read. ``singletons audit RUN --template FILE`` writes every audit
row with its id, an empty ``verdict`` and ``note``, and the fields to judge it by.

Labels file
-----------
JSON lines (``.jsonl``, ``.ndjson``, ``.json``: one object per line) or CSV (``.csv``, or
``.tsv`` tab-separated, with a header row). Fields:

- ``id`` (required): an audit row id;
- ``verdict`` (required): ``correct`` (the sentence states this fact about this entity),
  ``wrong`` (it does not: wrong value, wrong entity, not asserted, mis-parsed…) or ``unsure``;
  case and surrounding spaces are ignored; an empty verdict means "not labelled yet" and the
  row is skipped (so a half-filled template is a valid file);
- ``note`` (optional): free text, kept for the reader.

Other fields (a template's entity, sentence…) are ignored. Errors name the line: an unknown id,
an id labelled twice, a verdict outside the three, a missing field, a line that is not JSON.

Which labels judge which row
----------------------------
For an estimates row ``(scope, unit, key)`` the labels used are those of audit rows whose
attribute is in the scope (``all`` and ``source=S``: every attribute, ``source=S`` only rows of
documents from S; ``entity_type=T``: the attributes whose subject is T; ``attribute=A``: A; a
single-valued scope: the catalog's single-valued relations) and that are singletons of that
key and unit: at the fact key every audit row (a fact stated once is in one document); at the
prompt key only rows whose prompt (entity, attribute) has one mention (unit ``mention``) or is
in one document (unit ``document``). Audit rows are uniform over singleton fact mentions, so
the prompt-key subset at the mention unit is uniform over singleton prompts; at the document
unit the audit misses document-singletons stated several times in their one document, which
are more often right, so ``p1`` there errs low and the correction errs large.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from singleton_rate.contract import (
    AUDIT_ESTIMATES,
    AUDIT_ESTIMATES_SCHEMA,
    MANIFEST,
    read_manifest,
)
from singleton_rate.estimate.extraction import (
    ThinningCorrection,
    mix_thinning,
    precision_corrected_table,
    precision_correction,
    thinning_correction,
)
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.store import is_complete_run

VERDICTS: tuple[str, ...] = ("correct", "wrong", "unsure")
ID_FIELDS: tuple[str, ...] = ("doc_id", "entity", "attribute", "value")
# Relations with one true value per prompt, used for a single-valued scope when the run's
# catalog does not say (runs made before the flag): the built-in catalog's, not a copy.
DEFAULT_SINGLE_VALUED: frozenset[str] = frozenset(
    r.name for r in load_catalog().relations if r.single_valued
)
TEMPLATE_FIELDS: tuple[str, ...] = (
    "id",
    "verdict",
    "note",
    "entity",
    "attribute",
    "value",
    "entity_text",
    "value_text",
    "sentence",
    "doc_id",
    "location",
)


class AuditError(ValueError):
    """An unusable labels file, recall setting or run (the message says which line or why)."""


def audit_id(doc_id: str, entity: str, attribute: str, value: str) -> str:
    """The id of an audit row: 10 hex digits of SHA-1 over its four key fields.

    Examples
    --------
    >>> audit_id("d1", "marie curie", "birth_date", "1867-11-07")
    'b5b4cf1d69'
    """
    text = "\x1f".join(str(x) for x in (doc_id, entity, attribute, value))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def read_audit(run: str | Path) -> pd.DataFrame:
    """The run's audit table with an ``id`` column first, sorted by id."""
    path = Path(run)
    if not is_complete_run(path):
        raise AuditError(f"{path}: not a complete run folder (no {MANIFEST})")
    folder = path / "audit"
    files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
    if not folder.is_dir():
        raise AuditError(f"{path}: the run has no audit table")
    frame = (
        pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)
        if files
        else pd.DataFrame(columns=[*ID_FIELDS, "sentence"])
    )
    ids = [audit_id(*row) for row in frame[list(ID_FIELDS)].itertuples(index=False, name=None)]
    frame.insert(0, "id", ids)
    if frame["id"].duplicated().any():
        dup = frame.loc[frame["id"].duplicated(), "id"].iloc[0]
        raise AuditError(f"{path}: the audit table holds row {dup} twice")
    return frame.sort_values("id", ignore_index=True)


def write_template(audit: pd.DataFrame, path: str | Path) -> Path:
    """Write the audit rows as a labels file to fill in (JSON lines or CSV by extension)."""
    out = Path(path)
    rows = audit.assign(verdict="", note="")
    cols = [c for c in TEMPLATE_FIELDS if c in rows.columns]
    fmt = _label_format(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as sink:
            for record in rows[cols].to_dict("records"):
                sink.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    else:
        rows[cols].to_csv(out, index=False, sep="\t" if fmt == "tsv" else ",")
    return out


@dataclass(frozen=True, slots=True)
class Label:
    """One verdict: the audit row id, ``correct``/``wrong``/``unsure``, a note, its line."""

    id: str
    verdict: str
    note: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Labels:
    """The verdicts of a labels file, checked against an audit table."""

    by_id: dict[str, Label]
    audit_rows: int
    blank: int = 0  # rows of the file with an empty verdict (not labelled yet)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def labelled(self) -> int:
        return len(self.by_id)

    def describe(self) -> str:
        c = self.counts
        unsure = c.get("unsure", 0)
        text = (
            f"labelled {self.labelled} of {self.audit_rows} audit rows: "
            f"{c.get('correct', 0)} correct, {c.get('wrong', 0)} wrong, {unsure} unsure"
            f" (unsure excluded from precision: {self.labelled - unsure} judged)"
        )
        if self.blank:
            text += f"; {self.blank} rows of the file have no verdict yet"
        return text


def _label_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix == ".tsv":
        return "tsv"
    raise AuditError(f"{path}: a labels file must end in .jsonl, .ndjson, .json, .csv or .tsv")


def _records(path: Path) -> Iterable[tuple[int, Mapping[str, Any]]]:
    fmt = _label_format(path)
    if not path.is_file():
        raise AuditError(f"{path}: no such labels file")
    with path.open(encoding="utf-8", newline="") as source:
        if fmt == "jsonl":
            for n, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise AuditError(f"{path}:{n}: not a JSON object ({exc.msg})") from None
                if not isinstance(record, dict):
                    raise AuditError(f"{path}:{n}: not a JSON object")
                yield n, record
        else:
            reader = csv.DictReader(source, delimiter="\t" if fmt == "tsv" else ",")
            missing = {"id", "verdict"} - set(reader.fieldnames or ())
            if missing:
                raise AuditError(f"{path}: the header has no {' or '.join(sorted(missing))} column")
            for record in reader:
                yield reader.line_num, record


def parse_labels(path: str | Path, audit_ids: Iterable[str]) -> Labels:
    """Read and check a labels file (module docstring) against the audit's ids.

    Every problem is collected and raised at once (first 10 of each kind) as an
    :class:`AuditError`.
    """
    file = Path(path)
    known = set(audit_ids)
    by_id: dict[str, Label] = {}
    first_line: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    bad: list[str] = []
    blank = 0
    for n, record in _records(file):
        raw_id, raw_verdict = record.get("id"), record.get("verdict")
        if raw_id is None or str(raw_id).strip() == "":
            bad.append(f"line {n}: no id")
            continue
        rid = str(raw_id).strip()
        verdict = "" if raw_verdict is None else str(raw_verdict).strip().lower()
        if rid not in known:
            unknown.append(f"line {n}: {rid}")
            continue
        if rid in first_line:
            duplicated.append(f"line {n}: {rid} (first on line {first_line[rid]})")
            continue
        first_line[rid] = n
        if verdict == "":
            blank += 1
            continue
        if verdict not in VERDICTS:
            bad.append(f"line {n}: verdict {raw_verdict!r} is not one of {', '.join(VERDICTS)}")
            continue
        note = record.get("note")
        by_id[rid] = Label(rid, verdict, "" if note is None else str(note), n)
    problems = []
    for what, items in (
        ("ids not in the run's audit table", unknown),
        ("ids labelled twice", duplicated),
        ("bad rows", bad),
    ):
        if items:
            more = f" and {len(items) - 10} more" if len(items) > 10 else ""
            problems.append(f"{len(items)} {what}: {'; '.join(items[:10])}{more}")
    if problems:
        raise AuditError(f"{file}: " + " | ".join(problems))
    counts = {v: sum(1 for lab in by_id.values() if lab.verdict == v) for v in VERDICTS}
    return Labels(by_id=by_id, audit_rows=len(known), blank=blank, counts=counts)


# ---------------------------------------------------------------------------------------------
# Recall settings
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recall:
    """Recall per attribute and overall (either may be absent), and where they came from."""

    by_attribute: dict[str, float] = field(default_factory=dict)
    overall: float | None = None
    source: str = ""

    def of(self, attribute: str) -> float | None:
        return self.by_attribute.get(attribute, self.overall)

    @property
    def given(self) -> bool:
        return bool(self.by_attribute) or self.overall is not None


def _recall_value(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise AuditError(f"{what}: recall {text!r} is not a number") from None
    if not (math.isfinite(value) and 0.0 < value <= 1.0):
        raise AuditError(f"{what}: recall must lie in (0, 1], got {text}")
    return value


def parse_recall(specs: Iterable[str], from_report: str | None = None) -> Recall:
    """``--recall 0.6`` (overall) and ``--recall birth_date=0.9`` (per attribute), repeatable;
    ``--recall-from REPORT.json[:CORPUS]`` reads per-attribute recall from ``singletons
    evaluate``'s report (one corpus: the one named, or the only one). Flags win over the report.

    Examples
    --------
    >>> r = parse_recall(["0.24", "birth_date=0.67"])
    >>> r.of("birth_date"), r.of("death_place")
    (0.67, 0.24)
    """
    by_attribute: dict[str, float] = {}
    overall = None
    sources = []
    if from_report:
        by_attribute.update(_report_recall(from_report))
        sources.append(f"singletons evaluate report {from_report}")
    flags = []
    for spec in specs:
        name, sep, value = spec.partition("=")
        if sep:
            if not name.strip():
                raise AuditError(f"--recall {spec}: no attribute before '='")
            by_attribute[name.strip()] = _recall_value(value, f"--recall {spec}")
        else:
            if overall is not None:
                raise AuditError("--recall: more than one overall recall given")
            overall = _recall_value(name, f"--recall {spec}")
        flags.append(spec)
    if flags:
        sources.append("--recall " + " ".join(flags))
    return Recall(by_attribute, overall, "; ".join(sources))


def _report_recall(spec: str) -> dict[str, float]:
    path_text, _, corpus = spec.rpartition(":") if not Path(spec).exists() else (spec, "", "")
    if not path_text:
        path_text, corpus = spec, ""
    path = Path(path_text)
    try:
        report = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AuditError(f"--recall-from {spec}: cannot read a report ({exc})") from None
    if not isinstance(report, dict) or not report:
        raise AuditError(f"--recall-from {spec}: not a singletons evaluate report")
    if not corpus:
        if len(report) > 1:
            raise AuditError(
                f"--recall-from {spec}: the report holds {', '.join(sorted(report))}; "
                f"name one as {path}:CORPUS"
            )
        corpus = next(iter(report))
    if corpus not in report:
        raise AuditError(f"--recall-from {spec}: no corpus {corpus!r} in the report")
    out = {}
    for attribute, score in report[corpus].items():
        value = score.get("recall") if isinstance(score, dict) else None
        if value is not None and value > 0:
            out[attribute] = float(value)
    return out


# ---------------------------------------------------------------------------------------------
# The estimates
# ---------------------------------------------------------------------------------------------


def _attribute_name(name: str) -> str:
    return re.sub(r"_v\d+$", "", name)


def _catalog(manifest: Mapping[str, Any]) -> tuple[dict[str, str], set[str] | None]:
    """Subject type per attribute, and the single-valued attributes if the catalog says."""
    relations = (manifest.get("catalog") or {}).get("relations") or []
    subjects = {_attribute_name(r["name"]): r.get("subject", "ANY") for r in relations}
    flagged = {
        _attribute_name(r["name"])
        for r in relations
        if r.get("single_valued") is True or r.get("cardinality") == "single"
    }
    declared = any("single_valued" in r or "cardinality" in r for r in relations)
    return subjects, (flagged if declared else None)


def scope_members(
    scope: str, attributes: Iterable[str], subjects: Mapping[str, str], single: set[str] | None
) -> tuple[list[str] | None, str | None]:
    """The attributes a scope spans and, for ``source=S``, the source (``None``: unknown kind).

    Examples
    --------
    >>> scope_members("entity_type=PERSON", ["birth_date", "founded"],
    ...               {"birth_date": "PERSON", "founded": "ORG"}, None)
    (['birth_date'], None)
    >>> scope_members("single_valued", ["birth_date", "employer"], {}, None)
    (['birth_date'], None)
    """
    attrs = sorted(attributes)
    kind, _, name = scope.partition("=")
    if scope == "all":
        return attrs, None
    if kind == "attribute":
        return [name], None
    if kind == "entity_type":
        return [a for a in attrs if subjects.get(a, "ANY") == name], None
    if kind == "source":
        return attrs, name
    if "single" in kind:
        members = single if single is not None else DEFAULT_SINGLE_VALUED
        return [a for a in attrs if a in members], None
    return None, None


COLUMNS: tuple[str, ...] = tuple(AUDIT_ESTIMATES_SCHEMA.names)
PRECISION_METHOD = "Wilson interval of p1 on audited singletons; N1' = N1·p1, N' = N − N1·(1 − p1)"

SCHEMA = AUDIT_ESTIMATES_SCHEMA


@dataclass(frozen=True, slots=True)
class AuditContext:
    """What the per-row computation needs besides the labels: the run's small tables."""

    fof: pd.DataFrame  # scope, unit, key, r, n_r
    audit: pd.DataFrame  # id, attribute, prompt_mentions, prompt_docs, source
    subjects: dict[str, str]
    single_valued: set[str] | None


def _table(fof: pd.DataFrame, scope: str, unit: str, key: str) -> tuple[list[int], list[float]]:
    g = fof[(fof["scope"] == scope) & (fof["unit"] == unit) & (fof["key"] == key)]
    g = g[g["n_r"] > 0]
    return [int(x) for x in g["r"]], [float(x) for x in g["n_r"]]


def _thinning(
    ctx: AuditContext,
    scope: str,
    unit: str,
    key: str,
    members: list[str] | None,
    source: str | None,
    recall: Recall,
    precision: float | None = None,
) -> tuple[ThinningCorrection | None, str | None]:
    """The thinning correction of a row (on the precision-corrected table when given)."""

    def on(r: list[int], n_r: list[float], rho: float) -> ThinningCorrection:
        if precision is not None:
            r, n_r = precision_corrected_table(r, n_r, precision)
        return thinning_correction(r, n_r, rho)

    if not recall.given:
        return None, "no recall given (--recall or --recall-from)"
    if members is None:
        if recall.overall is None:
            return None, f"scope {scope!r}: attributes unknown, and no overall recall"
        return on(*_table(ctx.fof, scope, unit, key), recall.overall), None
    rhos = {a: recall.of(a) for a in members}
    missing = sorted(a for a, v in rhos.items() if v is None)
    if missing:
        return None, f"no recall for {', '.join(missing)}"
    if len(set(rhos.values())) == 1:
        return on(*_table(ctx.fof, scope, unit, key), next(iter(rhos.values()))), None
    if source is not None:
        return None, "per-attribute recalls differ and source scopes are not split by attribute"
    parts = []
    for a in members:
        r, n_r = _table(ctx.fof, f"attribute={a}", unit, key)
        if not r:
            continue
        parts.append((sum(x * y for x, y in zip(r, n_r, strict=True)), on(r, n_r, rhos[a])))
    if not parts:
        return None, "no attribute of the scope has counts"
    return mix_thinning(parts), None


def audit_estimates(
    ctx: AuditContext,
    rows: Iterable[tuple[str, str, str]],
    labels: Labels,
    recall: Recall,
    *,
    confidence: float = 0.95,
    labels_file: str = "",
) -> pd.DataFrame:
    """One row per ``(scope, unit, key)``: raw rate, precision-corrected, thinning-corrected."""
    verdict = {i: lab.verdict for i, lab in labels.by_id.items()}
    audit = ctx.audit.assign(verdict=ctx.audit["id"].map(verdict))
    scopes = ctx.fof["scope"].unique()
    attributes = sorted(s.removeprefix("attribute=") for s in scopes if s.startswith("attribute="))
    out = []
    for scope, unit, key in rows:
        r, n_r = _table(ctx.fof, scope, unit, key)
        big_n = float(sum(x * y for x, y in zip(r, n_r, strict=True)))
        n1 = float(sum(y for x, y in zip(r, n_r, strict=True) if x == 1))
        row: dict[str, Any] = {c: None for c in COLUMNS}
        row.update(scope=scope, unit=unit, key=key, confidence=confidence, labels_file=labels_file)
        row["audit_rows"] = len(ctx.audit)
        row["precision_method"] = PRECISION_METHOD
        row["recall_source"] = recall.source or None
        if big_n <= 0:
            row["precision_note"] = row["thinning_note"] = "no counts for this row"
            out.append(row)
            continue
        row.update(n=int(big_n), n1=int(n1), raw_rate=n1 / big_n)
        members, source = scope_members(scope, attributes, ctx.subjects, ctx.single_valued)
        if members is None:
            pool, note = audit.iloc[0:0], f"scope {scope!r}: attributes unknown"
        else:
            pool, note = audit[audit["attribute"].isin(members)], None
            if source is not None:
                pool = pool[pool["source"] == source]
            if key == "prompt":
                column = "prompt_mentions" if unit == "mention" else "prompt_docs"
                pool = pool[pool[column] == 1]
        judged = pool[pool["verdict"].isin(["correct", "wrong"])]
        row.update(
            labels_in_scope=int(pool["verdict"].notna().sum()),
            correct=int((judged["verdict"] == "correct").sum()),
            wrong=int((judged["verdict"] == "wrong").sum()),
            unsure=int((pool["verdict"] == "unsure").sum()),
        )
        p = None
        if len(judged) == 0:
            row["precision_note"] = note or "no judged (correct or wrong) audit row in scope"
        else:
            c = precision_correction(n1, big_n, row["correct"], len(judged), confidence)
            p = c.precision
            row.update(
                precision=c.precision,
                precision_low=c.precision_low,
                precision_high=c.precision_high,
                n1_corrected=c.n1_corrected,
                n_corrected=c.n_corrected,
                corrected_rate=c.rate,
                corrected_rate_low=c.rate_low,
                corrected_rate_high=c.rate_high,
            )
            if len(judged) < 10:
                row["precision_note"] = f"only {len(judged)} judged rows: a wide interval"
        thin, why = _thinning(ctx, scope, unit, key, members, source, recall)
        if thin is None:
            row["thinning_note"] = why
        else:
            row.update(
                recall=thin.recall,
                thinning_t=thin.t,
                thinning_rate=thin.rate,
                thinning_low=thin.low,
                thinning_high=thin.high,
                thinning_method=thin.method,
                thinning_note=thin.note,
            )
            if p is not None:
                ends = [
                    _thinning(ctx, scope, unit, key, members, source, recall, q)[0]
                    for q in (p, row["precision_low"], row["precision_high"])
                ]
                if all(e is not None and e.rate is not None for e in ends):
                    row["combined_rate"] = ends[0].rate
                    row["combined_low"] = min(e.low for e in ends)
                    row["combined_high"] = max(e.high for e in ends)
        out.append(row)
    return pd.DataFrame(out, columns=list(COLUMNS))


def load_context(run: str | Path) -> tuple[AuditContext, list[tuple[str, str, str]], dict]:
    """The run's small tables, the estimates rows to cover, and its manifest."""
    from singleton_rate.query import connect

    path = Path(run)
    audit = read_audit(path)  # first: it says when the folder is not a complete run
    manifest = read_manifest(path)
    con = connect(path)
    try:
        fof = con.execute("select scope, unit, key, r, n_r from freq_of_freq").df()
        rows = [tuple(x) for x in con.execute("select scope, unit, key from estimates").fetchall()]
        con.register("audit_keys", audit[["id", "doc_id", "entity", "attribute"]])
        extra = con.execute(
            "select a.id, p.mention_count as prompt_mentions, p.doc_count as prompt_docs, "
            "d.source from audit_keys a "
            "left join prompts p on p.entity = a.entity and p.attribute = a.attribute "
            "left join (select distinct doc_id, source from documents) d on d.doc_id = a.doc_id"
        ).df()
    finally:
        con.close()
    audit = audit.merge(extra, on="id", how="left")
    if not rows:
        rows = [tuple(x) for x in fof[["scope", "unit", "key"]].drop_duplicates().to_numpy()]
    subjects, single = _catalog(manifest)
    fof, added = with_single_valued(fof, single)
    if added:
        at = next((i for i, r in enumerate(rows) if r[0] != "all"), len(rows))
        rows = rows[:at] + added + rows[at:]
    return AuditContext(fof, audit, subjects, single), rows, manifest


DERIVED_SCOPE = SINGLE_VALUED_SCOPE = "single_valued"


def with_single_valued(
    fof: pd.DataFrame, single: set[str] | None = None
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Add a ``single_valued`` scope summed from the attribute tables, when the run has none.

    Runs made before the single-valued scope existed have only per-attribute tables; their
    keys are disjoint across attributes, so the scope's ``(r, N_r)`` is the sum over its
    attributes (the catalog's single-valued relations, else :data:`DEFAULT_SINGLE_VALUED`).

    Examples
    --------
    >>> fof = pd.DataFrame({"scope": ["attribute=birth_date", "attribute=founded",
    ...                               "attribute=employer"], "unit": ["mention"] * 3,
    ...                     "key": ["fact"] * 3, "r": [1, 1, 1], "n_r": [3, 4, 5]})
    >>> out, rows = with_single_valued(fof)
    >>> rows, int(out[out.scope == "single_valued"].n_r.sum())
    ([('single_valued', 'mention', 'fact')], 7)
    """
    if any("single" in s for s in fof["scope"].unique()):
        return fof, []
    members = single if single is not None else DEFAULT_SINGLE_VALUED
    parts = fof[fof["scope"].isin([f"attribute={a}" for a in sorted(members)])]
    if parts.empty:
        return fof, []
    summed = parts.groupby(["unit", "key", "r"], as_index=False)["n_r"].sum()
    summed.insert(0, "scope", SINGLE_VALUED_SCOPE)
    rows = [
        (SINGLE_VALUED_SCOPE, u, k)
        for k in ("fact", "prompt")
        for u in ("mention", "document")
        if ((summed["unit"] == u) & (summed["key"] == k)).any()
    ]
    return pd.concat([fof, summed[fof.columns]], ignore_index=True), rows


def write_table(run: str | Path, frame: pd.DataFrame) -> Path:
    """Write (or replace) ``audit_estimates`` in a run folder, atomically, and refresh
    ``catalog.duckdb`` so that ``singletons sql`` sees it."""
    from singleton_rate.query import write_catalog

    path = Path(run)
    final = path / AUDIT_ESTIMATES
    tmp = path / f".{AUDIT_ESTIMATES}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        table = pa.Table.from_pandas(frame, schema=SCHEMA, preserve_index=False)
        pq.write_table(table, tmp / "part-0.parquet")
        old = None
        if final.exists():
            old = path / f".{AUDIT_ESTIMATES}.old-{uuid.uuid4().hex[:8]}"
            os.replace(final, old)
        os.replace(tmp, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if (path / "catalog.duckdb").exists():
        write_catalog(path)
    return final


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:.{digits}f}"


def _band(point: Any, low: Any, high: Any) -> str:
    if point is None or (isinstance(point, float) and math.isnan(point)):
        return "—"
    if low is not None and high is not None and not (low == point == high):
        return f"{_fmt(point)} [{_fmt(low)}, {_fmt(high)}]"
    return _fmt(point)


def format_audit(
    frame: pd.DataFrame, labels: Labels, single_valued: Iterable[str] | None = None
) -> str:
    """The table ``singletons audit`` prints: raw rate, then each correction beside it."""
    lines = [labels.describe(), ""]
    head = (
        f"{'scope':<24}{'unit':<9}{'key':<7}{'raw N1/N':>10}  {'p1 [interval] (ok/judged)':<30}"
        f"{'precision-corr.':<26}{'recall':>7}  {'thinning-corrected':<26}{'both'}"
    )
    lines.append(head)
    for row in frame.itertuples(index=False):
        p = (
            f"{_fmt(row.precision, 3)} [{_fmt(row.precision_low, 3)}, "
            f"{_fmt(row.precision_high, 3)}] ({row.correct}/{row.correct + row.wrong})"
            if row.precision is not None and not pd.isna(row.precision)
            else "—"
        )
        recall = _fmt(row.recall, 3) if row.recall is not None else "—"
        lines.append(
            f"{row.scope:<24}{row.unit:<9}{row.key:<7}{_fmt(row.raw_rate):>10}  {p:<30}"
            f"{_band(row.corrected_rate, row.corrected_rate_low, row.corrected_rate_high):<26}"
            f"{recall:>7}  {_band(row.thinning_rate, row.thinning_low, row.thinning_high):<26}"
            f"{_band(row.combined_rate, row.combined_low, row.combined_high)}"
        )
    notes = {n for col in ("precision_note", "thinning_note") for n in frame[col].dropna().unique()}
    methods = sorted(frame["thinning_method"].dropna().unique())
    lines.append("")
    lines.append(
        "precision-corr.: false singletons removed, N1' = N1·p1, N' = N − N1·(1 − p1) "
        "(the audit reads singletons only; non-singletons are assumed correct)"
    )
    lines.append(
        "thinning-corrected: the missing mass at t = 1/recall times the extracted sample "
        "(the corpus as a model sees it); both: thinning on the precision-corrected table"
    )
    for m in methods:
        lines.append(f"  method: {m}")
    if (frame["scope"] == SINGLE_VALUED_SCOPE).any():
        lines.append(
            f"{SINGLE_VALUED_SCOPE}: "
            + ", ".join(sorted(single_valued or DEFAULT_SINGLE_VALUED))
            + " (summed from the attribute tables when the run has no such scope)"
        )
    lines.append("the raw rate is the measurement; the corrections are model-based sensitivities")
    for n in sorted(notes):
        lines.append(f"  note: {n}")
    return "\n".join(lines)
