"""The missing mass of a corpus ``t`` times larger: Chao–Jost to 2×, a validated band beyond.

Ported from the research prototype ``bench/research/extrapolation/singletons_extrap/
missing_mass.py`` (its derivations and the simulation that calibrated the band constants are in
``bench/research/extrapolation/REPORT.md`` §1–2; the constants are in ``results/
band_constants.json``). Pure functions over a frequency-of-frequencies table given as two arrays
``r`` and ``n_r``. Unlike the prototype, ``n_r`` may hold fractional counts: the
precision-corrected table of :mod:`singleton_rate.estimate.extraction` scales ``N_1`` by a
precision, and every formula here is smooth in the ``N_r``.

``M(m) = Σ_i p_i (1 − p_i)^m`` is the expected missing mass after ``m`` draws; the observed
sample has ``N = Σ r·N_r`` occurrences and ``t ≥ 1`` is the multiple of ``N`` predicted at.

- :func:`chao_jost_missing_mass`: Chao & Jost (2012) coverage extrapolation, ``(f1/N)·A^(m+1)``
  with ``m = (t − 1)N``; iNEXT's range is ``t ≤ 2``. In expectation a lower bound for every
  population (REPORT.md §1.1: Jensen plus log-convexity of ``M``); 5–15% low at 2× on Zipf
  tails, exact on uniform ones.
- :func:`power_law_missing_mass`: constant local elasticity ``(N1/N)·t^(−2N2/N1)``.
- :func:`pitman_yor_missing_mass`: maximum-likelihood Pitman–Yor fit and its posterior
  predictive missing mass.
- :func:`missing_mass_band`: ``[c_lo(t)·CJ, c_hi(t)·max(PL, PY)]`` for ``1 ≤ t ≤ 100``, whose
  coverage of the exact ``E[M(tN)]`` was ≥ 95% in every simulated cell (Zipf 1.1–2, uniform,
  two stress populations; n = 2,000 and 20,000; t = 2…100).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

BAND_T: tuple[float, ...] = (2.0, 5.0, 10.0, 20.0, 100.0)
"""The multiples at which the band constants were calibrated (REPORT.md §2)."""

BAND_C_LO: tuple[float, ...] = (0.737, 0.737, 0.737, 0.737, 0.412)
"""``c_lo(t)``: the smallest per-cell 2.5% quantile of truth/Chao–Jost over the simulation
cells (``results/band_constants.json``), made non-increasing in ``t``."""

BAND_C_HI: tuple[float, ...] = (1.501, 1.638, 1.738, 1.827, 2.052)
"""``c_hi(t)``: the largest per-cell 97.5% quantile of truth/max(power law, Pitman–Yor)."""

BAND_T_MAX = 100.0
"""The largest multiple the band was validated at."""

CHAO_JOST_T_MAX = 2.0
"""Chao–Jost's own range (iNEXT extrapolates to twice the sample)."""

INFORMATIVE_RATIO = 10.0
"""A band whose ``high/low`` exceeds this is flagged uninformative."""


def as_table(r: ArrayLike, n_r: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.float64], float]:
    """Return ``(r, n_r, N)`` sorted by ``r``, zero rows dropped, validated.

    ``r`` must be whole numbers ``≥ 1`` without duplicates; ``n_r`` finite and ``≥ 0`` (it may
    be fractional); at least one key must be observed.

    Examples
    --------
    >>> as_table([2, 1, 5], [1, 3, 0])
    (array([1, 2]), array([3., 1.]), 5.0)
    >>> as_table([1, 1], [2, 3])
    Traceback (most recent call last):
    ...
    ValueError: duplicated r in the frequency-of-frequencies table
    """
    r_arr = np.asarray(r, dtype=float).ravel()
    n_arr = np.asarray(n_r, dtype=float).ravel()
    if r_arr.shape != n_arr.shape:
        raise ValueError(f"r and n_r differ in length ({r_arr.size} and {n_arr.size})")
    if not (np.all(np.isfinite(r_arr)) and np.all(np.isfinite(n_arr))):
        raise ValueError("r and n_r must be finite")
    if np.any(r_arr != np.round(r_arr)) or np.any(r_arr < 1):
        raise ValueError("every r must be a whole number >= 1")
    if np.any(n_arr < 0):
        raise ValueError("every N_r must be >= 0")
    keep = n_arr > 0
    r_int, n_f = r_arr[keep].astype(np.int64), n_arr[keep]
    order = np.argsort(r_int, kind="stable")
    r_int, n_f = r_int[order], n_f[order]
    if r_int.size == 0:
        raise ValueError("empty frequency-of-frequencies table: no key was observed")
    if np.any(np.diff(r_int) == 0):
        raise ValueError("duplicated r in the frequency-of-frequencies table")
    return r_int, n_f, float(np.dot(r_int, n_f))


