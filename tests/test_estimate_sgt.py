"""Simple Good–Turing (Gale & Sampson 1995), theory.md §4.3."""

import math

import pytest

from singleton_rate.estimate import FreqOfFreq, averaging_transform, simple_good_turing
from singleton_rate.estimate.sgt import (
    SWITCH_Z,
    SWITCH_Z_GALE_SAMPSON,
    format_sgt_table,
    sgt_record,
    sgt_rows,
)


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


# --- the per-r table, the switching coefficient and published values --------------------------

# Gale & Sampson's (1995) prosody frequency-of-frequencies table (N = 30,902).
PROSODY = {
    1: 120, 2: 40, 3: 24, 4: 13, 5: 15, 6: 5, 7: 11, 8: 2, 9: 2, 10: 1, 12: 3, 14: 2, 15: 1,
    16: 1, 17: 3, 19: 1, 20: 3, 21: 2, 23: 3, 24: 3, 25: 3, 26: 2, 27: 2, 28: 1, 31: 2, 32: 2,
    33: 1, 34: 2, 36: 2, 41: 3, 43: 1, 45: 3, 46: 1, 47: 1, 50: 1, 71: 1, 84: 1, 101: 1, 105: 1,
    121: 1, 124: 1, 146: 1, 162: 1, 193: 1, 199: 1, 224: 1, 226: 1, 254: 1, 257: 1, 339: 1,
    421: 1, 456: 1, 481: 1, 483: 1, 1140: 1, 1256: 1, 1322: 1, 1530: 1, 2131: 1, 2395: 1,
    6925: 1, 7846: 1,
}  # fmt: skip
# Its SGT r* after renormalisation (N·p_r), in r order, and P0, as Gale's S code gives them
# (10x Genomics' sgt.py test_prosody, "computed using R 3.5.1 w/ the Gale S code"; the same
# values are in zack112358/simple-good-turing-estimation's ProsodyTest).
PROSODY_R_STAR = (
    0.7628079, 1.706448, 2.679796, 3.663988, 4.653366, 5.645628, 6.63966, 7.634856, 8.63086,
    9.627446, 11.62182, 13.61725, 14.61524, 15.61336, 16.6116, 18.60836, 19.60685, 20.6054,
    22.60264, 23.60133, 24.60005, 25.5988, 26.59759, 27.59639, 30.59294, 31.59183, 32.59073,
    33.58964, 35.58751, 40.58235, 42.58035, 44.57836, 45.57738, 46.57641, 49.57351, 70.55399,
    83.54229, 100.5272, 104.5237, 120.5097, 123.507, 145.4879, 161.474, 192.4472, 198.4421,
    223.4205, 225.4188, 253.3947, 256.3922, 338.3218, 420.2514, 455.2215, 480.2, 482.1983,
    1138.636, 1254.537, 1320.48, 1528.302, 2128.788, 2392.562, 6918.687, 7838.899,
)  # fmt: skip

# Chinese plurals (Gale & Sampson's second worked data set) and their published values
# (zack112358/simple-good-turing-estimation, ChinesePluralsTest): a = 6.683387,
# b = −1.964591, P0 = 0.04090978; these need the 1.65 coefficient.
CHINESE = dict(
    zip(
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
         24, 25, 26, 27, 28, 29, 31, 33, 39, 41, 46, 47, 50, 52, 53, 55, 57, 60, 74, 84, 108,
         109, 177, 400, 1918],
        [268, 112, 70, 41, 24, 14, 15, 14, 8, 11, 9, 6, 6, 3, 7, 9, 4, 4, 8, 2, 4, 2, 2, 3, 4,
         4, 4, 1, 1, 2, 1, 3, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        strict=True,
    )
)  # fmt: skip
CHINESE_R_STAR = {
    1: 0.8414893, 2: 1.887716, 3: 2.288452, 4: 3.247259, 5: 4.222094, 10: 9.183503,
    1918: 1930.037,
}  # fmt: skip


@pytest.mark.parametrize("switch_z", [SWITCH_Z, SWITCH_Z_GALE_SAMPSON])
def test_prosody_reproduces_gale_and_sampson_under_either_coefficient(switch_z: float) -> None:
    got = simple_good_turing(FreqOfFreq.from_pairs(PROSODY), switch_z=switch_z)
    assert got.n == 30902
    assert got.p0 == pytest.approx(0.003883244, abs=5e-10)  # 120/30902
    assert (round(got.intercept or 0, 6), round(got.slope or 0, 6)) == (4.468558, -1.389374)
    assert got.r_star_normalised == pytest.approx(PROSODY_R_STAR, rel=1e-6)
    # r = 1: x = 2·40/120 = 0.666667, sd = √(2²·40/120²·(1 + 40/120)) = 0.121716,
    # y = 2·2^b = 0.763461: |x − y| = 0.0968 = 0.795 sd, under 1.65 and 1.96 sd alike,
    # so the switch to the line comes at r = 1 and the published table needs neither 1.65
    # nor 1.96 in particular.
    assert got.r_star_turing[0] == pytest.approx(2 * 40 / 120)
    assert got.turing_sd[0] == pytest.approx(math.sqrt(4 * 40 / 120**2 * (4 / 3)))
    assert got.turing_sd[0] == pytest.approx(0.121716, abs=1e-6)
    assert got.r_star_lgt[0] == pytest.approx(0.763461, abs=1e-6)
    assert abs(2 / 3 - 0.763461) / 0.121716 == pytest.approx(0.795, abs=1e-3)
    assert got.method == ("lgt",) * len(PROSODY) and got.switch_r == 1
    assert got.switch_z == switch_z


