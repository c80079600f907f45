"""Simple Good–Turing (Gale & Sampson 1995), theory.md §4.3."""

import math

import pytest

from pipeline.estimate import FreqOfFreq, averaging_transform, simple_good_turing


def _least_squares(x: list[float], y: list[float]) -> tuple[float, float]:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    b = sum((xi - mx) * (yi - my) for xi, yi in zip(x, y, strict=True)) / sum(
        (xi - mx) ** 2 for xi in x
    )
    return my - b * mx, b


def test_averaging_transform_by_hand() -> None:
    # {1: 3, 2: 1, 3: 1}: r=1: q=0, t=2 → 2·3/2 = 3; r=2: q=1, t=3 → 2·1/2 = 1;
    # r=3 (last): q=2, t=2·3−2=4 → 2·1/2 = 1
    assert averaging_transform(FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})) == (3.0, 1.0, 1.0)
    # gaps: {1: 10, 4: 6, 10: 2}: r=1: t−q = 4−0 → 5; r=4: 10−1 = 9 → 12/9; r=10: t = 16 → 4/12
    assert averaging_transform(FreqOfFreq.from_pairs({1: 10, 4: 6, 10: 2})) == pytest.approx(
        (5.0, 12 / 9, 4 / 12)
    )
    # a single row: q = 0, t = 2r → Z = N_r/r
    assert averaging_transform(FreqOfFreq.from_pairs({4: 6})) == (1.5,)


def test_tiny_case_by_hand_all_lgt() -> None:
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})  # N = 8, P0 = 3/8
    got = simple_good_turing(fof)
    # fit log Z = a + b log r through (0, ln 3), (ln 2, 0), (ln 3, 0):
    # x̄ = (ln 2 + ln 3)/3 = 0.597253, ȳ = ln 3/3 = 0.366204
    # Σdx·dy = −0.597253·ln 3 + ... = −0.656149; Σdx² = 0.617268 → b = −1.062990, a = 1.001078
    a, b = _least_squares([0.0, math.log(2), math.log(3)], [math.log(3), 0.0, 0.0])
    assert b == pytest.approx(-1.062990, abs=1e-6)
    assert a == pytest.approx(1.001078, abs=1e-6)
    assert got.slope == pytest.approx(b, rel=1e-12)
    assert got.intercept == pytest.approx(a, rel=1e-12)
    assert got.fit_ok and got.slope_ok
    # r = 1: r*_T = 2·1/3 = 0.666667; r*_LGT = 2·2^b = 0.957278;
    # Var = 2²·(1/3²)·(1 + 1/3) = 16/27, 1.96·√(16/27) = 1.508808 ≥ |0.666667 − 0.957278|
    # → switch to LGT at r = 1 and stay there.
    lgt = [(r + 1) * ((r + 1) / r) ** b for r in (1, 2, 3)]
    assert lgt == pytest.approx([0.957278, 1.949566, 2.946126], abs=1e-6)
    assert abs(2 / 3 - lgt[0]) <= 1.96 * math.sqrt(16 / 27)
    assert got.method == ("lgt", "lgt", "lgt")
    assert got.switch_r == 1
    assert got.r_star == pytest.approx(lgt, rel=1e-12)
    # N' = 3·0.957278 + 1·1.949566 + 1·2.946126 = 7.767527; p_r = (1 − 3/8)·r*/N'
    n_prime = 3 * lgt[0] + lgt[1] + lgt[2]
    assert n_prime == pytest.approx(7.767527, abs=1e-6)
    assert got.p_r == pytest.approx([0.625 * x / n_prime for x in lgt], rel=1e-12)
    assert got.p_r[0] == pytest.approx(0.077026, abs=1e-6)
    assert got.p0 == 0.375


def test_tiny_case_by_hand_turing_then_lgt() -> None:
    fof = FreqOfFreq.from_pairs({1: 1000, 2: 100, 3: 50})  # N = 1000 + 200 + 150 = 1350
    got = simple_good_turing(fof)
    # Z = (2·1000/2, 2·100/2, 2·50/(4−2)) = (1000, 100, 50)
    a, b = _least_squares(
        [0.0, math.log(2), math.log(3)], [math.log(1000), math.log(100), math.log(50)]
    )
    assert b == pytest.approx(-2.791, abs=1e-3)
    assert (got.intercept, got.slope) == pytest.approx((a, b), rel=1e-12)
    # r = 1: r*_T = 2·100/1000 = 0.2; LGT = 2·2^b = 0.2890; 1.96·√(4·100/1000²·1.1) = 0.0411
    #   |0.2 − 0.2890| = 0.089 > 0.0411 → Turing
    # r = 2: r*_T = 3·50/100 = 1.5; LGT = 3·1.5^b = 0.9675; 1.96·√(9·50/100²·1.5) = 0.5092
    #   |1.5 − 0.9675| = 0.5325 > 0.5092 → Turing
    # r = 3: N_4 = 0 → LGT = 4·(4/3)^b
    assert abs(0.2 - 2 * 2**b) > 1.96 * math.sqrt(4 * 100 / 1000**2 * 1.1)
    assert abs(1.5 - 3 * 1.5**b) > 1.96 * math.sqrt(9 * 50 / 100**2 * 1.5)
    expected = [0.2, 1.5, 4 * (4 / 3) ** b]
    assert got.method == ("turing", "turing", "lgt")
    assert got.switch_r == 3
    assert got.r_star == pytest.approx(expected, rel=1e-12)
    p0 = 1000 / 1350
    n_prime = 1000 * 0.2 + 100 * 1.5 + 50 * expected[2]
    assert got.p_r == pytest.approx([(1 - p0) * x / n_prime for x in expected], rel=1e-12)


