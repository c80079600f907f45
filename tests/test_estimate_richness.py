"""Chao1, its interval, and Chao–Jost coverage (theory.md §4.4)."""

import math

import pytest

from singleton_rate.estimate import FreqOfFreq, chao1, extrapolated_coverage, sample_coverage

Z95 = 1.959963984540054


def _lognormal_interval(s_obs: float, f0: float, variance: float) -> tuple[float, float]:
    k = math.exp(Z95 * math.sqrt(math.log(1 + variance / f0**2)))
    return s_obs + f0 / k, s_obs + f0 * k


def test_chao1_f2_positive_by_hand() -> None:
    # {1: 3, 2: 1, 3: 1}: n = 8, S_obs = 5, f1 = 3, f2 = 1, w = 7/8
    got = chao1(FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1}))
    # Ŝ = 5 + (7/8)·9/2 = 5 + 3.9375 = 8.9375
    assert got.estimate == pytest.approx(8.9375)
    assert got.f0_hat == pytest.approx(3.9375)
    # Ŝ_bc = 5 + (7/8)·3·2/(2·2) = 5 + 1.3125 = 6.3125
    assert got.bias_corrected == pytest.approx(6.3125)
    # R = 3: Var = 1·[(7/8)·9/2 + (49/64)·27 + (49/64)·81/4] = 3.9375 + 20.671875 + 15.50390625
    assert got.variance == pytest.approx(40.11328125)
    # K = exp(1.959964·√ln(1 + 40.11328125/3.9375²)) = exp(1.959964·√ln 3.587302) = 9.163179
    # [5 + 3.9375/9.163179, 5 + 3.9375·9.163179] = [5.429709, 41.080015]
    assert got.low == pytest.approx(5.429709, abs=1e-6)
    assert got.high == pytest.approx(41.080015, abs=1e-6)
    assert (got.low, got.high) == pytest.approx(_lognormal_interval(5, 3.9375, 40.11328125))
    assert (got.s_obs, got.n, got.f1, got.f2) == (5, 8, 3, 1)


def test_chao1_f2_zero_by_hand() -> None:
    # {1: 4, 3: 2}: n = 10, S_obs = 6, f1 = 4, f2 = 0, w = 0.9
    got = chao1(FreqOfFreq.from_pairs({1: 4, 3: 2}))
    # Ŝ = 6 + 0.9·4·3/2 = 11.4; Ŝ_bc = 6 + 0.9·12/(2·1) = 11.4
    assert got.estimate == pytest.approx(11.4)
    assert got.bias_corrected == pytest.approx(11.4)
    # Var = 0.9·12/2 + 0.81·4·7²/4 − 0.81·4⁴/(4·11.4) = 5.4 + 39.69 − 4.547368 = 40.542632
    assert got.variance == pytest.approx(40.542632, abs=1e-6)
    # K = 6.231675 → [6 + 5.4/K, 6 + 5.4·K] = [6.866541, 39.651046]
    assert got.low == pytest.approx(6.866541, abs=1e-6)
    assert got.high == pytest.approx(39.651046, abs=1e-6)


def test_chao1_every_key_a_singleton_by_hand() -> None:
    # {1: 5}: n = 5, S_obs = 5, f1 = 5, f2 = 0, w = 0.8
    got = chao1(FreqOfFreq.from_pairs({1: 5}))
    # Ŝ = 5 + 0.8·5·4/2 = 13
    assert got.estimate == pytest.approx(13.0)
    # Var = 0.8·20/2 + 0.64·5·9²/4 − 0.64·5⁴/(4·13) = 8 + 64.8 − 7.692308 = 65.107692
    assert got.variance == pytest.approx(65.107692, abs=1e-6)
    assert (got.low, got.high) == pytest.approx((6.548913, 46.319300), abs=1e-6)


def _spader_observed(pairs: dict[int, int], z: float = 1.959963984540054) -> tuple:
    """SpadeR's SpecAbunChao1 branch for f̂0 = 0, written out term by term."""
    d = sum(pairs.values())
    n = sum(r * f for r, f in pairs.items())
    var = sum(f * (math.exp(-r) - math.exp(-2 * r)) for r, f in pairs.items())
    var -= sum(r * math.exp(-r) * f for r, f in pairs.items()) ** 2 / n
    p = sum(f * math.exp(-r) for r, f in pairs.items()) / d
    half = z * math.sqrt(var) / (1 - p)
    return var, max(d, d / (1 - p) - half), d / (1 - p) + half


def test_chao1_without_singletons() -> None:
    # f1 = 0: Ŝ = S_obs; SpadeR's interval, not a point. By hand for {2: 3, 4: 1} (N = 10):
    # Var = 3(e⁻² − e⁻⁴) + (e⁻⁴ − e⁻⁸) − (2·3·e⁻² + 4·e⁻⁴)²/10 = 0.290668,
    # P = (3e⁻² + e⁻⁴)/4 = 0.106080, high = 4/(1 − P) + 1.96·√Var/(1 − P) = 5.656757
    got = chao1(FreqOfFreq.from_pairs({2: 3, 4: 1}))
    assert (got.estimate, got.f0_hat, got.low) == (4, 0, 4)
    assert got.variance == pytest.approx(0.290668, abs=1e-6)
    assert got.high == pytest.approx(5.656757, abs=1e-5)
    assert got.bias_corrected == 4.0
    # the value SpadeR's formula gives for {2: 3, 5: 1} (bench/research/extrapolation)
    other = chao1(FreqOfFreq.from_pairs({2: 3, 5: 1}))
    assert (other.low, round(other.high, 3)) == (4.0, 5.643)


