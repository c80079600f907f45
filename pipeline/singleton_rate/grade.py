"""Grade a model's answers by how often the corpus states each fact.

``singletons grade RUN ANSWERS`` reads a model's answers, either to a probe set made by
``singletons questions`` (``--questions FILE``: answers name the question ``id``; gold and
counts come from the set) or to any question set that ``score`` accepts (``entity`` and
``attribute`` per row; counts from the run's ``prompts``; gold from the answers' ``gold``
field, else every value the run gives the prompt). Each answer is

- ``abstained`` when empty, when it says "I don't know" or a common form of it
  (:func:`is_abstention`), or when its ``abstained`` flag is true;
- ``correct`` when its key, made with the run's own normalization
  (:func:`singleton_rate.extract.keys.written_value_key`: dates at the precision written, places
  by their most specific part, lexicon forms), equals a gold key, or a key of one of the gold
  surfaces (aliases); dates agree at the coarser of the two precisions ("1867" matches a gold
  ``1867-11-07``), unless ``strict_dates``;
- ``wrong`` (a hallucination) otherwise.

Rates per count bucket (default 0, 1, 2, 3–5, 6–20, 21–100, >100) over the graded questions
of the bucket, each with a Wilson interval (:func:`singleton_rate.score.wilson_interval`):
accuracy = correct/n, hallucination = wrong/n, abstention = abstained/n, and the error rate
of the answered, wrong/(correct + wrong). A logistic fit of correctness (abstentions count as
not correct) on log(1 + count) by iteratively reweighted least squares (:func:`logistic_fit`).
The hallucination rate on the prompt-weighted stratum (``weighted``) beside the run's
predicted floor and missing mass (its ``estimates`` row scope ``single_valued``, unit
``document``, key ``prompt``). With confidences, the confidence-target score of Kalai et al.
(2025, §4.2) at each t (:func:`target_score`) and a calibration table (:func:`calibration`).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from singleton_rate.contract import MANIFEST, read_manifest
from singleton_rate.extract.catalog import Relation, load_catalog
from singleton_rate.extract.keys import written_value_key
from singleton_rate.gradefiles import (  # noqa: F401 (read back through this module too)
    GRADE_SCHEMA,
    SUMMARY_SUFFIX,
    TABLE_SUFFIXES,
    Grades,
    grades_label,
    grades_view,
    read_grade_summary,
    read_grades,
    read_grades_table,
)
from singleton_rate.normalize import entity_key
from singleton_rate.query import connect
from singleton_rate.risk import RISK_CLASSES, risk_class
from singleton_rate.score import ScoreError, Share, _atomic_write, run_keys, write_scores

CORRECT, WRONG, ABSTAINED = "correct", "wrong", "abstained"
GRADED, MALFORMED, DUPLICATE, UNKNOWN_ID = "graded", "malformed", "duplicate", "unknown_id"
DEFAULT_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 0),
    (1, 1),
    (2, 2),
    (3, 5),
    (6, 20),
    (21, 100),
    (101, None),
)
TARGETS: tuple[float, ...] = (0.5, 0.75, 0.9)
# What each reported number means: the one home of these definitions (the HTML report of
# ``singletons report --grades`` imports them; the README's table says the same).
MEANING: dict[str, str] = {
    "n": (
        "graded questions in the bucket: answers matched to a question with gold, abstentions "
        "included; malformed, duplicate and unknown-id rows are counted apart, never graded"
    ),
    "accuracy": "correct / n: the answer's key equals a gold key, or the key of a gold surface",
    "hallucination": (
        "wrong / n: answered (not abstained) and matching no gold value; on a question whose "
        "set gives no true answer (empty gold) any answer is wrong"
    ),
    "abstention": (
        'abstained / n: an empty answer, "I don\'t know" or a common form of it, or a true '
        "abstained flag"
    ),
    "wrong/answered": "wrong / (correct + wrong): the error rate of the answers given",
    "interval": (
        "Wilson score interval of each share at the grading's confidence, the question taken "
        "as an independent draw"
    ),
    "logistic": (
        "P(correct) = σ(a + b·log(1 + count)) fitted over all graded questions (abstentions "
        "not correct) by iteratively reweighted least squares; standard errors from the "
        "inverse information; none when the outcomes are separated"
    ),
    "floor": (
        "the hallucination rate on the prompt-weighted stratum (held-out occurrences of "
        "single-valued prompts, drawn like the corpus's own prompts; without one, over all "
        "graded single-valued questions, which is not such a sample) and its share unseen in "
        "the counted part, beside the run's predicted missing mass N1/N, its interval and "
        "Theorem 2's floor (estimates row scope single_valued, unit document, key prompt)"
    ),
    "targets": (
        "Kalai et al. (2025, §4.2) confidence target t: +1 for a correct answer, −t/(1−t) for "
        'a wrong one, 0 for "I don\'t know", averaged over the graded questions; for the '
        "answers as given, for answering only above confidence t, and for the best "
        "per-bucket policy (answer in a bucket when correct − t/(1−t)·wrong > 0 there, else "
        "abstain)"
    ),
    "calibration": (
        "ECE = sum_b n_b/n |accuracy_b - mean confidence_b| over answered questions "
        "with a confidence (10 equal bins); delta_hat = |mean(q 1[q>0]) - "
        "mean(correct 1[q>0])| over all graded questions, the top-answer estimate of "
        "Kalai et al.'s delta = |p_hat(A) - p(A)| (section 3.1)"
    ),
}

_DATE_ORDER = {"year": 4, "month": 7, "day": 10}

# Phrases that abstain however the sentence goes on ("I don't know who that is") …
_IDK_PHRASE = re.compile(
    r"^(?:sorry,?\s*)?(?:"
    r"i\s*(?:do\s*not|don'?t|dont)\s*know|(?:do\s*not|don'?t|dont)\s*know|"
    r"no\s*idea|(?:i\s*am|i'?m)\s*not\s*sure|not\s*sure|"
    r"i\s*(?:cannot|can'?t|could\s*not|couldn'?t)\s*(?:answer|say|tell)|"
    r"cannot\s*(?:answer|be\s*determined)|i\s*have\s*no\s*(?:idea|information)"
    r")\b"
)
# … and words that abstain only alone ("Unknown", not "Unknown Pleasures").
_IDK_WORD = re.compile(
    r"^(?:sorry,?\s*)?(?:idk|unknown|not\s*known|no\s*answer|none\s*known|n/?a|unsure|"
    r"unanswerable)$"
)


def is_abstention(answer: str | None, flag: bool | None = None) -> bool:
    """Whether an answer abstains: a true ``flag``, no text, or "I don't know" and its forms.

    The text is lower-cased, curly quotes straightened and surrounding punctuation dropped;
    it abstains when it *begins* with a phrase ("I don't know", "I do not know", "no idea",
    "I'm not sure", "not sure", "I cannot answer", "I have no information") or *is* a word
    ("idk", "unknown", "no answer", "n/a", "unsure", "unanswerable"), optionally after
    "sorry,".

    Examples
    --------
    >>> [is_abstention(a) for a in (None, "  ", "I don't know.", "Sorry, I do not know",
    ...                              "Unknown", "N/A", "Paris", "Idaho")]
    [True, True, True, True, True, True, False, False]
    >>> is_abstention("Paris", flag=True), is_abstention("Unknown Pleasures")
    (True, False)
    """
    if flag:
        return True
    if answer is None:
        return True
    text = answer.replace("\u2019", "'").strip().casefold().strip(" .!?\"'()[]")
    if not text:
        return True
    return bool(_IDK_PHRASE.match(text) or _IDK_WORD.match(text))


def _dates_agree(a: str, b: str, strict: bool) -> bool:
    if strict:
        return a == b
    n = min(len(a), len(b))
    return a[:n] == b[:n] and n in (4, 7, 10)


def match_answer(
    relation: Relation,
    answer: str,
    gold: Sequence[str],
    surfaces: Sequence[str] = (),
    *,
    strict_dates: bool = False,
) -> tuple[bool, str | None, str | None]:
    """Whether ``answer`` matches a gold value of ``relation``, keyed as the run keys values.

    Parameters
    ----------
    relation
        The catalog relation (its value type and lexicon patterns).
    answer
        The model's answer text (not an abstention).
    gold
        Gold value keys, as the run writes them (``1867-11-07``, ``warsaw``, ``physicist``).
    surfaces
        Further gold strings (surfaces, aliases): keyed the same way and matched too.
    strict_dates
        Dates must agree at equal precision; by default at the coarser of the two.

    Returns
    -------
    (matched, answer_key, matched_gold)
        ``answer_key`` is ``None`` when the answer cannot be keyed as a value of the type (it
        is then compared case-folded with the surfaces only).

    Examples
    --------
    >>> from singleton_rate.extract.catalog import load_catalog
    >>> cat = load_catalog()
    >>> match_answer(cat.relation("birth_date"), "7 November 1867", ["1867-11-07"])
    (True, '1867-11-07', '1867-11-07')
    >>> match_answer(cat.relation("birth_date"), "1867", ["1867-11-07"])[0]
    True
    >>> match_answer(cat.relation("birth_date"), "1867", ["1867-11-07"], strict_dates=True)[0]
    False
    >>> match_answer(cat.relation("birth_place"), "Warsaw, Poland", ["warsaw"])[0]
    True
    >>> match_answer(cat.relation("occupation"), "an actress", ["actor"])[0]
    True
    """
    keyed = written_value_key(relation, answer)
    answer_key = keyed[0] if keyed else None
    candidates: list[tuple[str, str]] = [(g, g) for g in gold if g]
    for surface in surfaces:
        k = written_value_key(relation, surface) if surface else None
        if k:
            candidates.append((k[0], surface))
    if answer_key is not None:
        for key, label in candidates:
            if relation.value == "date":
                if _dates_agree(answer_key, key, strict_dates):
                    return True, answer_key, label
            elif answer_key == key:
                return True, answer_key, label
    folded = answer.strip().casefold()
    for s in (*gold, *surfaces):
        if s and s.strip().casefold() == folded:
            return True, answer_key, s
    return False, answer_key, None


# --------------------------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------------------------


def bucket_label(low: int, high: int | None) -> str:
    """``"0"``, ``"3-5"``, ``">100"``: a bucket's name."""
    if high is None:
        return f">{low - 1}"
    return str(low) if low == high else f"{low}-{high}"


