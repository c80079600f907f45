"""A grading's files read back: ``singletons report --grades``, ``sql --grades``, the notebook.

``singletons grade`` (:mod:`singleton_rate.grade`) writes a per-answer table
(:data:`GRADE_SCHEMA`) and a summary JSON beside it; this module reads them, with no import
of the grading code, so that :func:`singleton_rate.query.connect` can register a ``grades``
view without importing :mod:`singleton_rate.grade` (which itself reads the run through
``connect``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from singleton_rate.runkeys import ScoreError

GRADE_SCHEMA = pa.schema(
    [
        ("index", pa.int64()),
        ("location", pa.string()),
        ("id", pa.string()),
        ("entity", pa.string()),
        ("attribute", pa.string()),
        ("entity_key", pa.string()),  # joins facts/prompts with attribute
        ("stratum", pa.string()),
        ("count", pa.int64()),
        ("bucket", pa.string()),
        ("count_class", pa.string()),
        ("single_valued", pa.bool_()),
        ("answer", pa.string()),
        ("confidence", pa.float64()),
        ("outcome", pa.string()),  # correct / wrong / abstained
        ("answer_key", pa.string()),
        ("matched_gold", pa.string()),
        ("n_gold", pa.int64()),
        ("status", pa.string()),  # graded / malformed / duplicate / unknown_id
        ("reason", pa.string()),
        ("detail", pa.string()),
    ]
)

SUMMARY_SUFFIX = ".summary.json"
TABLE_SUFFIXES = (".parquet", ".csv", ".jsonl", ".ndjson")
_NEEDED_COLUMNS = ("entity_key", "attribute", "count", "bucket", "outcome", "status")


@dataclass(frozen=True, slots=True)
class Grades:
    """A grading read back from ``singletons grade``'s files.

    ``label`` names it (the model, from the file name); ``table`` is the per-answer file
    (``GRADE_SCHEMA``; ``None`` when only the summary was asked for) and ``summary`` the
    summary JSON as a dictionary (``GradeSummary.as_dict()``; ``None`` likewise).
    """

    label: str
    table_path: Path | None
    summary_path: Path | None
    table: pa.Table | None
    summary: dict[str, Any] | None


def grades_label(path: str | Path) -> str:
    """The name a grading goes by: its file name without the extension, ``.summary`` and a
    trailing ``-grades`` (``grade``'s default output is ``<ANSWERS>-grades.parquet``).

    Examples
    --------
    >>> grades_label("runs/x/lmkbc-text-davinci-002-grades.parquet")
    'lmkbc-text-davinci-002'
    >>> grades_label("bert-grades.summary.json"), grades_label("answers.csv")
    ('bert', 'answers')
    """
    name = Path(path).name
    name = name[: -len(SUMMARY_SUFFIX)] if name.endswith(SUMMARY_SUFFIX) else Path(name).stem
    return name.removesuffix("-grades") or name


def read_grades_table(path: str | Path) -> pa.Table:
    """The per-answer table ``grade`` wrote (Parquet, CSV or JSON lines), as ``GRADE_SCHEMA``.

    Raises
    ------
    ScoreError
        When the file is missing, unreadable, or lacks the grading's columns.
    """
    import pyarrow.csv as pacsv

    path = Path(path)
    if not path.is_file():
        raise ScoreError(f"{path}: no such grades file")
    kind = path.suffix.lower()
    try:
        if kind == ".parquet":
            table = pq.read_table(path)
        elif kind == ".csv":
            table = pacsv.read_csv(
                path,
                convert_options=pacsv.ConvertOptions(
                    column_types={f.name: f.type for f in GRADE_SCHEMA},
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,
                ),
            )
        elif kind in (".jsonl", ".ndjson"):
            rows = [
                json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()
            ]
            names = set(rows[0]) if rows else set()
            missing = [c for c in _NEEDED_COLUMNS if c not in names]
            if rows and missing:
                raise ScoreError(
                    f"{path}: not a grades file (no {', '.join(missing)}; made by "
                    "singletons grade --output?)"
                )
            table = pa.Table.from_pylist(
                [{n: r.get(n) for n in GRADE_SCHEMA.names} for r in rows], schema=GRADE_SCHEMA
            )
        else:
            raise ScoreError(
                f"{path}: unknown grades format {kind!r} (expected {', '.join(TABLE_SUFFIXES)}, "
                f"or the {SUMMARY_SUFFIX} beside one)"
            )
    except (OSError, pa.ArrowException, json.JSONDecodeError) as exc:
        raise ScoreError(f"{path}: cannot read the grades file: {exc}") from exc
    missing = [c for c in _NEEDED_COLUMNS if c not in table.column_names]
    if missing:
        raise ScoreError(
            f"{path}: not a grades file (no {', '.join(missing)}; made by singletons grade "
            "--output?)"
        )
    present = [f for f in GRADE_SCHEMA if f.name in table.column_names]
    return table.select([f.name for f in present]).cast(pa.schema(present))


def read_grade_summary(path: str | Path) -> dict[str, Any]:
    """The summary JSON ``grade`` wrote, as a dictionary (``GradeSummary.as_dict()``)."""
    path = Path(path)
    if not path.is_file():
        raise ScoreError(f"{path}: no such grade summary")
    try:
        summary = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScoreError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(summary, dict) or not {"buckets", "overall", "floor"} <= set(summary):
        raise ScoreError(f"{path}: not a grade summary (made by singletons grade?)")
    return summary


def read_grades(path: str | Path, *, table: bool = True, summary: bool = True) -> Grades:
    """Read a grading from either of ``grade``'s files, finding the other beside it.

    ``path`` is the per-answer file (``NAME.parquet``, ``.csv``, ``.jsonl``), whose summary
    is ``NAME.summary.json`` beside it, or that summary, whose per-answer file is the
    ``NAME.*`` beside it. ``table`` and ``summary`` say which parts are needed; a needed
    part that is missing is a :class:`ScoreError` naming the file looked for.
    """
    path = Path(path)
    if not path.exists():
        raise ScoreError(f"{path}: no such grades file")
    if path.name.endswith(SUMMARY_SUFFIX):
        summary_file: Path | None = path
        stem = path.name[: -len(SUMMARY_SUFFIX)]
        candidates = [path.with_name(stem + s) for s in TABLE_SUFFIXES]
        table_file = next((c for c in candidates if c.is_file()), None)
        if table and table_file is None:
            raise ScoreError(
                f"{path}: no per-answer file beside it ({', '.join(c.name for c in candidates)})"
            )
    else:
        table_file = path
        summary_file = path.with_name(path.stem + SUMMARY_SUFFIX)
        if summary and not summary_file.is_file():
            raise ScoreError(
                f"{path}: no summary beside it ({summary_file.name}; singletons grade writes "
                "it, or name it with --summary)"
            )
    return Grades(
        label=grades_label(path),
        table_path=table_file,
        summary_path=summary_file,
        table=read_grades_table(table_file) if table and table_file is not None else None,
        summary=read_grade_summary(summary_file) if summary and summary_file else None,
    )


def grades_view(gradings: Sequence[Grades]) -> pa.Table:
    """The ``grades`` view of ``singletons sql --grades``: every per-answer row, named as the run.

    Column ``model`` (the grading's label) first; then the per-answer columns, with ``entity``
    the entity *key* and ``entity_text`` the entity as the question or answer wrote it, as in
    the run's ``facts`` and ``prompts``, so ``grades join prompts using (entity, attribute)``
    joins each graded question to its prompt.

    Raises
    ------
    ScoreError
        When two gradings have the same label (rename a file), or one has no table.
    """
    labels = Counter(g.label for g in gradings)
    twice = sorted(k for k, v in labels.items() if v > 1)
    if twice:
        raise ScoreError(
            f"two grades files are both named {twice[0]!r} (the name comes from the file "
            "name without -grades): rename one"
        )
    parts = []
    for g in gradings:
        if g.table is None:
            raise ScoreError(f"{g.label}: the grading was read without its per-answer table")
        t = g.table
        names = [
            {"entity": "entity_text", "entity_key": "entity"}.get(n, n) for n in t.column_names
        ]
        t = t.rename_columns(names)
        t = t.add_column(0, "model", pa.array([g.label] * t.num_rows, pa.string()))
        parts.append(t)
    if not parts:
        raise ScoreError("no grades files")
    return pa.concat_tables(parts, promote_options="default")
