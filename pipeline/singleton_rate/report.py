"""One self-contained HTML report of a run: estimates, plots and what each number means.

Like SpadeR's printed report for its estimators, every number comes with a plain-language
explanation, the assumptions it rests on and its source (formulas:
``../shared/docs/theory.md``; code: :mod:`singleton_rate.estimate`). The file has inline CSS and the
plots as base64 PNG: it opens offline, from anywhere, and can be mailed as one file. The run
folder is only read (through :func:`singleton_rate.query.connect`).
"""

from __future__ import annotations

import base64
import html
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
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


# The texts follow theory.md and the README's "What the numbers mean"; keep them in step.
EXPLANATIONS: tuple[Explanation, ...] = (
    Explanation(
        "unit-key",
        "Count unit and key",
        "unit, key",
        "Unit <b>mention</b>: every extracted statement is one occurrence. Unit "
        "<b>document</b>: a (document, key) pair is one occurrence, however often the document "
        "repeats it. Key <b>fact</b>: (entity, attribute, value), a monofact when seen once. "
        "Key <b>prompt</b>: (entity, attribute), the question a fact answers; the two differ "
        "when the corpus gives conflicting values.",
        "Every estimate below assumes independent occurrences. Repeats inside one document "
        "break that (on the bundled sample the mention unit underestimates the true missing "
        "mass by about 0.03; the document unit does not), so read the document unit first.",
        "Kandpal et al. 2023 (counts documents); Kalai &amp; Vempala 2024 (monofacts); Kalai, "
        "Nachum, Vempala &amp; Zhang 2025, Definition 2 (singleton prompts).",
    ),
    Explanation(
        "counts",
        "Occurrences and keys",
        "n, distinct, n1, n2",
        "N: occurrences counted in this unit. Distinct (S<sub>obs</sub>): distinct keys. "
        "N1 and N2: keys seen exactly once (singletons) and exactly twice. Everything else is "
        "computed from the frequency-of-frequencies table (r, N<sub>r</sub>).",
        "Only asserted statements count (negated, hedged and unkeyable ones are kept in "
        "<code>mentions/</code> but not counted). The counts are of what the extractor found "
        "and keyed: missed statements and normalization slips move them.",
        "theory.md, notation; Good 1953 (the N<sub>r</sub> table).",
    ),
    Explanation(
        "singleton_rate",
        "Singleton rate N1/N",
        "singleton_rate (also missing_mass, sgt_p0)",
        "The share of occurrences whose key occurs exactly once. It is the Good–Turing "
        "estimate of the <b>missing mass</b>: the chance that the next occurrence, drawn like "
        "these, is of a key never seen. It is the <code>sr</code> of Kalai et al. 2025, the "
        "quantity their hallucination floor is built on.",
        "Occurrences are independent draws from one fixed distribution. On average it "
        "overestimates the missing mass by at most 1/N.",
        "Good 1953 (Turing's estimator); Kalai et al. 2025, Definition 2; McAllester &amp; "
        "Schapire 2000 (bias in [0, 1/N]).",
    ),
    Explanation(
        "singleton_share",
        "Singleton share N1/S<sub>obs</sub>",
        "singleton_share",
        "The share of distinct keys that are singletons. A different number from N1/N, "
        "usually much larger: it says how much of the catalogue of facts is thin, not how "
        "likely an unseen fact is. Do not read it as a hallucination rate.",
        "None beyond the counts.",
        "theory.md §1 (the two numbers named apart).",
    ),
    Explanation(
        "missing_mass_interval",
        "Distribution-free interval for the missing mass",
        "missing_mass_low, missing_mass_high, missing_mass_confidence",
        "N1/N ± (1/N + (1+√2)·√(ln(4/γ)/N)), clipped to [0, 1], at confidence 1 − γ. It holds "
        "whatever the distribution of facts; the price is width: about ±0.05 at N = 10,000.",
        "Independent draws; nothing about the shape of the distribution.",
        "McAllester &amp; Ortiz 2003, as Corollary 3 of Kalai et al. 2025.",
    ),
    Explanation(
        "esty",
        "Esty's interval",
        "esty_low, esty_high, esty_method",
        "A normal-approximation interval from Esty's limit law for the coverage, with variance "
        "N1/N + 2·N2/N − (N1/N)², solved as a score interval (as Wilson's is) so it is never a "
        "single point. Much tighter than the distribution-free interval at large N; in "
        "simulations at N = 2,000 it covered the true missing mass in 94–96% of trials.",
        "Independent draws and a large sample (enough singletons and doubletons); "
        "<code>flag_esty_degenerate</code> marks tables where the variance term is ≤ 0.",
        "Esty 1983; theory.md §4.2.",
    ),
    Explanation(
        "coverage",
        "Sample coverage",
        "coverage",
        "Ĉ = 1 − (N1/N)·A with A = (N−1)·N1/((N−1)·N1 + 2·N2): the estimated share of the "
        "distribution's mass made of keys already seen; 1 − Ĉ is a refined missing mass that "
        "also uses N2.",
        "Independent draws.",
        "Chao &amp; Jost 2012, Ecology 93(12):2533–2547.",
    ),
    Explanation(
        "floor",
        "Hallucination floor (Theorem 2)",
        "hallucination_floor, hallucination_floor_raw, theorem_confidence, theorem2_applies, "
        "theorem2_reason, floor_informative_from_n",
        "With probability at least <code>theorem_confidence</code> (1 − γ) over the corpus, "
        "a calibrated base model trained on it answers wrongly (not with IDK) on at least "
        "this share of prompts drawn like the training prompts: sr − 2/min|E<sub>c</sub>| − "
        "6·ln(3N/γ)/√N − δ, clipped at 0 (<code>_raw</code> unclipped). A floor of 0 means "
        "the bound says nothing at this N (the correction terms exceed sr), not that the "
        "model will not hallucinate; <code>floor_informative_from_n</code> is the N from "
        "which it would be positive at this sr. Reported only at the prompt key of scopes "
        "made of single-valued relations; elsewhere null, with <code>theorem2_reason</code>.",
        "Definition 1 (arbitrary facts): each prompt has one correct answer, drawn at random "
        "from its response set, so nothing lets a model infer an unseen fact "
        "(V<sub>c</sub> = {a<sub>c</sub>, IDK}: multi-valued relations such as occupation "
        "are outside it); Definition 2 counts singleton <i>prompts</i>, so the fact key's "
        "N1/N is the monofact rate without these constants; independent training examples; "
        "a calibrated base model (δ = <code>calibration_error</code>, 0 by default, assumed, "
        "not measured); |E<sub>c</sub>| as below.",
        "Kalai, Nachum, Vempala &amp; Zhang 2025, “Why Language Models Hallucinate”, "
        "arXiv:2509.04664, Definitions 1–2, Theorem 2 and Appendix B; Kalai &amp; Vempala "
        "2024 (monofacts).",
    ),
    Explanation(
        "floor_terms",
        "The floor's correction terms",
        "floor_term_error_set, floor_term_sampling, floor_term_calibration",
        "The three amounts subtracted from sr: 2/min|E<sub>c</sub>| (the chance of guessing "
        "right), 6·ln(3N/γ)/√N (sampling, at γ = 0.01: 1.21 at N = 5,000, 0.0050 at "
        "N = 10<sup>9</sup>) and "
        "δ (calibration). Compare their sum with sr to see how far the floor is from "
        "informative.",
        "As for the floor.",
        "Kalai et al. 2025, Appendix B.",
    ),
    Explanation(
        "ceiling",
        "Hallucination ceiling",
        "hallucination_ceiling, ceiling_term_sampling",
        "(L/(L+1))·sr + 5·√(ln(5/γ)/N), L = max|E<sub>c</sub>|, clipped at 1: an efficient "
        "calibrated algorithm exists whose error is at most this. It shows the floor is "
        "nearly attainable; it is not a prediction of any particular model's error.",
        "As for the floor.",
        "Kalai et al. 2025, Theorem 2 (upper bound) and Appendix B.",
    ),
    Explanation(
        "error_set",
        "Error-set sizes |E<sub>c</sub>|",
        "error_set_min, error_set_max, error_set_effective_min, error_set_kappa, "
        "hallucination_floor_effective, flag_floor_sign_depends_on_error_set",
        "The number of plausible wrong answers per prompt, over the scope's attributes "
        "(smallest for the floor, largest for the ceiling), by a rule per value type: a date "
        "over the Y years observed has Y − 1 wrong years, 12·Y − 1 wrong months or "
        "round(365.2425·Y) − 1 wrong days (364 only for day-and-month dates, the paper's "
        "birthday); a country 194; anything else the distinct values observed − 1; or as set "
        "with <code>error_set_sizes</code>. Beside it, the effective K = (1 − π<sub>2</sub>)/"
        "π<sub>1</sub> and factor κ from the observed value shares, and the floor "
        "κ·sr − 2/K − … they give; the flag says when the floor's sign depends on the choice. "
        "The run's <code>error_sets</code> table has each attribute's rule and shares.",
        "The rule follows the uniform model of Definition 1. Real answers are skewed "
        "(a few places and years hold many prompts); the effective size is this project's "
        "own extension of the proof to non-uniform answers (derived in "
        "<code>bench/research/extrapolation/REPORT.md</code> §3.2), not the paper's, with "
        "π<sub>1</sub> at its Wilson upper bound.",
        "Kalai et al. 2025, §3.3.1 (“fixed-format birthdays, |E<sub>c</sub>| = 364”); "
        "<code>pipeline/singleton_rate/estimate/errorset.py</code>.",
    ),
    Explanation(
        "conflicts",
        "Wrong together",
        "conflicting_prompts, conflicting_prompt_share, majority_value_share",
        "The share of the scope's prompts that the corpus states with more than one value, "
        "and the share of those prompts' mentions that give each one's most-stated "
        "value. Good–Turing measures how often a prompt is stated, not whether its value is "
        "true: a common prompt with conflicting values can still teach the wrong one.",
        "Counts of extracted, normalized values: a date at two precisions or a mis-keyed "
        "value shows up as a conflict too.",
        "This project; the risk classes of Kandpal et al. 2023 count repetition, not truth.",
    ),
    Explanation(
        "chao1",
        "Distinct keys including unseen ones (Chao1)",
        "chao1, chao1_low, chao1_high, chao1_bc",
        "S<sub>obs</sub> + ((N−1)/N)·N1²/(2·N2) (N2 &gt; 0): how many distinct facts the "
        "source holds, seen or not; a lower-bound estimator. The interval is log-normal; "
        "<code>chao1_bc</code> is the bias-corrected form.",
        "Independent draws; unseen keys about as rare as the singletons.",
        "Chao 1984; Chao &amp; Jost 2012 (small-sample factor); Chao 1987 (interval); Chao "
        "2005 (bias-corrected).",
    ),
    Explanation(
        "sgt",
        "Simple Good–Turing",
        "sgt_p0, sgt_slope",
        "P0 = N1/N again; the slope b of log Z<sub>r</sub> against log r must be below −1 "
        "for the smoothed estimates of seen keys to make sense (<code>flag_sgt_slope</code> "
        "otherwise).",
        "Independent draws; N<sub>r</sub> roughly a power law in r.",
        "Gale &amp; Sampson 1995, J. Quant. Linguistics 2:217–237.",
    ),
    Explanation(
        "flags",
        "Flags",
        "flag_*",
        "Pathologies reported rather than hidden: <code>f2_zero</code> (no key seen twice), "
        "<code>all_singletons</code> (Good–Turing says nothing about the seen mass), "
        "<code>sgt_slope</code> (b ≥ −1 or no fit), <code>coverage_degenerate</code> "
        "(coverage &lt; 0.01 or 1), <code>floor_uninformative</code> (the correction terms "
        "exceed sr), <code>esty_degenerate</code> (Esty's variance term ≤ 0).",
        "—",
        "theory.md §4.6.",
    ),
    Explanation(
        "halving",
        "When the floor would halve",
        "floor_halving_target, floor_halving_found, floor_halving_t_low, floor_halving_t_high, "
        "floor_halving_not_before, floor_halving_reason",
        "The corpus multiple t at which the predicted floor halves; when the floor is 0 now "
        "(<code>first_positive</code>), the multiple at which it first turns positive. Found "
        "from both ends of the missing-mass band, within 20 × N: the interval "
        "[t_low, t_high] only when both ends reach the target, else null with the reason; "
        "<code>not_before</code> (the earliest end, or 20 when even it does not get there) "
        "always.",
        "More of the same documents. In simulation a reported interval held the true "
        "multiple in 182 of 182 samples and <code>not_before</code> was a valid lower bound in "
        "1,680 of 1,680; beyond the band's range (100 × N) nothing is claimed.",
        "Kalai et al. 2025, Theorem 2, with the band below; "
        "<code>pipeline/singleton_rate/estimate/extrapolate.py</code> "
        "(<code>floor_halving</code>), "
        "<code>bench/research/extrapolation/REPORT.md</code> §2.4.",
    ),
    Explanation(
        "extrapolation",
        "Extrapolation (if the corpus were t times larger)",
        "extrapolation/: predicted_missing_mass, predicted_missing_mass_low, "
        "predicted_missing_mass_high, missing_mass_method, band_informative, predicted_floor, "
        "predicted_floor_low, predicted_floor_high, predicted_distinct, predicted_new, note",
        "For t from 0.1 to 100: the missing mass as a point up to 2 × N (rarefied coverage "
        "below N, Chao–Jost extrapolated coverage to 2 × N) and, from N to 100 × N, the band "
        "[c_lo(t)·Chao–Jost, c_hi(t)·max(power law, Pitman–Yor)], the only number beyond "
        "2 × N; Theorem 2's floor at t × N from the point and from each end of the band; the "
        "distinct and new keys expected. Beyond 100 × N every prediction is null, with the "
        "reason in <code>note</code>.",
        "The larger corpus is more of the same documents, drawn independently. Chao–Jost is a "
        "lower bound in expectation: against the exact expected missing mass (N = 5,000, "
        "200 samples) it was 5–13% low at 2 × N on Zipf 1.1–2 and 32–92% low at 5–10 × N. "
        "The band covered the truth in ≥ 99% of samples to 100 × N on Zipf 1.1–2 and uniform "
        "populations (≥ 95% in every cell it was calibrated on, n = 2,000 included), "
        "but is wide (uninformative, high > 10 × low) beyond about 5–10 × N on "
        "heavy tails.",
        "Chao &amp; Jost 2012; Chao et al. 2014; Shen, Chao &amp; Lin 2003; Good &amp; "
        "Toulmin 1956; Pitman 1995; Favaro et al. 2009; "
        "<code>pipeline/singleton_rate/estimate/band.py</code>, "
        "<code>bench/extrapolation_error.py</code> (the measured errors).",
    ),
)

