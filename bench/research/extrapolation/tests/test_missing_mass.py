"""Tests of the missing-mass extrapolators (hand-worked values, exact identities, Monte Carlo)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from singletons_extrap._fof import as_fof, fof_from_counts
from singletons_extrap.missing_mass import (
    BAND_C_HI,
    BAND_C_LO,
    BAND_T,
    PitmanYorFit,
    chao_jost_missing_mass,
    expected_missing_mass,
    floor_halving_band,
    missing_mass_band,
    osw_missing_mass,
    osw_new_species,
    osw_parameters,
    osw_tail,
    pitman_yor_fit,
    pitman_yor_missing_mass,
    power_law_exponent,
    power_law_missing_mass,
)

# A small table: N = 10 + 8 + 6 = 24.
R, NR = [1, 2, 3], [10, 4, 2]


def test_fof_validation():
    r, nr, n = as_fof([3, 1], [2, 5])
    assert r.tolist() == [1, 3] and nr.tolist() == [5, 2] and n == 11
    with pytest.raises(ValueError):
        as_fof([0, 1], [1, 1])
    with pytest.raises(ValueError):
        as_fof([1, 1], [1, 1])
    with pytest.raises(ValueError):
        as_fof([1], [2], n=3)
    with pytest.raises(ValueError):
        as_fof([1.5], [2])


def test_chao_jost_by_hand():
    # A = 23·10/(23·10 + 2·4) = 230/238; M(2N) = (10/24)·A^(24+1)
    a = 230 / 238
    assert chao_jost_missing_mass(R, NR, 2.0) == pytest.approx(10 / 24 * a**25, rel=1e-12)
    # f2 = 0: A = (N−1)(f1−1)/((N−1)(f1−1) + 2), N = 3 + 3 = 6
    a0 = 5 * 2 / (5 * 2 + 2)
    assert chao_jost_missing_mass([1, 3], [3, 1], 1.0) == pytest.approx(3 / 6 * a0)
    assert chao_jost_missing_mass([2], [5], 3.0) == 0.0  # no singleton


def test_power_law_by_hand():
    assert power_law_exponent(R, NR) == pytest.approx(0.8)
    assert power_law_missing_mass(R, NR, 10.0) == pytest.approx(10 / 24 * 10**-0.8)
    assert power_law_missing_mass(R, NR, 1.0) == pytest.approx(10 / 24)


def test_power_law_exact_identities():
    """E[N1]/N = M(N−1) and 2E[N2]/(N(N−1)) = M(N−2) − M(N−1): the basis of ε̂ = 2N2/N1."""
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.full(50, 0.3))
    n = 40
    e_n1 = float(np.sum(n * p * (1 - p) ** (n - 1)))
    e_n2 = float(np.sum(math.comb(n, 2) * p**2 * (1 - p) ** (n - 2)))
    assert e_n1 / n == pytest.approx(expected_missing_mass(p, n - 1), rel=1e-12)
    diff = expected_missing_mass(p, n - 2) - expected_missing_mass(p, n - 1)
    assert 2 * e_n2 / (n * (n - 1)) == pytest.approx(diff, rel=1e-10)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_jensen_lower_bound(seed):
    """M(n+m) ≥ M(n)·(1 − h)^m, h = (M(n) − M(n+1))/M(n): why Chao–Jost is a lower bound."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(2000, 0.05))
    n = 500
    mn, mn1 = expected_missing_mass(p, n), expected_missing_mass(p, n + 1)
    h = (mn - mn1) / mn
    for m in (10, 100, 1000, 10000):
        assert expected_missing_mass(p, n + m) >= mn * (1 - h) ** m * (1 - 1e-12)


def test_osw_parameters_and_tails():
    # t = 2, n = 24: k = ceil(0.5·log_3(96)) = ceil(2.077) = 3, q = 1/2
    assert osw_parameters(2.0, 24, "binomial") == ("binomial", 3.0, 0.5)
    assert osw_tail([1, 2, 3, 4], 2.0, 24).tolist() == pytest.approx([7 / 8, 4 / 8, 1 / 8, 0.0])
    # Efron–Thisted type: q = 1/(t+1), k = ceil(0.5·log_2(96)) = ceil(3.29) = 4
    fam, k, q = osw_parameters(2.0, 24, "binomial_et")
    assert (k, q) == (4.0, pytest.approx(1 / 3))
    fam, rho, _ = osw_parameters(4.0, 100, "poisson")  # ρ = ln(100·25/3)/8
    assert rho == pytest.approx(math.log(2500 / 3) / 8)
    tail = osw_tail([1, 2, 3], 4.0, 100, "poisson")
    cdf = [sum(math.exp(-rho) * rho**j / math.factorial(j) for j in range(i)) for i in (1, 2, 3)]
    assert tail.tolist() == pytest.approx([1 - c for c in cdf])
    with pytest.raises(ValueError):
        osw_parameters(1.0, 10)


def test_osw_new_species_by_hand():
    # U^L(2) = 2·(7/8)·10 − 4·(1/2)·4 + 8·(1/8)·2 = 11.5
    assert osw_new_species(R, NR, 2.0) == pytest.approx(11.5)
    # t ≤ 1: Good–Toulmin 0.5·10 − 0.25·4 + 0.125·2
    assert osw_new_species(R, NR, 0.5) == pytest.approx(4.25)


