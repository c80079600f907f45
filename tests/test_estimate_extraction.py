"""Extraction error in the estimate: hand-worked precision and thinning corrections, the band."""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from singleton_rate.estimate.band import (
    BAND_C_HI,
    BAND_C_LO,
    as_table,
    band_constant,
    chao_jost_missing_mass,
    missing_mass_band,
    pitman_yor_fit,
    pitman_yor_missing_mass,
    power_law_missing_mass,
)
from singleton_rate.estimate.extraction import (
    METHOD_BAND,
    METHOD_CHAO_JOST,
    ThinningCorrection,
    effective_recall,
    mix_thinning,
    precision_corrected_counts,
    precision_corrected_rate,
    precision_corrected_table,
    precision_correction,
    thinning_correction,
    wilson_interval,
)

ROOT = Path(__file__).resolve().parent.parent
PROTOTYPE = ROOT / "bench" / "research" / "extrapolation"


def test_precision_correction_hand_worked():
    # N1 = 30, N = 100, p1 = 0.8: 6 false singletons go, N1' = 24, N' = 94, 24/94.
    assert precision_corrected_counts(30, 100, 0.8) == (24.0, 94.0)
    assert precision_corrected_rate(30, 100, 0.8) == pytest.approx(24 / 94)
    assert round(24 / 94, 4) == 0.2553
    # p1 = 1 changes nothing; p1 = 0 removes every singleton.
    assert precision_corrected_rate(30, 100, 1.0) == pytest.approx(0.3)
    assert precision_corrected_rate(30, 100, 0.0) == 0.0
    assert precision_corrected_counts(30, 100, 0.0) == (0.0, 70.0)


def test_precision_correction_maps_the_wilson_endpoints():
    c = precision_correction(30, 100, correct=16, judged=20)
    lo, hi = wilson_interval(16, 20)
    # Wilson 16/20 at 95%: (0.8 + z²/40 ± z·√(0.008 + z²/1600)) / (1 + z²/20)
    z = 1.959963984540054
    centre = (0.8 + z * z / 40) / (1 + z * z / 20)
    half = z * math.sqrt(0.8 * 0.2 / 20 + z * z / 1600) / (1 + z * z / 20)
    assert (lo, hi) == pytest.approx((centre - half, centre + half))
    assert round(lo, 4) == 0.5840 and round(hi, 4) == 0.9193
    assert c.precision == 0.8 and c.rate == pytest.approx(24 / 94)
    assert c.rate_low == pytest.approx(30 * lo / (70 + 30 * lo))
    assert c.rate_high == pytest.approx(30 * hi / (70 + 30 * hi))
    assert c.rate_low < c.rate < c.rate_high < c.raw_rate


def test_corrected_rate_is_monotone_in_precision():
    ps = np.linspace(0, 1, 101)
    rates = [precision_corrected_rate(37, 120, p) for p in ps]
    assert all(b >= a for a, b in itertools.pairwise(rates))


def test_wilson_matches_the_score_module():
    from singleton_rate.score import wilson_interval as score_wilson

    for k, n in [(0, 5), (3, 7), (10, 10), (73, 100)]:
        assert wilson_interval(k, n) == pytest.approx(score_wilson(k, n))


@pytest.mark.parametrize(
    ("args", "message"),
    [((31, 30, 0.5), "N1 <= N"), ((3, 30, 1.5), "precision"), ((-1, 30, 0.5), "N1 <= N")],
)
def test_precision_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        precision_corrected_rate(*args)


def test_wilson_bad_input():
    with pytest.raises(ValueError):
        wilson_interval(3, 0)
    with pytest.raises(ValueError):
        wilson_interval(True, 3)


def test_precision_corrected_table_scales_only_singletons():
    assert precision_corrected_table([1, 2, 5], [30, 10, 2], 0.5) == ([1, 2, 5], [15.0, 10.0, 2.0])


def test_thinning_at_two_is_chao_jost_hand_worked():
    # N = 20, f1 = 10, f2 = 5: A = 19·10/(19·10 + 10) = 0.95, M(2N) = (10/20)·0.95^21.
    c = thinning_correction([1, 2], [10, 5], 0.5)
    assert c.t == 2.0 and c.method == METHOD_CHAO_JOST
    assert c.rate == pytest.approx(0.5 * 0.95**21)
    assert c.low == c.high == c.rate
    # recall 1: the Chao–Jost coverage deficit at N itself, (f1/N)·A.
    assert thinning_correction([1, 2], [10, 5], 1.0).rate == pytest.approx(0.5 * 0.95)


def test_thinning_beyond_two_is_the_band():
    r, n_r = [1, 2, 3], [500, 100, 40]
    c = thinning_correction(r, n_r, 0.2)  # t = 5
    assert c.t == pytest.approx(5.0) and c.method == METHOD_BAND
    cj = chao_jost_missing_mass(r, n_r, 5.0)
    pl = power_law_missing_mass(r, n_r, 5.0)
    py = pitman_yor_missing_mass(r, n_r, 5.0)
    assert c.low == pytest.approx(0.737 * cj)
    assert c.high == pytest.approx(1.638 * max(pl, py))
    assert c.rate == pytest.approx(py)
    # N = 820, N1 = 500, N2 = 100: PL = (500/820)·5^(−0.4)
    assert pl == pytest.approx(500 / 820 * 5 ** (-0.4))


