"""Good–Turing: the missing mass, its confidence intervals, and Good's adjusted counts.

The *missing mass* ``M_0`` is the total probability of the keys the sample never saw: the chance
that the next occurrence is of a new key. Turing's estimate of it is the singleton rate
``N_1/N``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from singleton_rate.estimate._checks import confidence_level, whole_number
from singleton_rate.estimate.fof import FreqOfFreq

SQRT2_PLUS_1 = 1.0 + math.sqrt(2.0)
"""The constant of Corollary 3 of Kalai et al. (2025), printed there rounded as 2.42."""


def _clip01(x: float) -> float:
    return min(1.0, max(0.0, x))


def missing_mass(fof: FreqOfFreq) -> float:
    """Turing's estimate of the missing mass, ``M̂_0 = N_1 / N``.

    Its bias ``E[N_1/N] − E[M_0]`` lies in ``[0, 1/N]`` (McAllester & Schapire 2000); see
    :func:`expected_missing_mass` and :func:`expected_singleton_rate`.
    """
    return fof.f1 / fof.n


@dataclass(frozen=True, slots=True)
class MissingMassInterval:
    """A distribution-free confidence interval for the missing mass.

    ``low = max(0, estimate − half_width)``, ``high = min(1, estimate + half_width)``.
    """

    estimate: float
    low: float
    high: float
    half_width: float
    confidence: float


def missing_mass_half_width(n: int, confidence: float = 0.95) -> float:
    """Half-width ``w = 1/N + (1 + √2)·√(ln(4/γ)/N)``, ``γ = 1 − confidence``.

    From McAllester & Ortiz (2003), as restated in Corollary 3 of Kalai, Nachum, Vempala &
    Zhang (2025), "Why Language Models Hallucinate", arXiv:2509.04664: with probability
    ``≥ 1 − γ``, ``|M_0 − N_1/N| ≤ w``. The paper prints ``1 + √2`` rounded as 2.42; the exact
    constant is used here.
    """
    size = whole_number(n, "N")
    if size < 1:
        raise ValueError(f"N must be at least 1, got {n!r}")
    gamma = 1.0 - confidence_level(confidence)
    return 1.0 / size + SQRT2_PLUS_1 * math.sqrt(math.log(4.0 / gamma) / size)


def missing_mass_interval(fof: FreqOfFreq, confidence: float = 0.95) -> MissingMassInterval:
    """Distribution-free interval ``[N_1/N − w, N_1/N + w]`` clipped to ``[0, 1]``.

    ``w = 1/N + (1 + √2)·√(ln(4/γ)/N)`` with ``γ = 1 − confidence`` (McAllester & Ortiz 2003;
    Kalai et al. 2025, Corollary 3). It holds for every distribution over the keys, which makes
    it wide: about ``0.11`` at ``N = 2000``.
    """
    estimate = missing_mass(fof)
    width = missing_mass_half_width(fof.n, confidence)
    return MissingMassInterval(
        estimate=estimate,
        low=_clip01(estimate - width),
        high=_clip01(estimate + width),
        half_width=width,
        confidence=float(confidence),
    )


ESTY_METHODS = ("normal", "score")
"""The two forms of Esty's interval :func:`esty_interval` computes (its ``method`` argument)."""

EstyMethod = Literal["normal", "score"]


@dataclass(frozen=True, slots=True)
class EstyInterval:
    """Esty's (1983) interval for the missing mass, in the form named by ``method``.

    ``std_error`` is the plug-in standard error ``√(N_1/N + 2·N_2/N − (N_1/N)²)/√N`` whichever
    the method. ``degenerate`` is true when that variance term is ``≤ 0`` (no singletons and no
    doubletons, or every key a singleton). For ``method = "normal"`` the interval is then the
    point ``[estimate, estimate]``, which carries no sampling uncertainty and should not be read
    as certainty; for ``method = "score"`` it is still a proper interval (see
    :func:`esty_interval`).
    """

    estimate: float
    low: float
    high: float
    std_error: float
    z: float
    confidence: float
    degenerate: bool
    method: str = "normal"