def _f(r: NDArray[np.int64], n_r: NDArray[np.float64], k: int) -> float:
    hit = np.nonzero(r == k)[0]
    return float(n_r[hit[0]]) if hit.size else 0.0


def _check_t(t: float) -> float:
    value = float(t)
    if not (math.isfinite(value) and value >= 1.0):
        raise ValueError(f"t must be a finite multiple >= 1, got {t!r}")
    return value


def chao_jost_factor(r: ArrayLike, n_r: ArrayLike) -> float:
    """Chao & Jost's ``A = (N−1)f1/((N−1)f1 + 2f2)``; ``(N−1)(f1−1)/((N−1)(f1−1)+2)`` when
    ``f2 = 0``; 0 when ``f1 = 0`` (every use multiplies by ``f1``).

    Examples
    --------
    >>> round(chao_jost_factor([1, 2], [10, 5]), 6)  # N = 20: 19·10/(19·10 + 10)
    0.95
    """
    rr, nn, big_n = as_table(r, n_r)
    f1, f2 = _f(rr, nn, 1), _f(rr, nn, 2)
    if f1 == 0:
        return 0.0
    if f2 > 0:
        return (big_n - 1) * f1 / ((big_n - 1) * f1 + 2.0 * f2)
    return max(0.0, (big_n - 1) * (f1 - 1) / ((big_n - 1) * (f1 - 1) + 2.0))


def chao_jost_missing_mass(r: ArrayLike, n_r: ArrayLike, t: float) -> float:
    """Chao–Jost extrapolated missing mass ``(f1/N)·A^(m+1)``, ``m = (t − 1)N``.

    Source: Chao & Jost (2012), Ecology 93:2533 (extrapolated sample coverage); iNEXT's
    ``Chat.Ind``. It models the unseen mass as Chao1's ``f̂0`` equally rare keys, so it decays
    geometrically in ``m``: a lower bound in expectation, far too low beyond 2× on heavy tails.

    Examples
    --------
    >>> round(chao_jost_missing_mass([1, 2], [10, 5], 1.0), 6)  # (10/20)·0.95
    0.475
    >>> round(chao_jost_missing_mass([1, 2], [10, 5], 2.0), 6)  # (10/20)·0.95^21
    0.170281
    """
    tt = _check_t(t)
    rr, nn, big_n = as_table(r, n_r)
    f1 = _f(rr, nn, 1)
    a = chao_jost_factor(rr, nn)
    if f1 == 0 or a == 0.0:
        return 0.0
    m = tt * big_n - big_n
    return f1 / big_n * math.exp((m + 1.0) * math.log(a))


def power_law_exponent(r: ArrayLike, n_r: ArrayLike) -> float:
    """The local elasticity ``ε̂ = −d log M/d log N ≈ 2·N2/N1`` (0 when ``N1 = 0``).

    Under multinomial sampling ``E[N1]/N = M(N − 1)`` and ``2·E[N2]/(N(N − 1)) = M(N − 2) −
    M(N − 1)`` exactly, so ``−ΔM/M·N ≈ 2·E[N2]/E[N1]`` (REPORT.md §1.2).

    Examples
    --------
    >>> power_law_exponent([1, 2], [10, 5])
    1.0
    """
    rr, nn, _ = as_table(r, n_r)
    f1, f2 = _f(rr, nn, 1), _f(rr, nn, 2)
    return 0.0 if f1 == 0 else 2.0 * f2 / f1