def test_chinese_plurals_need_gale_and_sampsons_coefficient() -> None:
    fof = FreqOfFreq.from_pairs(CHINESE)
    paper = simple_good_turing(fof, switch_z=SWITCH_Z_GALE_SAMPSON)
    assert paper.p0 == pytest.approx(0.04090978, abs=5e-9)
    assert (round(paper.intercept or 0, 6), round(paper.slope or 0, 6)) == (6.683387, -1.964591)
    assert paper.method[:3] == ("turing", "turing", "lgt") and paper.switch_r == 3
    got = dict(zip(paper.r, paper.r_star_normalised, strict=True))
    for r, expected in CHINESE_R_STAR.items():
        assert got[r] == pytest.approx(expected, rel=1e-6), r
    # With 1.96 the line takes over at r = 2: x = 3·70/112 = 1.875,
    # sd = 3·√(70/112²·(1 + 70/112)) = 0.28568, y = 3·1.5^b = 1.3526,
    # |x − y| = 0.5224 = 1.83 sd: above 1.65 sd, not above 1.96 sd.
    default = simple_good_turing(fof)
    assert default.method[:2] == ("turing", "lgt") and default.switch_r == 2
    x, sd, y = default.r_star_turing[1], default.turing_sd[1], default.r_star_lgt[1]
    assert x == pytest.approx(1.875)
    assert sd == pytest.approx(3 * math.sqrt(70 / 112**2 * (1 + 70 / 112)))
    assert sd == pytest.approx(0.28568, abs=1e-5)
    assert y == pytest.approx(1.3526, abs=1e-4)
    assert SWITCH_Z_GALE_SAMPSON * sd < abs(x - y) <= SWITCH_Z * sd


def test_per_r_candidates_and_rows_by_hand() -> None:
    # {1: 1000, 2: 100, 3: 50}: x_1 = 2·100/1000 = 0.2, sd_1 = √(4·100/1000²·1.1) = 0.020976;
    # x_2 = 3·50/100 = 1.5, sd_2 = √(9·50/100²·1.5) = 0.259808; x_3 undefined (N_4 = 0)
    got = simple_good_turing(FreqOfFreq.from_pairs({1: 1000, 2: 100, 3: 50}))
    b = got.slope
    assert b is not None
    assert got.r_star_turing == pytest.approx((0.2, 1.5, None))
    assert got.turing_sd[:2] == pytest.approx((0.020976, 0.259808), abs=1e-6)
    assert got.turing_sd[2] is None
    assert got.r_star_lgt == pytest.approx(tuple((r + 1) * ((r + 1) / r) ** b for r in (1, 2, 3)))
    # renormalised: N·p_r with N = 1350
    assert got.r_star_normalised == pytest.approx(tuple(1350 * p for p in got.p_r))
    rows = sgt_rows(got)
    assert [(r["r"], r["n_r"], r["source"]) for r in rows] == [
        (1, 1000, "turing"),
        (2, 100, "turing"),
        (3, 50, "lgt"),
    ]
    assert rows[0]["r_star"] == rows[0]["r_star_turing"] == pytest.approx(0.2)
    assert rows[2]["r_star"] == rows[2]["r_star_lgt"]
    record = sgt_record(got)
    assert record["switch_z"] == 1.96 and record["switch_r"] == 3 and record["rows"] == rows
    # Turing's x is shown after the switch too: {1: 3, 2: 1, 3: 1} switches at r = 1, yet
    # x_2 = 3·1/1 = 3 is reported beside the line's y_2.
    tiny = simple_good_turing(FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1}))
    assert tiny.r_star_turing == pytest.approx((2 / 3, 3.0, None))
    assert tiny.turing_sd[0] == pytest.approx(math.sqrt(16 / 27))


def test_switch_coefficient_must_be_positive() -> None:
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1})
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="switch_z"):
            simple_good_turing(fof, switch_z=bad)


def test_format_sgt_table_lists_every_r_with_its_source() -> None:
    text = format_sgt_table(simple_good_turing(FreqOfFreq.from_pairs({1: 1000, 2: 100, 3: 50})))
    lines = text.splitlines()
    assert lines[0].endswith("P0 = N1/N = 1000/1350 = 0.740741")
    assert "switch to the line at r = 3" in text and "1.96·sd(x)" in text
    table = lines[lines.index(next(x for x in lines if x.startswith("r "))) :]
    assert table[0].split()[:2] == ["r", "N_r"]
    assert table[1].split() == ["0", "0.740741"]
    # r, N_r, x, sd, y, source, r*, N·p_r, p_r
    assert table[2].split()[:3] == ["1", "1000", "0.2"] and table[2].split()[5] == "turing"
    assert table[4].split()[:4] == ["3", "50", "-", "-"] and table[4].split()[5] == "lgt"
    no_fit = format_sgt_table(simple_good_turing(FreqOfFreq.from_pairs({3: 4})))
    assert "fit: none" in no_fit and " mle " in no_fit