def esty_interval(
    fof: FreqOfFreq, confidence: float = 0.95, *, method: EstyMethod = "normal"
) -> EstyInterval:
    """Esty's interval for the missing mass ``1 − C``: the plain normal form or its score form.

    Esty (1983, Ann. Statist. 11:905–912) shows that, with ``C`` the sample coverage,

    ``√N·(C − 1 + N_1/N) / √(N_1/N + 2·N_2/N − (N_1/N)²) → N(0, 1)``.

    (Under Poisson sampling ``Var(N_1 − N·M_0) = E[N_1] + 2·E[N_2]``; the ``−(N_1/N)²`` term is
    the correction for a fixed ``N``.) ``z`` is the standard-normal ``(1 + confidence)/2``
    quantile, ``p_1 = N_1/N``, ``p_2 = N_2/N``.

    ``method = "normal"`` (the default; Esty's own interval):
    ``p_1 ± z·√(p_1 + 2·p_2 − p_1²)/√N``, clipped to ``[0, 1]``. When the variance term is
    ``≤ 0`` the point interval is returned with ``degenerate = True``. With few singletons
    (tens) its coverage falls short of the nominal level, because the true mass is right-skewed
    around ``p_1``: it misses high more often than low.

    ``method = "score"`` (this project's own Wilson-type score inversion of Esty's pivot, not
    an interval Esty gives; the form :func:`singleton_rate.estimate.summarize` reports): the
    variance term is
    ``p_1(1 − p_1) + 2·p_2``, and its first part estimates ``m(1 − m)`` with ``m = E[N_1]/N``,
    which equals ``E[M_0]`` up to ``1/N`` (McAllester & Schapire 2000). As in Wilson's (1927)
    interval for a proportion, that part is evaluated at the candidate value ``M`` instead of
    at ``p_1``, while ``2·p_2`` stays a plug-in nuisance term. The interval is the set of ``M``
    with ``N·(p_1 − M)² ≤ z²·(M(1 − M) + 2·p_2)``, a quadratic in ``M`` whose roots are

    ``(N_1 + z²/2)/(N + z²) ± z·√(N_1(N − N_1)/N + 2·N_2·(N + z²)/N + z²/4)/(N + z²)``,

    clipped to ``[0, 1]``. With ``N_2 = 0`` this is exactly Wilson's interval for ``N_1``
    successes in ``N`` trials (see Brown, Cai & DasGupta 2001, Stat. Sci. 16:101–133, for why
    it beats the plain normal interval near 0 and 1). The lower end is computed as the
    product of the roots, ``(N_1² − 2·z²·N_2)/(N·(N + z²))``, over the upper root, so that it
    is exactly 0 when ``N_1 = N_2 = 0``. It contains ``p_1`` and is never a point:

    - ``N_1 = 0``: ``[0, (z²/2 + z·√(2·N_2·(N + z²)/N + z²/4))/(N + z²)]``; with
      ``N_2 = 0`` too, ``[0, z²/(N + z²)]``, about ``3.84/N`` at 95% (the rule of three gives
      ``−ln(0.025)/N ≈ 3.69/N`` for the same two-sided level). No fallback is needed.
    - every key a singleton (``N_1 = N``, so ``N_2 = 0``): ``[N/(N + z²), 1]``.

    Because the ``2·p_2`` term is not rescaled, the score form stays close to the normal one
    when doubletons dominate (``N_2 ≫ N_1``); a log- or square-root-scale interval rescales
    the whole variance by ``p_1`` and badly under-covers there. Measured coverage is in
    ``tests/test_estimate_simulation.py``.
    """
    if method not in ESTY_METHODS:
        raise ValueError(f"method must be one of {ESTY_METHODS}, got {method!r}")
    level = confidence_level(confidence)
    n, n1, n2 = fof.n, fof.f1, fof.f2
    p1 = n1 / n
    p2 = n2 / n
    variance_term = p1 + 2.0 * p2 - p1 * p1
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    degenerate = variance_term <= 0.0
    std_error = 0.0 if degenerate else math.sqrt(variance_term) / math.sqrt(n)
    if method == "score":
        z2 = z * z
        denominator = n + z2
        center = (n1 + z2 / 2.0) / denominator
        root = math.sqrt(n1 * (n - n1) / n + 2.0 * n2 * denominator / n + z2 / 4.0)
        upper = center + z * root / denominator  # > 0: center ≥ z²/2/(N + z²)
        lower = (n1 * n1 - 2.0 * z2 * n2) / (n * denominator) / upper
        return EstyInterval(
            estimate=p1,
            low=_clip01(lower),
            high=_clip01(upper),
            std_error=std_error,
            z=z,
            confidence=level,
            degenerate=degenerate,
            method="score",
        )
    if degenerate:
        return EstyInterval(p1, p1, p1, 0.0, z, level, True, "normal")
    return EstyInterval(
        estimate=p1,
        low=_clip01(p1 - z * std_error),
        high=_clip01(p1 + z * std_error),
        std_error=std_error,
        z=z,
        confidence=level,
        degenerate=False,
        method="normal",
    )


