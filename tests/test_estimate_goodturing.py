"""Good–Turing missing mass, its two intervals, and Good's r* (docs/theory.md §4.1–4.2)."""

import math
from statistics import NormalDist

import numpy as np
import pytest

from pipeline.estimate import (
    FreqOfFreq,
    esty_interval,
    expected_missing_mass,
    expected_singleton_rate,
    good_r_star,
    missing_mass,
    missing_mass_half_width,
    missing_mass_interval,
    missing_mass_tail_bound,
)

Z95 = 1.959963984540054  # the standard-normal 0.975 quantile
SMALL = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})  # N = 3 + 2 + 3 = 8
# N = 1·200 + 2·100 + 5·100 = 900, N1 = 200, N2 = 100
MEDIUM = FreqOfFreq.from_pairs({1: 200, 2: 100, 5: 100})


def test_z95_constant() -> None:
    assert NormalDist().inv_cdf(0.975) == pytest.approx(Z95, abs=1e-12)


def test_missing_mass_is_n1_over_n() -> None:
    assert missing_mass(SMALL) == pytest.approx(3 / 8) == 0.375
    assert missing_mass(MEDIUM) == pytest.approx(200 / 900)


def test_distribution_free_interval_by_hand() -> None:
    # γ = 0.05: ln(4/γ) = ln 80 = 4.382026634673881
    # w = 1/900 + (1 + √2)·√(4.382026634673881/900)
    #   = 0.001111111 + 2.414213562·0.069777636 = 0.001111111 + 0.168458115 = 0.169569226
    w = 1 / 900 + (1 + math.sqrt(2)) * math.sqrt(math.log(80) / 900)
    assert w == pytest.approx(0.169569226, abs=1e-9)
    got = missing_mass_interval(MEDIUM)
    assert got.half_width == pytest.approx(w, rel=1e-12)
    assert got.estimate == pytest.approx(2 / 9)
    # 0.222222222 − 0.169569226 = 0.052652996; 0.222222222 + 0.169569226 = 0.391791448
    assert got.low == pytest.approx(0.052652996, abs=1e-9)
    assert got.high == pytest.approx(0.391791448, abs=1e-9)
    assert got.confidence == 0.95


def test_distribution_free_interval_other_confidence() -> None:
    # confidence 0.99 → γ = 0.01, ln(4/0.01) = ln 400
    w = 1 / 900 + (1 + math.sqrt(2)) * math.sqrt(math.log(400) / 900)
    assert missing_mass_half_width(900, 0.99) == pytest.approx(w, rel=1e-12)


def test_distribution_free_interval_clips_to_unit_range() -> None:
    # N = 8: w = 1/8 + 2.4142·√(ln 80/8) = 0.125 + 1.78676 > 1
    got = missing_mass_interval(SMALL)
    assert (got.low, got.high) == (0.0, 1.0)
    assert got.half_width == pytest.approx(0.125 + (1 + math.sqrt(2)) * math.sqrt(math.log(80) / 8))


def test_esty_interval_by_hand() -> None:
    # p1 = 200/900 = 2/9, p2 = 100/900 = 1/9
    # v = 2/9 + 2/9 − 4/81 = 32/81 = 0.395062; se = √v/√900 = 0.628539/30 = 0.0209513
    se = math.sqrt(32 / 81) / 30
    assert se == pytest.approx(0.0209513, abs=1e-7)
    got = esty_interval(MEDIUM)
    assert got.std_error == pytest.approx(se, rel=1e-12)
    assert got.z == pytest.approx(Z95)
    # 2/9 ∓ 1.959964·0.0209513 = 0.222222 ∓ 0.041064
    assert got.low == pytest.approx(0.181158, abs=1e-6)
    assert got.high == pytest.approx(0.263286, abs=1e-6)
    assert not got.degenerate


def test_esty_interval_small_table_clips_at_zero() -> None:
    # p1 = 3/8, p2 = 1/8: v = 0.375 + 0.25 − 0.140625 = 0.484375
    # se = √0.484375/√8 = 0.695971/2.828427 = 0.246063; half = 1.959964·0.246063 = 0.482275
    got = esty_interval(SMALL)
    assert got.low == 0.0
    assert got.high == pytest.approx(0.375 + 0.482275, abs=1e-6)


def test_esty_when_f2_is_zero() -> None:
    # {1: 4, 3: 2}: N = 10, p1 = 0.4, p2 = 0 → v = 0.4 − 0.16 = 0.24, se = √0.024
    got = esty_interval(FreqOfFreq.from_pairs({1: 4, 3: 2}))
    assert got.std_error == pytest.approx(math.sqrt(0.024))
    assert got.low == pytest.approx(0.4 - Z95 * math.sqrt(0.024))
    assert not got.degenerate


