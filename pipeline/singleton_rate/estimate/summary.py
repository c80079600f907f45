"""One flat row of estimates per frequency-of-frequencies table, for the ``estimates`` table."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from singleton_rate.estimate._checks import confidence_level
from singleton_rate.estimate.bounds import (
    HallucinationBounds,
    hallucination_bounds,
    informative_from_n,
)
from singleton_rate.estimate.fof import FreqOfFreq
from singleton_rate.estimate.goodturing import esty_interval, missing_mass_interval
from singleton_rate.estimate.richness import chao1, sample_coverage
from singleton_rate.estimate.sgt import simple_good_turing

ESTY_METHOD = "score"
"""The form of Esty's interval :func:`summarize` reports in ``esty_low``/``esty_high``."""

COVERAGE_NEAR_ZERO = 0.01
"""Below this Chao–Jost coverage the sample has seen almost none of the mass."""


@dataclass(frozen=True, slots=True)
class Summary:
    """Every headline estimate for one table, as flat scalars (one Parquet row).

    Counts: ``n`` (N), ``distinct`` (S_obs), ``n1``, ``n2``.
    Rates: ``singleton_rate = N1/N`` (the Good–Turing missing mass and Kalai et al.'s ``sr``),
    ``singleton_share = N1/S_obs`` (share of distinct keys seen once; a different number).
    Missing mass: ``missing_mass`` (N1/N) with the distribution-free interval
    ``[missing_mass_low, missing_mass_high]`` and Esty's interval ``[esty_low, esty_high]``,
    both at ``missing_mass_confidence``; ``esty_method`` names the form of Esty's interval
    (``"score"``: the Wilson-type score inversion of Esty's pivot, which keeps its coverage
    with few singletons and is never a point; see :func:`esty_interval`, whose default
    ``"normal"`` form is the plain ``N1/N ± z·se``). ``coverage`` is Chao–Jost's ``Ĉ_n``.
    Theorem 2 (Kalai et al. 2025, App. B form) at ``theorem_confidence``:
    ``hallucination_floor`` (clipped at 0), ``hallucination_floor_raw``,
    ``hallucination_ceiling`` (clipped at 1), and the correction terms ``floor_term_*`` and
    ``ceiling_term_sampling``, for ``error_set_min``/``error_set_max``;
    ``floor_informative_from_n``: the N from which the floor would be positive at this
    singleton rate (:func:`~singleton_rate.estimate.bounds.informative_from_n`; ``inf`` when the
    error-set and calibration terms alone exceed it). All of them ``None`` where Theorem 2
    does not apply (``theorem2=False``: see :mod:`singleton_rate.estimate.table`).
    Richness: ``chao1`` with its log-normal interval, ``chao1_bc``.
    SGT: ``sgt_p0``, ``sgt_slope`` (``None`` when no line could be fitted).
    Flags (singleton_rate/theory.md §4.6): ``flag_f2_zero``; ``flag_all_singletons`` (N1 = S_obs:
    Good–Turing says nothing about the seen mass); ``flag_sgt_slope`` (b ≥ −1 or no fit);
    ``flag_coverage_degenerate`` (coverage < 0.01 or exactly 1);
    ``flag_floor_uninformative`` (the correction terms exceed sr); ``flag_esty_degenerate``
    (Esty's plug-in variance term ≤ 0: no singletons and no doubletons, or all singletons;
    the plain normal interval would be a point, and the reported score interval's width then
    comes from its ``z²/4`` term alone).
    """

    n: int
    distinct: int
    n1: int
    n2: int
    singleton_rate: float
    singleton_share: float
    missing_mass: float
    missing_mass_low: float
    missing_mass_high: float
    missing_mass_confidence: float
    esty_low: float
    esty_high: float
    esty_method: str
    coverage: float
    hallucination_floor: float | None
    hallucination_floor_raw: float | None
    hallucination_ceiling: float | None
    floor_term_error_set: float | None
    floor_term_sampling: float | None
    floor_term_calibration: float | None
    ceiling_term_sampling: float | None
    floor_informative_from_n: float | None
    theorem_confidence: float
    error_set_min: int | None
    error_set_max: int | None
    chao1: float
    chao1_low: float
    chao1_high: float
    chao1_bc: float
    sgt_p0: float
    sgt_slope: float | None
    flag_f2_zero: bool
    flag_all_singletons: bool
    flag_sgt_slope: bool
    flag_coverage_degenerate: bool
    flag_floor_uninformative: bool | None
    flag_esty_degenerate: bool

    def as_dict(self) -> dict[str, int | float | bool | str | None]:
        """The fields in declaration order, as a plain dict (one table row)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


_THEOREM_FIELDS = {  # Summary field → HallucinationBounds attribute
    "hallucination_floor": "floor",
    "hallucination_floor_raw": "floor_raw",
    "hallucination_ceiling": "ceiling",
    "floor_term_error_set": "term_error_set",
    "floor_term_sampling": "term_sampling",
    "floor_term_calibration": "term_calibration",
    "ceiling_term_sampling": "ceiling_term_sampling",
    "error_set_min": "error_set_min",
    "error_set_max": "error_set_max",
}


def _theorem_fields(bounds: HallucinationBounds | None) -> dict[str, float | int | None]:
    """The Theorem 2 fields of a :class:`Summary`: all ``None`` where it does not apply."""
    return {
        field: None if bounds is None else getattr(bounds, attr)
        for field, attr in _THEOREM_FIELDS.items()
    }


def summarize(
    fof: FreqOfFreq,
    *,
    error_set_min: int,
    error_set_max: int,
    confidence: float = 0.95,
    theorem_confidence: float = 0.99,
    calibration_error: float = 0.0,
    theorem2: bool = True,
) -> Summary:
    """Run every estimator on ``fof`` and flatten the results into a :class:`Summary`.

    ``confidence`` applies to the missing-mass intervals and the Chao1 interval;
    ``theorem_confidence`` (``1 − γ``) to Theorem 2 of Kalai et al. (2025), whose floor and
    ceiling use ``sr = N1/N`` and ``N`` from ``fof``. With ``theorem2=False`` (a fact key, or
    a multi-valued relation: the theorem's hypotheses do not hold) those are ``None``.
    """
    level = confidence_level(confidence)
    theorem_level = confidence_level(theorem_confidence, "theorem_confidence")
    n, distinct, n1, n2 = fof.n, fof.distinct, fof.f1, fof.f2
    singleton_rate = n1 / n

    free = missing_mass_interval(fof, level)
    esty = esty_interval(fof, level, method=ESTY_METHOD)
    coverage = sample_coverage(fof)
    bounds = (
        hallucination_bounds(
            singleton_rate,
            n,
            error_set_min=error_set_min,
            error_set_max=error_set_max,
            gamma=1.0 - theorem_level,
            calibration_error=calibration_error,
        )
        if theorem2
        else None
    )
    from_n = (
        informative_from_n(
            singleton_rate,
            error_set_min=error_set_min,
            gamma=1.0 - theorem_level,
            calibration_error=calibration_error,
        )
        if bounds is not None
        else None
    )
    richness = chao1(fof, confidence=level)
    sgt = simple_good_turing(fof)

    return Summary(
        n=n,
        distinct=distinct,
        n1=n1,
        n2=n2,
        singleton_rate=singleton_rate,
        singleton_share=n1 / distinct,
        missing_mass=free.estimate,
        missing_mass_low=free.low,
        missing_mass_high=free.high,
        missing_mass_confidence=level,
        esty_low=esty.low,
        esty_high=esty.high,
        esty_method=esty.method,
        coverage=coverage,
        **_theorem_fields(bounds),
        floor_informative_from_n=from_n,
        theorem_confidence=theorem_level,
        chao1=richness.estimate,
        chao1_low=richness.low,
        chao1_high=richness.high,
        chao1_bc=richness.bias_corrected,
        sgt_p0=sgt.p0,
        sgt_slope=sgt.slope,
        flag_f2_zero=n2 == 0,
        flag_all_singletons=n1 == distinct,
        flag_sgt_slope=not sgt.slope_ok,
        flag_coverage_degenerate=coverage < COVERAGE_NEAR_ZERO or coverage >= 1.0,
        flag_floor_uninformative=None if bounds is None else not bounds.floor_informative,
        flag_esty_degenerate=esty.degenerate,
    )