def bucket_of(count: int, buckets: Sequence[tuple[int, int | None]] = DEFAULT_BUCKETS) -> str:
    """The bucket a count falls in.

    Examples
    --------
    >>> [bucket_of(c) for c in (0, 1, 2, 4, 20, 21, 101)]
    ['0', '1', '2', '3-5', '6-20', '21-100', '>100']
    """
    for low, high in buckets:
        if count >= low and (high is None or count <= high):
            return bucket_label(low, high)
    raise ValueError(f"count {count} is in no bucket")


@dataclass(frozen=True, slots=True)
class LogisticFit:
    """``P(correct) = 1 / (1 + exp(−(a + b·log(1 + count))))`` fitted by maximum likelihood."""

    intercept: float | None
    slope: float | None
    se_intercept: float | None
    se_slope: float | None
    n: int
    iterations: int
    converged: bool
    note: str = ""


def logistic_fit(
    x: Sequence[float], y: Sequence[int], *, max_iter: int = 50, tol: float = 1e-10
) -> LogisticFit:
    """Logistic regression of ``y`` (0/1) on one covariate ``x`` by IRLS (Newton–Raphson).

    Each step solves ``(XᵀWX) δ = Xᵀ(y − p)`` with ``W = diag(p(1 − p))``; standard errors are
    the square roots of the diagonal of ``(XᵀWX)⁻¹`` at the optimum (McCullagh & Nelder 1989,
    §4.4). Without variation in ``y`` or ``x``, or under complete separation (coefficients
    diverging), no fit is reported (``converged`` false, with a note).

    Examples
    --------
    One success of two at x = 0 and three of four at x = 1: the MLE fits both shares
    exactly, σ(a) = 1/2 and σ(a + b) = 3/4, so a = 0 and b = ln 3:

    >>> fit = logistic_fit([0, 0, 1, 1, 1, 1], [1, 0, 1, 1, 1, 0])
    >>> abs(round(fit.intercept, 6)), round(fit.slope, 6), round(math.log(3), 6)
    (0.0, 1.098612, 1.098612)
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    n = len(xs)
    if n < 3 or ys.min(initial=0) == ys.max(initial=0) or np.ptp(xs) == 0:
        return LogisticFit(None, None, None, None, n, 0, False, "no variation in y or x")
    X = np.column_stack([np.ones(n), xs])
    beta = np.zeros(2)
    for it in range(1, max_iter + 1):
        eta = X @ beta
        p = 1.0 / (1.0 + np.exp(-eta))
        w = np.clip(p * (1 - p), 1e-12, None)
        info = X.T @ (X * w[:, None])
        step = np.linalg.solve(info, X.T @ (ys - p))
        beta = beta + step
        if np.max(np.abs(beta)) > 50:
            return LogisticFit(None, None, None, None, n, it, False, "separation: no finite MLE")
        if np.max(np.abs(step)) < tol:
            break
    else:
        return LogisticFit(None, None, None, None, n, max_iter, False, "did not converge")
    p = 1.0 / (1.0 + np.exp(-(X @ beta)))
    cov = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
    return LogisticFit(
        float(beta[0]),
        float(beta[1]),
        float(math.sqrt(cov[0, 0])),
        float(math.sqrt(cov[1, 1])),
        n,
        it,
        True,
    )


def target_score(outcomes: Sequence[str], t: float) -> float:
    """Kalai et al. (2025, §4.2) confidence-target score: mean of +1 / −t/(1−t) / 0.

    "Answer only if you are > t confident, since mistakes are penalized t/(1 − t) points,
    while correct answers receive 1 point, and an answer of 'I don't know' receives 0
    points." Averaged over the questions.

    Examples
    --------
    Two correct, one wrong, one abstention at t = 0.75 (penalty 3): (2 − 3)/4:

    >>> target_score(["correct", "correct", "wrong", "abstained"], 0.75)
    -0.25
    """
    if not 0 <= t < 1:
        raise ValueError(f"t must lie in [0, 1), got {t}")
    if not outcomes:
        return float("nan")
    penalty = t / (1 - t)
    c = Counter(outcomes)
    return (c[CORRECT] - penalty * c[WRONG]) / len(outcomes)


def thresholded(
    outcomes: Sequence[str], confidences: Sequence[float | None], t: float
) -> list[str]:
    """The outcomes if the model answered only when its confidence exceeds ``t``.

    Examples
    --------
    >>> thresholded(["correct", "wrong", "correct", "abstained"], [0.9, 0.6, 0.7, 0.95], 0.75)
    ['correct', 'abstained', 'abstained', 'abstained']
    """
    return [
        o if o != ABSTAINED and c is not None and c > t else ABSTAINED
        for o, c in zip(outcomes, confidences, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    low: float
    high: float
    n: int
    mean_confidence: float | None
    accuracy: float | None


def calibration(
    outcomes: Sequence[str], confidences: Sequence[float | None], bins: int = 10
) -> tuple[list[CalibrationBin], float | None, int]:
    """Binned calibration of the answered questions with a confidence.

    Returns the bins (equal width on [0, 1]; accuracy = correct/answered in the bin), the
    expected calibration error ``ECE = Σ_b (n_b/n)·|accuracy_b − mean_confidence_b|`` and
    ``n``. The ECE is the binned estimate of ``E|P(correct | q) − q|``; Kalai et al.'s δ of
    Theorem 1 (§3.1, ``|p̂(A) − p(A)|`` for the event A of the model's confident answers)
    is bounded by the same gap on the answers above the threshold (:func:`delta_hat`).

    Examples
    --------
    >>> bins, ece, n = calibration(["correct", "wrong", "correct", "correct"],
    ...                            [0.95, 0.95, 0.55, 0.45], bins=2)
    >>> [(b.n, b.accuracy) for b in bins], round(ece, 4), n  # (0.55 + 3·0.15) / 4
    ([(1, 1.0), (3, 0.6667)], 0.25, 4)
    """
    pairs = [
        (o == CORRECT, float(c))
        for o, c in zip(outcomes, confidences, strict=True)
        if o != ABSTAINED and c is not None
    ]
    out: list[CalibrationBin] = []
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(ok, c) for ok, c in pairs if low <= c < high or (b == bins - 1 and c == 1.0)]
        if inside:
            acc = sum(ok for ok, _ in inside) / len(inside)
            conf = sum(c for _, c in inside) / len(inside)
            total += len(inside) * abs(acc - conf)
            out.append(CalibrationBin(low, high, len(inside), round(conf, 4), round(acc, 4)))
        else:
            out.append(CalibrationBin(low, high, 0, None, None))
    return out, (total / len(pairs) if pairs else None), len(pairs)


def delta_hat(
    outcomes: Sequence[str], confidences: Sequence[float | None], threshold: float = 0.0
) -> float | None:
    """``|p̂(A) − p(A)|`` estimated from top answers: A = answers with confidence > threshold.

    Kalai et al. (2025, §3.1) define δ = |p̂(A) − p(A)| with A the responses the model gives
    probability above 1/|E| (``threshold``). With one answer and its confidence q per
    question, p̂(A) is estimated by the mean of q·1[q > threshold] and p(A) by the mean of
    1[correct]·1[q > threshold], over the questions (abstentions contribute 0 to both); this
    ignores the model's mass on answers it did not give, so it is a top-answer estimate.

    Examples
    --------
    >>> round(delta_hat(["correct", "wrong", "abstained"], [0.9, 0.8, None]), 6)  # |1.7 − 1|/3
    0.233333
    """
    if not outcomes:
        return None
    p_hat = p_true = 0.0
    seen = False
    for o, c in zip(outcomes, confidences, strict=True):
        if o == ABSTAINED or c is None or c <= threshold:
            continue
        seen = True
        p_hat += c
        p_true += o == CORRECT
    return abs(p_hat - p_true) / len(outcomes) if seen else None


# --------------------------------------------------------------------------------------------
# Reading answers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerFields:
    """Column (or JSON field) names of the answers file."""

    id: str = "id"
    entity: str = "entity"
    attribute: str = "attribute"
    answer: str = "answer"
    confidence: str = "confidence"
    abstained: str = "abstained"
    gold: str = "gold"


def _read_records(path: Path) -> Iterator[tuple[str, Any, str | None]]:
    """(location, record or None, error) per line/row of JSON lines, JSON, CSV or Parquet."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with path.open("rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        if suffix == ".json" and head.startswith(b"["):
            try:
                items = json.loads(path.read_text("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ScoreError(f"{path}: not a valid JSON array: {exc}") from exc
            for i, item in enumerate(items):
                yield f"item {i}", item, None
            return
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    yield f"line {number}", None, f"invalid_utf8: {exc}"
                    continue
                if not text.strip():
                    continue
                try:
                    yield f"line {number}", json.loads(text), None
                except json.JSONDecodeError as exc:
                    yield f"line {number}", None, f"malformed_json: {exc}"
    elif suffix in (".csv", ".tsv"):
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
            reader = csv.DictReader(fh, delimiter="," if suffix == ".csv" else "\t")
            if reader.fieldnames is None:
                raise ScoreError(f"{path}: empty file (no header line)")
            line = reader.line_num
            for record in reader:
                start, line = line + 1, reader.line_num
                if None in record or any(v is None for v in record.values()):
                    yield (
                        f"line {start}",
                        None,
                        "wrong_field_count: not as many fields as the header",
                    )
                    continue
                yield f"line {start}", record, None
    elif suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            raise ScoreError(f"{path}: cannot read Parquet: {exc}") from exc
        for i, record in enumerate(table.to_pylist()):
            yield f"row {i}", record, None
    else:
        raise ScoreError(f"{path}: unknown format {suffix!r} (.jsonl, .json, .csv, .tsv, .parquet)")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _flag(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("true", "1", "yes", "y", "t"):
        return True
    if text in ("false", "0", "no", "n", "f"):
        return False
    raise ValueError(f"abstained flag {value!r} is not true or false")


def _confidence(value: Any, logprob: bool) -> float | None:
    if value is None or value == "":
        return None
    c = float(value)
    if logprob:
        if c > 0:
            raise ValueError(f"log-probability {c} is positive")
        c = math.exp(c)
    if not 0 <= c <= 1 or math.isnan(c):
        raise ValueError(f"confidence {c} is not in [0, 1]")
    return c


def _gold_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return _gold_list(json.loads(text))
            except json.JSONDecodeError:
                pass
        return [s.strip() for s in text.split("|") if s.strip()] if text else []
    if isinstance(value, list | tuple):
        out: list[str] = []
        for v in value:
            out.extend(_gold_list(v) if isinstance(v, list | tuple) else [str(v)])
        return [s for s in out if s.strip()]
    return [str(value)]


# --------------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------------


def _share(k: int, n: int, confidence: float) -> Share:
    return Share.of(k, n, confidence)


@dataclass(frozen=True, slots=True)
class BucketRates:
    bucket: str
    n: int
    correct: int
    wrong: int
    abstained: int
    accuracy: Share
    hallucination: Share
    abstention: Share
    error_when_answered: Share


@dataclass(frozen=True, slots=True)
class TargetRow:
    t: float
    penalty: float
    score_as_answered: float | None
    score_thresholded: float | None  # answering only above confidence t (with confidences)
    best_policy: dict[str, str]  # bucket → "answer" / "abstain", maximising the score
    best_policy_score: float | None


@dataclass(frozen=True, slots=True)
class GradeSummary:
    run: str
    answers: str
    questions: str | None
    n_rows: int
    n_graded: int
    n_malformed: int
    n_duplicate: int
    n_unknown_id: int
    n_unanswered: int  # questions of the set without an answer
    n_no_true_answer: int  # graded questions whose given gold is empty (answering is wrong)
    malformed_reasons: dict[str, int]
    count_unit: str
    count_source: str
    n_entity_in_run: int  # graded questions whose entity the run names
    buckets: list[BucketRates]
    overall: BucketRates
    logistic: LogisticFit
    floor: dict[str, Any]
    targets: list[TargetRow]
    calibration: dict[str, Any] | None
    confidence: float
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rates(label: str, outcomes: Sequence[str], confidence: float = 0.95) -> BucketRates:
    """Counts and Wilson-interval shares of one bucket's outcomes.

    Examples
    --------
    >>> r = rates("1", ["correct", "wrong", "wrong", "abstained"])
    >>> r.accuracy.share, r.hallucination.share, r.abstention.share, r.error_when_answered.k
    (0.25, 0.5, 0.25, 2)
    """
    c = Counter(outcomes)
    n = len(outcomes)
    answered = c[CORRECT] + c[WRONG]
    return BucketRates(
        label,
        n,
        c[CORRECT],
        c[WRONG],
        c[ABSTAINED],
        _share(c[CORRECT], n, confidence),
        _share(c[WRONG], n, confidence),
        _share(c[ABSTAINED], n, confidence),
        _share(c[WRONG], answered, confidence),
    )


def best_policy(
    outcomes: Sequence[str], buckets: Sequence[str], t: float
) -> tuple[dict[str, str], float | None]:
    """Per bucket, answer (as the model did) or abstain on all, whichever scores higher at t.

    A bucket is answered when ``correct − t/(1−t)·wrong > 0`` in it; the policy's score is
    the sum of the answered buckets' terms over all questions.

    Examples
    --------
    >>> best_policy(["correct", "wrong", "wrong", "correct"], ["0", "0", "9", "9"], 0.5)
    ({'0': 'abstain', '9': 'abstain'}, 0.0)
    >>> best_policy(["correct", "correct", "wrong"], ["0", "0", "0"], 0.5)
    ({'0': 'answer'}, 0.3333333333333333)
    """
    if not outcomes:
        return {}, None
    penalty = t / (1 - t)
    terms: dict[str, float] = {}
    for o, b in zip(outcomes, buckets, strict=True):
        terms[b] = terms.get(b, 0.0) + (1.0 if o == CORRECT else -penalty if o == WRONG else 0.0)
    policy = {b: ("answer" if v > 0 else "abstain") for b, v in terms.items()}
    return policy, sum(v for v in terms.values() if v > 0) / len(outcomes)


def _attribute_resolver(keys: Any) -> dict[str, str]:
    """Folded alias (catalog ``questions.aliases``, relation names) → the run's attribute."""
    fold = lambda s: re.sub(r"[\s\-]+", "_", s.strip().casefold())  # noqa: E731
    out: dict[str, str] = {}
    for rel in load_catalog().relations:
        if rel.name in keys.relations:
            for alias in rel.question_aliases:
                out[fold(alias)] = rel.name
    for name, rel in keys.relations.items():
        for alias in rel.question_aliases:
            out[fold(alias)] = name
    out.update(keys.aliases)
    return out


def _relation(keys: Any, name: str) -> Relation:
    from singleton_rate.questions import _with_templates

    return _with_templates(keys.relations[name])


def _run_floor(con: Any, single: Sequence[str]) -> dict[str, Any]:
    """The run's headline row (scope single_valued, unit document, key prompt)."""
    cols = {r[0] for r in con.execute("describe estimates").fetchall()}
    wanted = [
        c
        for c in (
            "singleton_rate",
            "missing_mass_low",
            "missing_mass_high",
            "hallucination_floor",
            "n",
            "n1",
        )
        if c in cols
    ]
    row = (
        con.execute(
            f"select {', '.join(wanted)} from estimates where scope = 'single_valued' "
            "and unit = 'document' and key = 'prompt'"
        ).fetchone()
        if "scope" in cols and wanted
        else None
    )
    if row is not None:
        return {
            "source": "estimates: scope single_valued, unit document, key prompt",
            **dict(zip(wanted, row, strict=True)),
        }
    if not single:
        return {"source": "none: the run has no single-valued attribute"}
    con.register("single_attrs", pa.table({"a": pa.array(list(single), pa.string())}))
    n, n1 = con.execute(
        "select sum(doc_count), count(*) filter (where doc_count = 1) from prompts "
        "where attribute in (select a from single_attrs)"
    ).fetchone()
    return {
        "source": "this run's estimates lack scope single_valued (made before it existed): "
        "N1/N computed here from prompts of single-valued attributes, document unit; "
        "no floor",
        "singleton_rate": (n1 / n) if n else None,
        "n": int(n or 0),
        "n1": int(n1 or 0),
    }


def grade(
    run: str | Path,
    answers: str | Path,
    *,
    questions: str | Path | None = None,
    fields: AnswerFields = AnswerFields(),
    logprob: bool = False,
    strict_dates: bool = False,
    gold_values: str = "all",
    unit: str = "document",
    buckets: Sequence[tuple[int, int | None]] | str = DEFAULT_BUCKETS,
    targets: Sequence[float] = TARGETS,
    confidence: float = 0.95,
) -> tuple[pa.Table, GradeSummary]:
    """Grade every answer of ``answers`` against the run folder ``run`` (see module doc).

    ``buckets`` is a sequence of inclusive (low, high or None) count ranges, or ``"classes"``
    for the run's risk classes (unseen, singleton, rare, common). ``gold_values`` is
    ``"all"`` (every value the corpus gives the prompt is gold: repeating any value the
    corpus states is correct, even where it conflicts) or ``"top"`` (only the value most
    train documents state; question sets from ``singletons questions`` only).
    """
    if gold_values not in ("all", "top"):
        raise ScoreError(f"gold_values must be 'all' or 'top', got {gold_values!r}")
    if not 0 < confidence < 1:
        raise ScoreError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    for t in targets:
        if not 0 <= t < 1:
            raise ScoreError(f"confidence target t must lie in [0, 1), got {t}")
    run = Path(run)
    answers = Path(answers)
    if not (run / MANIFEST).is_file():
        raise ScoreError(f"{run}: not a complete run folder (no manifest.json)")
    if not answers.is_file():
        raise ScoreError(f"{answers}: no such answers file")
    manifest = read_manifest(run)
    con = connect(run)
    attributes = [r[0] for r in con.execute("select distinct attribute from prompts").fetchall()]
    keys = run_keys(manifest, attributes)
    resolve = _attribute_resolver(keys)
    notes = list(keys.notes)

    qset: dict[str, dict[str, Any]] | None = None
    if questions is not None:
        qset = {}
        for loc, rec, err in _read_records(Path(questions)):
            if err or not isinstance(rec, dict) or not rec.get("id"):
                raise ScoreError(f"{questions}: {loc} is not a question ({err or 'no id'})")
            for col in ("gold", "gold_precision", "gold_surfaces", "gold_doc_counts"):
                if isinstance(rec.get(col), str):
                    rec[col] = json.loads(rec[col])
            qset[str(rec["id"])] = rec
        if not qset:
            raise ScoreError(f"{questions}: no questions (an empty file)")

    records: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    for index, (loc, rec, err) in enumerate(_read_records(answers)):
        out: dict[str, Any] = {"index": index, "location": loc, "status": MALFORMED}
        records.append(out)
        if err is not None:
            out["reason"], out["detail"] = err.split(":", 1)[0], err
            continue
        if not isinstance(rec, dict):
            out.update(reason="not_an_object", detail=f"a JSON {type(rec).__name__}")
            continue
        try:
            qid = _text(rec.get(fields.id))
            answer = _text(rec.get(fields.answer))
            conf = _confidence(rec.get(fields.confidence), logprob)
            flag = _flag(rec.get(fields.abstained))
        except (TypeError, ValueError) as exc:
            out.update(reason="wrong_type", detail=str(exc))
            continue
        out.update(id=qid, answer=answer, confidence=conf)
        if qset is not None:
            if qid is None:
                out.update(reason="missing_id", detail="no id (needed with --questions)")
                continue
            if qid not in qset:
                out.update(status=UNKNOWN_ID, reason=UNKNOWN_ID, detail=f"{qid!r} not in the set")
                continue
            q = qset[qid]
            entity, attribute = q.get("entity"), q.get("attribute")
        else:
            entity = _text(rec.get(fields.entity))
            attribute = _text(rec.get(fields.attribute))
            q = None
        out.update(entity=entity, attribute=attribute)
        if not entity or not attribute:
            out.update(reason="missing_entity" if not entity else "missing_attribute")
            continue
        name = resolve.get(re.sub(r"[\s\-]+", "_", attribute.strip().casefold()))
        if name is None:
            out.update(
                reason="unknown_attribute",
                detail=f"{attribute!r} is not an attribute of the run's catalog",
            )
            continue
        ekey = (q or {}).get("entity_key") or entity_key(entity)
        dedup = qid if qset is not None else f"{ekey}\x00{name}"
        if dedup in seen_ids:
            out.update(status=DUPLICATE, reason=DUPLICATE, detail="an earlier answer wins")
            continue
        seen_ids.add(dedup)
        relation = _relation(keys, name)
        out.update(
            attribute=name,
            entity_key=ekey,
            single_valued=relation.single_valued,
            status=GRADED,
            _relation=relation,
            _flag=flag,
        )
        if q is not None:
            gold_keys = list(q.get("gold") or [])
            groups = list(q.get("gold_surfaces") or [])
            if gold_values == "top":  # the value most train documents state (ties: first)
                gold_keys, groups = gold_keys[:1], groups[:1]
            out.update(
                stratum=q.get("stratum"),
                count=int(q.get("count") or 0),
                _gold=gold_keys,
                _surfaces=[s for group in groups for s in group],
            )
        else:
            given = rec.get(fields.gold)
            out.update(
                _gold=None,
                _surfaces=_gold_list(given),
                _gold_given=given is not None and given != "",
            )

    if not records:
        raise ScoreError(f"{answers}: no answers (an empty file)")
    graded = [r for r in records if r["status"] == GRADED]
    # Counts (and gold when none was given) from the run, for answers without a question set.
    if qset is None and graded:
        lookup = pa.table(
            {
                "i": pa.array([r["index"] for r in graded], pa.int64()),
                "entity": pa.array([r["entity_key"] for r in graded], pa.string()),
                "attribute": pa.array([r["attribute"] for r in graded], pa.string()),
            }
        )
        con.register("g", lookup)
        count_col = "doc_count" if unit == "document" else "mention_count"
        by_index = {r["index"]: r for r in graded}
        for i, count in con.execute(
            f"select g.i, p.{count_col} from g left join prompts p "
            "on p.entity = g.entity and p.attribute = g.attribute"
        ).fetchall():
            by_index[i]["count"] = int(count or 0)
        for i, values in con.execute(
            "select g.i, list(f.value) from g join facts f "
            "on f.entity = g.entity and f.attribute = g.attribute group by g.i"
        ).fetchall():
            by_index[i]["_run_values"] = list(values)
        for r in graded:
            if not r["_gold_given"]:
                r["_gold"] = r.get("_run_values", [])
            else:
                r["_gold"] = []
    entity_in_run = 0
    if graded:
        con.register(
            "ek", pa.table({"e": pa.array(sorted({r["entity_key"] for r in graded}), pa.string())})
        )
        named = {
            e
            for (e,) in con.execute(
                "select distinct entity from prompts where entity in (select e from ek)"
            ).fetchall()
        }
        entity_in_run = sum(1 for r in graded if r["entity_key"] in named)
    single = [a for a, rel in keys.relations.items() if _relation(keys, a).single_valued]
    floor_run = _run_floor(con, single)
    con.close()

    use_classes = buckets == "classes"
    no_true_answer = 0
    for r in graded:
        r["count_class"] = risk_class(r["count"], keys.rare_max)
        r["bucket"] = r["count_class"] if use_classes else bucket_of(r["count"], buckets)  # type: ignore[arg-type]
        gold, surfaces = r.pop("_gold"), r.pop("_surfaces")
        no_true_answer += not gold and not surfaces and bool(r.get("_gold_given"))
        r["n_gold"] = len(gold) + (len(surfaces) if not gold else 0)
        if is_abstention(r.get("answer"), r.pop("_flag")):
            r["outcome"] = ABSTAINED
        elif not gold and not surfaces and r.get("_gold_given"):
            # the set says the question has no true answer (an empty gold list): any answer
            # is wrong, abstaining is the right response
            r.update(outcome=WRONG, reason="gold_empty", detail="the set gives no true answer")
        elif not gold and not surfaces:
            r.update(status=MALFORMED, reason="no_gold", detail="no gold value to grade against")
            r["outcome"] = None
        else:
            ok, akey, matched = match_answer(
                r["_relation"], r["answer"], gold, surfaces, strict_dates=strict_dates
            )
            r.update(outcome=CORRECT if ok else WRONG, answer_key=akey, matched_gold=matched)
        r.pop("_relation", None)
        r.pop("_run_values", None)
        r.pop("_gold_given", None)
    graded = [r for r in records if r["status"] == GRADED]
    outcomes = [r["outcome"] for r in graded]
    labels = (
        list(RISK_CLASSES) if use_classes else [bucket_label(lo, hi) for lo, hi in buckets]  # type: ignore[union-attr]
    )
    per_bucket = [
        rates(b, [r["outcome"] for r in graded if r["bucket"] == b], confidence) for b in labels
    ]
    fit = logistic_fit(
        [math.log1p(r["count"]) for r in graded], [int(r["outcome"] == CORRECT) for r in graded]
    )
    # The floor comparison: the prompt-weighted stratum when there is one.
    weighted = [r for r in graded if r.get("stratum") == "weighted"]
    if weighted:
        sample, sample_name = weighted, "the prompt-weighted stratum (held-out occurrences)"
    else:
        sample = [r for r in graded if r.get("single_valued")]
        sample_name = "all graded single-valued questions (not a prompt-weighted sample)"
        notes.append(
            "no prompt-weighted stratum: the observed hallucination rate beside the floor is "
            "over every single-valued question, which is not drawn like the corpus's prompts"
        )
    floor = {
        "sample": sample_name,
        "n": len(sample),
        "hallucination": _share(
            sum(r["outcome"] == WRONG for r in sample), len(sample), confidence
        ),
        "unseen_share": _share(sum(r["count"] == 0 for r in sample), len(sample), confidence),
        "run": floor_run,
    }
    confs = [r.get("confidence") for r in graded]
    has_conf = any(c is not None for c in confs)
    bucket_names = [r["bucket"] for r in graded]
    target_rows = []
    for t in targets:
        policy, policy_score = best_policy(outcomes, bucket_names, t)
        target_rows.append(
            TargetRow(
                t=t,
                penalty=t / (1 - t),
                score_as_answered=target_score(outcomes, t) if outcomes else None,
                score_thresholded=(
                    target_score(thresholded(outcomes, confs, t), t)
                    if has_conf and outcomes
                    else None
                ),
                best_policy=policy,
                best_policy_score=policy_score,
            )
        )
    calib = None
    if has_conf:
        bins, ece, n_conf = calibration(outcomes, confs)
        calib = {
            "bins": [asdict(b) for b in bins],
            "ece": ece,
            "n": n_conf,
            "delta_hat": delta_hat(outcomes, confs),
            "definition": MEANING["calibration"],
        }
    statuses = Counter(r["status"] for r in records)
    answered_ids = {r.get("id") for r in records if r["status"] == GRADED}
    summary = GradeSummary(
        run=str(run),
        answers=str(answers),
        questions=None if questions is None else str(questions),
        n_rows=len(records),
        n_graded=len(graded),
        n_malformed=statuses[MALFORMED],
        n_duplicate=statuses[DUPLICATE],
        n_unknown_id=statuses[UNKNOWN_ID],
        n_unanswered=0 if qset is None else sum(1 for q in qset if q not in answered_ids),
        n_no_true_answer=no_true_answer,
        malformed_reasons=dict(
            sorted(Counter(r["reason"] for r in records if r["status"] == MALFORMED).items())
        ),
        count_unit=unit
        if qset is None
        else ", ".join(sorted({str(q.get("count_unit")) for q in qset.values()})),
        count_source="the question set (train documents)" if qset is not None else "the run",
        n_entity_in_run=entity_in_run,
        buckets=per_bucket,
        overall=rates("all", outcomes, confidence),
        logistic=fit,
        floor=floor,
        targets=target_rows,
        calibration=calib,
        confidence=confidence,
        notes=notes,
    )
    table = pa.Table.from_pylist(
        [{n: r.get(n) for n in GRADE_SCHEMA.names} for r in records], schema=GRADE_SCHEMA
    )
    return table, summary


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _s(share: Share) -> str:
    if share.share is None:
        return "-"
    return f"{share.share:.3f} [{share.low:.3f}, {share.high:.3f}]"


def format_grade(summary: GradeSummary) -> str:
    """The per-bucket table, the fit, the floor comparison and the targets, as text."""
    reasons = ", ".join(f"{k} {v}" for k, v in summary.malformed_reasons.items())
    lines = [
        f"answers: {summary.n_rows} rows = {summary.n_graded} graded + {summary.n_malformed} "
        f"malformed{f' ({reasons})' if reasons else ''} + {summary.n_duplicate} duplicate "
        f"+ {summary.n_unknown_id} unknown id; questions without an answer: "
        f"{summary.n_unanswered}; graded questions with no true answer (empty gold: "
        f"abstaining is right, answering wrong): {summary.n_no_true_answer}",
        f"graded questions whose entity the run names: {summary.n_entity_in_run} of "
        f"{summary.n_graded}; counts from {summary.count_source}, unit {summary.count_unit}",
        "",
    ]
    level = f"{summary.confidence:.0%} Wilson"
    header = ["count", "n", "accuracy", "hallucination", "abstention", "wrong/answered"]
    body = [
        [
            b.bucket,
            str(b.n),
            _s(b.accuracy),
            _s(b.hallucination),
            _s(b.abstention),
            _s(b.error_when_answered),
        ]
        for b in (*summary.buckets, summary.overall)
    ]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(header)]
    for cells in (header, *body):
        lines.append("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    lines.append(f"(rates over the bucket's graded questions, [{level}])")
    fit = summary.logistic
    if fit.converged:
        lines.append(
            f"logistic fit P(correct) = σ(a + b·log(1+count)): a = {fit.intercept:.3f} "
            f"± {fit.se_intercept:.3f}, b = {fit.slope:.3f} ± {fit.se_slope:.3f} (n {fit.n})"
        )
    else:
        lines.append(f"logistic fit: none ({fit.note}; n {fit.n})")
    fl = summary.floor
    run = fl["run"]
    sr = run.get("singleton_rate")
    lines += [
        "",
        f"hallucination on {fl['sample']}: {_s(fl['hallucination'])} (n {fl['n']}); "
        f"its share unseen in the counted part: {_s(fl['unseen_share'])}",
        "the run's prediction: "
        + ", ".join(
            f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in run.items()
            if k != "source"
        )
        + f"  ({run['source']})",
    ]
    if sr is None:
        lines.append("(no singleton rate to compare)")
    lines.append("")
    lines.append("confidence targets (Kalai et al. 2025 §4.2: +1 correct, −t/(1−t) wrong, 0 IDK):")
    for row in summary.targets:
        thr = "-" if row.score_thresholded is None else f"{row.score_thresholded:.4f}"
        order = [b.bucket for b in summary.buckets]
        answered = [b for b in order if row.best_policy.get(b) == "answer"]
        lines.append(
            f"  t={row.t:<5} penalty {row.penalty:.2f}: as answered "
            f"{'-' if row.score_as_answered is None else round(row.score_as_answered, 4)}"
            f", answering above t {thr}, best per-bucket policy "
            f"{'-' if row.best_policy_score is None else round(row.best_policy_score, 4)}"
            f" (answer in: {', '.join(answered) or 'none'})"
        )
    if summary.calibration:
        c = summary.calibration
        ece = "-" if c["ece"] is None else f"{c['ece']:.4f}"
        delta = "-" if c["delta_hat"] is None else f"{c['delta_hat']:.4f}"
        lines.append(
            f"calibration ({c['n']} answers with a confidence): ECE {ece}, delta_hat {delta}"
        )
        lines.append("  confidence bin      n  mean confidence  accuracy")
        for b in c["bins"]:
            if b["n"]:
                lines.append(
                    f"  [{b['low']:.1f}, {b['high']:.1f})  {b['n']:>6}  "
                    f"{b['mean_confidence']:>15.3f}  {b['accuracy']:>8.3f}"
                )
    lines.extend(f"note: {n}" for n in summary.notes)
    return "\n".join(lines)


def write_grade_summary(summary: GradeSummary, path: str | Path) -> Path:
    out = Path(path)
    text = json.dumps(summary.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
    _atomic_write(out, lambda tmp: Path(tmp).write_text(text, "utf-8"))
    return out


def write_grades(table: pa.Table, path: str | Path) -> Path:
    """The per-answer table as Parquet, CSV or JSON lines (by extension)."""
    return write_scores(table, path)


def parse_buckets(text: str) -> Sequence[tuple[int, int | None]] | str:
    """``"classes"`` or edges like ``"0,1,2,3-5,6-20,21-100,101-"``.

    Examples
    --------
    >>> parse_buckets("0,1,2-9,10-")
    [(0, 0), (1, 1), (2, 9), (10, None)]
    """
    if text.strip() == "classes":
        return "classes"
    out: list[tuple[int, int | None]] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = part.split("-", 1)
            out.append((int(lo), int(hi) if hi else None))
        else:
            out.append((int(part), int(part)))
    expected = 0
    for lo, hi in out:
        if lo != expected or (hi is not None and hi < lo):
            raise ValueError(f"buckets {text!r} must cover 0, 1, 2, … without gaps or overlaps")
        expected = (hi + 1) if hi is not None else -1
    if out[-1][1] is not None:
        raise ValueError(f"buckets {text!r}: the last must be open (e.g. 101-)")
    return out


__all__ = [
    "ABSTAINED",
    "CORRECT",
    "MEANING",
    "WRONG",
    "AnswerFields",
    "Grades",
    "bucket_of",
    "calibration",
    "delta_hat",
    "format_grade",
    "grade",
    "grades_label",
    "grades_view",
    "is_abstention",
    "logistic_fit",
    "match_answer",
    "rates",
    "read_grade_summary",
    "read_grades",
    "read_grades_table",
    "target_score",
    "thresholded",
]