def test_esty_with_no_singletons_but_doubletons() -> None:
    # {2: 3, 4: 1}: N = 10, p1 = 0, p2 = 0.3 → v = 0.6; interval [0, z·√0.6/√10]
    # √0.06 = 0.244948974; 1.959963985·0.244948974 = 0.480091168
    got = esty_interval(FreqOfFreq.from_pairs({2: 3, 4: 1}))
    assert (got.estimate, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(Z95 * math.sqrt(0.06))
    assert got.high == pytest.approx(0.480091168, abs=1e-9)


@pytest.mark.parametrize(
    ("table", "point"),
    [
        ({1: 5}, 1.0),  # every key a singleton: v = 1 + 0 − 1 = 0
        ({1: 1}, 1.0),  # N = 1
        ({7: 1}, 0.0),  # a single key seen 7 times: v = 0
        ({3: 4, 5: 2}, 0.0),  # no singletons, no doubletons
    ],
)
def test_esty_degenerate_is_a_flagged_point(table: dict[int, int], point: float) -> None:
    got = esty_interval(FreqOfFreq.from_pairs(table))
    assert got.degenerate
    assert (got.estimate, got.low, got.high, got.std_error) == (point, point, point, 0.0)


def test_corner_cases_of_the_missing_mass() -> None:
    # every key a singleton: N1/N = 5/5
    assert missing_mass(FreqOfFreq.from_pairs({1: 5})) == 1.0
    # a single key seen 7 times: no singletons
    assert missing_mass(FreqOfFreq.from_pairs({7: 1})) == 0.0
    # N = 1: w = 1/1 + 2.414·√(ln 80) > 1 → [0, 1]
    got = missing_mass_interval(FreqOfFreq.from_counts([1]))
    assert (got.estimate, got.low, got.high) == (1.0, 0.0, 1.0)
    # f2 = 0: {1: 4, 3: 2} → 4/10
    assert missing_mass(FreqOfFreq.from_pairs({1: 4, 3: 2})) == pytest.approx(0.4)


@pytest.mark.parametrize("confidence", [0.0, 1.0, -0.5, 1.5])
def test_intervals_reject_bad_confidence(confidence: float) -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        missing_mass_interval(SMALL, confidence)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        esty_interval(SMALL, confidence)


def test_good_r_star_by_hand() -> None:
    # r = 1: 2·N2/N1 = 2·1/3; r = 2: 3·N3/N2 = 3·1/1 = 3; r = 3: 4·N4/N3 = 0
    got = good_r_star(SMALL)
    assert got.r == (1, 2, 3)
    assert got.r_star == pytest.approx((2 / 3, 3.0, 0.0))
    assert got.probability == pytest.approx((2 / 3 / 8, 3 / 8, 0.0))


def test_good_r_star_corner_cases() -> None:
    assert good_r_star(FreqOfFreq.from_pairs({1: 5})).r_star == (0.0,)
    # {1: 4, 2: 0, 3: 2}: r=1 → 2·0/4 = 0; r=3 → 0
    assert good_r_star(FreqOfFreq.from_pairs({1: 4, 3: 2})).r_star == (0.0, 0.0)


def test_expected_missing_mass_by_hand() -> None:
    # p = (1/2, 1/2), N = 2: E[M0] = 2·(1/2)·(1/2)² = 1/4; E[N1/N] = 2·(1/2)·(1/2) = 1/2
    assert expected_missing_mass([0.5, 0.5], 2) == pytest.approx(0.25)
    assert expected_singleton_rate([0.5, 0.5], 2) == pytest.approx(0.5)
    # N = 1: E[N1/N] = Σ p (1−p)^0 = 1 (the one draw is a singleton)
    assert expected_singleton_rate([0.2, 0.8], 1) == pytest.approx(1.0)
    # a point mass is never missed
    assert expected_missing_mass([1.0, 0.0], 3) == 0.0


@pytest.mark.parametrize("n", [1, 10, 2000])
def test_good_turing_bias_lies_in_zero_to_one_over_n(n: int) -> None:
    # McAllester & Schapire (2000): 0 ≤ E[N1/N] − E[M0] ≤ 1/N
    weights = np.arange(1, 5001, dtype=float) ** -1.1
    p = weights / weights.sum()
    bias = expected_singleton_rate(p, n) - expected_missing_mass(p, n)
    assert -1e-12 <= bias <= 1 / n + 1e-12


def test_expected_missing_mass_validates_p() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        expected_missing_mass([0.5, 0.4], 3)
    with pytest.raises(ValueError, match="non-negative"):
        expected_missing_mass([1.5, -0.5], 3)
    with pytest.raises(ValueError, match="at least 1"):
        expected_missing_mass([1.0], 0)


def test_missing_mass_tail_bound() -> None:
    # exp(−N ε²) with N = 100, ε = 0.1 → e^−1
    assert missing_mass_tail_bound(100, 0.1) == pytest.approx(math.exp(-1))
    assert missing_mass_tail_bound(5, 0.0) == 1.0
    with pytest.raises(ValueError, match="epsilon"):
        missing_mass_tail_bound(5, -0.1)