REFERENCES: tuple[str, ...] = (
    "A. Chao (1984), Nonparametric estimation of the number of classes in a population, "
    "Scand. J. Statist. 11:265–270; (1987) Biometrics 43:783–791; (2005) Encyclopedia of "
    "Statistical Sciences.",
    "A. Chao &amp; L. Jost (2012), Coverage-based rarefaction and extrapolation, Ecology "
    "93(12):2533–2547. A. Chao et al. (2014), Ecological Monographs 84:45–67.",
    "W. W. Esty (1983), A normal limit law for a nonparametric estimator of the coverage of a "
    "random sample, Ann. Statist. 11(3):905–912.",
    "W. A. Gale &amp; G. Sampson (1995), Good–Turing frequency estimation without tears, J. "
    "Quant. Linguistics 2:217–237.",
    "I. J. Good (1953), The population frequencies of species and the estimation of "
    "population parameters, Biometrika 40:237–264. I. J. Good &amp; G. H. Toulmin (1956), "
    "Biometrika 43:45–63.",
    "A. T. Kalai &amp; S. S. Vempala (2024), Calibrated language models must hallucinate, "
    "STOC 2024, arXiv:2311.14648.",
    "A. T. Kalai, O. Nachum, S. S. Vempala &amp; E. Zhang (2025), Why language models "
    "hallucinate, arXiv:2509.04664.",
    "N. Kandpal et al. (2023), Large language models struggle to learn long-tail knowledge, ICML.",
    "D. McAllester &amp; L. Ortiz (2003), Concentration inequalities for the missing mass and "
    "for histogram rule error, JMLR 4:895–911. D. McAllester &amp; R. Schapire (2000), On "
    "the convergence rate of Good–Turing estimators, COLT.",
    "T.-J. Shen, A. Chao &amp; C.-F. Lin (2003), Predicting the number of new species in "
    "further taxonomic sampling, Ecology 84:798–804.",
)

FLAG_COLUMNS: tuple[str, ...] = (
    "flag_f2_zero",
    "flag_all_singletons",
    "flag_sgt_slope",
    "flag_coverage_degenerate",
    "flag_floor_uninformative",
    "flag_esty_degenerate",
)

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       max-width: 1180px; margin: 24px auto; padding: 0 16px; background: #fff; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid
  #ddd; padding-bottom: 0.2em; }
.meta { color: #555; font-size: 0.92em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; }
th, td { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
figure.plot { margin: 1em 0 1.6em; }
figure.plot img { display: block; border: 1px solid #eee; max-width: 100%; }
figcaption { color: #444; font-size: 0.92em; max-width: 820px; }
.headline { background: #f7f9fc; border-left: 4px solid #3b73b9; padding: 8px 14px; }
dl.explain dt { font-weight: 600; margin-top: 1em; }
dl.explain dd { margin-left: 1.2em; }
dl.explain .cols { font-family: ui-monospace, monospace; font-size: 0.88em; color: #555; }
.label { color: #666; font-style: italic; }
code { font-size: 0.92em; }
"""


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
    sections.append(f'<h2>What each number means</h2><dl class="explain">{explain}</dl>')

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
