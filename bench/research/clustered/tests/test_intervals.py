"""Intervals: hand-worked values, reductions to the existing formulas, corner cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from clustered import (
    ClusterSummary,
    GroupTable,
    HeldoutSummary,
    cluster_summary,
    cluster_variance,
    design_effect,
    document_groups,
    esty_score_cluster_interval,
    esty_score_deff_interval,
    free_interval_effective,
    group_table,
    heldout_check,
    heldout_share_interval,
    jackknife_interval,
    kish_effective_n,
    sampling_term_effective,
    score_interval,
    student_t_quantile,
)

Z = 1.959963984540054
Z2 = Z * Z  # 3.841459
DOCS = ["d0", "d0", "d0", "d1", "d1", "d2", "d2", "d2"]
KEYS = ["a", "a", "b", "b", "c", "c", "c", "d"]


def test_quantiles() -> None:
    # Reference values (two-sided 95%): t_1 = 12.7062047, t_2 = 4.3026527, t_10 = 2.2281389,
    # t_19 = 2.0930241, t_49 = 2.0095752; t_∞ = z.
    for df, value in [
        (1, 12.7062047),
        (2, 4.3026527),
        (10, 2.2281389),
        (19, 2.0930241),
        (49, 2.0095752),
    ]:
        assert student_t_quantile(0.95, df) == pytest.approx(value, abs=2e-7)
    assert student_t_quantile(0.95, 1e7) == pytest.approx(Z, abs=1e-6)
    assert student_t_quantile(0.99, 20) == pytest.approx(2.8453397, abs=2e-7)


def test_kish_effective_n() -> None:
    # Sizes 2, 2, 2: 6²/12 = 3 (= the number of documents when sizes are equal).
    # Sizes 1, 1, 4: 6²/18 = 2. Sizes all 1: N.
    assert kish_effective_n(6, 12) == 3.0
    assert kish_effective_n(6, 18) == 2.0
    assert kish_effective_n(7, 7) == 7.0
    with pytest.raises(ValueError):
        kish_effective_n(0, 1)


def test_cluster_variance_and_design_effect_by_hand() -> None:
    # Document unit: θ̂ = 2/6; Σ(y − θ̂x)² = Σy² − 2θ̂Σxy + θ̂²Σx² = 2 − 8/3 + 12/9 = 2/3;
    # P = 2: V = (2/3 + 2·2)/6² = 0.1296296. D = (2/3)/(6·(1/3)(2/3)) = 0.5.
    s = cluster_summary(DOCS, KEYS, "document")
    assert cluster_variance(s) == pytest.approx((2 / 3 + 4) / 36)
    assert design_effect(s) == pytest.approx(0.5)
    # Mention unit: θ̂ = 3/8; 5 − 2·(3/8)·9 + (9/64)·22 = 5 − 6.75 + 3.09375 = 1.34375;
    # P = 3: V = (1.34375 + 6)/64 = 0.1147461. D = 1.34375/(8·(3/8)(5/8)) = 0.7166667.
    s = cluster_summary(DOCS, KEYS, "mention")
    assert cluster_variance(s) == pytest.approx(7.34375 / 64)
    assert design_effect(s) == pytest.approx(1.34375 / 1.875)


def test_score_interval_by_hand() -> None:
    # n = 100, p = 0.2, D = 1, q = 0.05, z = 2: a = 104; √(16 + 10.4 + 1) = 5.2345009;
    # upper = (20 + 2 + 10.4690018)/104 = 0.3122019; lower = (4 − 0.4)/104/0.3122019
    # = 0.1108742.
    lo, hi = score_interval(100, 0.2, 1.0, 0.05, 2.0)
    assert hi == pytest.approx(32.4690018 / 104, rel=1e-7)
    assert lo == pytest.approx(3.6 / 104 / (32.4690018 / 104), rel=1e-7)
    # D = 2 doubles the binomial part: a = 108; √(32 + 10.8 + 4) = 6.8410526;
    # upper = (20 + 4 + 13.6821052)/108 = 0.3489084.
    assert score_interval(100, 0.2, 2.0, 0.05, 2.0)[1] == pytest.approx(37.6821052 / 108)


def _iid_summary(n1: int, n2: int, rest: list[int]) -> ClusterSummary:
    # One occurrence per document: n1 singletons, n2 doubletons, and keys with counts `rest`.
    keys: list[int] = list(range(n1))
    keys += [n1 + i for i in range(n2) for _ in range(2)]
    base = n1 + n2
    keys += [base + i for i, r in enumerate(rest) for _ in range(r)]
    return cluster_summary(list(range(len(keys))), keys, "document")


def test_reduces_to_existing_esty_score_with_one_occurrence_per_document() -> None:
    # N1 = 30, N2 = 10 and 20 keys seen 5 times: N = 30 + 20 + 100 = 150.
    s = _iid_summary(30, 10, [5] * 20)
    assert (s.n, s.n1, s.n2, s.pair_term) == (150, 30, 10, 10)
    assert design_effect(s) == pytest.approx(1.0)
    # Esty: (N1 + 2N2 − N1²/N)/N² = (30 + 20 − 6)/22500.
    assert cluster_variance(s) == pytest.approx(44 / 22500)
    iv = esty_score_cluster_interval(s)
    # The existing score interval: centre (30 + Z²/2)/(150 + Z²), root
    # √(30·120/150 + 2·10·(150 + Z²)/150 + Z²/4).
    root = math.sqrt(30 * 120 / 150 + 20 * (150 + Z2) / 150 + Z2 / 4)
    upper = (30 + Z2 / 2 + Z * root) / (150 + Z2)
    lower = (900 - 2 * Z2 * 10) / (150 * (150 + Z2)) / upper
    assert (iv.low, iv.high) == pytest.approx((lower, upper))
    deff = esty_score_deff_interval(s)
    assert (deff.low, deff.high) == pytest.approx((lower, upper))


def test_esty_cluster_versus_deff_on_clustered_doubletons() -> None:
    # 10 documents in 5 identical pairs, each document = 2 keys: every key is a doubleton and
    # its partner key travels with it. N = 20, θ̂ = 0, D = Σx²/N = 40/20 = 2 (θ̂ = 0 fallback);
    # P = 5 pairs × (2·2) = 20, q = 1.
    # Cluster: z²D = 7.682918, a = 27.682918; √(0 + 2·1·a + z²D·D/4) = √(55.365837 + 3.841459)
    # = 7.694628; upper = (3.841459 + 1.959964·7.694628)/27.682918 = 18.922655/27.682918
    # = 0.683550.
    doc = [d for d in range(10) for _ in range(2)]
    key = [2 * (d // 2) + j for d in range(10) for j in range(2)]
    s = cluster_summary(doc, key, "document")
    assert (s.n, s.lodo, s.n2, s.pair_term, s.sum_x2) == (20, 0, 10, 20, 40)
    iv = esty_score_cluster_interval(s)
    assert iv.low == 0.0
    assert iv.high == pytest.approx(
        (Z2 + Z * math.sqrt(2 * (20 + 2 * Z2) + Z2)) / (20 + 2 * Z2), rel=1e-9
    )
    assert iv.high == pytest.approx(0.683550, abs=1e-6)
    # Kish-style: q = D·N2/N = 2·10/20 = 1 as well here, so the two agree in this example.
    assert esty_score_deff_interval(s).high == pytest.approx(iv.high)


def test_no_singletons_iid_matches_existing_zero_singleton_form() -> None:
    # N1 = 0, N2 = 10, N = 20: existing score interval [0, (z²/2 + z√(2·10·(20+z²)/20 +
    # z²/4))/(20 + z²)] = [0, (1.920730 + 1.959964·4.980144)/23.841459] = [0, 0.489971].
    s = _iid_summary(0, 10, [])
    iv = esty_score_cluster_interval(s)
    assert iv.low == 0.0
    assert iv.high == pytest.approx(0.489971, abs=1e-6)


def test_all_singletons() -> None:
    # θ̂ = 1, one occurrence per document: D falls back to Σx²/N = 1; [N/(N + z²), 1].
    s = _iid_summary(5, 0, [])
    iv = esty_score_cluster_interval(s)
    assert (iv.low, iv.high) == pytest.approx((5 / (5 + Z2), 1.0))


def test_one_document() -> None:
    # One document of 4 mentions (a, a, b, c): θ̂ = 1, N_eff = 1, D = Σx²/N = 16/4 = 4.
    # Score with q = 0: a = 4 + 4z², upper = 1, lower = 4/(4 + 4z²) = 1/(1 + z²) = 0.206550
    # (Wilson's interval for 1 success in 1 trial: one document is one observation).
    doc, key = ["d"] * 4, ["a", "a", "b", "c"]
    s = cluster_summary(doc, key, "mention")
    iv = esty_score_cluster_interval(s)
    assert iv.design_effect == 4.0
    assert (iv.low, iv.high) == pytest.approx((1 / (1 + Z2), 1.0))
    jk = jackknife_interval(s.estimate, group_table(doc, key, [0] * 4, "mention"))
    assert jk.degenerate and (jk.low, jk.high) == (0.0, 1.0)
    fr = free_interval_effective(s.estimate, s.n_eff)
    assert (fr.low, fr.high) == (0.0, 1.0)


def test_jackknife_by_hand() -> None:
    # θ̂_(0) = 2/4 = 0.5, θ̂_(1) = 2/2 = 1: θ̄ = 0.75, v = (1/2)(0.0625 + 0.0625) = 0.0625.
    t = group_table(DOCS, KEYS, [0, 0, 0, 1, 1, 1, 1, 1], "document")
    iv = jackknife_interval(1 / 3, t)
    assert iv.std_error == pytest.approx(0.25)
    assert iv.df == 1
    # Three groups with θ̂_(g) = 0.2, 0.3, 0.4: θ̄ = 0.3, v = (2/3)(0.01 + 0 + 0.01) = 0.013333;
    # se = 0.115470, t_2 = 4.302653: half-width 0.496827.
    t3 = GroupTable(
        np.arange(3), np.array([5, 5, 5]), np.array([10, 10, 10]), np.array([2, 3, 4]), "document"
    )
    iv = jackknife_interval(0.3, t3)
    assert iv.std_error == pytest.approx(math.sqrt(0.02 * 2 / 3))
    assert iv.high - 0.3 == pytest.approx(4.3026527 * math.sqrt(0.02 * 2 / 3), rel=1e-6)


def test_jackknife_zero_spread_and_unusable_groups() -> None:
    t = GroupTable(
        np.arange(3), np.array([1, 1, 1]), np.array([4, 4, 0]), np.array([1, 1, 0]), "document"
    )
    iv = jackknife_interval(0.25, t)  # the empty-remainder group is dropped: G = 2
    assert iv.df == 1 and iv.std_error == 0.0 and iv.degenerate
    assert (iv.low, iv.high) == (0.25, 0.25)


def test_jackknife_more_groups_than_documents() -> None:
    # 5 documents hashed into 1000 groups: at most 5 non-empty groups, which then act as a
    # delete-one-document jackknife.
    doc = ["a", "a", "b", "c", "c", "d", "e"]
    key = [1, 2, 1, 3, 4, 3, 5]
    groups = document_groups(doc, 1000)
    t = group_table(doc, key, groups, "document")
    one = group_table(doc, key, doc, "document")  # each document its own group
    assert len(t.group) == 5
    assert sorted(zip(t.n_minus.tolist(), t.lodo_minus.tolist(), strict=True)) == sorted(
        zip(one.n_minus.tolist(), one.lodo_minus.tolist(), strict=True)
    )
    s = cluster_summary(doc, key, "document")
    assert jackknife_interval(s.estimate, t).df == 4


def test_delete_one_jackknife_reproduces_esty_variance_iid() -> None:
    # One occurrence per document, delete-one groups: N²·v_J = N1(1 − θ̂) + 2N2 + 4θ̂N2 −
    # 4N2²/N up to O(1/N) (REPORT.md §3.2). N1 = 30, N2 = 10, N = 150: θ̂ = 0.2,
    # 24 + 20 + 8 − 2.666667 = 49.333333 (Esty: 44).
    s = _iid_summary(30, 10, [5] * 20)
    doc = list(range(s.n))
    keys = list(range(30)) + [30 + i for i in range(10) for _ in range(2)]
    keys += [40 + i for i in range(20) for _ in range(5)]
    iv = jackknife_interval(s.estimate, group_table(doc, keys, doc, "document"))
    assert iv.std_error**2 * 150**2 == pytest.approx(49.333333, rel=0.02)


def test_free_interval_effective_by_hand() -> None:
    # N_eff = 100, 95%: 1/100 + 2.4142136·√(ln 80/100) = 0.01 + 2.4142136·0.2093330 = 0.515375.
    iv = free_interval_effective(0.3, 100.0)
    assert iv.high == pytest.approx(0.3 + 0.515375, abs=1e-6)
    assert iv.low == 0.0  # 0.3 − 0.515375 < 0, clipped
    with pytest.raises(ValueError):
        free_interval_effective(0.3, 0.5)


def test_heldout_share_interval_by_hand() -> None:
    # (x, y) = (2, 1), (2, 0), (4, 4): r = 5/8, residuals −0.25, −1.25, 1.5, squares 3.875;
    # se = √(3/2 · 3.875)/8 = 0.3013642.
    h = HeldoutSummary(3, 8, 5, 24, 17, 18, "document")
    iv = heldout_share_interval(h)
    assert iv.estimate == 0.625
    assert iv.std_error == pytest.approx(math.sqrt(1.5 * 3.875) / 8)
    # One occurrence per document, y = (1, 0, 0, 1): r = 0.5, Σ(y − r)² = 1,
    # se = √(4/3)/4 = √(0.25/3) = 0.2886751 (binomial with h − 1).
    iid = HeldoutSummary(4, 4, 2, 4, 2, 2, "document")
    assert heldout_share_interval(iid).std_error == pytest.approx(math.sqrt(0.25 / 3))


def test_heldout_wilson_by_hand() -> None:
    # D_h = se²·Σx/(r(1 − r)) = 0.0908203·8/0.234375 = 3.1; Wilson at n = 8 with z²D_h:
    # a = 8 + 11.908522 = 19.908522; root = √(3.1·8·0.234375 + 11.908522·3.1/4)
    # = √(5.8125 + 9.229105) = 3.878351; upper = (5 + 5.954261 + 1.959964·3.878351)/a
    # = 18.555686/19.908522 = 0.932048; lower = (8·0.390625)/a/upper = 0.168412.
    h = HeldoutSummary(3, 8, 5, 24, 17, 18, "document")
    iv = heldout_share_interval(h)
    assert iv.design_effect == pytest.approx(3.1)
    assert (iv.low, iv.high) == pytest.approx((0.168412, 0.932048), abs=1e-6)
    wald = heldout_share_interval(h, form="wald")
    assert (wald.low, wald.high) == pytest.approx((0.625 - Z * 0.3013642, 1.0), abs=1e-6)
    # No unseen held-out occurrence (r = 0): D_h falls back to Kish Σx²/Σx = 24/8 = 3, and the
    # interval is Wilson's [0, z²D/(Σx + z²D)] = [0, 11.524377/19.524377] = [0, 0.590254].
    zero = HeldoutSummary(3, 8, 0, 24, 0, 0, "document")
    iv = heldout_share_interval(zero)
    assert (iv.low, iv.high) == pytest.approx((0.0, 3 * Z2 / (8 + 3 * Z2)))
    with pytest.raises(ValueError, match="form"):
        heldout_share_interval(h, form="exact")


def test_heldout_corner_cases() -> None:
    one = HeldoutSummary(1, 3, 1, 9, 1, 3, "mention")
    iv = heldout_share_interval(one)
    assert iv.degenerate and (iv.low, iv.high) == (0.0, 1.0)
    empty = HeldoutSummary(0, 0, 0, 0, 0, 0, "mention")
    assert heldout_share_interval(empty).degenerate


def test_heldout_check_by_hand() -> None:
    # Train = the small corpus (θ̂ = 1/3, V = 0.1296296); held-out r = 0.625,
    # se² = 1.5·3.875/64 = 0.0908203: difference 0.2916667, combined √0.2204499 = 0.4695207.
    s = cluster_summary(DOCS, KEYS, "document")
    c = heldout_check(s, HeldoutSummary(3, 8, 5, 24, 17, 18, "document"))
    assert c.difference == pytest.approx(0.625 - 1 / 3)
    assert c.combined_std_error == pytest.approx(math.sqrt((2 / 3 + 4) / 36 + 1.5 * 3.875 / 64))
    assert c.inside


def test_sampling_term_effective_by_hand() -> None:
    # 6·ln(3·10⁴/0.01)/√10⁴ = 6·14.9141228/100 = 0.8948474.
    assert sampling_term_effective(1e4) == pytest.approx(0.8948474, abs=1e-7)
    # The clustered design's scale: N = 16,000 occurrences but N_eff = 3,548.
    assert sampling_term_effective(3548.0) > sampling_term_effective(16000.0)
    with pytest.raises(ValueError):
        sampling_term_effective(0.5)


def test_esty_deff_refuses_mention_unit() -> None:
    with pytest.raises(ValueError, match="document unit"):
        esty_score_deff_interval(cluster_summary(DOCS, KEYS, "mention"))
