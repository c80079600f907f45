"""One self-contained HTML report of a run: estimates, plots and what each number means.

Like SpadeR's printed report for its estimators, every number comes with a plain-language
explanation, the assumptions it rests on and its source (formulas:
``theory.md`` in the package, ``pipeline/singleton_rate/theory.md`` in a checkout; code:
:mod:`singleton_rate.estimate`). The file has inline CSS and the plots as base64 PNG: it
opens offline, from anywhere, and can be mailed as one file. The run folder is only read
(through :func:`singleton_rate.query.connect`).
"""

from __future__ import annotations

import base64
import html
import math
import numbers
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# The figures draw on an Agg canvas (singleton_rate.plots.to_png): no display and no pyplot state,
# so making a report never changes the backend of the process it runs in (a notebook's).
from singleton_rate import grade_plots, plots
from singleton_rate.contract import COUNTED_STATUS, read_manifest
from singleton_rate.estimate.table import CLAIM, HEADLINE, beside_rows, headline_row
from singleton_rate.grade import MEANING as GRADE_MEANING
from singleton_rate.gradefiles import Grades, read_grades
from singleton_rate.query import connect
from singleton_rate.summary import headline_notes


@dataclass(frozen=True, slots=True)
class Explanation:
    """One number (or group of columns) of the report: what it is, what it assumes, whence."""

    anchor: str
    title: str
    columns: str
    meaning: str
    assumptions: str
    source: str


# The prose is data (report_text/explanations.toml, beside the stylesheet): it follows
# theory.md and the README's "What the numbers mean" and is edited as text, not as Python.
TEXT_DIR = resources.files("singleton_rate").joinpath("report_text")


def _load_text() -> tuple[tuple[Explanation, ...], tuple[str, ...]]:
    data = tomllib.loads(TEXT_DIR.joinpath("explanations.toml").read_text("utf-8"))
    explanations = tuple(Explanation(**e) for e in data["explanation"])
    return explanations, tuple(r["text"] for r in data["reference"])


EXPLANATIONS, REFERENCES = _load_text()

FLAG_COLUMNS: tuple[str, ...] = (
    "flag_f2_zero",
    "flag_all_singletons",
    "flag_sgt_slope",
    "flag_coverage_degenerate",
    "flag_floor_uninformative",
    "flag_esty_degenerate",
)

CSS = TEXT_DIR.joinpath("report.css").read_text("utf-8")


def _fmt(value: Any, digits: int = 4) -> str:
    """A cell: numbers at ``digits`` decimals (integers with thousands separators), escaped text."""
    if value is None or (isinstance(value, numbers.Real) and math.isnan(value)):
        return "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):.{digits}f}"
    return html.escape(str(value))


def _interval(low: Any, high: Any, digits: int = 4) -> str:
    return f"[{_fmt(low, digits)}, {_fmt(high, digits)}]"


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _figure(fig: Any, alt: str, caption: str) -> str:
    return (
        f'<figure class="plot">{_img(plots.to_png(fig), alt)}'
        f"<figcaption>{caption}</figcaption></figure>"
    )


ROW_KEYS = ("scope", "unit", "key", "thinning_method")