def power_law_missing_mass(r: ArrayLike, n_r: ArrayLike, t: float) -> float:
    """Constant-elasticity extrapolation ``M̂(tN) = (N1/N)·t^(−2·N2/N1)``.

    Asymptotically exact for regularly varying (Zipf-like) populations (Karlin 1967); too high
    once the support is nearly exhausted.

    Examples
    --------
    >>> power_law_missing_mass([1, 2], [10, 5], 4.0)  # 0.5 · 4^(−1)
    0.125
    """
    tt = _check_t(t)
    rr, nn, big_n = as_table(r, n_r)
    f1 = _f(rr, nn, 1)
    return 0.0 if f1 == 0 else f1 / big_n * tt ** (-power_law_exponent(rr, nn))


@dataclass(frozen=True, slots=True)
class PitmanYorFit:
    """Maximum-likelihood ``(α, θ)`` of the Pitman–Yor EPPF for a table (``n``, ``k`` real)."""

    alpha: float
    theta: float
    loglik: float
    n: float
    k: float


def _py_loglik_theta(theta: float, alpha: float, n: float, k: float) -> float:
    # Σ_{i=1}^{k−1} log(θ + iα) − Σ_{i=1}^{n−1} log(θ + i), through lgamma (k, n may be real)
    if alpha > 0.0:
        part = (
            (k - 1) * math.log(alpha)
            + math.lgamma(theta / alpha + k)
            - math.lgamma(theta / alpha + 1.0)
        )
    else:
        part = (k - 1) * math.log(theta)
    return part - (math.lgamma(theta + n) - math.lgamma(theta + 1.0))


def _golden(f: Callable[[float], float], lo: float, hi: float, iters: int) -> tuple[float, float]:
    """Golden-section maximisation of ``f`` on ``[lo, hi]``: ``(argmax, max)``."""
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


def pitman_yor_fit(r: ArrayLike, n_r: ArrayLike) -> PitmanYorFit:
    """Maximum-likelihood Pitman–Yor parameters ``0 ≤ α < 1``, ``θ > 0``.

    The EPPF (Pitman 1995) of ``n`` draws with ``k`` keys of counts ``n_j`` is
    ``Π_{i<k}(θ + iα) / (θ + 1)_{n−1} · Π_j (1 − α)_{n_j − 1}``, so over the table
    ``ℓ = Σ_{i<k} log(θ + iα) − [lgamma(θ + n) − lgamma(θ + 1)] + Σ_r N_r [lgamma(r − α) −
    lgamma(1 − α)]``, maximised by golden-section search on ``α`` over the profile likelihood
    (inner search on ``log θ``); the Ewens boundary ``α = 0`` is checked separately.

    Examples
    --------
    >>> fit = pitman_yor_fit([1, 2, 3, 5], [30, 10, 5, 2])  # n = 75, k = 47
    >>> fit.alpha, round(fit.theta, 1)  # the Ewens boundary (α = 0) maximises here
    (0.0, 52.9)
    """
    rr, nn, big_n = as_table(r, n_r)
    k = float(nn.sum())
    r_f = rr.astype(float)

    def row_term(alpha: float) -> float:
        lg1 = math.lgamma(1.0 - alpha)
        return float(np.dot(nn, np.array([math.lgamma(x - alpha) for x in r_f]) - lg1))

    def profile(alpha: float) -> tuple[float, float]:
        x, val = _golden(
            lambda lt: _py_loglik_theta(math.exp(lt), alpha, big_n, k), -12.0, 30.0, 80
        )
        return math.exp(x), val + row_term(alpha)

    best_alpha, _ = _golden(lambda a: profile(a)[1], 0.0, 0.999999, 60)
    theta, ll = profile(best_alpha)
    theta0, ll0 = profile(0.0)
    if ll0 > ll:
        best_alpha, theta, ll = 0.0, theta0, ll0
    return PitmanYorFit(alpha=best_alpha, theta=theta, loglik=ll, n=big_n, k=k)


