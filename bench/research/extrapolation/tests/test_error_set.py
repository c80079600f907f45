"""Tests of |E_c| rules, the effective error set, its generalised Theorem 1/2, and informative N."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from singletons_extrap.error_set import (
    date_error_set,
    effective_error_set,
    generalized_floor,
    indistinguishability,
    informative_n,
    precision_of,
    sampling_term,
    year_span_of,
)


# ---- item 4: the README / theory.md numbers -------------------------------------------------


def test_sampling_term_readme_numbers():
    # README says 0.81 at N = 5,000 and 0.01 at N = 10^9 (γ = 0.01): both wrong.
    assert sampling_term(5_000, 0.01) == pytest.approx(6 * math.log(1.5e6) / math.sqrt(5000))
    assert round(sampling_term(5_000, 0.01), 3) == 1.207
    assert round(sampling_term(10**9, 0.01), 4) == 0.0050
    # theory.md: (35 + 6 ln N)/√N at N = 10^6 is 0.118 — right (0.11789).
    assert round((35 + 6 * math.log(1e6)) / 1e3, 3) == 0.118


# ---- informative N ----------------------------------------------------------------------------


@pytest.mark.parametrize("sr,e,delta", [(0.2, 364, 0.0), (0.05, 364, 0.01), (0.5, 10, 0.0), (0.9, 2**31, 0.0)])
def test_informative_n_is_the_first_crossing(sr, e, delta):
    n = informative_n(sr, e, calibration_error=delta)
    c = sr - 2 / e - delta
    assert n is not None and sampling_term(n) < c
    assert n == 1 or sampling_term(n - 1) >= c


def test_informative_n_hand_worked():
    # c = 0.2 − 2/364 = 0.194505; g(321636) = 6·ln(964908000)/567.13 = 0.194505− ; g(321635) ≥ c
    n = informative_n(0.2, 364)
    assert n == 321636
    assert 6 * math.log(3 * 321636 / 0.01) / math.sqrt(321636) < 0.2 - 2 / 364
    assert 6 * math.log(3 * 321635 / 0.01) / math.sqrt(321635) >= 0.2 - 2 / 364


def test_informative_n_none_and_theorem_form():
    assert informative_n(0.005, 364) is None  # 2/364 > sr
    assert informative_n(0.3, 364, calibration_error=0.3) is None
    n = informative_n(0.2, 364, form="theorem_2")
    g = lambda x: (35 + 6 * math.log(x)) / math.sqrt(x)  # noqa: E731
    assert g(n) < 0.2 - 2 / 364 <= g(n - 1)
    # the theorem's form is looser, so it needs at least as many examples
    assert n >= informative_n(0.2, 364)


def test_sampling_term_decreasing_from_one():
    xs = np.unique(np.geomspace(1, 1e12, 500).astype(np.int64))
    g = np.array([sampling_term(int(x)) for x in xs])
    assert np.all(np.diff(g) < 0)


# ---- rules per value type ---------------------------------------------------------------------


def test_date_rules():
    assert date_error_set("day_of_year") == 364
    assert date_error_set("year", 100) == 99
    assert date_error_set("month", 100) == 1199
    assert date_error_set("day", 1) == 364  # round(365.2425) − 1
    assert date_error_set("day", 400) == 146096  # 146097 days in 400 Gregorian years
    with pytest.raises(ValueError):
        date_error_set("year")
    assert year_span_of(["1900", "1999-05", "1950-01-02"]) == 100
    assert [precision_of(x) for x in ("2001", "2001-02", "2001-02-03", "--02-03")] == [
        "year",
        "month",
        "day",
        "day_of_year",
    ]


# ---- effective error set -----------------------------------------------------------------------


def test_effective_uniform_reduces_to_theorem_2():
    e = effective_error_set([7] * 365)
    assert e.k_floor == pytest.approx(364)
    assert e.kappa == pytest.approx(1.0)
    assert e.uniform_error_set == 364
    # unbiased Σπ² = 365·7·6/(2555·2554); L_ceiling = 1/Σπ² − 1
    s = 365 * 42 / (2555 * 2554)
    assert e.simpson == pytest.approx(s)
    assert e.l_ceiling == pytest.approx(1 / s - 1)


def test_effective_hand_worked():
    e = effective_error_set([50, 30, 20])
    assert (e.pi_max, e.pi_second) == (0.5, 0.3)
    assert e.k_floor == pytest.approx(0.7 / 0.5)
    # ρ(r1) = 0.3·0.5/0.7 + 0.2·0.5/0.8 = 0.339286; d_TV = 0.5 − 0.339286
    assert e.kappa == pytest.approx(1 - (0.5 - (0.15 / 0.7 + 0.1 / 0.8)))
    assert e.simpson == pytest.approx((50 * 49 + 30 * 29 + 20 * 19) / (100 * 99))


def test_indistinguishability_matches_direct_rho():
    rng = np.random.default_rng(5)
    for _ in range(20):
        pi = rng.dirichlet(np.full(6, 0.7))
        rho = np.array(
            [sum(pi[a] * pi[r] / (1 - pi[a]) for a in range(6) if a != r) for r in range(6)]
        )
        assert rho.sum() == pytest.approx(1.0)
        assert indistinguishability(pi) == pytest.approx(1 - 0.5 * np.abs(pi - rho).sum())


def test_conservative_k_is_smaller():
    plain = effective_error_set([40, 30, 20, 10])
    cons = effective_error_set([40, 30, 20, 10], conservative=True)
    assert cons.k_floor < plain.k_floor and cons.pi_max > plain.pi_max
    # all values distinct: finite conservative K
    assert math.isfinite(effective_error_set([1] * 1000, conservative=True).k_floor)


def test_inverse_simpson_exceeds_floor_k():
    # π_(1) ≥ Σπ² ⇒ K ≤ 1/Σπ² (plug-in): the inverse Simpson index would overstate the floor
    rng = np.random.default_rng(9)
    for _ in range(50):
        counts = rng.integers(1, 1000, size=rng.integers(2, 40))
        e = effective_error_set(counts)
        pi = counts / counts.sum()
        assert e.k_floor <= 1 / float(np.sum(pi**2)) + 1e-9


# ---- the generalised Theorem 1 (deterministic) and Lemma 2 (expectation) ----------------------


def _world(rng, n_prompts=6, n_answers=5):
    mu = rng.dirichlet(np.ones(n_prompts))
    pis = [rng.dirichlet(np.full(n_answers, 0.8)) for _ in range(n_prompts)]
    alphas = rng.uniform(0.3, 1.0, n_prompts)
    truths = [int(rng.choice(n_answers, p=pi)) for pi in pis]
    return mu, pis, alphas, truths


@pytest.mark.parametrize("seed", range(30))
def test_generalised_theorem_1(seed):
    """err ≥ 2·err_iiv − 2τ − δ_τ with Q(r|a) = π(r)/(1 − π(a)) and τ = max Q, any p̂."""
    rng = np.random.default_rng(seed)
    mu, pis, alphas, truths = _world(rng)
    n_answers = len(pis[0])
    tau = max(max(pi[r] / (1 - pi[a]) for a in range(n_answers) for r in range(n_answers) if r != a) for pi in pis)
    err = err_iiv = p_a = phat_a = 0.0
    for c, (pi, alpha, a) in enumerate(zip(pis, alphas, truths)):
        phat = rng.dirichlet(np.full(n_answers + 1, 0.5))  # last entry: IDK
        p = np.zeros(n_answers + 1)
        p[a], p[-1] = alpha, 1 - alpha
        err += mu[c] * sum(phat[r] for r in range(n_answers) if r != a)
        above = phat > tau
        # D: ½ p (valid: a and IDK) + ½ Q(·|a) on the wrong answers
        err_iiv += 0.5 * mu[c] * sum(p[r] for r in (a, n_answers) if not above[r])
        err_iiv += 0.5 * mu[c] * sum(pi[r] / (1 - pi[a]) for r in range(n_answers) if r != a and above[r])
        p_a += mu[c] * p[above].sum()
        phat_a += mu[c] * phat[above].sum()
    delta = abs(phat_a - p_a)
    assert err >= 2 * err_iiv - 2 * tau - delta - 1e-12


@pytest.mark.parametrize("seed", range(10))
def test_generalised_lemma_2_expectation(seed):
    """For an unseen prompt and any accepted set F: E_a[γ_c] ≥ ½·κ (α = 1)."""
    rng = np.random.default_rng(100 + seed)
    k = 5
    pi = rng.dirichlet(np.full(k, 0.6))
    kappa = indistinguishability(pi)
    for size in range(k + 1):
        for f in itertools.combinations(range(k), size):
            accepted = set(f)
            g = 0.0
            for a in range(k):
                miss_true = 0.0 if a in accepted else 1.0
                false_pos = sum(pi[r] / (1 - pi[a]) for r in accepted if r != a)
                g += pi[a] * 0.5 * (miss_true + false_pos)
            assert g >= 0.5 * kappa - 1e-12


def test_generalized_floor_reduces_to_paper():
    e = effective_error_set([3] * 365)
    n = 10**7
    assert generalized_floor(0.3, n, e) == pytest.approx(0.3 - 2 / 364 - sampling_term(n))
    skew = effective_error_set([500, 300] + [1] * 200)  # a skewed attribute
    assert generalized_floor(0.3, n, skew) < 0.3 - 2 / skew.uniform_error_set - sampling_term(n)
