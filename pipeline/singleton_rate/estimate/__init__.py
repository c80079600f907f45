"""Estimators over a frequency-of-frequencies table ``(r, N_r)``: pure functions, no Spark.

Build a :class:`FreqOfFreq`, then call the estimators, or :func:`summarize` for one flat row
of everything. The formulas and their sources are in ``singleton_rate/theory.md`` and in each
function's docstring.
"""

from singleton_rate.estimate.bounds import (
    HallucinationBounds,
    abstention_penalty,
    hallucination_bounds,
    hallucination_bounds_headline,
    is_it_valid_floor,
    singleton_rate_missing_mass_gap,
)
from singleton_rate.estimate.extrapolate import (
    Extrapolation,
    ExtrapolationRow,
    FloorHalving,
    extrapolate,
    floor_halving,
)
from singleton_rate.estimate.fof import FofError, FreqOfFreq
from singleton_rate.estimate.goodturing import (
    ESTY_METHODS,
    EstyInterval,
    MissingMassInterval,
    TuringEstimates,
    esty_interval,
    expected_missing_mass,
    expected_singleton_rate,
    good_r_star,
    missing_mass,
    missing_mass_half_width,
    missing_mass_interval,
    missing_mass_tail_bound,
)
from singleton_rate.estimate.rarefaction import (
    coverage_at,
    extrapolated_richness,
    rarefied_coverage,
    rarefied_richness,
    richness_at,
)
from singleton_rate.estimate.richness import (
    Chao1Estimate,
    chao1,
    extrapolated_coverage,
    sample_coverage,
)
from singleton_rate.estimate.sgt import SGTResult, averaging_transform, simple_good_turing
from singleton_rate.estimate.summary import Summary, summarize
from singleton_rate.estimate.toulmin import good_toulmin

__all__ = [
    "ESTY_METHODS",
    "Chao1Estimate",
    "EstyInterval",
    "Extrapolation",
    "ExtrapolationRow",
    "FloorHalving",
    "FofError",
    "FreqOfFreq",
    "HallucinationBounds",
    "MissingMassInterval",
    "SGTResult",
    "Summary",
    "TuringEstimates",
    "abstention_penalty",
    "averaging_transform",
    "chao1",
    "coverage_at",
    "esty_interval",
    "expected_missing_mass",
    "expected_singleton_rate",
    "extrapolate",
    "extrapolated_coverage",
    "extrapolated_richness",
    "floor_halving",
    "good_r_star",
    "good_toulmin",
    "hallucination_bounds",
    "hallucination_bounds_headline",
    "is_it_valid_floor",
    "missing_mass",
    "missing_mass_half_width",
    "missing_mass_interval",
    "missing_mass_tail_bound",
    "rarefied_coverage",
    "rarefied_richness",
    "richness_at",
    "sample_coverage",
    "simple_good_turing",
    "singleton_rate_missing_mass_gap",
    "summarize",
]
