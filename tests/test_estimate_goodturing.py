"""Good–Turing missing mass, its two intervals, and Good's r* (singleton_rate/theory.md §4.1–4.2)."""

import math
from statistics import NormalDist

import numpy as np
import pytest

from singleton_rate.estimate import (
    ESTY_METHODS,
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


def test_esty_default_is_the_plain_normal_interval() -> None:
    assert ESTY_METHODS == ("normal", "score")
    plain = esty_interval(MEDIUM)
    assert plain.method == "normal"
    assert esty_interval(MEDIUM, method="normal") == plain


# The score form: the M with N·(p1 − M)² ≤ z²·(M(1 − M) + 2·p2), i.e.
#   center ± half, center = (N1 + z²/2)/(N + z²),
#   half = z·√(N1(N − N1)/N + 2·N2·(N + z²)/N + z²/4)/(N + z²).
# z² = 3.841458821, z²/2 = 1.920729410, z²/4 = 0.960364705.


def test_esty_score_interval_by_hand_medium() -> None:
    # N = 900, N1 = 200, N2 = 100; N + z² = 903.841458821
    # center = (200 + 1.920729410)/903.841458821 = 201.920729410/903.841458821 = 0.223402819
    # N1(N − N1)/N = 200·700/900 = 155.555555556
    # 2·N2·(N + z²)/N = 200·903.841458821/900 = 200.853657516
    # inner = 155.555555556 + 200.853657516 + 0.960364705 = 357.369577776; √ = 18.904221163
    # half = 1.959963985·18.904221163/903.841458821 = 37.051592635/903.841458821 = 0.040993464
    # low = 0.223402819 − 0.040993464 = 0.182409354; high = 0.223402819 + 0.040993464 = 0.264396283
    got = esty_interval(MEDIUM, method="score")
    assert got.method == "score" and not got.degenerate
    assert got.estimate == pytest.approx(2 / 9)
    assert got.low == pytest.approx(0.182409354, abs=1e-9)
    assert got.high == pytest.approx(0.264396283, abs=1e-9)
    # same plug-in standard error and z as the normal form: √(32/81)/30
    assert got.std_error == pytest.approx(math.sqrt(32 / 81) / 30, rel=1e-12)
    assert got.z == pytest.approx(Z95)
    # the normal form is [0.181158, 0.263286]: the score form sits about 0.001 higher
    plain = esty_interval(MEDIUM)
    assert got.low - plain.low == pytest.approx(0.001251, abs=1e-6)
    assert got.high - plain.high == pytest.approx(0.001110, abs=1e-6)


def test_esty_score_interval_by_hand_small() -> None:
    # N = 8, N1 = 3, N2 = 1; N + z² = 11.841458821
    # center = (3 + 1.920729410)/11.841458821 = 4.920729410/11.841458821 = 0.415550946
    # N1(N − N1)/N = 3·5/8 = 1.875; 2·N2·(N + z²)/N = 2·11.841458821/8 = 2.960364705
    # inner = 1.875 + 2.960364705 + 0.960364705 = 5.795729410; √ = 2.407432120
    # half = 1.959963985·2.407432120/11.841458821 = 4.718480250/11.841458821 = 0.398471195
    # low = 0.415550946 − 0.398471195 = 0.017079751 (the normal form clips at 0)
    # high = 0.415550946 + 0.398471195 = 0.814022141
    got = esty_interval(SMALL, method="score")
    assert got.low == pytest.approx(0.017079751, abs=1e-9)
    assert got.high == pytest.approx(0.814022141, abs=1e-9)
    assert got.estimate == 0.375 and not got.degenerate


def test_esty_score_lower_end_is_the_product_of_the_roots_over_the_upper() -> None:
    # product of the roots = (N1² − 2·z²·N2)/(N·(N + z²))
    #   = (40000 − 768.291764)/(900·903.841458821) = 39231.708236/813457.312939 = 0.048229
    got = esty_interval(MEDIUM, method="score")
    product = (200**2 - 2 * Z95**2 * 100) / (900 * (900 + Z95**2))
    assert product == pytest.approx(0.048229, abs=1e-6)
    assert got.low * got.high == pytest.approx(product, rel=1e-12)


def test_esty_score_with_no_singletons_but_doubletons() -> None:
    # {2: 3, 4: 1}: N = 10, N1 = 0, N2 = 3; N + z² = 13.841458821
    # the product of the roots is (0 − 2·z²·3)/(10·13.841) < 0, so the lower end clips to 0
    # center = 1.920729410/13.841458821 = 0.138766400
    # inner = 0 + 2·3·13.841458821/10 + 0.960364705 = 8.304875292 + 0.960364705 = 9.265239998
    # √ = 3.043885674; half = 1.959963985·3.043885674/13.841458821 = 0.431017162
    # high = 0.138766400 + 0.431017162 = 0.569783562 (normal form: 0.480091168)
    got = esty_interval(FreqOfFreq.from_pairs({2: 3, 4: 1}), method="score")
    assert (got.estimate, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(0.569783562, abs=1e-9)
    assert not got.degenerate


@pytest.mark.parametrize(("table", "n"), [({7: 1}, 7), ({3: 4, 5: 2}, 22), ({3: 1, 9: 3}, 30)])
def test_esty_score_no_singletons_no_doubletons(table: dict[int, int], n: int) -> None:
    # N1 = N2 = 0: the roots are 0 and z²/(N + z²) (Wilson's interval for 0 of N)
    # N = 7: 3.841458821/10.841458821 = 0.354330435 (about 3.84/N; rule of three: 3.69/N)
    got = esty_interval(FreqOfFreq.from_pairs(table), method="score")
    assert got.degenerate and got.std_error == 0.0
    assert (got.estimate, got.low) == (0.0, 0.0)
    assert got.high == pytest.approx(Z95**2 / (n + Z95**2), rel=1e-12)
    if n == 7:
        assert got.high == pytest.approx(0.354330435, abs=1e-9)


@pytest.mark.parametrize("n", [1, 5, 155])
def test_esty_score_every_key_a_singleton(n: int) -> None:
    # N1 = N, N2 = 0: the roots are N/(N + z²) and 1
    # N = 5: 5/8.841458821 = 0.565517535; the normal form is the point [1, 1]
    got = esty_interval(FreqOfFreq.from_pairs({1: n}), method="score")
    assert got.degenerate and got.estimate == 1.0
    assert got.low == pytest.approx(n / (n + Z95**2), rel=1e-12)
    assert got.high == 1.0
    if n == 5:
        assert got.low == pytest.approx(0.565517535, abs=1e-9)


def test_esty_score_without_doubletons_is_wilsons_interval() -> None:
    # {1: 4, 3: 2}: N = 10, N1 = 4, N2 = 0: Wilson (1927) for x = 4 of n = 10, in its
    # textbook form (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²))/(1 + z²/n)
    n, phat, z2 = 10, 0.4, Z95**2
    half = Z95 * math.sqrt(phat * (1 - phat) / n + z2 / (4 * n * n))
    low = (phat + z2 / (2 * n) - half) / (1 + z2 / n)
    high = (phat + z2 / (2 * n) + half) / (1 + z2 / n)
    got = esty_interval(FreqOfFreq.from_pairs({1: 4, 3: 2}), method="score")
    assert (got.low, got.high) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
    # p̂(1 − p̂)/n = 0.024, z²/4n² = 0.009603647; √0.033603647 = 0.183312976
    # z·0.183312976 = 0.359286830; p̂ + z²/2n = 0.592072941; 1 + z²/n = 1.384145882
    # low = 0.232786111/1.384145882 = 0.168180330; high = 0.951359771/1.384145882 = 0.687326230
    assert (got.low, got.high) == (
        pytest.approx(0.168180330, abs=1e-9),
        pytest.approx(0.687326230, abs=1e-9),
    )


def test_esty_score_approaches_the_normal_form_with_many_singletons() -> None:
    # N = 10^6, N1 = 3·10^5, N2 = 10^5: the two forms agree to well under se/100
    fof = FreqOfFreq.from_pairs({1: 300_000, 2: 100_000, 5: 100_000})
    plain, score = esty_interval(fof), esty_interval(fof, method="score")
    assert abs(score.low - plain.low) < plain.std_error / 100
    assert abs(score.high - plain.high) < plain.std_error / 100


def test_esty_score_contains_the_estimate_and_stays_in_unit_range() -> None:
    rng = np.random.default_rng(7)
    for _ in range(500):
        fof = FreqOfFreq.from_counts(rng.integers(1, 6, size=int(rng.integers(1, 40))))
        for confidence in (0.5, 0.95, 0.999):
            got = esty_interval(fof, confidence, method="score")
            assert 0.0 <= got.low <= got.estimate <= got.high <= 1.0
            assert got.low < got.high


def test_esty_rejects_unknown_method() -> None:
    with pytest.raises(ValueError, match="method must be one of"):
        esty_interval(SMALL, method="log")  # type: ignore[arg-type]


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
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        esty_interval(SMALL, confidence, method="score")


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