def test_thinning_out_of_range_and_bad_recall():
    c = thinning_correction([1, 2], [10, 5], 0.005)
    assert c.rate is None and "beyond the validated range" in c.note
    for bad in (0.0, -0.1, 1.2, float("nan")):
        with pytest.raises(ValueError, match="recall"):
            thinning_correction([1, 2], [10, 5], bad)


def test_thinning_recovers_the_corpus_missing_mass_on_a_uniform_population():
    """A ρ-thinned sample of a corpus of N* draws predicts the corpus's own missing mass.

    Uniform on K keys, where Chao–Jost is exact: the corpus of N* = 20,000 draws has
    E[M] = (1 − 1/K)^N*; the extractor keeps each occurrence with probability 0.5.
    """
    rng = np.random.default_rng(7)
    k, n_star, rho = 5_000, 20_000, 0.5
    truth = (1 - 1 / k) ** n_star  # ≈ e^−4
    preds = []
    for _ in range(20):
        corpus = rng.multinomial(n_star, np.full(k, 1 / k))
        extracted = rng.binomial(corpus, rho)
        values, freq = np.unique(extracted[extracted > 0], return_counts=True)
        preds.append(thinning_correction(values, freq, rho).rate)
    assert np.mean(preds) == pytest.approx(truth, rel=0.05)
    # The raw extracted rate is far above it: that is the bias the correction removes.
    values, freq = np.unique(extracted[extracted > 0], return_counts=True)
    assert freq[0] / (values * freq).sum() > 2 * truth


def test_mix_thinning_hand_worked():
    a = ThinningCorrection(0.5, 2.0, 0.2, 0.1, 0.3, "chao_jost")
    b = ThinningCorrection(0.25, 4.0, 0.1, 0.05, 0.2, METHOD_BAND)
    # weights N_a/ρ_a: 100/0.5 = 200 and 100/0.25 = 400
    m = mix_thinning([(100, a), (100, b)])
    assert m.rate == pytest.approx((200 * 0.2 + 400 * 0.1) / 600)
    assert m.low == pytest.approx((200 * 0.1 + 400 * 0.05) / 600)
    assert m.high == pytest.approx((200 * 0.3 + 400 * 0.2) / 600)
    assert m.t == pytest.approx(3.0) and m.recall == pytest.approx(1 / 3)
    none = ThinningCorrection(0.001, 1000.0, None, None, None, METHOD_BAND, "beyond")
    assert mix_thinning([(100, a), (100, none)]).rate is None


def test_band_constants_interpolate_through_one():
    assert band_constant(BAND_C_LO, 1.0) == 1.0
    for t, c in zip((2.0, 5.0, 10.0, 20.0, 100.0), BAND_C_HI, strict=True):
        assert band_constant(BAND_C_HI, t) == pytest.approx(c)
    with pytest.raises(ValueError):
        band_constant(BAND_C_HI, 101.0)


def test_as_table_accepts_fractional_counts():
    _r, n_r, n = as_table([1, 2], [2.5, 1])
    assert list(n_r) == [2.5, 1.0] and n == 4.5
    with pytest.raises(ValueError, match="whole number"):
        as_table([1.5], [1])


@pytest.mark.skipif(not PROTOTYPE.is_dir(), reason="the research prototype is not here")
def test_port_matches_the_research_prototype():
    sys.path.insert(0, str(PROTOTYPE))
    try:
        from singletons_extrap import missing_mass as proto
    finally:
        sys.path.remove(str(PROTOTYPE))
    r, n_r = [1, 2, 3, 4, 7], [900, 210, 80, 40, 9]
    fit = pitman_yor_fit(r, n_r)
    pfit = proto.pitman_yor_fit(r, n_r)
    assert fit.alpha == pytest.approx(pfit.alpha) and fit.theta == pytest.approx(pfit.theta)
    for t in (1.5, 2.0, 5.0, 20.0, 100.0):
        ours, theirs = missing_mass_band(r, n_r, t), proto.missing_mass_band(r, n_r, t)
        assert ours.low == pytest.approx(theirs.low)
        assert ours.high == pytest.approx(theirs.high)
        assert ours.point == pytest.approx(theirs.point)


def test_effective_recall_hand_worked():
    # 79.46% of the extracted mentions are about the article's subject (recall 0.67), the
    # rest about others (0.24): the corpus is 0.7946/0.67 + 0.2054/0.24 = 2.0418 times larger.
    assert effective_recall([0.7946, 0.2054], [0.67, 0.24]) == pytest.approx(1 / 2.041803, rel=1e-5)
    with pytest.raises(ValueError, match="sum to 1"):
        effective_recall([0.5, 0.4], [0.6, 0.3])
    with pytest.raises(ValueError, match="recall"):
        effective_recall([1.0], [0.0])
