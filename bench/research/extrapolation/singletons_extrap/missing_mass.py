"""Predicting the missing mass ``M(tN)`` of a corpus ``t`` times larger than the observed one.

``M(m) = Σ_i p_i (1 − p_i)^m`` is the expected probability mass of the keys not seen in a
sample of ``m`` occurrences (its expectation under multinomial sampling). Every predictor
below reads only the frequency-of-frequencies table ``(r, N_r)`` of the observed sample of
``N`` occurrences and returns a prediction of ``M(t·N)`` for a multiple ``t >= 1``.

- :func:`chao_jost_missing_mass`: Chao & Jost (2012) coverage extrapolation (what the tool
  does now); recommended by its authors (and iNEXT) up to ``t = 2``.
- :func:`power_law_missing_mass`: constant local elasticity, ``(N1/N)·t^(−2N2/N1)``.
- :func:`osw_missing_mass`: the derivative of the smoothed Good–Toulmin estimator of
  Orlitsky, Suresh & Wu (2016).
- :func:`pitman_yor_missing_mass`: maximum-likelihood two-parameter (Pitman–Yor) fit.
- :func:`missing_mass_band`: the recommended report, a ``(low, high)`` band.

``expected_missing_mass`` computes the exact truth for a known population (for tests and the
simulation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from singletons_extrap._fof import as_fof, f_of

Smoothing = Literal["binomial", "binomial_et", "poisson"]

# --------------------------------------------------------------------------------------------
# The truth
# --------------------------------------------------------------------------------------------


def expected_missing_mass(p: ArrayLike, m: float) -> float:
    """Exact expected missing mass ``E[M0(m)] = Σ_i p_i (1 − p_i)^m`` of a population ``p``.

    Computed as ``Σ p·exp(m·log1p(−p))`` (no cancellation; ``m`` may be fractional).

    Examples
    --------
    >>> expected_missing_mass([0.5, 0.5], 1)
    0.5
    >>> round(expected_missing_mass([0.25] * 4, 2), 6)  # 4 · 0.25 · 0.75²
    0.5625
    """
    q = np.asarray(p, dtype=float)
    if np.any(q < 0) or not math.isclose(float(q.sum()), 1.0, rel_tol=0, abs_tol=1e-9):
        raise ValueError("p must be a probability vector")
    if m < 0:
        raise ValueError("m must be >= 0")
    q = q[q > 0]
    with np.errstate(divide="ignore"):
        terms = q * np.exp(m * np.log1p(-q))
    return float(math.fsum(terms.tolist()))


# --------------------------------------------------------------------------------------------
# (a) Chao–Jost
# --------------------------------------------------------------------------------------------


def _check_t(t: float) -> float:
    value = float(t)
    if not (math.isfinite(value) and value >= 1.0):
        raise ValueError(f"t must be a finite multiple >= 1, got {t!r}")
    return value


def chao_jost_factor(r: ArrayLike, n_r: ArrayLike, n: int | None = None) -> float:
    """Chao & Jost's (2012) ``A``: ``(N−1)f1/((N−1)f1 + 2f2)``, or ``(N−1)(f1−1)/((N−1)(f1−1)+2)``
    when ``f2 = 0``; 0 when ``f1 = 0`` (every use multiplies by ``f1``).

    Examples
    --------
    >>> round(chao_jost_factor([1, 2], [10, 5]), 6)  # N = 20: 19·10/(19·10 + 10)
    0.95
    """
    rr, nn, big_n = as_fof(r, n_r, n)
    f1, f2 = f_of(rr, nn, 1), f_of(rr, nn, 2)
    if f1 == 0:
        return 0.0
    if f2 > 0:
        return (big_n - 1) * f1 / ((big_n - 1) * f1 + 2.0 * f2)
    return (big_n - 1) * (f1 - 1) / ((big_n - 1) * (f1 - 1) + 2.0)


def chao_jost_missing_mass(
    r: ArrayLike, n_r: ArrayLike, t: float, n: int | None = None
) -> float:
    """Chao–Jost extrapolated missing mass ``1 − Ĉ_{N+m} = (f1/N)·A^(m+1)``, ``m = (t − 1)N``.

    Source: Chao & Jost (2012), Ecology 93:2533, the extrapolated sample coverage; the same
    formula as iNEXT's ``Chat.Ind`` for ``m > n``. It models the unseen mass as Chao1's
    ``f̂0`` equally rare keys, so it decays geometrically in ``m``. iNEXT (Chao et al. 2014)
    extrapolates only to ``t = 2``; the simulation in REPORT.md shows it falls far below the
    truth beyond that on heavy-tailed populations.

    Examples
    --------
    >>> round(chao_jost_missing_mass([1, 2], [10, 5], 1.0), 6)  # (10/20)·0.95
    0.475
    >>> round(chao_jost_missing_mass([1, 2], [10, 5], 2.0), 6)  # (10/20)·0.95^21
    0.170281
    """
    tt = _check_t(t)
    rr, nn, big_n = as_fof(r, n_r, n)
    f1 = f_of(rr, nn, 1)
    if f1 == 0:
        return 0.0
    a = chao_jost_factor(rr, nn, big_n)
    m = tt * big_n - big_n
    if a == 0.0:
        return 0.0
    return f1 / big_n * math.exp((m + 1.0) * math.log(a))


# --------------------------------------------------------------------------------------------
# (b) Local power law
# --------------------------------------------------------------------------------------------


def power_law_exponent(r: ArrayLike, n_r: ArrayLike, n: int | None = None) -> float:
    """The local elasticity ``ε̂ = −d log M/d log N ≈ 2·N2/N1`` (0 when ``N1 = 0``).

    Derivation (REPORT.md §1.2): under multinomial sampling ``E[N1]/N = M(N − 1)`` and
    ``2·E[N2]/(N(N − 1)) = Σ p²(1 − p)^(N−2) = M(N − 2) − M(N − 1)`` exactly, so
    ``−ΔM/M·N ≈ 2·E[N2]/E[N1]`` is the log-log slope of ``M`` at the observed size.

    Examples
    --------
    >>> power_law_exponent([1, 2], [10, 5])
    1.0
    """
    rr, nn, _ = as_fof(r, n_r, n)
    f1, f2 = f_of(rr, nn, 1), f_of(rr, nn, 2)
    return 0.0 if f1 == 0 else 2.0 * f2 / f1


def power_law_missing_mass(
    r: ArrayLike, n_r: ArrayLike, t: float, n: int | None = None
) -> float:
    """Constant-elasticity extrapolation ``M̂(tN) = (N1/N)·t^(−2·N2/N1)``.

    Exact in the limit for a regularly varying (Zipf-like, infinite-support) population, where
    ``2N2/N1 → 1 − 1/s`` and ``M(n) ∝ n^(−(1 − 1/s))`` (Karlin 1967); too high once the
    population's support is nearly exhausted (finite or uniform populations), because the
    true elasticity then grows with ``n``.

    Examples
    --------
    >>> power_law_missing_mass([1, 2], [10, 5], 4.0)  # 0.5 · 4^(−1)
    0.125
    """
    tt = _check_t(t)
    rr, nn, big_n = as_fof(r, n_r, n)
    f1 = f_of(rr, nn, 1)
    if f1 == 0:
        return 0.0
    return f1 / big_n * tt ** (-power_law_exponent(rr, nn, big_n))


# --------------------------------------------------------------------------------------------
# (c) Orlitsky–Suresh–Wu smoothed Good–Toulmin
# --------------------------------------------------------------------------------------------


def _log_binom_pmf(k: int, q: float) -> NDArray[np.float64]:
    j = np.arange(k + 1, dtype=float)
    lg = np.array([math.lgamma(x + 1.0) for x in j])
    return lg[-1] - lg - lg[::-1] + j * math.log(q) + (k - j) * math.log1p(-q)


def osw_parameters(t_new: float, n: int, smoothing: Smoothing = "binomial") -> tuple[str, float, float]:
    """The smoothing distribution of ``L`` for the OSW estimator at ratio ``t_new > 1``.

    ``t_new`` is Orlitsky et al.'s ``t``: the new sample has ``t_new·n`` occurrences (so the
    combined corpus is ``(1 + t_new)·n``). Parameters as published in Orlitsky, Suresh & Wu
    (2016, PNAS 113:13283) and as implemented identically in three independent public codes
    (see REPORT.md §1.3):

    - ``"poisson"``: ``L ~ Poisson(ρ)``, ``ρ = (1/(2t))·ln(n(t + 1)²/(t − 1))``;
    - ``"binomial"``: ``L ~ Bin(k, q)``, ``q = 2/(t + 2)``, ``k = ⌈½·log_3(n t²/(t − 1))⌉``;
    - ``"binomial_et"``: ``L ~ Bin(k, q)``, ``q = 1/(t + 1)``, ``k = ⌈½·log_2(n t²/(t − 1))⌉``
      (the Efron–Thisted-type choice).

    Returns ``(family, size_or_mean, q)`` (``q`` is ``nan`` for Poisson).

    Examples
    --------
    >>> osw_parameters(2.0, 1000, "binomial")  # k = ceil(0.5·log_3(4000)) = ceil(3.775)
    ('binomial', 4.0, 0.5)
    >>> fam, rho, _ = osw_parameters(2.0, 1000, "poisson"); round(rho, 6)  # ln(9000)/4
    2.276245
    """
    tt = float(t_new)
    if not tt > 1.0:
        raise ValueError("the OSW smoothing is defined for t_new > 1")
    if smoothing == "poisson":
        return "poisson", math.log(n * (tt + 1.0) ** 2 / (tt - 1.0)) / (2.0 * tt), math.nan
    if smoothing == "binomial":
        k = math.ceil(0.5 * math.log(n * tt * tt / (tt - 1.0), 3))
        return "binomial", float(max(k, 0)), 2.0 / (tt + 2.0)
    if smoothing == "binomial_et":
        k = math.ceil(0.5 * math.log2(n * tt * tt / (tt - 1.0)))
        return "binomial", float(max(k, 0)), 1.0 / (tt + 1.0)
    raise ValueError(f"unknown smoothing {smoothing!r}")


def _osw_log_tail(ii: NDArray[np.int64], t_new: float, n: int, smoothing: Smoothing) -> NDArray[np.float64]:
    """``log P(L ≥ i)`` (``−inf`` where it is 0), computed in log space so that the huge
    ``t^i`` factors of the estimator never meet an underflowed tail."""
    if t_new <= 1.0:
        return np.zeros(ii.shape)
    family, size, q = osw_parameters(t_new, n, smoothing)
    if family == "binomial":
        k = int(size)
        logpmf = _log_binom_pmf(k, q)
        log_tail = np.concatenate((np.logaddexp.accumulate(logpmf[::-1])[::-1], [-np.inf]))
        return np.where(ii <= k, log_tail[np.minimum(ii, k + 1)], -np.inf)
    rho = size
    top = int(max(int(ii.max(initial=0)), math.ceil(rho + 40.0 * math.sqrt(rho) + 50.0)))
    j = np.arange(top + 1, dtype=float)
    log_factorial = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, top + 1, dtype=float)))))
    logpmf = -rho + j * math.log(rho) - log_factorial
    log_tail = np.logaddexp.accumulate(logpmf[::-1])[::-1]  # log P(L >= j), j <= top
    return np.minimum(log_tail[ii], 0.0)


def osw_tail(i: ArrayLike, t_new: float, n: int, smoothing: Smoothing = "binomial") -> NDArray[np.float64]:
    """``P(L ≥ i)`` for each ``i`` under :func:`osw_parameters`; all ones for ``t_new ≤ 1``.

    Examples
    --------
    >>> osw_tail([1, 2, 5], 2.0, 1000, "binomial").round(6).tolist()  # Bin(4, 1/2)
    [0.9375, 0.6875, 0.0]
    >>> osw_tail([0, 1], 3.0, 1000, "poisson").round(6).tolist()  # 1 and 1 − e^(−ρ), ρ = ln(8000)/6
    [1.0, 0.776393]
    """
    ii = np.asarray(i, dtype=np.int64)
    return np.exp(_osw_log_tail(ii, float(t_new), n, smoothing))


def _signed_series(rr, nn, log_mag, log_w) -> float:
    sign = np.where(rr % 2 == 1, 1.0, -1.0)
    log_terms = log_mag + log_w + np.log(nn.astype(float))
    terms = np.where(np.isfinite(log_terms), sign * np.exp(np.minimum(log_terms, 700.0)), 0.0)
    return math.fsum(terms.tolist())


def osw_new_species(
    r: ArrayLike, n_r: ArrayLike, t_new: float, smoothing: Smoothing = "binomial", n: int | None = None
) -> float:
    """Smoothed Good–Toulmin ``U^L(t) = −Σ_i (−t)^i·P(L ≥ i)·N_i`` (new keys in ``t·N`` more).

    For ``t ≤ 1`` this is Good–Toulmin's unsmoothed series.

    Examples
    --------
    >>> round(osw_new_species([1, 2], [10, 5], 0.5), 12)  # 0.5·10 − 0.25·5
    3.75
    """
    rr, nn, big_n = as_fof(r, n_r, n)
    tt = float(t_new)
    if tt <= 0.0:
        return 0.0
    log_w = _osw_log_tail(rr, tt, big_n, smoothing)
    return _signed_series(rr, nn, rr * math.log(tt), log_w)


def osw_missing_mass(
    r: ArrayLike,
    n_r: ArrayLike,
    t: float,
    smoothing: Smoothing = "binomial",
    n: int | None = None,
) -> float:
    """Missing mass at ``t·N`` from the OSW estimator's derivative, clipped to ``[0, N1/N]``.

    With ``u = t − 1`` new-to-old ratio, Poissonised sampling gives exactly
    ``M(N(1 + u)) = (1/N)·Σ_i (−u)^(i−1)·i·E[N_i]`` (REPORT.md §1.3), the ``u``-derivative of
    Good–Toulmin's series divided by ``N``. Smoothing as OSW do, the coefficients are
    multiplied by ``P(L ≥ i)`` with ``L`` chosen for ``u`` (:func:`osw_parameters`):

    ``M̂ = (1/N)·Σ_i (−u)^(i−1)·i·P(L ≥ i)·N_i``.

    For ``u ≤ 1`` (``t ≤ 2``) no smoothing is applied (as OSW). The result is clipped to
    ``[0, N1/N]``: the missing mass cannot be negative and cannot grow with the sample.

    Examples
    --------
    >>> round(osw_missing_mass([1, 2], [10, 5], 1.5), 12)  # (10 − 0.5·2·5)/20
    0.25
    """
    tt = _check_t(t)
    rr, nn, big_n = as_fof(r, n_r, n)
    u = tt - 1.0
    f1 = f_of(rr, nn, 1)
    if u == 0.0:
        return f1 / big_n
    log_w = _osw_log_tail(rr, u, big_n, smoothing)
    value = _signed_series(rr, nn, (rr - 1) * math.log(u) + np.log(rr.astype(float)), log_w) / big_n
    return float(min(max(value, 0.0), f1 / big_n))


# --------------------------------------------------------------------------------------------
# (d) Pitman–Yor (two-parameter Poisson–Dirichlet) fit
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PitmanYorFit:
    """Maximum-likelihood ``(α, θ)`` of the Pitman–Yor EPPF for an observed table.

    ``loglik`` is the log EPPF at the optimum (constants free of the parameters dropped).
    """

    alpha: float
    theta: float
    loglik: float
    n: int
    k: int


def _py_loglik_theta(theta: float, alpha: float, n: int, k: int) -> float:
    # Σ_{i=1}^{k−1} log(θ + iα) − Σ_{i=1}^{n−1} log(θ + i)
    if alpha > 0.0:
        part = (k - 1) * math.log(alpha) + math.lgamma(theta / alpha + k) - math.lgamma(theta / alpha + 1.0)
    else:
        part = (k - 1) * math.log(theta)
    return part - (math.lgamma(theta + n) - math.lgamma(theta + 1.0))


def _golden(f, lo: float, hi: float, iters: int) -> tuple[float, float]:
    g = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iters):
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
    x = (a + b) / 2.0
    return x, f(x)


def pitman_yor_fit(r: ArrayLike, n_r: ArrayLike, n: int | None = None) -> PitmanYorFit:
    """Maximum-likelihood Pitman–Yor parameters ``0 ≤ α < 1``, ``θ > −α`` (restricted to θ > 0).

    The exchangeable partition probability function (Pitman 1995) of a sample of ``n`` with
    ``k`` distinct keys of counts ``n_j`` is

    ``Π_{i=1}^{k−1}(θ + iα) / (θ + 1)_{n−1} · Π_j (1 − α)_{n_j − 1}``,

    so with the table ``(r, N_r)``: ``ℓ = Σ_{i<k} log(θ + iα) − [lgamma(θ + n) − lgamma(θ + 1)]
    + Σ_r N_r [lgamma(r − α) − lgamma(1 − α)]``. Maximised by golden-section search on ``α``
    over the profile likelihood (inner golden-section on ``log θ``).

    Examples
    --------
    >>> fit = pitman_yor_fit([1, 2, 3, 5], [30, 10, 5, 2])  # n = 75, k = 47
    >>> fit.alpha, round(fit.theta, 1)  # the Ewens boundary (α = 0) maximises here
    (0.0, 52.9)
    """
    rr, nn, big_n = as_fof(r, n_r, n)
    k = int(nn.sum())
    r_f = rr.astype(float)
    n_f = nn.astype(float)

    def row_term(alpha: float) -> float:
        lg1 = math.lgamma(1.0 - alpha)
        return float(np.dot(n_f, np.array([math.lgamma(x - alpha) for x in r_f]) - lg1))

    def profile(alpha: float) -> tuple[float, float]:
        base = row_term(alpha)
        x, val = _golden(lambda lt: _py_loglik_theta(math.exp(lt), alpha, big_n, k), -12.0, 30.0, 80)
        return math.exp(x), val + base

    best_alpha, _ = _golden(lambda a: profile(a)[1], 0.0, 0.999999, 60)
    theta, ll = profile(best_alpha)
    # α = 0 (Ewens) is a boundary candidate the interior search may not reach exactly.
    theta0, ll0 = profile(0.0)
    if ll0 > ll:
        best_alpha, theta, ll = 0.0, theta0, ll0
    return PitmanYorFit(alpha=best_alpha, theta=theta, loglik=ll, n=big_n, k=k)


def pitman_yor_missing_mass(
    r: ArrayLike, n_r: ArrayLike, t: float, n: int | None = None, fit: PitmanYorFit | None = None
) -> float:
    """Posterior expected missing mass at ``t·N`` under the fitted Pitman–Yor model.

    Given ``k`` keys in ``n`` draws, the probability of a new key at draw ``n' + 1`` is
    ``(θ + α K_{n'})/(θ + n')``; with Favaro, Lijoi, Mena & Prünster's (2009, JRSS-B 71:993)
    ``E[K_{n+m} | K_n = k] = k + (k + θ/α)·[(θ + n + α)_m/(θ + n)_m − 1]`` (``(x)_m`` the
    rising factorial; for ``α = 0``, ``k + Σ_{i=n}^{n+m−1} θ/(θ + i)``):

    ``M̂(n + m) = (θ + α·E[K_{n+m}])/(θ + n + m)``.

    Examples
    --------
    >>> from singletons_extrap.missing_mass import PitmanYorFit
    >>> fit = PitmanYorFit(alpha=0.0, theta=10.0, loglik=0.0, n=90, k=30)
    >>> round(pitman_yor_missing_mass([3], [30], 2.0, fit=fit), 6)  # θ/(θ + 180)
    0.052632
    """
    tt = _check_t(t)
    rr, nn, big_n = as_fof(r, n_r, n)
    f = fit if fit is not None else pitman_yor_fit(rr, nn, big_n)
    a, th, k = f.alpha, f.theta, int(nn.sum())
    m = tt * big_n - big_n
    total = big_n + m
    if a <= 0.0:
        return th / (th + total)
    log_ratio = (
        math.lgamma(th + big_n + a + m)
        - math.lgamma(th + big_n + a)
        - math.lgamma(th + big_n + m)
        + math.lgamma(th + big_n)
    )
    expected_k = k + (k + th / a) * math.expm1(log_ratio)
    return (th + a * expected_k) / (th + total)


# --------------------------------------------------------------------------------------------
# The recommended report: a band
# --------------------------------------------------------------------------------------------

BAND_T: tuple[float, ...] = (2.0, 5.0, 10.0, 20.0, 100.0)
"""The multiples at which the band constants were calibrated (REPORT.md §2)."""

BAND_C_LO: tuple[float, ...] = (0.737, 0.737, 0.737, 0.737, 0.412)
"""``c_lo(t)``: the smallest per-cell 2.5% quantile of truth/Chao–Jost over the validated
simulation cells (results/band_constants.json), made non-increasing in ``t``."""

BAND_C_HI: tuple[float, ...] = (1.501, 1.638, 1.738, 1.827, 2.052)
"""``c_hi(t)``: the largest per-cell 97.5% quantile of truth/max(power law, Pitman–Yor)."""

BAND_T_MAX = 100.0
"""The largest multiple the band was validated at."""

INFORMATIVE_RATIO = 10.0
"""A band whose ``high/low`` exceeds this is flagged uninformative."""


@dataclass(frozen=True, slots=True)
class MissingMassBand:
    """Predicted missing mass at ``t·N``: a validated band and a model-based point.

    ``low = c_lo(t)·CJ`` and ``high = c_hi(t)·max(PL, PY)``; ``point`` is the Pitman–Yor
    prediction (best on heavy-tailed populations, too high once the key space is being
    exhausted). ``informative`` is ``high <= INFORMATIVE_RATIO·low``.
    """

    t: float
    low: float
    high: float
    point: float
    chao_jost: float
    power_law: float
    pitman_yor: float
    informative: bool


def _band_constant(table: tuple[float, ...], t: float) -> float:
    """``c(t)``: log-linear in ``log t`` through ``(1, 1)`` and the calibrated points."""
    if t > BAND_T_MAX:
        raise ValueError(f"the band is validated up to t = {BAND_T_MAX:g}, got {t!r}")
    xs = np.log(np.concatenate(([1.0], BAND_T)))
    ys = np.log(np.concatenate(([1.0], table)))
    return float(np.exp(np.interp(math.log(t), xs, ys)))


def missing_mass_band(
    r: ArrayLike, n_r: ArrayLike, t: float, n: int | None = None, fit: PitmanYorFit | None = None
) -> MissingMassBand:
    """The recommended report of ``M(t·N)`` for ``1 ≤ t ≤ 100``: ``(low, high)`` and a point.

    ``c_lo``, ``c_hi`` are interpolated log-linearly in ``log t`` between ``c(1) = 1`` and the
    calibrated multiples :data:`BAND_T` (exact there). ``low = c_lo(t)·M̂_CJ(tN)``: Chao–Jost is, in expectation, a lower bound for every
    population (Jensen; REPORT.md §1.1), and ``c_lo`` absorbs its sampling noise.
    ``high = c_hi(t)·max(M̂_PL, M̂_PY)``: the two power-law-tail predictors, inflated by the
    worst simulated 97.5% quantile. Coverage was ≥ 95% in every simulated cell (Zipf 1.1–2,
    uniform, and two stress populations; n = 2,000 and 20,000; t = 2…100).

    Examples
    --------
    >>> b = missing_mass_band([1, 2, 3], [500, 100, 40], 5.0)
    >>> b.low <= b.chao_jost and b.high >= max(b.power_law, b.pitman_yor), b.informative
    (True, True)
    """
    tt = _check_t(t)
    if tt > BAND_T_MAX:
        raise ValueError(f"the band is validated up to t = {BAND_T_MAX:g}, got {t!r}")
    rr, nn, big_n = as_fof(r, n_r, n)
    f = fit if fit is not None else pitman_yor_fit(rr, nn, big_n)
    cj = chao_jost_missing_mass(rr, nn, tt, big_n)
    pl = power_law_missing_mass(rr, nn, tt, big_n)
    py = pitman_yor_missing_mass(rr, nn, tt, big_n, fit=f)
    low = _band_constant(BAND_C_LO, tt) * cj
    high = min(1.0, _band_constant(BAND_C_HI, tt) * max(pl, py))
    return MissingMassBand(
        t=tt,
        low=low,
        high=high,
        point=py,
        chao_jost=cj,
        power_law=pl,
        pitman_yor=py,
        informative=high <= INFORMATIVE_RATIO * low,
    )


HalvingTarget = Literal["halve", "first_positive"]


@dataclass(frozen=True, slots=True)
class HalvingBand:
    """When the predicted Theorem 2 floor halves (or first turns positive), as an interval.

    ``t_from_low``/``t_from_high``: the first multiple at which the target is reached with the
    band's low/high missing-mass curve (``None``: not within ``t_max``); ``t_point`` with the
    Pitman–Yor curve. ``interval`` is ``(earliest, latest)`` when both ends reach the target,
    else ``None`` and ``reason`` says why. ``not_before`` is the earliest end alone
    (``t_from_low`` for ``"halve"``, ``t_from_high`` for ``"first_positive"``): a one-sided
    statement "not before this multiple", valid in every simulated sample (REPORT.md §2.4),
    reportable even when ``interval`` is ``None``.
    """

    target: HalvingTarget
    floor_at_observed: float
    t_from_low: float | None
    t_from_high: float | None
    t_point: float | None
    interval: tuple[float, float] | None
    not_before: float | None
    t_max: float
    reason: str


def floor_halving_band(
    r: ArrayLike,
    n_r: ArrayLike,
    *,
    error_set_min: float,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
    kappa: float = 1.0,
    t_max: float = 20.0,
    grid_points: int = 801,
    n: int | None = None,
) -> HalvingBand:
    """The corpus multiple at which the Theorem 2 floor halves, from both ends of the band.

    The floor at ``t`` is ``κ·M(tN) − 2/|E| − 6·ln(3tN/γ)/√(tN) − δ`` with ``M`` each of the
    band's curves (at ``t = 1``, ``sr = N1/N``). Target ``"halve"`` (floor at ``N`` positive:
    first ``t`` with ``floor ≤ floor(N)/2``) or ``"first_positive"`` (first ``t`` with a
    positive raw floor). A larger missing mass halves later and turns positive sooner, so the
    two ends bracket the prediction. Reported (``interval``) only when both ends reach the
    target within ``t_max`` (``≤ 100``, the validated range); otherwise ``None`` with the
    reason, because then the answer depends on the unseen tail, which the sample does not
    determine (Orlitsky et al. 2016: no estimator extrapolates beyond ``t ~ log N`` for every
    population).

    Examples
    --------
    >>> h = floor_halving_band([1, 2, 3], [500, 100, 40], error_set_min=364)  # N = 820
    >>> h.target, h.interval, h.reason
    ('first_positive', None, 'neither end of the band reaches the target within 20×N')
    >>> h = floor_halving_band([1, 2, 3, 4], [50000, 5000, 1000, 500], error_set_min=364)
    >>> h.target, round(h.t_from_low, 2), h.t_from_high, h.interval is None
    ('halve', 1.88, None, True)
    """
    if not 1.0 < t_max <= BAND_T_MAX:
        raise ValueError(f"t_max must lie in (1, {BAND_T_MAX:g}]")
    rr, nn, big_n = as_fof(r, n_r, n)
    fit = pitman_yor_fit(rr, nn, big_n)
    sr = f_of(rr, nn, 1) / big_n
    grid = np.geomspace(1.0, t_max, grid_points)
    low, high, point = (np.empty(grid.size) for _ in range(3))
    low[0] = high[0] = point[0] = sr
    for j, t in enumerate(grid[1:], start=1):
        b = missing_mass_band(rr, nn, float(t), big_n, fit=fit)
        low[j], high[j], point[j] = b.low, b.high, b.point
    sizes = grid * big_n
    term = 2.0 / error_set_min + 6.0 * np.log(3.0 * sizes / gamma) / np.sqrt(sizes) + calibration_error

    def raw(curve: np.ndarray) -> np.ndarray:
        return kappa * curve - term

    f0 = max(0.0, float(raw(low)[0]))
    target: HalvingTarget = "halve" if f0 > 0.0 else "first_positive"

    def first(curve: np.ndarray) -> float | None:
        values = raw(curve)[1:]
        hit = np.nonzero(np.maximum(values, 0.0) <= f0 / 2.0 if target == "halve" else values > 0.0)[0]
        return float(grid[1 + hit[0]]) if hit.size else None

    t_low, t_high, t_pt = first(low), first(high), first(point)
    if t_low is not None and t_high is not None:
        interval = (min(t_low, t_high), max(t_low, t_high))
        reason = "both ends of the band reach the target"
    else:
        interval = None
        if t_low is None and t_high is None:
            reason = f"neither end of the band reaches the target within {t_max:g}×N"
        else:
            which = "high (power-law tail)" if t_high is not None else "low (Chao–Jost)"
            reason = (
                f"only the {which} end reaches the target within {t_max:g}×N: the answer "
                "depends on the unseen tail"
            )
    not_before = t_low if target == "halve" else t_high
    return HalvingBand(target, f0, t_low, t_high, t_pt, interval, not_before, t_max, reason)