def test_chao1_single_key() -> None:
    got = chao1(FreqOfFreq.from_counts([7]))
    _, low, high = _spader_observed({7: 1})
    assert (got.estimate, got.bias_corrected) == (1, 1)
    assert (got.low, got.high) == pytest.approx((low, high))
    assert got.low == 1.0


def test_chao1_n_equal_one() -> None:
    # N = 1: w = 0 → Ŝ = 1, f̂0 = 0 → SpadeR's branch: Var = e⁻¹ − 2e⁻² = 0.097209,
    # P = e⁻¹, high = 1/(1 − e⁻¹) + 1.96·√Var/(1 − e⁻¹) = 2.548704
    got = chao1(FreqOfFreq.from_counts([1]))
    assert got.estimate == 1.0 and got.low == 1.0
    assert got.variance == pytest.approx(math.exp(-1) - 2 * math.exp(-2))
    assert got.high == pytest.approx(2.548704, abs=1e-5)


def test_chao1_zero_f0_hat_with_positive_variance() -> None:
    # {1: 1, 3: 5}: n = 16, w = 15/16, f1 = 1, f2 = 0 → Ŝ = 6 + w·1·0/2 = 6, f̂0 = 0;
    # f̂0 = 0, so the log-normal K is undefined: SpadeR's observed-count interval instead
    got = chao1(FreqOfFreq.from_pairs({1: 1, 3: 5}))
    assert got.f0_hat == 0.0
    var, low, high = _spader_observed({1: 1, 3: 5})
    assert got.variance == pytest.approx(var)
    assert (got.low, got.high) == pytest.approx((low, high))
    assert got.low == 6.0 < got.high


def test_chao1_interval_never_below_s_obs_and_contains_estimate() -> None:
    for table in ({1: 3, 2: 1, 3: 1}, {1: 4, 3: 2}, {1: 50, 2: 1}, {1: 2, 2: 40, 9: 3}):
        got = chao1(FreqOfFreq.from_pairs(table))
        assert got.s_obs <= got.low <= got.estimate <= got.high


def test_chao1_other_confidence() -> None:
    got = chao1(FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1}), confidence=0.9)
    k = math.exp(1.6448536269514722 * math.sqrt(math.log(1 + 40.11328125 / 3.9375**2)))
    assert got.high == pytest.approx(5 + 3.9375 * k)
    with pytest.raises(ValueError):
        chao1(FreqOfFreq.from_pairs({1: 3}), confidence=1.0)


def test_coverage_by_hand() -> None:
    # {1: 3, 2: 1, 3: 1}: A = 7·3/(7·3 + 2·1) = 21/23; Ĉ = 1 − (3/8)·(21/23) = 121/184
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})
    assert sample_coverage(fof) == pytest.approx(121 / 184) == pytest.approx(0.657609, abs=1e-6)
    # m = 8 more: 1 − (3/8)·(21/23)^9 = 0.834631
    assert extrapolated_coverage(fof, 8) == pytest.approx(0.834631, abs=1e-6)
    assert extrapolated_coverage(fof, 0) == pytest.approx(sample_coverage(fof))


def test_coverage_f2_zero_by_hand() -> None:
    # {1: 4, 3: 2}: A = 9·3/(9·3 + 2) = 27/29; Ĉ = 1 − 0.4·27/29 = 0.627586
    fof = FreqOfFreq.from_pairs({1: 4, 3: 2})
    assert sample_coverage(fof) == pytest.approx(0.627586, abs=1e-6)
    # m = 5: 1 − 0.4·(27/29)^6 = 0.739472
    assert extrapolated_coverage(fof, 5) == pytest.approx(0.739472, abs=1e-6)


def test_coverage_corner_cases() -> None:
    # every key a singleton {1: 5}: A = 4·4/(4·4 + 2) = 8/9, Ĉ = 1 − 1·8/9 = 1/9
    everything_once = FreqOfFreq.from_pairs({1: 5})
    assert sample_coverage(everything_once) == pytest.approx(1 / 9)
    assert extrapolated_coverage(everything_once, 2) == pytest.approx(1 - (8 / 9) ** 3)
    # no singletons → 1 (the f2 = 0 branch would divide by zero at f1 = 0, n = 3)
    assert sample_coverage(FreqOfFreq.from_pairs({3: 1})) == 1.0
    assert sample_coverage(FreqOfFreq.from_pairs({2: 3, 4: 1})) == 1.0
    # N = 1: A = 0·0/(0 + 2) = 0 → Ĉ = 1 exactly (the summary flags this)
    assert sample_coverage(FreqOfFreq.from_counts([1])) == 1.0
    # coverage only grows with more data
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})
    values = [extrapolated_coverage(fof, m) for m in (0, 1, 10, 100, 1000)]
    assert values == sorted(values)
    with pytest.raises(ValueError):
        extrapolated_coverage(fof, -1)