def pitman_yor_missing_mass(
    r: ArrayLike, n_r: ArrayLike, t: float, fit: PitmanYorFit | None = None
) -> float:
    """Posterior expected missing mass at ``t·N`` under the fitted Pitman–Yor model.

    ``M̂(n + m) = (θ + α·E[K_{n+m}])/(θ + n + m)`` with Favaro, Lijoi, Mena & Prünster's
    (2009) ``E[K_{n+m} | K_n = k] = k + (k + θ/α)·[(θ + n + α)_m/(θ + n)_m − 1]`` (checked in
    the prototype by Monte Carlo continuation of the Chinese restaurant process).

    Examples
    --------
    >>> fit = PitmanYorFit(alpha=0.0, theta=10.0, loglik=0.0, n=90, k=30)
    >>> round(pitman_yor_missing_mass([3], [30], 2.0, fit=fit), 6)  # θ/(θ + 180)
    0.052632
    """
    tt = _check_t(t)
    rr, nn, big_n = as_table(r, n_r)
    f = fit if fit is not None else pitman_yor_fit(rr, nn)
    a, th, k = f.alpha, f.theta, float(nn.sum())
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


def band_constant(table: tuple[float, ...], t: float) -> float:
    """``c(t)``: log-linear in ``log t`` through ``c(1) = 1`` and the calibrated points.

    Examples
    --------
    >>> band_constant(BAND_C_HI, 1.0), band_constant(BAND_C_HI, 5.0)
    (1.0, 1.638)
    >>> round(band_constant(BAND_C_HI, math.sqrt(2.0)), 4)  # halfway in log t: √1.501
    1.2252
    """
    tt = _check_t(t)
    if tt > BAND_T_MAX:
        raise ValueError(f"the band is validated up to t = {BAND_T_MAX:g}, got {t!r}")
    xs = np.log(np.concatenate(([1.0], BAND_T)))
    ys = np.log(np.concatenate(([1.0], table)))
    return float(np.exp(np.interp(math.log(tt), xs, ys)))


@dataclass(frozen=True, slots=True)
class MissingMassBand:
    """Predicted missing mass at ``t·N``: the band ``[low, high]`` and a model-based point.

    ``low = c_lo(t)·CJ``, ``high = min(1, c_hi(t)·max(PL, PY))``, ``point`` = Pitman–Yor;
    ``informative`` is ``high ≤ INFORMATIVE_RATIO·low``.
    """

    t: float
    low: float
    high: float
    point: float
    chao_jost: float
    power_law: float
    pitman_yor: float
    informative: bool


def missing_mass_band(
    r: ArrayLike, n_r: ArrayLike, t: float, fit: PitmanYorFit | None = None
) -> MissingMassBand:
    """The validated band for ``M(t·N)``, ``1 ≤ t ≤ 100`` (REPORT.md §0 and §2).

    Examples
    --------
    >>> b = missing_mass_band([1, 2, 3], [500, 100, 40], 5.0)
    >>> b.low <= b.chao_jost and b.high >= max(b.power_law, b.pitman_yor), b.informative
    (True, True)
    >>> missing_mass_band([1], [3], 200.0)
    Traceback (most recent call last):
    ...
    ValueError: the band is validated up to t = 100, got 200.0
    """
    tt = _check_t(t)
    if tt > BAND_T_MAX:
        raise ValueError(f"the band is validated up to t = {BAND_T_MAX:g}, got {t!r}")
    rr, nn, _ = as_table(r, n_r)
    f = fit if fit is not None else pitman_yor_fit(rr, nn)
    cj = chao_jost_missing_mass(rr, nn, tt)
    pl = power_law_missing_mass(rr, nn, tt)
    py = pitman_yor_missing_mass(rr, nn, tt, fit=f)
    low = band_constant(BAND_C_LO, tt) * cj
    high = min(1.0, band_constant(BAND_C_HI, tt) * max(pl, py))
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