def test_never_switches_back_to_turing() -> None:
    # r = 1 switches to LGT (|1 − 0.539| ≤ 0.759), while r = 2 (|60 − 1.39| > 38.1) and r = 3
    # would each pass the Turing test on their own: the rule must not go back.
    got = simple_good_turing(FreqOfFreq.from_pairs({1: 20, 2: 10, 3: 200, 4: 2, 6: 1}))
    assert got.method == ("lgt",) * 5
    b = got.slope
    assert b is not None
    # r = 2: r*_T = 3·200/10 = 60, Var = 3²·(200/10²)·(1 + 200/10) = 378, 1.96·√378 = 38.107
    assert abs(3 * 200 / 10 - 3 * 1.5**b) > 1.96 * math.sqrt(9 * (200 / 10**2) * (1 + 200 / 10))


def test_no_fit_on_a_single_row_falls_back_to_the_raw_count() -> None:
    # one distinct r: no line, no Turing neighbour → r* = r, p_r = (1 − P0)/N_r
    got = simple_good_turing(FreqOfFreq.from_pairs({3: 4}))  # N = 12, P0 = 0
    assert not got.fit_ok and not got.slope_ok
    assert got.slope is None and got.intercept is None
    assert got.method == ("mle",)
    assert got.r_star == (3.0,)
    assert got.p_r == pytest.approx((0.25,))
    assert got.switch_r is None


def test_every_key_a_singleton() -> None:
    # {1: 5}: P0 = 5/5 = 1 → all the mass is unseen, p_1 = (1 − 1)/5 = 0
    got = simple_good_turing(FreqOfFreq.from_pairs({1: 5}))
    assert got.p0 == 1.0
    assert got.p_r == (0.0,)
    assert not got.fit_ok


def test_n_equal_one() -> None:
    got = simple_good_turing(FreqOfFreq.from_counts([1]))
    assert (got.p0, got.r_star, got.p_r, got.fit_ok) == (1.0, (1.0,), (0.0,), False)


def test_single_key() -> None:
    got = simple_good_turing(FreqOfFreq.from_counts([7]))
    # P0 = 0, r* = 7, N' = 7 → p_7 = 1
    assert (got.p0, got.r_star, got.p_r) == (0.0, (7.0,), (1.0,))


def test_f2_zero_and_no_singletons_by_hand() -> None:
    # {2: 3, 4: 1}: Z = (2·3/4, 2·1/(6−2)) = (1.5, 0.5); b = ln(0.5/1.5)/ln 2 = −1.584963
    got = simple_good_turing(FreqOfFreq.from_pairs({2: 3, 4: 1}))
    b = math.log(1 / 3) / math.log(2)
    assert got.slope == pytest.approx(b) == pytest.approx(-1.584963, abs=1e-6)
    assert got.slope_ok
    # N_3 = 0 → LGT from r = 2: r* = 3·1.5^b = 3·e^(−0.642651) = 1.577696,
    # 5·1.25^b = 5·e^(−0.353674) = 3.510519
    r_star = [3 * 1.5**b, 5 * 1.25**b]
    assert r_star == pytest.approx([1.577696, 3.510519], abs=1e-6)
    assert got.r_star == pytest.approx(r_star)
    assert got.p0 == 0.0
    # N' = 3·1.577696 + 3.510519 = 8.243606; p = r*/N'
    assert got.p_r == pytest.approx([x / (3 * r_star[0] + r_star[1]) for x in r_star])


def test_shallow_slope_is_flagged_not_hidden() -> None:
    # Z = (10/2, 2·5/2, 2·100/2, 2·1/2) = (5, 5, 100, 1): the fit slope is −0.546 > −1
    got = simple_good_turing(FreqOfFreq.from_pairs({1: 10, 2: 5, 3: 100, 4: 1}))
    assert got.fit_ok and not got.slope_ok
    assert got.slope is not None and got.slope > -1
    assert all(math.isfinite(x) for x in got.p_r)


@pytest.mark.parametrize(
    "table",
    [
        {1: 3, 2: 1, 3: 1},
        {1: 1000, 2: 100, 3: 50},
        {1: 20, 2: 10, 3: 200, 4: 2, 6: 1},
        {1: 5},
        {7: 1},
        {2: 3, 4: 1},
        {1: 268, 2: 112, 3: 70, 4: 41, 5: 24, 6: 14, 7: 15, 9: 5, 11: 3, 15: 2, 40: 1},
    ],
)
def test_renormalised_mass_adds_up(table: dict[int, int]) -> None:
    # Σ N_r·p_r = 1 − P0: the seen keys share exactly the mass the unseen ones leave
    fof = FreqOfFreq.from_pairs(table)
    got = simple_good_turing(fof)
    seen = math.fsum(n * p for n, p in zip(got.n_r, got.p_r, strict=True))
    assert seen == pytest.approx(1 - got.p0, abs=1e-12)
    assert got.p0 == pytest.approx(fof.f1 / fof.n)
    assert all(x > 0 for x in got.r_star)
    # once the method is "lgt" it stays "lgt"
    if "lgt" in got.method:
        first = got.method.index("lgt")
        assert set(got.method[first:]) == {"lgt"}
