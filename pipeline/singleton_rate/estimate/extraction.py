"""Extraction error in the number: precision from an audit, recall as thinning.

The singleton rate ``N1/N`` is computed on *extracted* facts. Two kinds of extraction error move
it, both upwards:

**False mentions (precision).** A wrongly extracted fact (a wrong value, a mis-keyed entity, a
misparsed date) is almost never extracted again with exactly the same key elsewhere, so it is
almost always a singleton. Model: a singleton occurrence is false with probability ``1 − p1``;
every non-singleton occurrence is correct. ``p1``, the precision of singleton facts, is what an
audit of a uniform sample of singletons measures (the run's ``audit`` table); the audit does not
test the second half of the model (it reads no non-singletons), so the correction is an upper
bound on the effect of false *singletons* only. Removing the false occurrences deletes each
false key with its single occurrence and changes no other key's count, so in expectation

    N1' = N1·p1,        N' = N − N1·(1 − p1),        N_r' = N_r (r ≥ 2),

and the corrected rate is ``R(p1) = N1·p1 / (N − N1 + N1·p1)``. ``dR/dp1 = N1·(N − N1) /
(N − N1 + N1·p1)² ≥ 0``: ``R`` is non-decreasing in ``p1``, so a confidence interval
``[p_lo, p_hi]`` for ``p1`` maps to ``[R(p_lo), R(p_hi)]`` at the same level (the map is
monotone; the interval's coverage is that of ``p1``'s, here Wilson's score interval). Example:
``N1 = 30``, ``N = 100``, ``p1 = 0.8`` → ``N1' = 24``, ``N' = 94``, rate ``24/94 = 0.2553``.

**Missed mentions (recall).** If the extractor finds each occurrence of the corpus independently
with probability ``ρ`` (its recall), the extracted sample is a ``ρ``-thinning of the corpus "as
a model sees it" (every occurrence a reader would count). Under Poisson sampling a ``ρ``-thinning
of a sample of size ``N*`` from the key distribution ``p`` is a sample of size ``ρ·N*`` from the
same ``p`` (key ``i``'s count is Poisson(``ρ N* p_i``)). So the extracted sample of size ``N`` is
a sample of ``p`` at size ``N``, and the corpus is one at size ``N* = N/ρ``: the corpus's missing
mass (what its own singleton rate estimates) is ``M(N/ρ)``, the extracted sample's missing mass
*extrapolated* to ``t = 1/ρ``. This uses :mod:`singleton_rate.estimate.band`: Chao–Jost up to ``t =
2`` (iNEXT's range; it is 5–15% low at 2× on Zipf tails), the validated band ``[c_lo(t)·CJ,
c_hi(t)·max(PL, PY)]`` beyond, and nothing beyond ``t = 100``. The model assumes the recall does
not depend on how often a fact is stated; if rare facts are harder to extract, the corrected
rate is too high still.

Both corrections lower the rate. They are sensitivities shown beside the raw rate, never in its
place: the raw rate is what was measured, the corrections rest on the models above.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from numpy.typing import ArrayLike

from singleton_rate.estimate.band import (
    BAND_T_MAX,
    CHAO_JOST_T_MAX,
    as_table,
    chao_jost_missing_mass,
    missing_mass_band,
    pitman_yor_fit,
)
from singleton_rate.estimate.proportion import wilson_interval


def _check_counts(n1: float, n: float) -> None:
    if not (math.isfinite(n1) and math.isfinite(n)) or n1 < 0 or n <= 0 or n1 > n:
        raise ValueError(f"need 0 <= N1 <= N and N > 0, got N1 = {n1}, N = {n}")


def _check_share(p: float, what: str) -> float:
    value = float(p)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{what} must lie in [0, 1], got {p!r}")
    return value


def precision_corrected_counts(n1: float, n: float, precision: float) -> tuple[float, float]:
    """``(N1', N') = (N1·p1, N − N1·(1 − p1))``: the counts with false singletons removed.

    Examples
    --------
    >>> precision_corrected_counts(30, 100, 0.8)
    (24.0, 94.0)
    >>> precision_corrected_counts(30, 100, 1.0)
    (30.0, 100.0)
    """
    _check_counts(n1, n)
    p = _check_share(precision, "precision")
    return n1 * p, n - n1 * (1.0 - p)


def precision_corrected_rate(n1: float, n: float, precision: float) -> float:
    """``R(p1) = N1·p1 / (N − N1·(1 − p1))`` (0 when nothing is left).

    Examples
    --------
    >>> round(precision_corrected_rate(30, 100, 0.8), 4)  # 24/94
    0.2553
    >>> precision_corrected_rate(100, 100, 0.0)  # every occurrence a false singleton
    0.0
    """
    n1c, nc = precision_corrected_counts(n1, n, precision)
    return 0.0 if nc <= 0 else n1c / nc


@dataclass(frozen=True, slots=True)
class PrecisionCorrection:
    """The rate with false singletons removed, from ``correct`` of ``judged`` audited singletons.

    ``precision`` is ``correct/judged`` with its Wilson interval ``[precision_low,
    precision_high]``; ``rate_low``/``rate_high`` are ``R`` at those endpoints (``R`` is
    monotone in ``p1``).
    """

    n1: float
    n: float
    raw_rate: float
    correct: int
    judged: int
    confidence: float
    precision: float
    precision_low: float
    precision_high: float
    n1_corrected: float
    n_corrected: float
    rate: float
    rate_low: float
    rate_high: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def precision_correction(
    n1: float, n: float, correct: int, judged: int, confidence: float = 0.95
) -> PrecisionCorrection:
    """Correct ``N1/N`` for the precision of singleton facts measured on an audit.

    Parameters
    ----------
    n1, n : float
        The singletons and occurrences of the table (``0 ≤ N1 ≤ N``, ``N > 0``).
    correct, judged : int
        Audited singletons judged correct, and judged at all (``unsure`` excluded).
    confidence : float
        Level of the Wilson interval for ``p1``.

    Examples
    --------
    >>> c = precision_correction(30, 100, correct=8, judged=10)
    >>> c.n1_corrected, c.n_corrected, round(c.rate, 4)
    (24.0, 94.0, 0.2553)
    >>> round(c.rate_low, 4), round(c.rate_high, 4)  # R(0.4902), R(0.9433)
    (0.1736, 0.2879)
    """
    _check_counts(n1, n)
    low, high = wilson_interval(correct, judged, confidence)
    p = correct / judged
    n1c, nc = precision_corrected_counts(n1, n, p)
    return PrecisionCorrection(
        n1=float(n1),
        n=float(n),
        raw_rate=n1 / n,
        correct=correct,
        judged=judged,
        confidence=confidence,
        precision=p,
        precision_low=low,
        precision_high=high,
        n1_corrected=n1c,
        n_corrected=nc,
        rate=precision_corrected_rate(n1, n, p),
        rate_low=precision_corrected_rate(n1, n, low),
        rate_high=precision_corrected_rate(n1, n, high),
    )


def precision_corrected_table(
    r: ArrayLike, n_r: ArrayLike, precision: float
) -> tuple[list[int], list[float]]:
    """The table with ``N_1`` scaled by ``p1`` and every other row kept (the model above).

    Examples
    --------
    >>> precision_corrected_table([1, 2], [30, 35], 0.8)
    ([1, 2], [24.0, 35.0])
    """
    p = _check_share(precision, "precision")
    rr, nn, _ = as_table(r, n_r)
    scaled = [float(v) * p if x == 1 else float(v) for x, v in zip(rr, nn, strict=True)]
    return [int(x) for x in rr], scaled


@dataclass(frozen=True, slots=True)
class ThinningCorrection:
    """The corpus's missing mass when the extracted sample is a ``recall``-thinning of it.

    ``t = 1/recall``. ``rate`` is the point (Chao–Jost for ``t ≤ 2``, Pitman–Yor beyond),
    ``[low, high]`` the band (``low = high = rate`` for ``t ≤ 2``, where only Chao–Jost is
    used); all ``None`` with a ``note`` when ``t`` is beyond the validated range. ``method``
    names what produced them.
    """

    recall: float
    t: float
    rate: float | None
    low: float | None
    high: float | None
    method: str
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


METHOD_CHAO_JOST = "chao_jost"
METHOD_BAND = "band[c_lo·chao_jost, c_hi·max(power_law, pitman_yor)]; point pitman_yor"
METHOD_MIXTURE = "mixture over attributes, weights N_a/recall_a"


def _check_recall(recall: float) -> float:
    value = float(recall)
    if not (math.isfinite(value) and 0.0 < value <= 1.0):
        raise ValueError(f"recall must lie in (0, 1], got {recall!r}")
    return value


def thinning_correction(r: ArrayLike, n_r: ArrayLike, recall: float) -> ThinningCorrection:
    """The missing mass at ``t = 1/recall`` times the extracted sample (module docstring).

    Examples
    --------
    >>> c = thinning_correction([1, 2], [10, 5], 0.5)  # t = 2: Chao–Jost, (10/20)·0.95^21
    >>> c.t, round(c.rate, 6), c.method
    (2.0, 0.170281, 'chao_jost')
    >>> c = thinning_correction([1, 2, 3], [500, 100, 40], 0.2)  # t = 5: the band
    >>> c.low < c.rate < c.high
    True
    >>> thinning_correction([1, 2], [10, 5], 0.005).note
    'recall 0.005 means t = 1/recall = 200 > 100, beyond the validated range of the band'
    """
    rho = _check_recall(recall)
    t = 1.0 / rho
    rr, nn, _ = as_table(r, n_r)
    if t <= CHAO_JOST_T_MAX:
        cj = chao_jost_missing_mass(rr, nn, t)
        note = (
            "Chao–Jost is a lower bound in expectation (5–15% low at 2× on Zipf tails)"
            if t > 1.0
            else None
        )
        return ThinningCorrection(rho, t, cj, cj, cj, METHOD_CHAO_JOST, note)
    if t > BAND_T_MAX:
        return ThinningCorrection(
            rho,
            t,
            None,
            None,
            None,
            METHOD_BAND,
            f"recall {rho:g} means t = 1/recall = {t:g} > {BAND_T_MAX:g}, beyond the validated "
            "range of the band",
        )
    band = missing_mass_band(rr, nn, t, fit=pitman_yor_fit(rr, nn))
    note = None if band.informative else "uninformative band (high > 10 × low)"
    return ThinningCorrection(rho, t, band.point, band.low, band.high, METHOD_BAND, note)


def effective_recall(shares: Sequence[float], recalls: Sequence[float]) -> float:
    """One recall for occurrences of several kinds with their own recalls (a harmonic mean).

    If a share ``s_k`` of the *extracted* occurrences is of kind ``k``, found with recall
    ``ρ_k``, the corpus holds ``N·s_k/ρ_k`` of them, so the corpus is ``Σ s_k/ρ_k`` times the
    extracted sample and the recall of the whole is ``1 / Σ_k (s_k/ρ_k)``. (Facts about an
    article's own subject and facts about anyone else, say.)

    Examples
    --------
    >>> round(effective_recall([0.8, 0.2], [0.67, 0.24]), 4)  # 1/(0.8/0.67 + 0.2/0.24)
    0.4933
    >>> effective_recall([1.0], [0.5])
    0.5
    """
    if len(shares) != len(recalls) or not shares:
        raise ValueError("need one recall per share, and at least one")
    if any(x < 0 for x in shares) or not math.isclose(sum(shares), 1.0, abs_tol=1e-9):
        raise ValueError(f"shares must be >= 0 and sum to 1, got {list(shares)}")
    return 1.0 / sum(s / _check_recall(r) for s, r in zip(shares, recalls, strict=True))


def mix_thinning(parts: Sequence[tuple[float, ThinningCorrection]]) -> ThinningCorrection:
    """Combine per-attribute corrections of a scope whose attributes have different recalls.

    Attribute ``a`` holds ``N_a`` extracted occurrences, so ``N_a/ρ_a`` in the corpus; keys of
    different attributes are disjoint, so the scope's missing mass is the occurrence-weighted
    mean ``Σ_a (N_a/ρ_a)·M_a / Σ_a (N_a/ρ_a)`` (as the scope's singleton rate is
    ``Σ N1_a / Σ N_a``). Point, low and high are each mixed; ``t`` reported is
    ``Σ(N_a/ρ_a)/ΣN_a`` and ``recall`` its inverse. ``None`` when any part is ``None``.

    Examples
    --------
    >>> a = ThinningCorrection(0.5, 2.0, 0.2, 0.2, 0.2, "chao_jost")
    >>> b = ThinningCorrection(1.0, 1.0, 0.4, 0.4, 0.4, "chao_jost")
    >>> m = mix_thinning([(100, a), (200, b)])  # weights 200 and 200
    >>> round(m.rate, 6), m.t, m.recall
    (0.3, 1.3333333333333333, 0.75)
    """
    if not parts:
        raise ValueError("no parts to mix")
    weights = [n / c.recall for n, c in parts]
    total_n = sum(n for n, _ in parts)
    total_w = sum(weights)
    if total_n <= 0:
        raise ValueError("the parts hold no occurrences")
    t = total_w / total_n
    notes = sorted({c.note for _, c in parts if c.note})
    note = "; ".join(notes) if notes else None

    def mix(values: list[float | None]) -> float | None:
        if any(v is None for v in values):
            return None
        return sum(w * float(v) for w, v in zip(weights, values, strict=True)) / total_w

    methods = sorted({c.method for _, c in parts})
    return ThinningCorrection(
        recall=1.0 / t,
        t=t,
        rate=mix([c.rate for _, c in parts]),
        low=mix([c.low for _, c in parts]),
        high=mix([c.high for _, c in parts]),
        method=f"{METHOD_MIXTURE} of {' | '.join(methods)}",
        note=note,
    )