def test_osw_missing_mass_by_hand():
    # t = 2 (u = 1, unsmoothed): (10 − 2·4 + 3·2)/24
    assert osw_missing_mass(R, NR, 2.0) == pytest.approx(8 / 24)
    # t = 3 (u = 2, Bin(3, 1/2)): (1·(7/8)·10 − 2·2·(1/2)·4 + 4·3·(1/8)·2)/24
    assert osw_missing_mass(R, NR, 3.0) == pytest.approx(3.75 / 24)


def test_osw_missing_mass_is_good_toulmin_derivative_poissonised():
    """Σ (−u)^(i−1)·i·E[Φ_i]/n equals the Poissonised missing mass Σ p·e^(−n p (1+u))."""
    p = np.array([0.5, 0.3, 0.2]) * 0.001
    p = np.concatenate((p, [1 - p.sum()]))
    n, u = 400, 0.7
    lam = n * p
    series = sum(
        (-u) ** (i - 1) * i * float(np.sum(np.exp(-lam) * lam**i / math.factorial(i))) for i in range(1, 60)
    )
    assert series / n == pytest.approx(float(np.sum(p * np.exp(-n * p * (1 + u)))), rel=1e-9)


def _crp(n: int, alpha: float, theta: float, rng: np.random.Generator) -> list[int]:
    counts: list[int] = []
    for i in range(n):
        k = len(counts)
        if rng.random() * (theta + i) < theta + alpha * k:
            counts.append(1)
        else:
            w = np.asarray(counts, dtype=float) - alpha
            counts[int(rng.choice(k, p=w / w.sum()))] += 1
    return counts


def test_pitman_yor_mle_recovers_alpha():
    rng = np.random.default_rng(7)
    counts = _crp(4000, 0.6, 5.0, rng)
    r, nr, n = fof_from_counts(counts)
    fit = pitman_yor_fit(r, nr, n)
    assert abs(fit.alpha - 0.6) < 0.06


def test_pitman_yor_expected_new_keys_formula():
    """Favaro et al. (2009): E[K_{n+m} | K_n = k] against Monte Carlo continuation of the CRP."""
    alpha, theta, n, k, m = 0.5, 2.0, 30, 12, 60
    rng = np.random.default_rng(3)
    ks = []
    for _ in range(4000):
        kk = k
        for i in range(n, n + m):
            if rng.random() * (theta + i) < theta + alpha * kk:
                kk += 1
        ks.append(kk)
    fit = PitmanYorFit(alpha=alpha, theta=theta, loglik=0.0, n=n, k=k)
    # M(n+m) = (θ + α E[K])/(θ + n + m)  ⇒  E[K] from the function's output
    table = ([1, 2, 3, 4, 9], [5, 3, 2, 1, 1])  # n = 5 + 6 + 6 + 4 + 9 = 30, k = 12
    mm = pitman_yor_missing_mass(*table, t=(n + m) / n, fit=fit)
    expected_k = (mm * (theta + n + m) - theta) / alpha
    assert expected_k == pytest.approx(np.mean(ks), abs=4 * np.std(ks) / math.sqrt(len(ks)))


def test_band_contains_its_parts_and_refuses_beyond_validation():
    b = missing_mass_band(R, NR, 5.0)
    assert b.low <= b.chao_jost <= 1 and b.high >= max(b.power_law, b.pitman_yor)
    assert b.low == pytest.approx(BAND_C_LO[1] * b.chao_jost)
    assert b.high == pytest.approx(min(1.0, BAND_C_HI[1] * max(b.power_law, b.pitman_yor)))
    with pytest.raises(ValueError):
        missing_mass_band(R, NR, 101.0)
    assert BAND_T[-1] == 100.0
    assert all(a >= b for a, b in zip(BAND_C_LO, BAND_C_LO[1:]))
    assert all(a <= b for a, b in zip(BAND_C_HI, BAND_C_HI[1:]))


def test_band_covers_truth_on_a_zipf_sample():
    p = np.arange(1, 200_001, dtype=float) ** -1.5
    p /= p.sum()
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    rng = np.random.default_rng(11)
    counts = np.bincount(np.searchsorted(cdf, rng.random(5000), side="right"))
    r, nr, n = fof_from_counts(counts)
    for t in (2.0, 5.0, 10.0):
        b = missing_mass_band(r, nr, t, n)
        assert b.low <= expected_missing_mass(p, t * n) <= b.high


def test_floor_halving_band_interval_or_reason():
    h = floor_halving_band([1, 2, 3], [500, 100, 40], error_set_min=364)
    assert h.interval is None and "neither end" in h.reason
    h = floor_halving_band([1, 2, 3, 4], [50000, 5000, 1000, 500], error_set_min=364)
    assert h.target == "halve" and h.interval is None and "depends on the unseen tail" in h.reason
    assert h.not_before == h.t_from_low is not None
    h = floor_halving_band([1], [3000], error_set_min=364)  # all singletons: flat curves
    assert h.target == "first_positive" and h.interval is not None
    lo, hi = h.interval
    assert 1.0 < lo <= hi <= 20.0
    assert h.not_before == lo == h.t_from_high
    with pytest.raises(ValueError):
        floor_halving_band(R, NR, error_set_min=364, t_max=1000.0)
