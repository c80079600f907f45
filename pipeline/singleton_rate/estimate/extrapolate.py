"""What a larger (or smaller) corpus would show: coverage, richness and the Theorem 2 floor.

"If the corpus were ``t`` times larger": for a multiple ``t`` of the observed size ``N`` the
corpus would hold ``N' = t·N`` occurrences. From the frequency-of-frequencies table alone this
module predicts, at ``N'``,

- the **missing mass**, each row naming its method (``missing_mass_method``):

  ============  ===========================================  ==========================
  ``N'``        point ``predicted_missing_mass``             band ``_low`` … ``_high``
  ============  ===========================================  ==========================
  ``< N``       rarefied coverage, ``"rarefaction"``         —
  ``= N``       ``1 − Ĉ_n`` (Chao–Jost), ``"observed"``      the band at ``t = 1``
  ``≤ 2N``      Chao–Jost extrapolation, ``"chao_jost"``     the band
  ``≤ 100N``    — (null)                                     the band, ``"band(…)"``
  ``> 100N``    — (null, with a note)                        — (null, with a note)
  ============  ===========================================  ==========================

  The Chao–Jost point stops at ``2N``, iNEXT's range, because beyond it the estimate collapses
  (it is a lower bound in expectation for every population, and 32–92% low at ``5N``–``10N``
  on Zipf tails). Beyond ``2N`` only the band of
  :func:`singleton_rate.estimate.band.missing_mass_band`
  is reported, ``[c_lo(t)·CJ, c_hi(t)·max(power law, Pitman–Yor)]``, whose coverage of the
  exact expected missing mass was ≥ 95% in every simulated cell up to ``t = 100``; the
  method is named ``"band(chao_jost,power_law,pitman_yor)"``. ``band_informative`` is false
  where ``high > 10·low`` (on heavy tails from about ``5N``: the low end collapses with
  Chao–Jost). Measured errors of each method: ``bench/extrapolation_error.py`` and
  ``tests/test_estimate_extrapolate.py``;
- the **hallucination floor** of Theorem 2 (Kalai et al. 2025, App. B) with that missing mass
  standing in for the singleton rate, at ``N'``: a point (``predicted_floor``) where the
  point mass is reported, and from each end of the band (``predicted_floor_low`` from the
  band's low end, ``predicted_floor_high`` from its high end: the floor increases with
  ``sr``, so the two bracket it wherever the band brackets the missing mass);
- the **distinct keys** ``S(N')``: rarefaction for ``t < 1`` (Hurlbert 1971; Chao et al. 2014),
  Good–Toulmin for ``1 < t ≤ 2`` (Good & Toulmin 1956; or, with ``between="chao1"``, the
  Chao1-based extrapolation there too), Chao1-based extrapolation for ``t > 2`` (Shen, Chao &
  Lin 2003; Chao et al. 2014); beyond ``2N`` it tends to Chao1, itself a lower bound;
- the corpus size at which the floor would **halve** relative to ``t = 1`` (or, when the floor
  at ``t = 1`` is 0, the size at which it first becomes positive), from both ends of the band
  and only within ``t_max ≤ 100`` (:func:`floor_halving`).

Notation: ``n = N``, ``X_k`` the count of key ``k``, ``f_r = N_r``, ``S_obs`` the distinct keys,
``f̂0`` Chao1's estimate of the unseen keys,
``f̂0 = ((n−1)/n)·f1²/(2·f2)`` (``f2 > 0``) or ``((n−1)/n)·f1(f1−1)/2`` (``f2 = 0``), and

``A = n·f̂0/(n·f̂0 + f1)`` (``A = 1`` formally when ``f1 = 0``; every use is then multiplied by 0)

which equals the Chao–Jost factor ``(n−1)f1/((n−1)f1 + 2f2)`` (``f2 > 0``) or
``(n−1)(f1−1)/((n−1)(f1−1) + 2)`` (``f2 = 0``) used by
:func:`singleton_rate.estimate.sample_coverage`.

Sources and how they were checked. The rarefied-coverage, rarefied-richness and
extrapolated-richness formulas below were checked against the published R code of the
authors (iNEXT, T. C. Hsieh, K. H. Ma & A. Chao: functions ``Chat.Ind`` and ``D0.hat`` in
``R/iNEXT.r``) and against the Python package copia (``coverage.py``,
``rarefaction_extrapolation.py``); the paper texts themselves were not available to check.
The rarefaction formulas are also checked in the tests by exact enumeration: they are unbiased
for ``1 − Σ p_i(1 − p_i)^m`` and ``Σ [1 − (1 − p_i)^m]`` under multinomial sampling. The band,
its constants and the halving search are derived and validated in
``bench/research/extrapolation/REPORT.md`` §1–2.

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
- A. Orlitsky, A. T. Suresh & Y. Wu (2016), "Optimal prediction of the number of unseen
  species", PNAS 113(47):13283–13288: no estimator extrapolates uniformly beyond ``t ∝ log N``.
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

from singleton_rate.estimate.band import (
    BAND_T_MAX,
    CHAO_JOST_T_MAX,
    MissingMassBand,
    PitmanYorFit,
    missing_mass_band,
    pitman_yor_fit,
)
from singleton_rate.estimate.bounds import floor_raw_unchecked, hallucination_bounds
from singleton_rate.estimate.fof import FreqOfFreq
from singleton_rate.estimate.rarefaction import (
    BetweenMethod,
    RichnessMethod,
    check_multiple,
    coverage_at,
    richness_at,
    size_for,
)

DEFAULT_MULTIPLES: tuple[float, ...] = (
    0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0,
)  # fmt: skip
"""The default grid of corpus-size multiples ``t``: rarefaction below 1, the Chao–Jost point
to 2, the band to 100 (the validated range)."""

DEFAULT_T_MAX = 20.0
"""How far (as a multiple of ``N``) :func:`floor_halving` searches by default."""

METHOD_BAND = "band(chao_jost,power_law,pitman_yor)"
"""``missing_mass_method`` of the rows where only the band is reported (``2N < N' ≤ 100N``)."""

NOTE_BAND_ONLY = (
    "beyond 2×N: no point estimate (Chao–Jost is iNEXT's to 2×N and collapses beyond); "
    "read the band"
)
NOTE_UNINFORMATIVE = "band uninformative (high > 10 × low)"
NOTE_BEYOND = (
    f"beyond {BAND_T_MAX:g}×N, the validated range of the band: no prediction (no estimator "
    "extrapolates every population that far; Orlitsky, Suresh & Wu 2016)"
)

MissingMassMethod = Literal[
    "rarefaction", "observed", "chao_jost", "band(chao_jost,power_law,pitman_yor)", "none"
]
HalvingTarget = Literal["halve", "first_positive"]

_HALVING_GRID_POINTS = 101


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
        ``1 − predicted_missing_mass``; ``None`` where that is.
    predicted_missing_mass
        The point prediction: rarefied coverage's complement (``N' < N``), ``1 − Ĉ_n``
        (``N' = N``), Chao–Jost's extrapolation (``N < N' ≤ 2N``); ``None`` beyond ``2N``.
    predicted_missing_mass_low, predicted_missing_mass_high
        The band :func:`singleton_rate.estimate.band.missing_mass_band` at ``t' = N'/N`` for
        ``N ≤ N' ≤ 100N``; ``None`` below ``N`` (rarefaction has no band) and beyond ``100N``.
    missing_mass_method
        ``"rarefaction"``, ``"observed"``, ``"chao_jost"``,
        ``"band(chao_jost,power_law,pitman_yor)"`` (band only) or ``"none"`` (beyond ``100N``).
    band_informative
        ``high ≤ 10·low`` (``None`` without a band).
    predicted_floor, predicted_floor_raw
        Theorem 2's floor (clipped at 0, and raw) with ``sr`` := ``predicted_missing_mass``
        and ``N`` := ``N'``; ``None`` with the point.
    predicted_floor_low, predicted_floor_high
        Theorem 2's floor (clipped at 0) at the band's low and high ends.
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
    note
        Why a value is null, or that the band is uninformative; ``None`` otherwise.
    """

    t: float
    n: int
    m: int
    predicted_coverage: float | None
    predicted_missing_mass: float | None
    predicted_missing_mass_low: float | None
    predicted_missing_mass_high: float | None
    missing_mass_method: MissingMassMethod
    band_informative: bool | None
    predicted_floor: float | None
    predicted_floor_raw: float | None
    predicted_floor_low: float | None
    predicted_floor_high: float | None
    predicted_distinct: float
    predicted_new: float
    method: RichnessMethod
    note: str | None

    def as_dict(self) -> dict[str, int | float | str | bool | None]:
        """The fields in declaration order, as a plain dict (one table row)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True, slots=True)
class FloorHalving:
    """When the predicted Theorem 2 floor halves (or first turns positive), from the band.

    Attributes
    ----------
    target
        ``"halve"`` when the floor at ``t = 1`` is positive: the first size ``N' > N`` with
        ``floor(N') ≤ floor(N)/2``. ``"first_positive"`` when the floor at ``t = 1`` is 0
        (uninformative, so "half of it" means nothing): the first size with a raw floor
        ``> 0``.
    floor_at_observed
        The floor at ``t = 1`` with ``sr = N1/N`` (the summary's floor).
    target_floor
        ``floor_at_observed / 2`` for ``"halve"``; 0 for ``"first_positive"`` (the floor must
        exceed it).
    t_from_low, t_from_high
        The first multiple at which the target is reached with the band's low or high
        missing mass (``None``: not within ``t_max``).
    interval
        ``(earliest, latest)`` of the two when both reach the target, else ``None``.
    found
        ``interval is not None``.
    not_before
        The target is not reached before this multiple: the earliest end (the low end for
        ``"halve"``, since a smaller missing mass lowers the floor sooner; the high end for
        ``"first_positive"``), or ``t_max`` when that end does not reach it within the search.
        Valid in every simulated sample (REPORT.md §2.4).
    t_max
        The search limit, as a multiple of ``N`` (``≤ 100``, the validated range).
    reason
        What was found, or why ``interval`` is ``None``.
    """

    target: HalvingTarget
    floor_at_observed: float
    target_floor: float
    t_from_low: float | None
    t_from_high: float | None
    interval: tuple[float, float] | None
    found: bool
    not_before: float
    t_max: float
    reason: str


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

    def as_rows(self) -> list[dict[str, int | float | str | bool | None]]:
        """One dict per ``t``: ``t, n, predicted_missing_mass`` (and its band),
        ``predicted_floor`` (and its band), ``predicted_distinct``, ``predicted_new``,
        ``method`` and the other row fields."""
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


def _fit(fof: FreqOfFreq) -> PitmanYorFit:
    r, n_r = fof.as_arrays()
    return pitman_yor_fit(r, n_r)


def _band(fof: FreqOfFreq, multiple: float, fit: PitmanYorFit) -> MissingMassBand:
    r, n_r = fof.as_arrays()
    return missing_mass_band(r, n_r, multiple, fit=fit)


def predict(
    fof: FreqOfFreq,
    t: float,
    *,
    error_set_min: int,
    error_set_max: int,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
    between: BetweenMethod = "good_toulmin",
    fit: PitmanYorFit | None = None,
) -> ExtrapolationRow:
    """Predictions for a corpus ``t`` times the observed size (one :class:`ExtrapolationRow`).

    With ``N' = max(1, round(t·N))``, ``m = N' − N`` and ``t' = N'/N``:

    - point missing mass ``1 − Ĉ_{N'}`` (:func:`coverage_at`) for ``N' ≤ 2N``: for ``t' < 1``
      the rarefied coverage ``Ĉ_{N'} = 1 − Σ_r N_r (r/n) C(n−r, N')/C(n−1, N')``; at ``t' = 1``
      ``Ĉ_n = 1 − (f1/n)·A``; for ``1 < t' ≤ 2`` ``Ĉ_{n+m} = 1 − (f1/n)·A^(m+1)`` (Chao &
      Jost 2012); ``None`` beyond ``2N``;
    - band, ``1 ≤ t' ≤ 100``: ``[c_lo(t')·CJ, min(1, c_hi(t')·max(PL, PY))]``
      (:func:`singleton_rate.estimate.band.missing_mass_band`; ``fit`` is the table's Pitman–Yor
      fit, computed when not given);
    - floor: Theorem 2, App. B form (Kalai et al. 2025),
      ``max(0, sr' − 2/min|E_c| − 6·ln(3N'/γ)/√N' − δ)`` with ``sr'`` := the point missing
      mass, and the band's low and high ends for ``predicted_floor_low``/``_high``. This is an
      approximation: ``sr`` is the singleton rate ``N1'/N'`` of the larger corpus, whose
      expectation ``Σ p(1−p)^(N'−1)`` is the expected missing mass at ``N' − 1``, and the
      Good–Turing bias ``E[N1/N] − E[M0]`` lies in ``[0, 1/N']`` (McAllester & Schapire
      2000), so the two differ by at most ``1/N'`` in expectation;
    - distinct keys (:func:`richness_at`): rarefaction (``t < 1``), ``S_obs`` (``t = 1``),
      ``S_obs + U_GT((N' − N)/N)`` (``1 < t ≤ 2``, or the Chao1 extrapolation there with
      ``between = "chao1"``), ``S_obs + f̂0(1 − A^m)`` (``t > 2``).

    The methods follow ``N'``, not ``t``: when rounding makes ``N' = N`` (e.g. ``N = 1``,
    ``t = 0.1``, since ``N' ≥ 1``) the row is the observed one.

    Examples
    --------
    >>> fof = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})  # N = 8, A = 21/23
    >>> row = predict(fof, 2.0, error_set_min=5, error_set_max=10)
    >>> row.missing_mass_method, round(row.predicted_missing_mass, 6)  # (3/8)·(21/23)^9
    ('chao_jost', 0.165369)
    >>> row = predict(fof, 5.0, error_set_min=5, error_set_max=10)
    >>> row.missing_mass_method, row.predicted_missing_mass, row.note[:12]
    ('band(chao_jost,power_law,pitman_yor)', None, 'beyond 2×N: ')
    >>> row.predicted_missing_mass_low < row.predicted_missing_mass_high
    True
    >>> predict(fof, 200.0, error_set_min=5, error_set_max=10).predicted_missing_mass_high is None
    True

    Raises
    ------
    ValueError
        For ``t ≤ 0`` or not finite, or invalid Theorem 2 inputs.
    """
    multiple = check_multiple(t)
    n = fof.n
    size = size_for(multiple, n)
    args = (size, error_set_min, error_set_max, gamma, calibration_error)
    if size <= CHAO_JOST_T_MAX * n:
        missing: float | None = 1.0 - coverage_at(fof, size)
        floor, floor_raw = _floor(missing, *args)
    else:
        missing = floor = floor_raw = None
    method: MissingMassMethod
    low = high = floor_low = floor_high = informative = note = None
    if size < n:
        method = "rarefaction"
    elif size > BAND_T_MAX * n:
        method, note = "none", NOTE_BEYOND
    else:
        band = _band(fof, size / n, fit if fit is not None else _fit(fof))
        low, high, informative = band.low, band.high, band.informative
        floor_low, floor_high = _floor(low, *args)[0], _floor(high, *args)[0]
        if size == n:
            method = "observed"
        elif size <= CHAO_JOST_T_MAX * n:
            method = "chao_jost"
        else:
            method, note = METHOD_BAND, NOTE_BAND_ONLY
        if not informative:
            note = f"{note}; {NOTE_UNINFORMATIVE}" if note else NOTE_UNINFORMATIVE
    distinct, richness_method = richness_at(fof, size, between=between)
    return ExtrapolationRow(
        t=multiple,
        n=size,
        m=size - n,
        predicted_coverage=None if missing is None else 1.0 - missing,
        predicted_missing_mass=missing,
        predicted_missing_mass_low=low,
        predicted_missing_mass_high=high,
        missing_mass_method=method,
        band_informative=informative,
        predicted_floor=floor,
        predicted_floor_raw=floor_raw,
        predicted_floor_low=floor_low,
        predicted_floor_high=floor_high,
        predicted_distinct=distinct,
        predicted_new=distinct - fof.distinct if size > n else 0.0,
        method=richness_method,
        note=note,
    )


def floor_halving(
    fof: FreqOfFreq,
    *,
    error_set_min: int,
    error_set_max: int,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
    t_max: float = DEFAULT_T_MAX,
    fit: PitmanYorFit | None = None,
) -> FloorHalving:
    """When the predicted floor halves (or turns positive), from both ends of the band.

    The floor at ``N' = t·N`` is Theorem 2's, ``sr' − 2/min|E_c| − 6·ln(3N'/γ)/√N' − δ``, with
    ``sr'`` each end of the missing-mass band
    (:func:`singleton_rate.estimate.band.missing_mass_band`)
    and, at ``t = 1``, ``sr = N1/N`` (the summary's floor). As the corpus grows the missing mass
    falls (lowering the floor) and the sampling term falls too (raising it), so the floor need
    not be monotone. Hence:

    - if the floor at ``t = 1`` is positive, the target is the **first** ``N' > N`` with
      ``floor(N') ≤ floor(N)/2`` (``target = "halve"``);
    - if it is 0 (the correction terms exceed ``sr``), halving is meaningless; the target is
      the first ``N'`` with a positive raw floor (``target = "first_positive"``).

    A smaller missing mass halves the floor sooner and turns it positive later, so the two
    ends bracket the answer. The interval is reported only when **both** ends reach the target
    within ``t_max ≤ 100`` (the range the band was validated in); otherwise it is ``None`` and
    ``reason`` says which end did not, because the answer then depends on the unseen tail,
    which the sample does not determine. ``not_before`` is reported always. In the prototype's
    simulation (REPORT.md §2.4: 60 samples × 14 cells × ``t_max`` ∈ {20, 100}) a reported
    interval held the true multiple in 182 of 182 samples, ``not_before`` was a valid lower
    bound in 1,680 of 1,680, and "neither end reaches" was right in 997 of 997.

    Search: each end is evaluated on ``N' = round(t·N)`` for 101 multiples log-spaced over
    ``[1, t_max]``, and the first bracket where the condition turns true is refined by
    bisection over whole ``N'``. A crossing that reverts within one grid step would be missed.

    Examples
    --------
    >>> fof = FreqOfFreq.from_pairs({1: 500, 2: 100, 3: 40})  # N = 820: the floor is 0
    >>> h = floor_halving(fof, error_set_min=364, error_set_max=364)
    >>> h.target, h.interval, h.not_before, h.reason
    ('first_positive', None, 20.0, 'neither end of the band reaches the target within 20×N')

    Raises
    ------
    ValueError
        For ``t_max`` outside ``(1, 100]`` or invalid Theorem 2 inputs.
    """
    limit = float(t_max)
    if not (math.isfinite(limit) and 1.0 < limit <= BAND_T_MAX):
        raise ValueError(f"t_max must lie in (1, {BAND_T_MAX:g}] (the band's range), got {t_max!r}")
    n = fof.n
    # The inputs checked once here; the search below evaluates hundreds of sizes.
    observed_floor, _ = _floor(
        fof.f1 / n, n, error_set_min, error_set_max, gamma, calibration_error
    )
    table_fit = fit if fit is not None else _fit(fof)
    cache: dict[int, MissingMassBand] = {}

    def band_at(size: int) -> MissingMassBand:
        if size not in cache:
            cache[size] = _band(fof, size / n, table_fit)
        return cache[size]

    def raw_floor(missing: float, size: int) -> float:
        sr = min(1.0, max(0.0, missing))
        return floor_raw_unchecked(sr, size, error_set_min, gamma, calibration_error)

    target: HalvingTarget
    if observed_floor > 0.0:
        target, goal = "halve", observed_floor / 2.0
    else:
        target, goal = "first_positive", 0.0

    def reached(size: int, end: str) -> bool:
        b = band_at(size)
        raw = raw_floor(b.low if end == "low" else b.high, size)
        return max(0.0, raw) <= goal if target == "halve" else raw > 0.0

    grid = np.geomspace(1.0, limit, _HALVING_GRID_POINTS)
    sizes = sorted({size_for(float(x), n) for x in grid} | {size_for(limit, n)})
    sizes = [s for s in sizes if s > n]

    def first(end: str) -> float | None:
        previous = n
        for size in sizes:
            if reached(size, end):
                low, high = previous, size
                # reached(high) is true, reached(low) false (low = n is never a hit).
                while high - low > 1:
                    mid = (low + high) // 2
                    if reached(mid, end):
                        high = mid
                    else:
                        low = mid
                return high / n
            previous = size
        return None

    t_low, t_high = first("low"), first("high")
    earliest = t_low if target == "halve" else t_high
    if t_low is not None and t_high is not None:
        interval: tuple[float, float] | None = (min(t_low, t_high), max(t_low, t_high))
        reason = "both ends of the band reach the target"
    else:
        interval = None
        if t_low is None and t_high is None:
            reason = f"neither end of the band reaches the target within {limit:g}×N"
        else:
            which = "high (power-law tail)" if t_high is not None else "low (Chao–Jost)"
            reason = (
                f"only the {which} end reaches the target within {limit:g}×N: the answer "
                "depends on the unseen tail"
            )
    return FloorHalving(
        target=target,
        floor_at_observed=observed_floor,
        target_floor=goal,
        t_from_low=t_low,
        t_from_high=t_high,
        interval=interval,
        found=interval is not None,
        not_before=earliest if earliest is not None else limit,
        t_max=limit,
        reason=reason,
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
        The multiples ``t`` of ``N`` (each ``> 0``); default :data:`DEFAULT_MULTIPLES`
        (``0.1 … 100``).
    gamma
        Theorem 2's failure probability ``γ`` (default 0.01, the theorem's 99%).
    calibration_error
        ``δ ≥ 0``.
    t_max
        How far :func:`floor_halving` searches (``1 < t_max ≤ 100``; default 20).
    between
        The distinct-key predictor for ``N < N' ≤ 2N``: ``"good_toulmin"`` (default) or
        ``"chao1"`` (see :func:`richness_at` for the trade-off).

    Returns
    -------
    Extrapolation
        One row per ``t`` (see :func:`predict` for every formula) and the halving size (see
        :func:`floor_halving`). The table's Pitman–Yor fit is computed once for both.

    Notes
    -----
    Every prediction assumes the larger corpus is drawn from the same distribution as the
    observed one (more of the same documents), and that occurrences are independent; repeats
    inside documents and near-duplicates break that (count by document).

    Mean relative error against the exact expected missing mass ``Σ p_i(1 − p_i)^(tN)``,
    200 seeded samples of ``N = 5,000`` each (``bench/extrapolation_error.py``; populations on
    10⁶ keys, uniform on 10⁵; CJ Chao–Jost, PL the local power law, PY Pitman–Yor):

    ============  ======  =====  =====  =====  ====================
    population    method  t = 2  t = 5  t = 10 band coverage, 2–10×N
    ============  ======  =====  =====  =====  ====================
    Zipf 1.1      CJ      −0.05  −0.32  −0.67  1.000
    Zipf 1.1      PL      +0.01  +0.02  +0.05
    Zipf 1.1      PY      +0.02  +0.05  +0.09
    Zipf 1.5      CJ      −0.11  −0.56  −0.89  1.000
    Zipf 1.5      PL      −0.01  −0.01  −0.01
    Zipf 1.5      PY      −0.01  −0.01  −0.00
    Zipf 2        CJ      −0.13  −0.64  −0.92  0.995–1.000
    Zipf 2        PL      +0.00  +0.03  +0.07
    Zipf 2        PY      −0.02  −0.02  −0.02
    uniform 10⁵   CJ      −0.00  −0.00  −0.00  1.000
    uniform 10⁵   PL      +0.02  +0.13  +0.40
    uniform 10⁵   PY      +0.00  +0.02  +0.09
    ============  ======  =====  =====  =====  ====================

    PL and PY are right on average on Zipf tails but single samples spread (Zipf 2 at 10×N:
    PL's 5–95% range is −0.58…+0.88, PY's −0.31…+0.27) and both overshoot when the support is
    being exhausted (uniform), so neither is reported as a point; the band's two ends take
    the lower bound from CJ and the upper from them.
    (the full table with PL and PY, and to ``t = 100``, is in ``bench/RESULTS.md``). Hence the
    Chao–Jost point only to ``2N`` and the band beyond.
    """
    grid = [check_multiple(t) for t in multiples]
    if not grid:
        raise ValueError("multiples must hold at least one t")
    table_fit = _fit(fof)
    rows = tuple(
        predict(
            fof,
            t,
            error_set_min=error_set_min,
            error_set_max=error_set_max,
            gamma=gamma,
            calibration_error=calibration_error,
            between=between,
            fit=table_fit,
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
        fit=table_fit,
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