def _table(frame: pd.DataFrame, numeric: Sequence[str] = ()) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for rec in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, rec, strict=True):
            cls = ' class="num"' if col in numeric else ""
            cells.append(f"<td{cls}>{_fmt(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(rows)}</table></div>'


def _has(con: Any, view: str, column: str) -> bool:
    """Whether ``view`` exists and has ``column`` (optional tables have no view when absent)."""
    [(found,)] = con.execute(
        "select count(*) from duckdb_columns() where table_name = ? and column_name = ?",
        [view, column],
    ).fetchall()
    return bool(found)


def _head(headers: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f'<th><a href="#explain-{anchor}" title="see: what it means">{html.escape(h)}</a></th>'
        for h, anchor in headers
    )


def _row_id(r: dict[str, Any]) -> list[str]:
    return [f"<td>{_fmt(r[c])}</td>" for c in ("scope", "unit", "key")]


ROW_ID = (("scope", "unit-key"), ("unit", "unit-key"), ("key", "unit-key"))


def _estimates_table(est: pd.DataFrame) -> str:
    """The headline columns: counts, rates, intervals, floor and ceiling, flags."""
    headers = [
        *ROW_ID,
        ("N", "counts"),
        ("distinct", "counts"),
        ("N1", "counts"),
        ("N2", "counts"),
        ("N1/N", "singleton_rate"),
        ("N1/S", "singleton_share"),
        ("distribution-free interval", "missing_mass_interval"),
        ("Esty interval", "esty"),
        ("floor (raw)", "floor"),
        ("ceiling", "ceiling"),
        ("flags", "flags"),
    ]
    rows = []
    for r in est.to_dict("records"):
        flags = ", ".join(f.removeprefix("flag_") for f in FLAG_COLUMNS if r.get(f))
        cells = [
            *_row_id(r),
            *(f'<td class="num">{_fmt(r[c])}</td>' for c in ("n", "distinct", "n1", "n2")),
            f'<td class="num"><b>{_fmt(r["singleton_rate"])}</b></td>',
            f'<td class="num">{_fmt(r["singleton_share"])}</td>',
            f'<td class="num">{_interval(r["missing_mass_low"], r["missing_mass_high"])}</td>',
            f'<td class="num">{_interval(r["esty_low"], r["esty_high"])}</td>',
            f'<td class="num">{_fmt(r["hallucination_floor"])} '
            f"({_fmt(r['hallucination_floor_raw'], 3)})</td>",
            f'<td class="num">{_fmt(r["hallucination_ceiling"])}</td>',
            f"<td>{html.escape(flags) or '–'}</td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="scroll"><table><tr>{_head(headers)}</tr>{"".join(rows)}</table></div>'


def _halving_cell(r: dict[str, object]) -> str:
    """``target at [t_low, t_high] × N``, or ``target: not before t × N (reason)``; ``–``
    where Theorem 2 does not apply. Reads runs written before the band (``floor_halving_t``)
    too."""
    target = r.get("floor_halving_target")
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return "–"
    name = html.escape(str(target))
    if "floor_halving_t_low" not in r:  # a run written before the band
        if r.get("floor_halving_found"):
            return f"{name} at {_fmt(r.get('floor_halving_t'), 1)} × N (old run)"
        return f"{name}: not found (old run)"
    if r.get("floor_halving_found"):
        return (
            f"{name} at {_fmt(r['floor_halving_t_low'], 2)}–{_fmt(r['floor_halving_t_high'], 2)}"
            " × N"
        )
    return (
        f"{name}: not before {_fmt(r.get('floor_halving_not_before'), 2)} × N "
        f"({html.escape(str(r.get('floor_halving_reason') or ''))})"
    )


def _details_table(est: pd.DataFrame) -> str:
    """The rest: floor terms, |E_c|, coverage, Chao1, SGT, when the floor would halve."""
    headers = [
        *ROW_ID,
        ("term |E_c|", "floor_terms"),
        ("term sampling", "floor_terms"),
        ("term δ", "floor_terms"),
        ("|E_c| min–max", "error_set"),
        ("coverage", "coverage"),
        ("Chao1 [interval]", "chao1"),
        ("SGT slope", "sgt"),
        ("floor halving", "halving"),
    ]
    rows = []
    for r in est.to_dict("records"):
        halving = _halving_cell(r)
        cells = [
            *_row_id(r),
            *(
                f'<td class="num">{_fmt(r[c], 3)}</td>'
                for c in ("floor_term_error_set", "floor_term_sampling", "floor_term_calibration")
            ),
            f'<td class="num">{_fmt(r["error_set_min"])}–{_fmt(r["error_set_max"])}</td>',
            f'<td class="num">{_fmt(r["coverage"])}</td>',
            f'<td class="num">{_fmt(r["chao1"], 0)} '
            f"{_interval(r['chao1_low'], r['chao1_high'], 0)}</td>",
            f'<td class="num">{_fmt(r["sgt_slope"], 3)}</td>',
            f"<td>{halving}</td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="scroll"><table><tr>{_head(headers)}</tr>{"".join(rows)}</table></div>'


def _headline(
    est: pd.DataFrame, confidence: float, theorem_confidence: float, calibration_error: float
) -> str:
    """The headline (:data:`singleton_rate.estimate.table.HEADLINE`), its claim, and the rows
    beside it; the same numbers and sentence as the terminal summary."""
    if est.empty:
        return "<p>No facts were extracted: there is nothing to estimate.</p>"
    row = headline_row(est)
    scope, unit, key = HEADLINE
    if row is None:
        return (
            f'<div class="headline"><p>Headline (scope <code>{scope}</code>, unit '
            f"<code>{unit}</code>, key <code>{key}</code>): no fact of a single-valued relation "
            "was extracted, so Theorem 2's floor has nothing to apply to.</p></div>"
        )
    terms = (
        f"2/min|E<sub>c</sub>| = {_fmt(row['floor_term_error_set'])} (min|E<sub>c</sub>| = "
        f"{_fmt(row['error_set_min'])}), sampling {_fmt(row['floor_term_sampling'])}, "
        f"δ = {row['floor_term_calibration']:g}"
    )
    if row["hallucination_floor"] > 0:
        floor = f"the Theorem 2 floor is <b>{_fmt(row['hallucination_floor'])}</b> ({terms})"
    else:
        from_n = float(row["floor_informative_from_n"])
        when = (
            f"it would turn positive from N ≈ {from_n:,.0f} occurrences at this rate"
            if math.isfinite(from_n)
            else "no corpus size makes it positive at this rate"
        )
        floor = (
            f"the Theorem 2 floor is 0, uninformative: its terms ({terms}) exceed N1/N at "
            f"N = {_fmt(int(row['n']))}; {when}"
        )
    beside = "".join(
        f"<li>{html.escape(str(r['rate_name']))} = {_fmt(r['singleton_rate'])} (scope "
        f"<code>{html.escape(str(r['scope']))}</code>, unit {r['unit']}, key {r['key']}"
        f"{'' if r['theorem2_applies'] else '; Theorem 2 does not apply'})</li>"
        for r in beside_rows(est)
    )
    claim = html.escape(CLAIM.format(delta=calibration_error, confidence=theorem_confidence))
    return (
        f'<div class="headline"><p>Headline: scope <code>{scope}</code>, unit '
        f"<code>{unit}</code>, key <code>{key}</code>: the prompts (entity, attribute) of "
        "single-valued relations, one occurrence per (document, prompt), the row where "
        "Theorem 2's hypotheses hold.</p><ul>"
        f"<li>{_fmt(int(row['n1']))} of {_fmt(int(row['n']))} occurrences are of prompts "
        f"stated in one document only: singleton rate N1/N = "
        f"<b>{_fmt(row['singleton_rate'])}</b> (Esty-type score {confidence:.0%} interval "
        f"{_interval(row['esty_low'], row['esty_high'])}, distribution-free "
        f"{_interval(row['missing_mass_low'], row['missing_mass_high'])}; both assume "
        f"independent documents); at {theorem_confidence:.0%} confidence {floor}; the "
        f"ceiling is {_fmt(row['hallucination_ceiling'])}.</li></ul>"
        + "".join(f"<p>{html.escape(note)}</p>" for note in headline_notes(row))
        + f"<p>{claim}</p><p>Beside it, other questions:</p><ul>{beside}</ul></div>"
    )


# --------------------------------------------------------------------------------------------
# A model's answers against the corpus (singletons report RUN --grades FILE)
# --------------------------------------------------------------------------------------------

# The rows of the "what these rates mean" list, in the order the section shows them; the texts
# are singleton_rate.grade.MEANING's (one home of the definitions).
GRADE_TERMS: tuple[tuple[str, str], ...] = (
    ("n", "n"),
    ("accuracy", "accuracy"),
    ("hallucination", "hallucination"),
    ("abstention", "abstention"),
    ("wrong/answered", "wrong/answered"),
    ("intervals", "interval"),
    ("logistic fit", "logistic"),
    ("hallucination beside the floor", "floor"),
    ("confidence targets", "targets"),
    ("calibration (ECE, delta_hat)", "calibration"),
)


def _share_cell(share: dict[str, Any] | None, digits: int = 3) -> str:
    """``0.250 [0.046, 0.699]`` from a summary share (``k, n, share, low, high``); – if none."""
    if not share or share.get("share") is None:
        return "–"
    return f"{_fmt(share['share'], digits)} {_interval(share['low'], share['high'], digits)}"


def _cells(values: Sequence[Any], numeric: Sequence[bool]) -> str:
    return "".join(
        ("<td class='num'>" if num else "<td>") + f"{v}</td>"
        for v, num in zip(values, numeric, strict=True)
    )


def _slug(key: str) -> str:
    """``wrong/answered`` → ``wrong-answered``: an id for a definition."""
    return "".join(c if c.isalnum() else "-" for c in key)


def _grade_rows(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[bool]
) -> str:
    def th(h: str) -> str:
        if h in GRADE_MEANING:  # a defined rate: the head links to its definition
            link = f'<a href="#grade-{_slug(h)}" title="see: what it means">{html.escape(h)}</a>'
            return f"<th>{link}</th>"
        return f"<th>{html.escape(h)}</th>"

    head = "".join(th(h) for h in headers)
    body = "".join(f"<tr>{_cells(r, numeric)}</tr>" for r in rows)
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


def _bucket_table(summary: dict[str, Any]) -> str:
    """Per count bucket and over all: n, counts and the rates with their Wilson intervals."""
    headers = (
        "count",
        "n",
        "correct",
        "wrong",
        "abstained",
        "accuracy",
        "hallucination",
        "abstention",
        "wrong/answered",
    )
    rows = [
        [
            html.escape(str(b["bucket"])),
            _fmt(b["n"]),
            _fmt(b["correct"]),
            _fmt(b["wrong"]),
            _fmt(b["abstained"]),
            _share_cell(b["accuracy"]),
            _share_cell(b["hallucination"]),
            _share_cell(b["abstention"]),
            _share_cell(b["error_when_answered"]),
        ]
        for b in (*summary["buckets"], summary["overall"])
    ]
    return _grade_rows(headers, rows, [False] + [True] * 8)


def _logistic_text(fit: dict[str, Any]) -> str:
    if fit.get("converged"):
        return (
            f"Logistic fit P(correct) = σ(a + b·log(1 + count)): a = {_fmt(fit['intercept'], 3)} "
            f"± {_fmt(fit['se_intercept'], 3)}, b = {_fmt(fit['slope'], 3)} ± "
            f"{_fmt(fit['se_slope'], 3)} (standard errors; n {_fmt(fit['n'])})."
        )
    return (
        f"Logistic fit: none ({html.escape(str(fit.get('note') or 'not converged'))}; "
        f"n {_fmt(fit.get('n'))})."
    )


def _floor_table(floor: dict[str, Any]) -> str:
    """Observed hallucination on the (prompt-weighted) sample beside the run's prediction."""
    run = floor.get("run") or {}
    mm = (
        _interval(run.get("missing_mass_low"), run.get("missing_mass_high"))
        if "missing_mass_low" in run
        else "–"
    )
    rows = [
        [
            f"hallucination on {html.escape(str(floor['sample']))}",
            _fmt(floor["n"]),
            _share_cell(floor["hallucination"], 4),
        ],
        [
            "its share unseen in the counted part",
            _fmt(floor["n"]),
            _share_cell(floor["unseen_share"], 4),
        ],
        [
            "the run's predicted missing mass N1/N (distribution-free interval)",
            _fmt(run.get("n")),
            f"{_fmt(run.get('singleton_rate'))} {mm}",
        ],
        ["the run's Theorem 2 floor", "", _fmt(run.get("hallucination_floor"))],
    ]
    return _grade_rows(("", "n", "share"), rows, [False, True, True]) + (
        f"<p class='label'>The run's numbers: {html.escape(str(run.get('source', '')))}.</p>"
    )


def _targets_table(summary: dict[str, Any]) -> str:
    order = [b["bucket"] for b in summary["buckets"]]
    rows = []
    for row in summary["targets"]:
        answered = [b for b in order if row["best_policy"].get(b) == "answer"]
        rows.append(
            [
                _fmt(row["t"], 2),
                _fmt(row["penalty"], 2),
                _fmt(row["score_as_answered"]),
                _fmt(row["score_thresholded"]),
                _fmt(row["best_policy_score"]),
                html.escape(", ".join(answered) or "none"),
            ]
        )
    return _grade_rows(
        (
            "t",
            "penalty t/(1−t)",
            "score as answered",
            "answering only above t",
            "best per-bucket policy",
            "the policy answers in buckets",
        ),
        rows,
        [True] * 5 + [False],
    )


def _calibration_table(calib: dict[str, Any]) -> str:
    rows = [
        [
            f"[{b['low']:.1f}, {b['high']:.1f})",
            _fmt(b["n"]),
            _fmt(b["mean_confidence"], 3),
            _fmt(b["accuracy"], 3),
        ]
        for b in calib["bins"]
        if b["n"]
    ]
    return (
        f"<p>Calibration over {_fmt(calib['n'])} answers with a confidence: ECE "
        f"{_fmt(calib['ece'])}, delta_hat {_fmt(calib['delta_hat'])}.</p>"
        + _grade_rows(
            ("confidence bin", "answers", "mean confidence", "accuracy"),
            rows,
            [False, True, True, True],
        )
    )


def _same_run(graded_run: str, run: Path) -> bool:
    try:
        return Path(graded_run).resolve() == run.resolve()
    except (OSError, ValueError):
        return False


def grading_section(grading: Grades, run: Path) -> str:
    """One grading's part of the section: counts, the bucket table, plots, floor, targets."""
    s = grading.summary
    assert s is not None, "read with its summary"
    label = html.escape(grading.label)
    reasons = ", ".join(f"{html.escape(k)} {v}" for k, v in s["malformed_reasons"].items())
    where = (
        ""
        if _same_run(s["run"], run)
        else f" <b>Graded against the run {html.escape(s['run'])}, not this one</b>: counts and "
        "the floor are that run's."
    )
    parts = [
        f'<h3 id="grades-{label}">{label}</h3>',
        f"<p class='meta'>Answers {html.escape(str(s['answers']))}"
        + (f", questions {html.escape(str(s['questions']))}" if s.get("questions") else "")
        + f"; summary {html.escape(str(grading.summary_path))}.{where}<br>"
        f"{_fmt(s['n_rows'])} rows = {_fmt(s['n_graded'])} graded + {_fmt(s['n_malformed'])} "
        f"malformed{f' ({reasons})' if reasons else ''} + {_fmt(s['n_duplicate'])} duplicate + "
        f"{_fmt(s['n_unknown_id'])} unknown id; questions of the set without an answer: "
        f"{_fmt(s['n_unanswered'])}; graded questions with no true answer: "
        f"{_fmt(s['n_no_true_answer'])}.<br>"
        f"Graded questions whose entity the run names: {_fmt(s['n_entity_in_run'])} of "
        f"{_fmt(s['n_graded'])}. Counts from {html.escape(str(s['count_source']))}, unit "
        f"{html.escape(str(s['count_unit']))}; intervals {float(s['confidence']):.0%} Wilson.</p>",
        _bucket_table(s),
        f"<p>{_logistic_text(s['logistic'])}</p>",
        _figure(
            grade_plots.rates_by_count(s, title=f"{grading.label}: answers by corpus count"),
            f"{grading.label}: accuracy, hallucination and abstention against count",
            "Accuracy, hallucination and abstention per count bucket on a log(1 + count) axis "
            f"(a bucket at its midpoint), with {float(s['confidence']):.0%} Wilson intervals, "
            "and the logistic fit of correctness when there is one.",
        ),
    ]
    calib = s.get("calibration")
    if calib:
        parts.append(
            _figure(
                grade_plots.calibration_plot(s, title=f"{grading.label}: calibration"),
                f"{grading.label}: accuracy against mean confidence",
                "Accuracy of the answered questions against their mean confidence per "
                "confidence bin (area ∝ answers); on the dashed diagonal the model is "
                "calibrated.",
            )
        )
    parts.append("<h4>Hallucination beside the run's floor</h4>" + _floor_table(s["floor"]))
    if s.get("targets"):
        parts.append(
            "<h4>Confidence targets</h4><p>+1 correct, −t/(1−t) wrong, 0 for \"I don't "
            'know", averaged over the graded questions.</p>' + _targets_table(s)
        )
    if calib:
        parts.append("<h4>Calibration</h4>" + _calibration_table(calib))
    parts.extend(f"<p class='label'>Note: {html.escape(str(n))}</p>" for n in s.get("notes", []))
    return "".join(parts)


def _overview_table(gradings: Sequence[Grades]) -> str:
    """One row per grading: graded questions and the overall rates (several models)."""
    ts = [row["t"] for row in gradings[0].summary["targets"]] if gradings[0].summary else []
    rows = []
    for g in gradings:
        s = g.summary or {}
        by_t = {row["t"]: row for row in s.get("targets", [])}
        rows.append(
            [
                f'<a href="#grades-{html.escape(g.label)}">{html.escape(g.label)}</a>',
                _fmt(s["n_graded"]),
                _fmt(s["n_entity_in_run"]),
                _share_cell(s["overall"]["accuracy"]),
                _share_cell(s["overall"]["hallucination"]),
                _share_cell(s["overall"]["abstention"]),
                *(_fmt((by_t.get(t) or {}).get("score_as_answered")) for t in ts),
            ]
        )
    return _grade_rows(
        (
            "grading",
            "graded",
            "entity in the run",
            "accuracy (all)",
            "hallucination (all)",
            "abstention (all)",
            *(f"score at t = {t:g}" for t in ts),
        ),
        rows,
        [False] + [True] * (5 + len(ts)),
    )


def grades_section(gradings: Sequence[Grades], run: str | Path) -> str:
    """The report's section "A model's answers against the corpus", one part per grading.

    Everything it shows was computed by :func:`singleton_rate.grade.grade` (the summary JSON); the
    figures are :mod:`singleton_rate.grade_plots`'s and the definitions
    :data:`singleton_rate.grade.MEANING`'s: this only renders them.
    """
    if not gradings:
        return ""
    intro = (
        "<h2 id='grades'>A model's answers against the corpus</h2><p>From <code>singletons "
        "grade</code>: each answer is correct, wrong (a hallucination) or abstained, and each "
        "question is bucketed by how often this corpus states its prompt (entity, attribute). "
        "The rates are over a bucket's graded questions; the <code>all</code> row weights "
        "the buckets as the question set was drawn, not as the corpus does.</p>"
    )
    overview = "<p>Side by side:</p>" + _overview_table(gradings) if len(gradings) > 1 else ""
    body = "".join(grading_section(g, Path(run)) for g in gradings)
    terms = "".join(
        f'<dt id="grade-{_slug(key)}">{html.escape(term)}</dt>'
        f"<dd>{html.escape(GRADE_MEANING[key])}</dd>"
        for term, key in GRADE_TERMS
    )
    return (
        intro + overview + body + f'<h3>What these rates mean</h3><dl class="explain">{terms}</dl>'
    )


def build_report(run: str | Path, grades: Sequence[str | Path] = ()) -> str:
    """The report of ``run`` as one HTML document (a string).

    Parameters
    ----------
    run : str or Path
        A complete run folder.
    grades : sequence of str or Path
        Gradings of ``singletons grade`` (per-answer files with their summary JSON beside
        them, or the summaries), one per model: the section "A model's answers against the
        corpus" (:func:`grades_section`).

    Returns
    -------
    str
        Self-contained HTML: inline CSS, plots as base64 PNG, no external resource.
    """
    path = Path(run)
    # Read first: a grades file that cannot be used stops the report before anything opens.
    gradings = [read_grades(g, table=False) for g in grades]
    con = connect(path)
    manifest = read_manifest(path)
    config = manifest.get("config", {})
    confidence = float(config.get("confidence", 0.95))
    theorem_confidence = float(config.get("theorem_confidence", 0.99))
    has_estimates = _has(con, "estimates", "scope")
    est = (
        con.sql("select * from estimates order by scope, unit desc, key").df()
        if has_estimates
        else pd.DataFrame()
    )

    sections: list[str] = []
    calibration_error = float(config.get("calibration_error", 0.0))
    sections.append(
        _headline(est, confidence, theorem_confidence, calibration_error) if has_estimates else ""
    )

    figures = []
    if _has(con, "freq_of_freq", "scope"):
        fof = con.sql(
            "select unit, key, r, n_r from freq_of_freq where scope = 'all' order by r"
        ).df()
        figures.append(
            _figure(
                plots.fof_loglog(fof, title="Frequency of frequencies, scope all"),
                "frequency of frequencies on log-log axes",
                "N<sub>r</sub>, the number of keys seen exactly r times, on log–log axes, per "
                "unit and key. The left end is N1: the heavier it is against the rest, the "
                "higher the singleton rate.",
            )
        )
    if has_estimates:
        attr = est[(est["scope"].str.startswith("attribute=")) & (est["key"] == "prompt")]
        figures.append(
            _figure(
                plots.singleton_rate_by_attribute(attr, title="Singleton rate per attribute"),
                "singleton rate per attribute with intervals",
                f"N1/N per attribute (prompt key), per unit, with the distribution-free "
                f"{confidence:.0%} interval (thin bar) and Esty's (thick bar).",
            )
        )
    if _has(con, "extrapolation", "scope"):
        ext = con.sql(
            f"select * from extrapolation where scope = '{HEADLINE[0]}' and key = '{HEADLINE[2]}' "
            "order by unit, t"
        ).df()
        if len(ext):
            figures.append(
                _figure(
                    plots.extrapolation_curve(ext, title="If the corpus were t times larger"),
                    "predicted missing mass against corpus size",
                    "Predicted missing mass (solid: rarefaction below N, Chao–Jost to 2N) "
                    "and, beyond 2N, the band that covered the exact expected missing mass "
                    "in simulation (shaded; no point estimate there), with Theorem 2's floor "
                    f"(dashed, its band hatched) at t × N, scope {HEADLINE[0]}, key "
                    f"{HEADLINE[2]}. The vertical lines mark the observed N.",
                )
            )
    sections.append("<h2>Plots</h2>" + "".join(figures))

    if has_estimates:
        sections.append(
            "<h2>Estimates</h2><p>One row per scope, count unit and key; column heads link "
            "to what each number means. The floor's unclipped value is in parentheses.</p>"
            + _estimates_table(est)
            + "<h3>Correction terms, richness and extrapolation</h3>"
            + _details_table(est)
        )

    if _has(con, "audit_estimates", "raw_rate"):
        audit = con.sql(
            "select scope, unit, key, raw_rate, precision, precision_low, precision_high, "
            "corrected_rate, recall, thinning_rate, thinning_low, thinning_high, "
            "thinning_method from audit_estimates where precision is not null "
            f"order by scope = '{HEADLINE[0]}' desc, scope, unit, key"
        ).df()
        sections.append(
            "<h2>Extraction error in the number</h2><p>From <code>singletons audit</code>: a "
            "person's verdicts on the audit sample give the precision p1 of singleton facts "
            "(Wilson interval); removing false singletons gives N1' = N1·p1, "
            "N' = N − N1·(1 − p1). A recall figure treats the extracted sample as a thinning "
            "of the corpus a model sees, so its missing mass is the sample's extrapolated to "
            "t = 1/recall (Chao–Jost to 2×, the validated band beyond). These are "
            "model-based sensitivities beside the raw rate, which stays the measurement.</p>"
            + _table(audit, numeric=[c for c in audit.columns if c not in ROW_KEYS])
        )

    sections.append(grades_section(gradings, path))

    explain = "".join(
        f'<dt id="explain-{e.anchor}">{e.title} <span class="cols">({html.escape(e.columns)})'
        f"</span></dt><dd><p>{e.meaning}</p><p><span class='label'>Assumes:</span> "
        f"{e.assumptions}</p><p><span class='label'>Source:</span> {e.source}</p></dd>"
        for e in EXPLANATIONS
    )
    sections.append(
        '<h2>What each number means</h2><p>"theory.md" is the formulas\' reference, shipped '
        "with the package (<code>singleton_rate/theory.md</code>; in a checkout "
        f'<code>pipeline/singleton_rate/theory.md</code>).</p><dl class="explain">{explain}</dl>'
    )

    if _has(con, "prompts", "n_values"):
        conflicts = con.sql(
            'select entity_text as entity, attribute, n_values as "values", mention_count '
            "as mentions, doc_count as documents from prompts where n_values > 1 "
            "order by n_values desc, mention_count desc, entity limit 10"
        ).df()
        sections.append(
            "<h2>Facts with the most conflicting values</h2><p>Questions (entity, attribute) "
            "the corpus answers in more than one way: the fact and prompt keys part here.</p>"
            + (_table(conflicts, ("values", "mentions", "documents")) if len(conflicts) else "")
        )
    if _has(con, "facts", "mention_count") and _has(con, "mentions", "sentence"):
        examples = con.sql(
            "select m.entity_text as entity, m.attribute, m.value_text as value, m.sentence "
            "from mentions m join facts f using (entity, attribute, value) "
            f"where f.mention_count = 1 and m.status = '{COUNTED_STATUS}' "
            "order by hash(m.doc_id, m.start), m.doc_id limit 10"
        ).df()
        sections.append(
            "<h2>Singletons, with their sentences</h2><p>What N1 holds: facts the corpus "
            "states once, with the sentence that states them (a fixed pseudo-random sample; "
            "<code>audit/</code> holds a larger one).</p>" + _table(examples)
        )
    con.close()

    references = "".join(f"<li>{r}</li>" for r in REFERENCES)
    sections.append(f"<h2>References</h2><ul>{references}</ul>")
    return _page(path, manifest, sections)


def _page(path: Path, manifest: dict[str, Any], sections: list[str]) -> str:
    docs = manifest.get("documents", {})
    catalog = manifest.get("catalog", {})
    versions = manifest.get("versions", {})
    model = versions.get("model", {}) if isinstance(versions.get("model"), dict) else {}
    config = manifest.get("config", {})
    inputs = ", ".join(html.escape(str(i.get("name", i))) for i in manifest.get("inputs", []))
    statuses = manifest.get("mentions", {}).get("by_status", {})
    meta = (
        f"<p class='meta'>Run <code>{html.escape(str(manifest.get('run_id', '')))}</code>, "
        f"finished {html.escape(str(manifest.get('finished_at', '')))}; input: {inputs}.<br>"
        f"Documents: {_fmt(docs.get('records_read'))} read, {_fmt(docs.get('processed'))} "
        f"processed, {_fmt(docs.get('failed'))} failed, "
        f"{_fmt(docs.get('rejected_at_read'))} rejected at read. Mentions: "
        + ", ".join(f"{_fmt(v)} {html.escape(k)}" for k, v in sorted(statuses.items()))
        + " (only asserted ones are counted).<br>"
        f"Catalog {html.escape(str(catalog.get('name', '?')))} v{catalog.get('version', '?')} "
        f"({html.escape(str(catalog.get('fingerprint', '?')))}); model "
        f"{html.escape(str(model.get('name', '?')))} {html.escape(str(model.get('version', '')))};"
        f" singletons {html.escape(str(versions.get('singletons', '?')))}. Intervals at "
        f"{float(config.get('confidence', 0.95)):.0%}, Theorem 2 at "
        f"{float(config.get('theorem_confidence', 0.99)):.0%}, calibration error δ = "
        f"{config.get('calibration_error', 0.0)}.</p>"
    )
    title = f"singletons report: {html.escape(path.resolve().name)}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        f"<h1>{title}</h1>{meta}" + "\n".join(sections) + "</body></html>\n"
    )


def default_output(run: str | Path) -> Path:
    """``./<run folder name>-report.html``: the run folder itself is never written."""
    return Path(f"{Path(run).resolve().name}-report.html")


def write_report(
    run: str | Path, output: str | Path | None = None, grades: Sequence[str | Path] = ()
) -> Path:
    """Write the report of ``run`` to ``output`` (default :func:`default_output`).

    ``grades``: gradings to show beside the run (:func:`build_report`).

    The file is written beside its final name and renamed into place, so a reader never
    sees half a report.
    """
    out = Path(output) if output is not None else default_output(run)
    text = build_report(run, grades)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(out)
    return out
