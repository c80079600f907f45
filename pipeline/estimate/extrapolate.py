"""What a larger (or smaller) corpus would show: coverage, richness and the Theorem 2 floor.

"If the corpus were ``t`` times larger": for a multiple ``t`` of the observed size ``N`` the
corpus would hold ``N' = t·N`` occurrences. From the frequency-of-frequencies table alone this
module predicts, at ``N'``,

- the **missing mass** ``1 − Ĉ_{N'}`` (Chao & Jost 2012): rarefied coverage for ``t < 1``, the
  Chao–Jost sample coverage ``Ĉ_n`` at ``t = 1``, extrapolated coverage for ``t > 1``;
- the **hallucination floor** of Theorem 2 (Kalai et al. 2025, App. B) evaluated at that
  predicted missing mass standing in for the singleton rate, and at ``N'``;
- the **distinct keys** ``S(N')``: rarefaction for ``t < 1`` (Hurlbert 1971; Chao et al. 2014),
  Good–Toulmin for ``1 < t ≤ 2`` (Good & Toulmin 1956; or, with ``between="chao1"``, the
  Chao1-based extrapolation there too), Chao1-based extrapolation for ``t > 2`` (Shen, Chao &
  Lin 2003; Chao et al. 2014);
- the corpus size at which the floor would **halve** relative to ``t = 1`` (or, when the floor
  at ``t = 1`` is 0, the size at which it first becomes positive).

Notation: ``n = N``, ``X_k`` the count of key ``k``, ``f_r = N_r``, ``S_obs`` the distinct keys,
``f̂0`` Chao1's estimate of the unseen keys,
``f̂0 = ((n−1)/n)·f1²/(2·f2)`` (``f2 > 0``) or ``((n−1)/n)·f1(f1−1)/2`` (``f2 = 0``), and

``A = n·f̂0/(n·f̂0 + f1)`` (``A = 1`` formally when ``f1 = 0``; every use is then multiplied by 0)

which equals the Chao–Jost factor ``(n−1)f1/((n−1)f1 + 2f2)`` (``f2 > 0``) or
``(n−1)(f1−1)/((n−1)(f1−1) + 2)`` (``f2 = 0``) used by
:func:`pipeline.estimate.sample_coverage`.

Sources and how they were checked. The rarefied-coverage, rarefied-richness and
extrapolated-richness formulas below were checked against the published R code of the
authors (iNEXT, T. C. Hsieh, K. H. Ma & A. Chao: functions ``Chat.Ind`` and ``D0.hat`` in
``R/iNEXT.r``) and against the Python package copia (``coverage.py``,
``rarefaction_extrapolation.py``); the paper texts themselves were not available to check.
The rarefaction formulas are also checked in the tests by exact enumeration: they are unbiased
for ``1 − Σ p_i(1 − p_i)^m`` and ``Σ [1 − (1 − p_i)^m]`` under multinomial sampling.

References
----------
- A. Chao & L. Jost (2012), "Coverage-based rarefaction and extrapolation: standardizing samples
  by completeness rather than size", Ecology 93(12):2533–2547.
- A. Chao, N. J. Gotelli, T. C. Hsieh, E. L. Sander, K. H. Ma, R. K. Colwell & A. M. Ellison
  (2014), "Rarefaction and extrapolation with Hill numbers", Ecological Monographs 84:45–67.
- T.-J. Shen, A. Chao & C.-F. Lin (2003), "Predicting the number of new species in further
  taxonomic sampling", Ecology 84:798–804.
- S. H. Hurlbert (1971), "The nonconcept of species diversity", Ecology 52:577–586.
- I. J. Good & G. H. Toulmin (1956), Biometrika 43:45–63.
- A. T. Kalai, O. Nachum, S. S. Vempala & E. Zhang (2025), "Why Language Models Hallucinate",
  arXiv:2509.04664, Theorem 2 and Appendix B.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipeline.estimate._checks import whole_number
from pipeline.estimate.bounds import floor_raw_unchecked, hallucination_bounds
from pipeline.estimate.fof import FreqOfFreq
from pipeline.estimate.richness import chao1, sample_coverage
from pipeline.estimate.toulmin import good_toulmin

DEFAULT_MULTIPLES: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
"""The default grid of corpus-size multiples ``t``."""

DEFAULT_T_MAX = 1000.0
"""How far (as a multiple of ``N``) :func:`floor_halving` searches."""

RichnessMethod = Literal["rarefaction", "observed", "good_toulmin", "chao1_extrapolation"]
CoverageMethod = Literal["rarefaction", "observed", "extrapolation"]
BetweenMethod = Literal["good_toulmin", "chao1"]
HalvingTarget = Literal["halve", "first_positive"]

_EXACT_PRODUCT_MAX_R = 1024
# Up to this count the hypergeometric ratios are summed term by term with log1p (exact to
# rounding); above it lgamma differences are used (their absolute error, about 1e-16·n·ln n,
# only matters for ratios that are already negligible at such counts).
_HALVING_GRID_POINTS = 4001


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


def _check_size(size: object, what: str, *, low: int, high: int | None = None) -> int:
    value = whole_number(size, what)
    if value < low or (high is not None and value > high):
        bound = f"[{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{what} must lie in {bound}, got {size!r}")
    return value


def _log_falling_ratio(n: int, m: int, x: np.ndarray, start: int) -> np.ndarray:
    """``log Π_{j=start}^{x−1} (n − m − j)/(n − j)`` for each ``x``; ``−inf`` when a factor is 0.

    ``start = 0`` gives ``log[C(n−x, m)/C(n, m)]`` and ``start = 1`` gives
    ``log[C(n−x, m)/C(n−1, m)]``. A factor vanishes (the binomial ``C(n−x, m)`` is 0) exactly
    when ``x > n − m``.
    """
    x = np.asarray(x, dtype=np.int64)
    out = np.full(x.shape, -np.inf)
    ok = x <= n - m
    if m == 0:
        out[:] = 0.0
        return out
    small = ok & (x <= _EXACT_PRODUCT_MAX_R)
    if np.any(small):
        top = int(x[small].max())
        j = np.arange(0, top, dtype=np.float64)
        # cumulative[k] = Σ_{j<k} log1p(−m/(n − j)); j ≤ top − 1 ≤ n − m − 1 < n, so n − j > 0.
        cumulative = np.concatenate(([0.0], np.cumsum(np.log1p(-m / (n - j)))))
        out[small] = cumulative[x[small]] - cumulative[start]
    large = ok & (x > _EXACT_PRODUCT_MAX_R)
    if np.any(large):
        xl = x[large].astype(np.float64)
        lg = np.vectorize(math.lgamma, otypes=[float])
        # Π_{j=start}^{x−1}(n−m−j) = Γ(n−m−start+1)/Γ(n−m−x+1), Π(n−j) = Γ(n−start+1)/Γ(n−x+1)
        out[large] = (
            math.lgamma(n - m - start + 1)
            - lg(n - m - xl + 1)
            - math.lgamma(n - start + 1)
            + lg(n - xl + 1)
        )
    return out


def chao1_unseen(fof: FreqOfFreq) -> float:
    """``f̂0``: Chao1's estimate of the number of unseen keys, with ``w = (n − 1)/n``.

    ``f̂0 = w·f1²/(2·f2)`` if ``f2 > 0``, else ``w·f1·(f1 − 1)/2`` (0 when ``f1 = 0``); the same
    number as ``chao1(fof).f0_hat`` and as ``f0.hat`` in iNEXT.
    """
    return chao1(fof).f0_hat


def extrapolation_factor(fof: FreqOfFreq) -> float:
    """``A = n·f̂0/(n·f̂0 + f1)``: the per-occurrence survival factor of the unseen mass.

    Chao et al. (2014) and iNEXT write the extrapolated richness with ``1 − f1/(n·f̂0 + f1)``,
    which is this ``A``; it equals the Chao–Jost (2012) coverage factor
    ``(n−1)f1/((n−1)f1 + 2f2)`` (or ``(n−1)(f1−1)/((n−1)(f1−1) + 2)`` when ``f2 = 0``).
    ``f1 = 0`` returns 1 by convention (nothing is unseen, and every use multiplies by ``f1`` or
    ``f̂0 = 0``). ``A = 0`` when ``f̂0 = 0`` with ``f1 > 0`` (``f1 = 1, f2 = 0``, or ``N = 1``).
    """
    f1 = fof.f1
    if f1 == 0:
        return 1.0
    n_f0 = fof.n * chao1_unseen(fof)
    return n_f0 / (n_f0 + f1)


def rarefied_coverage(fof: FreqOfFreq, m: int) -> float:
    """Expected coverage of a random subsample of ``m`` of the ``n`` occurrences (Chao & Jost 2012).

    For ``1 ≤ m < n``:

    ``Ĉ_m = 1 − Σ_k (X_k/n)·C(n − X_k, m)/C(n − 1, m)``
    ``= 1 − Σ_r N_r·(r/n)·C(n − r, m)/C(n − 1, m)``

    (a term is 0 when ``r > n − m``); ``m = n`` gives the sample coverage
    ``Ĉ_n = 1 − (f1/n)·A`` and ``m = 0`` gives 0. ``X_k·C(n−X_k, m)/(n·C(n−1, m))`` is an
    unbiased estimator of ``p_k(1 − p_k)^m`` under multinomial sampling, so ``Ĉ_m`` is unbiased
    for the expected coverage ``1 − Σ p_k(1 − p_k)^m`` of a sample of size ``m``. At
    ``m = n − 1`` it equals ``1 − f1/n``, the Turing estimate. The ratios are evaluated in log
    space. Checked against ``Chat.Ind`` (``m < n`` and ``m = n`` branches) in iNEXT.

    Raises
    ------
    ValueError
        If ``m`` is not a whole number in ``[0, n]``.
    """
    n = fof.n
    size = _check_size(m, "m (subsample size)", low=0, high=n)
    if size == 0:
        return 0.0
    if size == n:
        return sample_coverage(fof)
    r, n_r = fof.as_arrays()
    log_ratio = _log_falling_ratio(n, size, r, start=1)
    missing = math.fsum((n_r * (r / n) * np.exp(log_ratio)).tolist())
    return 1.0 - missing


def rarefied_richness(fof: FreqOfFreq, m: int) -> float:
    """Expected distinct keys in a random subsample of ``m`` of the ``n`` occurrences.

    Hurlbert (1971); Chao et al. (2014), the interpolation formula for ``q = 0``:

    ``S(m) = Σ_k [1 − C(n − X_k, m)/C(n, m)] = Σ_r N_r·[1 − C(n − r, m)/C(n, m)]``, ``0 ≤ m ≤ n``,

    with ``C(n − r, m) = 0`` when ``r > n − m``. ``S(n) = S_obs`` and ``S(0) = 0``; it is
    unbiased for ``Σ_k [1 − (1 − p_k)^m]``. Computed in log space (lgamma for counts above
    1,024, exact products below). Checked against ``D0.hat`` (``m ≤ n`` branch) in iNEXT.

    Raises
    ------
    ValueError
        If ``m`` is not a whole number in ``[0, n]``.
    """
    n = fof.n
    size = _check_size(m, "m (subsample size)", low=0, high=n)
    if size == n:
        return float(fof.distinct)
    r, n_r = fof.as_arrays()
    log_ratio = _log_falling_ratio(n, size, r, start=0)
    return math.fsum((n_r * -np.expm1(log_ratio)).tolist())


def extrapolated_richness(fof: FreqOfFreq, m: float) -> float:
    """Expected distinct keys after ``m`` more occurrences (Chao1-based extrapolation).

    Chao et al. (2014), after Shen, Chao & Lin (2003):

    ``S(n + m) = S_obs + f̂0·[1 − (1 − f1/(n·f̂0 + f1))^m] = S_obs + f̂0·(1 − A^m)``

    It tends to the Chao1 estimate ``S_obs + f̂0`` as ``m → ∞``, is non-decreasing in ``m``,
    and gives ``S_obs`` when ``f1 = 0`` or ``f̂0 = 0``. Checked against ``D0.hat`` (``m > n``
    branch, ``A = n·f̂0/(n·f̂0 + f1)``) in iNEXT and copia. Colwell et al. (2012, eq. 9) print
    ``f1/(n·f̂0)`` in place of ``f1/(n·f̂0 + f1)``; the form here is the one the iNEXT authors
    implement. Chao et al. recommend it up to about ``m = n`` (double the sample); beyond that
    it leans entirely on Chao1, a lower bound for the richness.

    Raises
    ------
    ValueError
        If ``m`` is negative or not finite.
    """
    extra = float(m)
    if not (math.isfinite(extra) and extra >= 0.0):
        raise ValueError(f"m (additional occurrences) must be finite and >= 0, got {m!r}")
    f0 = chao1_unseen(fof)
    if fof.f1 == 0 or f0 == 0.0:
        return float(fof.distinct)
    return fof.distinct + f0 * -math.expm1(extra * math.log(extrapolation_factor(fof)))


def coverage_at(fof: FreqOfFreq, size: int) -> float:
    """Predicted coverage of a corpus of ``size`` occurrences drawn like the observed one.

    ``size < n``: :func:`rarefied_coverage`; ``size = n``: ``Ĉ_n``; ``size > n``: the
    extrapolated coverage ``Ĉ_{n+m} = 1 − (f1/n)·A^(m+1)``, ``m = size − n`` (Chao & Jost 2012;
    iNEXT ``Chat.Ind``). Non-decreasing in ``size``.
    """
    n = fof.n
    target = _check_size(size, "size", low=0)
    if target <= n:
        return rarefied_coverage(fof, target)
    if fof.f1 == 0:
        return 1.0
    return 1.0 - fof.f1 / n * extrapolation_factor(fof) ** (target - n + 1)


def richness_at(
    fof: FreqOfFreq, size: int, *, between: BetweenMethod = "good_toulmin"
) -> tuple[float, RichnessMethod]:
    """Predicted distinct keys in a corpus of ``size`` occurrences, and the method used.

    ``size < n``: :func:`rarefied_richness` (``"rarefaction"``); ``size = n``: ``S_obs``
    (``"observed"``); ``size > 2n``: :func:`extrapolated_richness` with ``m = size − n``
    (``"chao1_extrapolation"``). For ``n < size ≤ 2n``, ``between`` chooses:

    - ``"good_toulmin"`` (default): ``S_obs + U(u)`` with Good–Toulmin's
      ``U(u) = −Σ_i (−u)^i N_i`` at ``u = (size − n)/n ≤ 1`` (``"good_toulmin"``);
    - ``"chao1"``: the Chao1 extrapolation there too (``"chao1_extrapolation"``), which
      Chao et al. (2014) recommend up to ``2n``.

    Good–Toulmin is unbiased for the new keys up to ``u = 1`` but its variance grows with
    ``u``: at ``u = 1`` every key contributes ``±1`` whatever its count, so on a nearly complete
    sample (few singletons, many frequent keys) it is dominated by noise. In 200 simulated
    samples (Zipf 1.1 over 100 keys, ``n = 5,000``, no new key to find) its RMSE at ``u = 1``
    was 9.9 keys against 0.10 for the Chao1 extrapolation; on heavy-tailed samples (Zipf 1.1
    to 2, 10,000–100,000 keys, ``n = 2,000``) the two had the same RMSE within 10% at
    ``u = 0.5`` and ``u = 1`` (Good–Toulmin unbiased, Chao1 low by up to 3% of the new keys at
    ``u = 1``). Good–Toulmin is not monotone in ``u`` in general, and at ``size = 2n`` it need
    not agree with the Chao1 extrapolation used beyond, so with ``"good_toulmin"`` the curve
    can jump, even downwards, at ``2n``; with ``"chao1"`` it is non-decreasing everywhere.
    """
    n = fof.n
    target = _check_size(size, "size", low=0)
    if between not in ("good_toulmin", "chao1"):
        raise ValueError(f"between must be 'good_toulmin' or 'chao1', got {between!r}")
    if target < n:
        return rarefied_richness(fof, target), "rarefaction"
    if target == n:
        return float(fof.distinct), "observed"
    if target <= 2 * n and between == "good_toulmin":
        return fof.distinct + good_toulmin(fof, (target - n) / n), "good_toulmin"
    return extrapolated_richness(fof, target - n), "chao1_extrapolation"


def _size_for(t: float, n: int) -> int:
    # Round half up to a whole number of occurrences, never below 1 (Theorem 2 needs N ≥ 1).
    return max(1, math.floor(t * n + 0.5))


def _check_multiple(t: float) -> float:
    value = float(t)
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"every multiple t must be a finite number > 0, got {t!r}")
    return value


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExtrapolationRow:
    """Predictions for a corpus ``t`` times the observed size.

    Attributes
    ----------
    t
        The multiple of the observed size ``N``.
    n
        ``N' = max(1, round(t·N))``: the predicted corpus size in occurrences.
    m
        ``N' − N``: occurrences added (negative when rarefying).
    predicted_coverage
        Chao–Jost coverage at ``N'`` (see :func:`coverage_at`).
    predicted_missing_mass
        ``1 − predicted_coverage``.
    predicted_floor, predicted_floor_raw
        Theorem 2's floor (clipped at 0, and raw) with ``sr`` := ``predicted_missing_mass``
        and ``N`` := ``N'``.
    predicted_distinct
        Predicted distinct keys ``S(N')`` (see :func:`richness_at`).
    predicted_new
        Keys absent from the observed corpus that the larger corpus would hold,
        ``S(N') − S_obs``, for ``t > 1``; 0 for ``t ≤ 1`` (a subsample holds no new key).
        Good–Toulmin's alternating series can make it negative on tables with few
        singletons; it is reported as computed, not clipped.
    method
        How ``predicted_distinct`` was obtained: ``"rarefaction"``, ``"observed"``,
        ``"good_toulmin"`` or ``"chao1_extrapolation"``.
    coverage_method
        How the coverage was obtained: ``"rarefaction"``, ``"observed"`` or
        ``"extrapolation"``.
    """

    t: float
    n: int
    m: int
    predicted_coverage: float
    predicted_missing_mass: float
    predicted_floor: float
    predicted_floor_raw: float
    predicted_distinct: float
    predicted_new: float
    method: RichnessMethod
    coverage_method: CoverageMethod

    def as_dict(self) -> dict[str, int | float | str]:
        """The fields in declaration order, as a plain dict (one table row)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True, slots=True)
class FloorHalving:
    """The corpus size at which the predicted Theorem 2 floor halves (or first turns positive).

    Attributes
    ----------
    target
        ``"halve"`` when the floor at ``t = 1`` is positive: the first size ``N' ≥ N`` with
        ``floor(N') ≤ floor(N)/2``. ``"first_positive"`` when the floor at ``t = 1`` is 0
        (uninformative, so "half of it" means nothing): the first size with a raw floor
        ``> 0``.
    floor_at_observed
        The predicted floor at ``t = 1`` (``sr`` := ``1 − Ĉ_n``; it can differ slightly from
        the summary's floor, which uses ``sr = N1/N``).
    target_floor
        ``floor_at_observed / 2`` for ``"halve"``; 0 for ``"first_positive"`` (the floor must
        exceed it).
    t, n
        The size found, as a multiple of ``N`` and in occurrences; ``None`` when not found.
    found
        Whether a size was found in ``[N, t_max·N]``.
    t_max
        The search limit, as a multiple of ``N``.
    floor_at_found
        The predicted floor at the size found (``None`` when not found).
    note
        A sentence saying what was searched and what was found.
    """

    target: HalvingTarget
    floor_at_observed: float
    target_floor: float
    t: float | None
    n: int | None
    found: bool
    t_max: float
    floor_at_found: float | None
    note: str


@dataclass(frozen=True, slots=True)
class Extrapolation:
    """Predictions over a grid of corpus sizes, and the floor-halving size.

    ``rows`` hold one :class:`ExtrapolationRow` per multiple ``t`` in the order given;
    :meth:`as_rows` flattens them for a Parquet table. The inputs of Theorem 2 are kept beside
    them (``gamma = 1 − confidence``), and ``between`` names the distinct-key predictor used
    for ``N < N' ≤ 2N``.
    """

    n_observed: int
    distinct_observed: int
    f1: int
    f2: int
    error_set_min: int
    error_set_max: int
    gamma: float
    calibration_error: float
    between: BetweenMethod
    rows: tuple[ExtrapolationRow, ...]
    halving: FloorHalving

    def as_rows(self) -> list[dict[str, int | float | str]]:
        """One dict per ``t``: ``t, n, predicted_missing_mass, predicted_floor,
        predicted_distinct, predicted_new, method`` and the other row fields."""
        return [row.as_dict() for row in self.rows]


# --------------------------------------------------------------------------------------------
# The predictions
# --------------------------------------------------------------------------------------------


def _floor(
    missing: float, size: int, e_min: int, e_max: int, gamma: float, delta: float
) -> tuple[float, float]:
    bounds = hallucination_bounds(
        min(1.0, max(0.0, missing)),
        size,
        error_set_min=e_min,
        error_set_max=e_max,
        gamma=gamma,
        calibration_error=delta,
    )
    return bounds.floor, bounds.floor_raw


def predict(
    fof: FreqOfFreq,
    t: float,
    *,
    error_set_min: int,
    error_set_max: int,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
    between: BetweenMethod = "good_toulmin",
) -> ExtrapolationRow:
    """Predictions for a corpus ``t`` times the observed size (one :class:`ExtrapolationRow`).

    With ``N' = max(1, round(t·N))`` and ``m = N' − N``:

    - missing mass ``1 − Ĉ_{N'}`` (:func:`coverage_at`): for ``t < 1`` the rarefied coverage
      ``Ĉ_{N'} = 1 − Σ_r N_r (r/n) C(n−r, N')/C(n−1, N')``; at ``t = 1``
      ``Ĉ_n = 1 − (f1/n)·A``; for ``t > 1`` ``Ĉ_{n+m} = 1 − (f1/n)·A^(m+1)`` (Chao & Jost 2012);
    - floor: Theorem 2, App. B form (Kalai et al. 2025),
      ``max(0, sr' − 2/min|E_c| − 6·ln(3N'/γ)/√N' − δ)`` with ``sr'`` := the predicted missing
      mass. This is an approximation: ``sr`` is the singleton rate ``N1'/N'`` of the larger
      corpus, whose expectation ``Σ p(1−p)^(N'−1)`` is the expected missing mass at ``N' − 1``,
      and the Good–Turing bias ``E[N1/N] − E[M0]`` lies in ``[0, 1/N']`` (McAllester &
      Schapire 2000), so the two differ by at most ``1/N'`` in expectation;
    - distinct keys (:func:`richness_at`): rarefaction (``t < 1``), ``S_obs`` (``t = 1``),
      ``S_obs + U_GT((N' − N)/N)`` (``1 < t ≤ 2``, or the Chao1 extrapolation there with
      ``between = "chao1"``), ``S_obs + f̂0(1 − A^m)`` (``t > 2``).

    The methods follow ``N'``, not ``t``: when rounding makes ``N' = N`` (e.g. ``N = 1``,
    ``t = 0.1``, since ``N' ≥ 1``) the row is the observed one.

    Raises
    ------
    ValueError
        For ``t ≤ 0`` or not finite, or invalid Theorem 2 inputs.
    """
    multiple = _check_multiple(t)
    n = fof.n
    size = _size_for(multiple, n)
    coverage = coverage_at(fof, size)
    missing = 1.0 - coverage
    floor, floor_raw = _floor(missing, size, error_set_min, error_set_max, gamma, calibration_error)
    distinct, method = richness_at(fof, size, between=between)
    coverage_method: CoverageMethod = (
        "rarefaction" if size < n else "observed" if size == n else "extrapolation"
    )
    return ExtrapolationRow(
        t=multiple,
        n=size,
        m=size - n,
        predicted_coverage=coverage,
        predicted_missing_mass=missing,
        predicted_floor=floor,
        predicted_floor_raw=floor_raw,
        predicted_distinct=distinct,
        predicted_new=distinct - fof.distinct if size > n else 0.0,
        method=method,
        coverage_method=coverage_method,
    )


def floor_halving(
    fof: FreqOfFreq,
    *,
    error_set_min: int,
    error_set_max: int,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
    t_max: float = DEFAULT_T_MAX,
) -> FloorHalving:
    """The smallest corpus ``N' ∈ [N, t_max·N]`` at which the predicted floor halves.

    The predicted floor at size ``N'`` is Theorem 2's with ``sr`` := ``1 − Ĉ_{N'}`` (see
    :func:`predict`). As the corpus grows the missing mass falls (lowering the floor) and the
    sampling term ``6·ln(3N'/γ)/√N'`` falls too (raising it), so the floor need not be monotone:
    it typically rises and then falls. Hence:

    - if the floor at ``t = 1`` is positive, the target is the **first** ``N' ≥ N`` with
      ``floor(N') ≤ floor(N)/2`` (``target = "halve"``);
    - if it is 0 (uninformative: the correction terms exceed ``sr``), halving is meaningless;
      the target is the first ``N'`` with a positive raw floor (``target = "first_positive"``).

    Search: the condition is evaluated on ``N' = round(t·N)`` for 4,001 multiples ``t``
    log-spaced over ``[1, t_max]`` (steps of a factor ``t_max^(1/4000)``, 1.0017 for
    ``t_max = 1000``), and the first bracket where it turns true is refined by bisection over
    whole ``N'``. A crossing that reverts within one grid step would be missed. When no size
    in the range satisfies the condition, ``found`` is false and ``t``, ``n`` are ``None``.

    Raises
    ------
    ValueError
        For ``t_max < 1`` or invalid Theorem 2 inputs.
    """
    limit = float(t_max)
    if not (math.isfinite(limit) and limit >= 1.0):
        raise ValueError(f"t_max must be a finite number >= 1, got {t_max!r}")
    n = fof.n
    singleton_share = fof.f1 / n
    factor = extrapolation_factor(fof)

    def missing_at(size: int) -> float:
        # coverage_at for size ≥ n, with A computed once: 1 − Ĉ = (f1/n)·A^(size − n + 1)
        # (and 1 − Ĉ_n at size = n, the same formula with exponent 1).
        return singleton_share * factor ** (size - n + 1) if fof.f1 else 0.0

    # The inputs checked once here; the search below evaluates thousands of sizes.
    observed_floor, _ = _floor(
        missing_at(n), n, error_set_min, error_set_max, gamma, calibration_error
    )

    def floor_at(size: int) -> tuple[float, float]:
        sr = min(1.0, max(0.0, missing_at(size)))
        raw = floor_raw_unchecked(sr, size, error_set_min, gamma, calibration_error)
        return max(0.0, raw), raw

    target: HalvingTarget
    if observed_floor > 0.0:
        target, goal = "halve", observed_floor / 2.0

        def reached(size: int) -> bool:
            return floor_at(size)[0] <= goal

    else:
        target, goal = "first_positive", 0.0

        def reached(size: int) -> bool:
            return floor_at(size)[1] > 0.0

    grid = np.geomspace(1.0, limit, _HALVING_GRID_POINTS) if limit > 1.0 else np.array([1.0])
    sizes = sorted({_size_for(float(x), n) for x in grid} | {n, _size_for(limit, n)})
    previous: int | None = None
    hit: int | None = None
    for size in sizes:
        if size > n and reached(size):
            hit = size
            break
        previous = size
    if hit is None:
        what = (
            f"the floor never falls to half its value at t = 1 ({observed_floor:.4g})"
            if target == "halve"
            else "the floor stays at 0 (the correction terms exceed the predicted missing mass)"
        )
        return FloorHalving(
            target=target,
            floor_at_observed=observed_floor,
            target_floor=goal,
            t=None,
            n=None,
            found=False,
            t_max=limit,
            floor_at_found=None,
            note=f"not found: {what} for corpus sizes up to {limit:g}×N",
        )
    low = previous if previous is not None else n
    high = hit
    # Invariant: reached(high) is true and reached(low) is false (low = n is never tested as a
    # hit: at t = 1 the floor equals itself, which is neither halved nor newly positive).
    while high - low > 1:
        mid = (low + high) // 2
        if reached(mid):
            high = mid
        else:
            low = mid
    found_floor = floor_at(high)[0]
    what = (
        f"the floor halves from {observed_floor:.4g} to {found_floor:.4g}"
        if target == "halve"
        else f"the floor is 0 at t = 1 and first turns positive ({found_floor:.4g})"
    )
    return FloorHalving(
        target=target,
        floor_at_observed=observed_floor,
        target_floor=goal,
        t=high / n,
        n=high,
        found=True,
        t_max=limit,
        floor_at_found=found_floor,
        note=f"found: {what} at N' = {high} ({high / n:.4g}×N)",
    )


def extrapolate(
    fof: FreqOfFreq,
    *,
    error_set_min: int,
    error_set_max: int,
    multiples: Iterable[float] = DEFAULT_MULTIPLES,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
    t_max: float = DEFAULT_T_MAX,
    between: BetweenMethod = "good_toulmin",
) -> Extrapolation:
    """Predict missing mass, Theorem 2 floor and distinct keys over a grid of corpus sizes.

    Parameters
    ----------
    fof
        The observed frequency-of-frequencies table (``N`` occurrences).
    error_set_min, error_set_max
        ``min_c|E_c|`` and ``max_c|E_c|`` for Theorem 2.
    multiples
        The multiples ``t`` of ``N`` (each ``> 0``); default
        ``0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10``.
    gamma
        Theorem 2's failure probability ``γ`` (default 0.01, the theorem's 99%).
    calibration_error
        ``δ ≥ 0``.
    t_max
        How far :func:`floor_halving` searches.
    between
        The distinct-key predictor for ``N < N' ≤ 2N``: ``"good_toulmin"`` (default) or
        ``"chao1"`` (see :func:`richness_at` for the trade-off).

    Returns
    -------
    Extrapolation
        One row per ``t`` (see :func:`predict` for every formula) and the halving size (see
        :func:`floor_halving`).

    Notes
    -----
    Every prediction assumes the larger corpus is drawn from the same distribution as the
    observed one (more of the same documents), and that occurrences are independent; repeats
    inside documents and near-duplicates break that (count by document).

    Beyond the observed size the predictions rest on Chao1's estimate of the unseen keys, a
    lower bound, and the extrapolated coverage treats the unseen mass as ``f̂0`` equally rare
    keys, so the predicted missing mass falls too fast: it is biased low, mildly up to ``2N``
    and strongly beyond. Measured (``tests/test_estimate_extrapolate.py``; 100 trials, base
    sample 2,000, the truth being the actual missing mass of a real 2× or 5× sample):

    ==========================  =====  ==========  =======  =====
    distribution                size   true mass   bias     MAE
    ==========================  =====  ==========  =======  =====
    Zipf 1.1, 10,000 keys       2×     0.206       −0.013   0.015
    Zipf 1.1, 10,000 keys       5×     0.143       −0.064   0.064
    Zipf 2, 10,000 keys         2×     0.0108      −0.0009  0.0026
    Zipf 2, 10,000 keys         5×     0.0069      −0.0039  0.0041
    ==========================  =====  ==========  =======  =====

    So read the predicted floor beyond ``2N`` as optimistic (too low), and the halving size as
    too small.
    """
    grid = [_check_multiple(t) for t in multiples]
    if not grid:
        raise ValueError("multiples must hold at least one t")
    rows = tuple(
        predict(
            fof,
            t,
            error_set_min=error_set_min,
            error_set_max=error_set_max,
            gamma=gamma,
            calibration_error=calibration_error,
            between=between,
        )
        for t in grid
    )
    halving = floor_halving(
        fof,
        error_set_min=error_set_min,
        error_set_max=error_set_max,
        gamma=gamma,
        calibration_error=calibration_error,
        t_max=t_max,
    )
    return Extrapolation(
        n_observed=fof.n,
        distinct_observed=fof.distinct,
        f1=fof.f1,
        f2=fof.f2,
        error_set_min=int(error_set_min),
        error_set_max=int(error_set_max),
        gamma=float(gamma),
        calibration_error=float(calibration_error),
        between=between,
        rows=rows,
        halving=halving,
    )