@dataclass(frozen=True, slots=True)
class TuringEstimates:
    """Good's adjusted counts for each observed ``r``.

    ``r_star[i] = (r+1)·N_{r+1}/N_r`` and ``probability[i] = r_star[i]/N`` (per key). Where no
    key was seen ``r + 1`` times, ``r_star`` is 0: that is the raw formula's known failure at
    the top of the table, which :func:`singleton_rate.estimate.simple_good_turing` repairs. These
    probabilities are not renormalised and need not sum to ``1 − N_1/N``.
    """

    r: tuple[int, ...]
    n_r: tuple[int, ...]
    r_star: tuple[float, ...]
    probability: tuple[float, ...]


def good_r_star(fof: FreqOfFreq) -> TuringEstimates:
    """Good's (1953) estimate ``r* = (r+1)·N_{r+1}/N_r`` for every observed ``r``.

    A key seen ``r`` times has estimated probability ``r*/N``.
    """
    n = fof.n
    r_star = tuple((r + 1) * fof.f(r + 1) / n_r for r, n_r in fof.items())
    return TuringEstimates(
        r=fof.r, n_r=fof.n_r, r_star=r_star, probability=tuple(x / n for x in r_star)
    )


def _probabilities(p: ArrayLike) -> np.ndarray:
    probs = np.asarray(p, dtype=float).ravel()
    if probs.size == 0 or not np.all(np.isfinite(probs)) or np.any(probs < 0):
        raise ValueError("p must be a non-empty vector of finite, non-negative probabilities")
    if not math.isclose(float(probs.sum()), 1.0, abs_tol=1e-9):
        raise ValueError(f"p must sum to 1, sums to {probs.sum()!r}")
    return probs


def _sum_p_times_complement_power(probs: np.ndarray, power: int) -> float:
    if power == 0:
        return float(probs.sum())
    # exp(k·log1p(−p)) keeps (1 − p)^k accurate for tiny p, where 1 − p rounds to 1.
    with np.errstate(divide="ignore"):
        log_complement = np.log1p(-probs)
    return float(np.sum(probs * np.exp(power * log_complement)))


def expected_missing_mass(p: ArrayLike, n: int) -> float:
    """``E[M_0] = Σ_i p_i (1 − p_i)^N`` for a known distribution ``p`` and ``N`` iid draws.

    For simulations and checks: the true missing mass of a sample needs the true ``p``.
    """
    size = whole_number(n, "N")
    if size < 1:
        raise ValueError(f"N must be at least 1, got {n!r}")
    return _sum_p_times_complement_power(_probabilities(p), size)


def expected_singleton_rate(p: ArrayLike, n: int) -> float:
    """``E[N_1/N] = Σ_i p_i (1 − p_i)^(N−1)`` for a known distribution ``p``.

    With :func:`expected_missing_mass`, the bias ``E[N_1/N] − E[M_0]`` lies in ``[0, 1/N]``
    (McAllester & Schapire 2000).
    """
    size = whole_number(n, "N")
    if size < 1:
        raise ValueError(f"N must be at least 1, got {n!r}")
    return _sum_p_times_complement_power(_probabilities(p), size - 1)


def missing_mass_tail_bound(n: int, epsilon: float) -> float:
    """``exp(−N·ε²)``: bounds ``P(M_0 − E[M_0] > ε)`` and ``P(E[M_0] − M_0 > ε)``.

    McAllester & Ortiz (2003). This concerns the missing mass around its own expectation,
    not around the estimate ``N_1/N``; :func:`missing_mass_interval` is the data interval.
    """
    size = whole_number(n, "N")
    if size < 1:
        raise ValueError(f"N must be at least 1, got {n!r}")
    eps = float(epsilon)
    if not eps >= 0.0:
        raise ValueError(f"epsilon must be non-negative, got {epsilon!r}")
    return math.exp(-size * eps * eps)
