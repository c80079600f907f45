"""Extrapolation and rarefaction of coverage, richness and the Theorem 2 floor.

Hand-computed values come from the formulas in ``pipeline/singleton_rate/estimate/extrapolate.py``; the
arithmetic is written out beside each one. Run with ``-s`` to see the simulation errors.
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from singleton_rate.estimate import (
    FreqOfFreq,
    chao1,
    extrapolated_coverage,
    hallucination_bounds,
    sample_coverage,
)
from singleton_rate.estimate.band import (
    BAND_C_HI,
    BAND_C_LO,
    band_constant,
    chao_jost_missing_mass,
    missing_mass_band,
    pitman_yor_fit,
    pitman_yor_missing_mass,
    power_law_missing_mass,
)
from singleton_rate.estimate.extrapolate import (
    DEFAULT_MULTIPLES,
    extrapolate,
    floor_halving,
    predict,
)
from singleton_rate.estimate.rarefaction import (
    coverage_at,
    extrapolated_richness,
    extrapolation_factor,
    rarefied_coverage,
    rarefied_richness,
    richness_at,
)

# The running example: three singletons, one doubleton, one tripleton.
# n = 3·1 + 1·2 + 1·3 = 8, S_obs = 5, f1 = 3, f2 = 1.
SMALL = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})
E = {"error_set_min": 5, "error_set_max": 10}


# --- building blocks, by hand ----------------------------------------------------------------


def test_factor_and_unseen_by_hand() -> None:
    # f̂0 = (7/8)·3²/(2·1) = 63/16; A = n·f̂0/(n·f̂0 + f1) = 31.5/34.5 = 21/23,
    # the Chao–Jost factor (n−1)f1/((n−1)f1 + 2f2) = 21/23 as well.
    assert chao1(SMALL).f0_hat == pytest.approx(63 / 16)
    assert extrapolation_factor(SMALL) == pytest.approx(21 / 23)
    # Ĉ_8 = 1 − (3/8)(21/23) = 121/184
    assert sample_coverage(SMALL) == pytest.approx(121 / 184)


def test_rarefied_coverage_by_hand() -> None:
    # Ĉ_m = 1 − Σ_r N_r (r/n) C(n−r, m)/C(n−1, m), n = 8.
    # m = 6: C(7,6) = 7; r=1: 3·(1/8)·7/7 = 3/8; r=2: (2/8)·C(6,6)/7 = 1/28; r=3: C(5,6) = 0
    #        → Ĉ_6 = 1 − 21/56 − 2/56 = 33/56
    assert rarefied_coverage(SMALL, 6) == pytest.approx(33 / 56)
    # m = 4: C(7,4) = 35; r=1: 3/8; r=2: (2/8)·15/35 = 3/28; r=3: (3/8)·5/35 = 3/56
    #        → Ĉ_4 = 1 − (21 + 6 + 3)/56 = 13/28
    assert rarefied_coverage(SMALL, 4) == pytest.approx(13 / 28)
    # m = 1: Σ_r N_r r(n−r)/(n(n−1)) = (3·7 + 2·6 + 3·5)/56 = 48/56 → Ĉ_1 = 8/56 = 1/7,
    #        which is Σ N_r r(r−1)/(n(n−1)) = (0 + 2 + 6)/56, Simpson's unbiased Σ p².
    assert rarefied_coverage(SMALL, 1) == pytest.approx(1 / 7)
    # m = n − 1 = 7: only singletons survive: Ĉ_7 = 1 − f1/n = 5/8 (the Turing estimate)
    assert rarefied_coverage(SMALL, 7) == pytest.approx(5 / 8)
    # m = n: the Chao–Jost sample coverage; m = 0: nothing is covered
    assert rarefied_coverage(SMALL, 8) == sample_coverage(SMALL)
    assert rarefied_coverage(SMALL, 0) == 0.0


def test_rarefied_richness_by_hand() -> None:
    # S(m) = Σ_r N_r [1 − C(n−r, m)/C(n, m)], n = 8.
    # m = 4: C(8,4) = 70; r=1: 3·(1 − 35/70) = 1.5; r=2: 1 − 15/70 = 11/14; r=3: 1 − 5/70 = 13/14
    #        → 1.5 + 24/14 = 3.2142857…
    assert rarefied_richness(SMALL, 4) == pytest.approx(1.5 + 24 / 14)
    # m = 6: C(8,6) = 28; r=1: 3·(1 − 7/28) = 2.25; r=2: 1 − 1/28; r=3: 1 − 0 → 4.2142857…
    assert rarefied_richness(SMALL, 6) == pytest.approx(2.25 + 27 / 28 + 1)
    # m = 1: one draw shows one key; m = 0: none; m = n: S_obs
    assert rarefied_richness(SMALL, 1) == pytest.approx(1.0)
    assert rarefied_richness(SMALL, 0) == 0.0
    assert rarefied_richness(SMALL, 8) == 5.0


def test_extrapolated_richness_and_coverage_by_hand() -> None:
    # S(n+m) = S_obs + f̂0·(1 − A^m) = 5 + (63/16)(1 − (21/23)^m)
    for m in (1, 8, 16, 1000):
        expected = 5 + 63 / 16 * (1 - (21 / 23) ** m)
        assert extrapolated_richness(SMALL, m) == pytest.approx(expected)
    # Ĉ_{n+m} = 1 − (f1/n)·A^(m+1); coverage_at takes the total size n + m.
    assert coverage_at(SMALL, 16) == pytest.approx(1 - 3 / 8 * (21 / 23) ** 9)
    for m in (0, 1, 8, 50):
        assert coverage_at(SMALL, 8 + m) == pytest.approx(extrapolated_coverage(SMALL, m))
    # The limit is Chao1.
    assert extrapolated_richness(SMALL, 1e9) == pytest.approx(chao1(SMALL).estimate)


def test_predict_rows_by_hand() -> None:
    # t = 0.5: N' = 4 → rarefaction; missing mass 1 − 13/28 = 15/28
    row = predict(SMALL, 0.5, **E)
    assert (row.n, row.m, row.method, row.missing_mass_method) == (
        4,
        -4,
        "rarefaction",
        "rarefaction",
    )
    # rarefaction has no band
    assert row.predicted_missing_mass_low is None and row.band_informative is None
    assert row.predicted_missing_mass == pytest.approx(15 / 28)
    assert row.predicted_distinct == pytest.approx(1.5 + 24 / 14)
    assert row.predicted_new == 0.0
    # t = 1.5: N' = 12, u = 0.5: Good–Toulmin U = 3(0.5) − 1(0.25) + 1(0.125) = 1.375
    row = predict(SMALL, 1.5, **E)
    assert (row.n, row.m, row.method, row.missing_mass_method) == (
        12,
        4,
        "good_toulmin",
        "chao_jost",
    )
    assert row.predicted_new == pytest.approx(1.375)
    assert row.predicted_distinct == pytest.approx(6.375)
    assert row.predicted_missing_mass == pytest.approx(3 / 8 * (21 / 23) ** 5)
    # t = 2: u = 1: U = 3 − 1 + 1 = 3
    assert predict(SMALL, 2.0, **E).predicted_distinct == pytest.approx(8.0)
    # t = 3: N' = 24, m = 16 → Chao1 extrapolation 5 + (63/16)(1 − (21/23)^16); beyond 2N
    # no point missing mass or floor, only the band
    row = predict(SMALL, 3.0, **E)
    assert row.method == "chao1_extrapolation"
    assert row.missing_mass_method == "band(chao_jost,power_law,pitman_yor)"
    assert row.predicted_missing_mass is None and row.predicted_coverage is None
    assert row.predicted_floor is None and row.predicted_floor_raw is None
    assert row.note is not None and row.note.startswith("beyond 2×N")
    assert row.predicted_distinct == pytest.approx(5 + 63 / 16 * (1 - (21 / 23) ** 16))
    # between="chao1" replaces Good–Toulmin for N < N' ≤ 2N: 5 + (63/16)(1 − (21/23)^4)
    row = predict(SMALL, 1.5, **E, between="chao1")
    assert row.method == "chao1_extrapolation"
    assert row.predicted_distinct == pytest.approx(5 + 63 / 16 * (1 - (21 / 23) ** 4))


def test_predicted_floor_is_theorem_2_at_the_predicted_missing_mass() -> None:
    fof = FreqOfFreq.from_pairs({1: 300_000, 2: 50_000, 5: 20_000, 100: 5_000})
    assert fof.n == 1_000_000
    for t in (0.5, 1.0, 2.0):
        row = predict(fof, t, error_set_min=364, error_set_max=364, gamma=0.01)
        bounds = hallucination_bounds(
            row.predicted_missing_mass, row.n, error_set_min=364, error_set_max=364, gamma=0.01
        )
        assert row.predicted_floor == bounds.floor
        assert row.predicted_floor_raw == bounds.floor_raw
    # At t = 1 by hand: sr' = 1 − Ĉ_n ≈ 0.3, floor = sr' − 2/364 − 6·ln(3·10⁶/0.01)/1000
    row = predict(fof, 1.0, error_set_min=364, error_set_max=364, gamma=0.01)
    expected = (1 - sample_coverage(fof)) - 2 / 364 - 6 * math.log(3e6 / 0.01) / 1000
    assert row.predicted_floor == pytest.approx(expected)
    assert row.predicted_floor == pytest.approx(0.1773, abs=1e-4)


# --- the rarefaction formulas are unbiased: exact enumeration --------------------------------


def _multinomial_outcomes(p: tuple[float, ...], n: int):
    for counts in itertools.product(range(n + 1), repeat=len(p)):
        if sum(counts) != n:
            continue
        coefficient = math.factorial(n) // math.prod(math.factorial(c) for c in counts)
        prob = coefficient * math.prod(q**c for c, q in zip(counts, p, strict=True))
        yield counts, prob


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5])
def test_rarefaction_is_unbiased_by_exact_enumeration(m: int) -> None:
    # Under multinomial sampling of n = 6 from p, E[Ĉ_m] = 1 − Σ p(1 − p)^m and
    # E[S(m)] = Σ [1 − (1 − p)^m] exactly: the formulas, not only the code, are checked here.
    p = (0.5, 0.3, 0.15, 0.05)
    n = 6
    mean_coverage = mean_richness = total = 0.0
    for counts, prob in _multinomial_outcomes(p, n):
        fof = FreqOfFreq.from_counts([c for c in counts if c > 0])
        mean_coverage += prob * rarefied_coverage(fof, m)
        mean_richness += prob * rarefied_richness(fof, m)
        total += prob
    assert total == pytest.approx(1.0)
    assert mean_coverage == pytest.approx(1 - sum(q * (1 - q) ** m for q in p), abs=1e-12)
    assert mean_richness == pytest.approx(sum(1 - (1 - q) ** m for q in p), abs=1e-12)


def test_log_space_matches_exact_binomials_for_large_counts() -> None:
    # Counts above 1,024 take the lgamma path, smaller ones the exact product path.
    fof = FreqOfFreq.from_pairs({1: 40, 2: 10, 7: 3, 1500: 1, 2400: 1})
    n = fof.n
    for m in (1, 10, 500, 2000, n - 2400, n - 1500, n - 1):
        exact_s = sum(
            n_r * (1 - Fraction(math.comb(n - r, m), math.comb(n, m))) for r, n_r in fof.items()
        )
        exact_c = 1 - sum(
            n_r * Fraction(r, n) * Fraction(math.comb(n - r, m), math.comb(n - 1, m))
            for r, n_r in fof.items()
        )
        assert rarefied_richness(fof, m) == pytest.approx(exact_s, rel=1e-9, abs=1e-9)
        assert rarefied_coverage(fof, m) == pytest.approx(exact_c, rel=1e-9, abs=1e-9)


# --- corner cases ------------------------------------------------------------------------------


def test_f2_zero() -> None:
    # {1: 4, 3: 2}: n = 10, S_obs = 6, f1 = 4, f2 = 0.
    # f̂0 = (9/10)·4·3/2 = 5.4; A = 54/58 = 27/29 = (n−1)(f1−1)/((n−1)(f1−1) + 2) = 27/29.
    fof = FreqOfFreq.from_pairs({1: 4, 3: 2})
    assert extrapolation_factor(fof) == pytest.approx(27 / 29)
    assert coverage_at(fof, 10) == pytest.approx(1 - 0.4 * 27 / 29)
    assert coverage_at(fof, 20) == pytest.approx(1 - 0.4 * (27 / 29) ** 11)
    assert extrapolated_richness(fof, 10) == pytest.approx(6 + 5.4 * (1 - (27 / 29) ** 10))
    # rarefaction m = 5: C(9,5) = 126, C(10,5) = 252; r=1: C(9,5)/C(9,5) = 1 → 4·0.1 = 0.4;
    # r=3: C(7,5) = 21 → 2·0.3·21/126 = 0.1 → Ĉ_5 = 0.5.
    # S(5): r=1: 4·(1 − 126/252) = 2; r=3: 2·(1 − 21/252) = 2·(11/12) → 2 + 11/6
    assert rarefied_coverage(fof, 5) == pytest.approx(0.5)
    assert rarefied_richness(fof, 5) == pytest.approx(2 + 11 / 6)


def test_all_singletons() -> None:
    # {1: 5}: n = 5, f1 = 5, f2 = 0: f̂0 = (4/5)·5·4/2 = 8, A = 40/45 = 8/9, Ĉ_5 = 1/9.
    fof = FreqOfFreq.from_pairs({1: 5})
    assert extrapolation_factor(fof) == pytest.approx(8 / 9)
    assert coverage_at(fof, 5) == pytest.approx(1 / 9)
    for m in range(0, 5):
        # every subsample of singletons covers nothing of the rest: Ĉ_m = 0; S(m) = m.
        assert rarefied_coverage(fof, m) == pytest.approx(0.0, abs=1e-15)
        assert rarefied_richness(fof, m) == pytest.approx(m)
    assert extrapolated_richness(fof, 5) == pytest.approx(5 + 8 * (1 - (8 / 9) ** 5))


def test_single_key() -> None:
    # One key seen 7 times: f1 = 0, so coverage is 1 at every size ≥ 1 and no key is unseen.
    fof = FreqOfFreq.from_counts([7])
    for size in (1, 3, 7, 8, 70):
        assert coverage_at(fof, size) == 1.0
    for m in range(1, 8):
        assert rarefied_richness(fof, m) == pytest.approx(1.0)
    assert extrapolated_richness(fof, 100) == 1.0
    # Good–Toulmin at u = 1: −(−1)^7 = 1 new key (its unbiased but noisy answer); Chao1: none.
    assert richness_at(fof, 14) == (pytest.approx(2.0), "good_toulmin")
    assert richness_at(fof, 14, between="chao1") == (1.0, "chao1_extrapolation")


def test_n_equals_one() -> None:
    # N = 1: w = 0 so f̂0 = 0, A = 0, Ĉ_1 = 1 (the formula's answer, flagged elsewhere).
    fof = FreqOfFreq.from_counts([1])
    assert extrapolation_factor(fof) == 0.0
    assert coverage_at(fof, 1) == 1.0
    assert coverage_at(fof, 5) == 1.0
    assert extrapolated_richness(fof, 10) == 1.0
    # t < 1 cannot go below one occurrence: N' = 1 is the observed corpus.
    row = predict(fof, 0.1, **E)
    assert (row.n, row.method, row.missing_mass_method) == (1, "observed", "observed")
    result = extrapolate(fof, **E)
    assert [r.n for r in result.rows] == [1, 1, 1, 1, 1, 2, 2, 3, 5, 10, 20, 50, 100]
    assert not result.halving.found


# --- continuity and monotonicity -------------------------------------------------------------


def _zipf(exponent: float, keys: int) -> np.ndarray:
    weights = np.arange(1, keys + 1, dtype=float) ** -exponent
    return weights / weights.sum()


def _zipf_tables(count: int, n: int, exponent: float, keys: int, seed: int) -> list[FreqOfFreq]:
    samples = np.random.default_rng(seed).multinomial(n, _zipf(exponent, keys), size=count)
    return [FreqOfFreq.from_counts(row[row > 0]) for row in samples]


@pytest.mark.parametrize(
    "fof", [SMALL, FreqOfFreq.from_pairs({1: 4, 3: 2}), FreqOfFreq.from_pairs({1: 5})]
)
def test_continuity_at_t_one(fof: FreqOfFreq) -> None:
    n = fof.n
    assert rarefied_richness(fof, n) == fof.distinct
    assert extrapolated_richness(fof, 0) == fof.distinct
    assert rarefied_coverage(fof, n) == sample_coverage(fof)
    assert coverage_at(fof, n) == pytest.approx(extrapolated_coverage(fof, 0))
    row = predict(fof, 1.0, **E)
    assert (row.m, row.method, row.missing_mass_method) == (0, "observed", "observed")
    assert row.predicted_coverage == sample_coverage(fof)
    assert row.predicted_distinct == fof.distinct
    assert row.predicted_new == 0.0
    # The rarefied curve approaches S_obs from below, the extrapolated one leaves it upwards.
    assert rarefied_richness(fof, n - 1) <= fof.distinct <= extrapolated_richness(fof, 1)


def test_monotonicity() -> None:
    grid = [0.01, *DEFAULT_MULTIPLES]
    tables = [SMALL, FreqOfFreq.from_pairs({1: 4, 3: 2}), FreqOfFreq.from_pairs({1: 5})]
    tables += _zipf_tables(12, 2_000, 1.1, 10_000, seed=3)
    tables += _zipf_tables(12, 500, 2.0, 100, seed=4)
    for fof in tables:
        chao = extrapolate(fof, **E, multiples=grid, between="chao1")
        missing = [
            r.predicted_missing_mass for r in chao.rows if r.predicted_missing_mass is not None
        ]
        low = [
            r.predicted_missing_mass_low
            for r in chao.rows
            if r.predicted_missing_mass_low is not None
        ]
        distinct = [r.predicted_distinct for r in chao.rows]
        # the point (to 2N) and the band's low end (c_lo·Chao–Jost, 1N to 100N) are
        # non-increasing in t, distinct keys non-decreasing, always
        assert len(missing) == 8 and len(low) == 9  # t = 0.01 … 2 and t = 1 … 100
        assert all(b <= a + 1e-12 for a, b in itertools.pairwise(missing)), missing
        assert all(b <= a + 1e-12 for a, b in itertools.pairwise(low)), low
        assert all(b >= a - 1e-9 for a, b in itertools.pairwise(distinct)), distinct
        for r in chao.rows:
            if r.predicted_missing_mass_low is not None:
                assert 0.0 <= r.predicted_missing_mass_low <= r.predicted_missing_mass_high <= 1.0
                assert r.predicted_floor_low <= r.predicted_floor_high
    # With Good–Toulmin between N and 2N: monotone on heavy-tailed samples (many singletons) …
    for fof in _zipf_tables(12, 2_000, 1.1, 10_000, seed=5):
        distinct = [r.predicted_distinct for r in extrapolate(fof, **E, multiples=grid).rows]
        assert all(b >= a - 1e-9 for a, b in itertools.pairwise(distinct)), distinct


def test_good_toulmin_can_jump_down_at_twice_the_corpus() -> None:
    # … but not in general (documented in richness_at): {1: 3, 2: 1, 3: 3}: at u = 1,
    # U = 3 − 1 + 3 = 5, while the Chao1 extrapolation tends to f̂0 = (14/15)·9/2 = 4.2 < 5.
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 3})
    at_two, _ = richness_at(fof, 2 * fof.n)
    at_three, _ = richness_at(fof, 3 * fof.n)
    assert at_two == pytest.approx(fof.distinct + 5)
    assert at_three < at_two


# --- the halving size --------------------------------------------------------------------------


K364 = {"error_set_min": 364, "error_set_max": 364, "gamma": 0.01}


def _band_floor_raw(fof: FreqOfFreq, size: int, end: str) -> float:
    r, n_r = fof.as_arrays()
    band = missing_mass_band(r, n_r, size / fof.n)
    sr = band.low if end == "low" else band.high
    return hallucination_bounds(min(1.0, sr), size, **K364).floor_raw


def test_floor_halving_when_the_floor_is_positive() -> None:
    fof = FreqOfFreq.from_pairs({1: 300_000, 2: 50_000, 5: 20_000, 100: 5_000})
    halving = floor_halving(fof, **K364)
    assert halving.target == "halve"
    # at t = 1 with sr = N1/N = 0.3 (the summary's floor): 0.3 − 2/364 − 6·ln(3·10⁶/0.01)/1000
    expected = 0.3 - 2 / 364 - 6 * math.log(3e6 / 0.01) / 1000
    assert halving.floor_at_observed == pytest.approx(expected)
    assert halving.target_floor == halving.floor_at_observed / 2
    # The low (Chao–Jost) end halves it at the first whole N' (1.72×N) …
    assert halving.t_from_low is not None
    n_low = round(halving.t_from_low * fof.n)
    assert max(0.0, _band_floor_raw(fof, n_low, "low")) <= halving.target_floor
    assert _band_floor_raw(fof, n_low - 1, "low") > halving.target_floor
    # … the high (power-law) end never does within 20×N (N2/N1 = 1/6: M falls as t^(−1/3)),
    # so no interval: the answer depends on the unseen tail. Not before 1.72×N, though.
    assert halving.t_from_high is None and halving.interval is None and not halving.found
    assert halving.not_before == halving.t_from_low
    assert halving.reason.startswith("only the low (Chao–Jost) end reaches the target")


def test_floor_halving_when_the_floor_is_zero_reports_first_positive() -> None:
    # sr = 0.9 at N = 10,000: the sampling term 6·ln(3·10⁴/0.01)/100 = 0.894 swamps it.
    fof = FreqOfFreq.from_pairs({1: 9_000, 1_000: 1})
    halving = floor_halving(fof, **K364)
    assert halving.floor_at_observed == 0.0
    assert halving.target == "first_positive" and halving.target_floor == 0.0
    # Both ends turn it positive within 20×N: the high end first, the low end last.
    assert halving.found and halving.interval == (halving.t_from_high, halving.t_from_low)
    assert halving.not_before == halving.t_from_high
    for end, t in (("low", halving.t_from_low), ("high", halving.t_from_high)):
        size = round(t * fof.n)
        assert _band_floor_raw(fof, size, end) > 0.0 >= _band_floor_raw(fof, size - 1, end)
    assert 1.0 < halving.interval[0] < halving.interval[1] < 2.1
    # The small table never gets a positive floor: not before the search limit.
    never = floor_halving(SMALL, **E)
    assert never.target == "first_positive" and not never.found
    assert never.not_before == 20.0
    assert never.reason == "neither end of the band reaches the target within 20×N"
    assert floor_halving(SMALL, **E, t_max=100.0).not_before == 100.0


# --- result shape and bad input ----------------------------------------------------------------


def test_as_rows_columns() -> None:
    result = extrapolate(SMALL, **E)
    rows = result.as_rows()
    assert [r["t"] for r in rows] == list(DEFAULT_MULTIPLES)
    assert [r["method"] for r in rows] == [
        *["rarefaction"] * 4,
        "observed",
        "good_toulmin",
        "good_toulmin",
        *["chao1_extrapolation"] * 6,
    ]
    assert [r["missing_mass_method"] for r in rows] == [
        *["rarefaction"] * 4,
        "observed",
        "chao_jost",
        "chao_jost",
        *["band(chao_jost,power_law,pitman_yor)"] * 6,
    ]
    for column in (
        "t",
        "n",
        "predicted_missing_mass",
        "predicted_missing_mass_low",
        "predicted_missing_mass_high",
        "predicted_floor",
        "predicted_floor_low",
        "predicted_floor_high",
        "predicted_distinct",
        "predicted_new",
        "method",
    ):
        assert all(column in r for r in rows)
    assert (result.n_observed, result.distinct_observed, result.f1, result.f2) == (8, 5, 3, 1)
    assert result.between == "good_toulmin"
    table = pa.Table.from_pandas(pd.DataFrame(rows))
    assert table.num_rows == len(DEFAULT_MULTIPLES)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="t must be"):
        predict(SMALL, 0.0, **E)
    with pytest.raises(ValueError, match="t must be"):
        extrapolate(SMALL, **E, multiples=[1.0, float("nan")])
    with pytest.raises(ValueError, match="at least one"):
        extrapolate(SMALL, **E, multiples=[])
    with pytest.raises(ValueError, match=r"\[0, 8\]"):
        rarefied_coverage(SMALL, 9)
    with pytest.raises(ValueError, match=r"\[0, 8\]"):
        rarefied_richness(SMALL, -1)
    with pytest.raises(ValueError):
        extrapolated_richness(SMALL, -1)
    with pytest.raises(ValueError, match="between"):
        richness_at(SMALL, 12, between="orlitsky")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="t_max"):
        floor_halving(SMALL, **E, t_max=0.5)
    with pytest.raises(ValueError, match=r"t_max must lie in \(1, 100\]"):
        floor_halving(SMALL, **E, t_max=1000)
    with pytest.raises(ValueError, match="error_set_min"):
        extrapolate(SMALL, error_set_min=0, error_set_max=3)


# --- the band row by hand ----------------------------------------------------------------------


def test_band_row_by_hand() -> None:
    # SMALL at t = 3: N' = 24, m = 16. Chao–Jost (3/8)·(21/23)^17; c_lo(3) = 0.737 (flat
    # between t = 2 and 5); power law (3/8)·3^(−2·1/3); c_hi(3) log-linear in log t between
    # 1.501 (t = 2) and 1.638 (t = 5); Pitman–Yor from the table's fit.
    row = predict(SMALL, 3.0, **E)
    cj = 3 / 8 * (21 / 23) ** 17
    pl = 3 / 8 * 3 ** (-2 / 3)
    fit = pitman_yor_fit([1, 2, 3], [3, 1, 1])
    py = pitman_yor_missing_mass([1, 2, 3], [3, 1, 1], 3.0, fit=fit)
    frac = math.log(3 / 2) / math.log(5 / 2)
    c_hi = math.exp(math.log(1.501) + frac * (math.log(1.638) - math.log(1.501)))
    assert band_constant(BAND_C_LO, 3.0) == pytest.approx(0.737)
    assert band_constant(BAND_C_HI, 3.0) == pytest.approx(c_hi)
    assert row.predicted_missing_mass_low == pytest.approx(0.737 * cj)
    assert row.predicted_missing_mass_high == pytest.approx(min(1.0, c_hi * max(pl, py)))
    # The floors at the band's ends are Theorem 2's at those masses and N' = 24.
    for mass, floor in (
        (row.predicted_missing_mass_low, row.predicted_floor_low),
        (row.predicted_missing_mass_high, row.predicted_floor_high),
    ):
        assert floor == hallucination_bounds(mass, 24, **E).floor
    # t ≤ 2 keeps the Chao–Jost point and has the band beside it.
    row = predict(SMALL, 2.0, **E)
    assert row.predicted_missing_mass == pytest.approx(3 / 8 * (21 / 23) ** 9)
    assert row.predicted_missing_mass_low == pytest.approx(0.737 * 3 / 8 * (21 / 23) ** 9)
    assert row.note is None or row.note == "band uninformative (high > 10 × low)"
    # Beyond 100×N: nothing, with the reason.
    row = predict(SMALL, 150.0, **E)
    assert row.missing_mass_method == "none"
    assert row.predicted_missing_mass_low is None and row.predicted_floor_high is None
    assert row.note is not None and "validated range" in row.note


# --- against the exact expected missing mass ------------------------------------------------

# Mean relative error (pred/truth − 1) of each method at t = 2, 5, 10 over 20 seeded samples
# of N = 5,000 draws, against E[M(tN)] = Σ p(1 − p)^(tN) computed exactly. The expected means
# are those of 200 samples in bench/extrapolation_error.py (bench/RESULTS.md), and each
# tolerance is 4 standard errors of a 20-sample mean, 4·sd/√20, with sd from those 200
# samples (floored at 0.01): a correct implementation misses one cell with probability
# < 1e-4, and a method whose bias moved by more than the tolerance fails. The seeds are fixed,
# so the test is deterministic. CJ = Chao–Jost, PL = local power law, PY = Pitman–Yor.
EXACT_N = 5_000
EXACT_SAMPLES = 20
EXACT_T = (2.0, 5.0, 10.0)
EXACT_POPULATIONS = {
    "zipf1.1": lambda: _zipf(1.1, 1_000_000),
    "zipf1.5": lambda: _zipf(1.5, 1_000_000),
    "zipf2": lambda: _zipf(2.0, 1_000_000),
    "uniform": lambda: np.full(100_000, 1e-5),
}
# population: {method: ((mean at t = 2, 5, 10), (tolerance at t = 2, 5, 10))}
EXACT_ERRORS = {
    "zipf1.1": {
        "CJ": ((-0.045, -0.322, -0.668), (0.025, 0.043, 0.043)),
        "PL": ((+0.007, +0.024, +0.049), (0.023, 0.034, 0.044)),
        "PY": ((+0.019, +0.049, +0.086), (0.020, 0.025, 0.030)),
    },
    "zipf1.5": {
        "CJ": ((-0.108, -0.558, -0.892), (0.069, 0.087, 0.043)),
        "PL": ((-0.009, -0.010, -0.008), (0.066, 0.100, 0.128)),
        "PY": ((-0.008, -0.007, -0.005), (0.051, 0.061, 0.068)),
    },
    "zipf2": {
        "CJ": ((-0.133, -0.638, -0.924), (0.190, 0.204, 0.091)),
        "PL": ((+0.004, +0.032, +0.065), (0.186, 0.297, 0.391)),
        "PY": ((-0.016, -0.020, -0.023), (0.116, 0.136, 0.152)),
    },
    "uniform": {
        "CJ": ((-0.000, -0.001, -0.001), (0.010, 0.019, 0.039)),
        "PL": ((+0.015, +0.126, +0.397), (0.010, 0.011, 0.018)),
        "PY": ((+0.003, +0.024, +0.095), (0.010, 0.017, 0.031)),
    },
}


def _exact_missing_mass(p: np.ndarray, m: float) -> float:
    return float(np.sum(p * np.exp(m * np.log1p(-p))))


@pytest.mark.parametrize("name", list(EXACT_POPULATIONS))
def test_error_against_the_exact_expected_missing_mass(name: str) -> None:
    p = EXACT_POPULATIONS[name]()
    truth = np.array([_exact_missing_mass(p, t * EXACT_N) for t in EXACT_T])
    rng = np.random.default_rng([12, 5_000, sorted(EXACT_POPULATIONS).index(name)])
    rel: dict[str, list[list[float]]] = {m: [] for m in ("CJ", "PL", "PY")}
    covered = []
    for counts in rng.multinomial(EXACT_N, p, size=EXACT_SAMPLES):
        fof = FreqOfFreq.from_counts(counts[counts > 0])
        r, n_r = fof.as_arrays()
        fit = pitman_yor_fit(r, n_r)
        result = extrapolate(fof, **K364, multiples=EXACT_T)
        rows = result.rows
        # The product's rows: the Chao–Jost point at 2×N, the band at every t.
        assert rows[0].predicted_missing_mass == pytest.approx(chao_jost_missing_mass(r, n_r, 2.0))
        assert [row.predicted_missing_mass is None for row in rows] == [False, True, True]
        rel["CJ"].append([chao_jost_missing_mass(r, n_r, t) for t in EXACT_T])
        rel["PL"].append([power_law_missing_mass(r, n_r, t) for t in EXACT_T])
        rel["PY"].append([pitman_yor_missing_mass(r, n_r, t, fit=fit) for t in EXACT_T])
        covered.append(
            [
                row.predicted_missing_mass_low - 1e-4 <= m <= row.predicted_missing_mass_high + 1e-4
                for row, m in zip(rows, truth, strict=True)
            ]
        )
    for method, (means, tolerances) in EXACT_ERRORS[name].items():
        error = (np.asarray(rel[method]) / truth - 1.0).mean(axis=0)
        print(
            f"\n[exact] {name} {method}: mean relative error at t = 2, 5, 10: {np.round(error, 3)}"
        )
        for t, got, want, tol in zip(EXACT_T, error, means, tolerances, strict=True):
            assert abs(got - want) <= tol, (method, t, got, want, tol)
    # The band's coverage: ≥ 95% nominal, 0.995–1.000 in the 200-sample bench; 19 of 20
    # (0.95) allows one miss, which a 0.995 coverage produces with probability 0.1.
    coverage = np.asarray(covered).mean(axis=0)
    print(f"[exact] {name} band coverage at t = 2, 5, 10: {coverage}")
    assert np.all(coverage >= 0.95)
    # Chao–Jost is a lower bound in expectation (REPORT.md §1.1): low on every population
    # with a heavy tail, already at 2×N, and badly so beyond.
    if name != "uniform":
        cj = (np.asarray(rel["CJ"]) / truth - 1.0).mean(axis=0)
        assert cj[0] < 0 and cj[1] < -0.3 and cj[2] < -0.6
