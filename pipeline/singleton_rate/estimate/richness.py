"""Unseen keys: Chao1 richness, its interval, and Chao–Jost sample coverage.

With ``n = N``, ``f1 = N_1``, ``f2 = N_2``, ``S_obs`` the distinct keys seen, and the
small-sample factor ``w = (n − 1)/n`` of Chao & Jost (2012), as SpadeR and copia use it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from singleton_rate.estimate._checks import confidence_level
from singleton_rate.estimate.fof import FreqOfFreq


@dataclass(frozen=True, slots=True)
class Chao1Estimate:
    """Chao1 richness (how many distinct keys exist, seen or not) and its interval.

    ``estimate`` is Chao1, ``bias_corrected`` Chao's (2005) bias-corrected form, ``f0_hat``
    the estimated unseen keys ``estimate − s_obs``, ``variance`` the variance of
    ``estimate``, and ``[low, high]`` the log-normal interval (Chao 1987) around it.
    """

    s_obs: int
    n: int
    f1: int
    f2: int
    estimate: float
    bias_corrected: float
    f0_hat: float
    variance: float
    low: float
    high: float
    confidence: float


def chao1(fof: FreqOfFreq, *, confidence: float = 0.95) -> Chao1Estimate:
    """Chao1, bias-corrected Chao1, variance and log-normal interval.

    - Chao1 (Chao 1984; ``w`` from Chao & Jost 2012):
      ``Ŝ = S_obs + w·f1²/(2·f2)`` if ``f2 > 0``, else ``Ŝ = S_obs + w·f1·(f1 − 1)/2``.
    - Bias-corrected (Chao 2005): ``Ŝ_bc = S_obs + w·f1·(f1 − 1)/(2·(f2 + 1))``.
    - Variance, ``f2 > 0``, ``R = f1/f2``: ``f2·[w·R²/2 + w²·R³ + w²·R⁴/4]``.
    - Variance, ``f2 = 0``: ``w·f1(f1−1)/2 + w²·f1(2f1−1)²/4 − w²·f1⁴/(4·Ŝ)``.
    - Interval (Chao 1987): ``f̂0 = Ŝ − S_obs``, ``K = exp(z·√(ln(1 + Var/f̂0²)))``,
      ``[S_obs + f̂0/K, S_obs + f̂0·K]``; ``z`` is the normal ``(1 + confidence)/2``
      quantile (1.96 at 95%).

    Corner cases, where ``f̂0 = 0`` and the log-normal ``K`` is undefined (``f1 = 0``;
    ``f1 = 1, f2 = 0``; ``N = 1`` where ``w = 0``): ``Ŝ = S_obs`` and, as SpadeR's
    ``SpecAbunChao1`` computes (Chao et al., R package SpadeR), an interval from the chance
    that an observed key is missed by a replicate sample,
    ``P = Σ_i f_i·e^(−i)/S_obs``, ``Var = Σ_i f_i(e^(−i) − e^(−2i)) − (Σ_i i·e^(−i)·f_i)²/N``:
    ``[max(S_obs, S_obs/(1 − P) − z·√Var/(1 − P)), S_obs/(1 − P) + z·√Var/(1 − P)]``, with
    ``variance`` that ``Var`` (iNEXT gives the point ``[S_obs, S_obs]`` here, which claims a
    certainty the sample does not have).

    Examples
    --------
    >>> got = chao1(FreqOfFreq.from_pairs({2: 4}))  # f1 = 0: SpadeR's observed branch
    >>> got.estimate, got.low, round(got.high, 6)
    (4.0, 4.0, 5.911437)
    """
    level = confidence_level(confidence)
    n, s_obs, f1, f2 = fof.n, fof.distinct, fof.f1, fof.f2
    w = (n - 1) / n
    bias_corrected = s_obs + w * f1 * (f1 - 1) / (2.0 * (f2 + 1))
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    if f1 == 0:
        low, high, variance = _observed_interval(fof, z)
        return Chao1Estimate(
            s_obs=s_obs,
            n=n,
            f1=f1,
            f2=f2,
            estimate=float(s_obs),
            bias_corrected=bias_corrected,
            f0_hat=0.0,
            variance=variance,
            low=low,
            high=high,
            confidence=level,
        )
    if f2 > 0:
        estimate = s_obs + w * f1 * f1 / (2.0 * f2)
        ratio = f1 / f2
        variance = f2 * (w * ratio**2 / 2.0 + w * w * ratio**3 + w * w * ratio**4 / 4.0)
    else:
        estimate = s_obs + w * f1 * (f1 - 1) / 2.0
        variance = (
            w * f1 * (f1 - 1) / 2.0
            + w * w * f1 * (2 * f1 - 1) ** 2 / 4.0
            - w * w * f1**4 / (4.0 * estimate)
        )
        # The f2 = 0 formula is non-negative in exact arithmetic; guard the last ulp.
        variance = max(0.0, variance)
    f0_hat = estimate - s_obs
    if f0_hat > 0.0:
        k = math.exp(z * math.sqrt(math.log(1.0 + variance / f0_hat**2)))
        low, high = s_obs + f0_hat / k, s_obs + f0_hat * k
    else:
        low, high, variance = _observed_interval(fof, z)
    return Chao1Estimate(
        s_obs=s_obs,
        n=n,
        f1=f1,
        f2=f2,
        estimate=estimate,
        bias_corrected=bias_corrected,
        f0_hat=f0_hat,
        variance=variance,
        low=low,
        high=high,
        confidence=level,
    )


def _observed_interval(fof: FreqOfFreq, z: float) -> tuple[float, float, float]:
    """SpadeR's interval when ``f̂0 = 0`` (:func:`chao1`): ``(low, high, Var)``."""
    r, n_r = (a.astype(float) for a in fof.as_arrays())
    d, n = float(fof.distinct), float(fof.n)
    var = float(np.sum(n_r * (np.exp(-r) - np.exp(-2.0 * r))))
    var -= float(np.sum(r * np.exp(-r) * n_r)) ** 2 / n
    var = max(0.0, var)
    p = float(np.sum(n_r * np.exp(-r))) / d
    half = z * math.sqrt(var) / (1.0 - p)
    return max(d, d / (1.0 - p) - half), d / (1.0 - p) + half, var


def _coverage_factor(fof: FreqOfFreq) -> float:
    n, f1, f2 = fof.n, fof.f1, fof.f2
    if f1 == 0:
        # No singletons: the coverage is 1 whatever A is; the f2 = 0 formula would divide by 0.
        return 0.0
    if f2 > 0:
        return (n - 1) * f1 / ((n - 1) * f1 + 2.0 * f2)
    return (n - 1) * (f1 - 1) / ((n - 1) * (f1 - 1) + 2.0)


def sample_coverage(fof: FreqOfFreq) -> float:
    """Chao & Jost (2012) sample coverage ``Ĉ_n = 1 − (f1/n)·A``.

    ``A = (n−1)·f1/((n−1)·f1 + 2·f2)``, or ``A = (n−1)(f1−1)/((n−1)(f1−1) + 2)`` when
    ``f2 = 0``. ``1 − Ĉ_n`` is a refined missing mass. ``f1 = 0`` gives 1. Note that
    ``f1 = 1, f2 = 0`` (including ``N = 1``) gives ``A = 0`` and so coverage exactly 1,
    which is what the formula says and why the summary flags coverage of 1.
    """
    return 1.0 - fof.f1 / fof.n * _coverage_factor(fof)


def extrapolated_coverage(fof: FreqOfFreq, m: float) -> float:
    """Coverage after ``m`` more occurrences, ``Ĉ_{n+m} = 1 − (f1/n)·A^(m+1)`` (Chao & Jost 2012).

    ``1 − Ĉ_{n+m}`` is the predicted missing mass, hence the predicted singleton-rate floor,
    if the corpus grew by ``m`` occurrences. ``m = 0`` gives :func:`sample_coverage`.
    """
    extra = float(m)
    if not (math.isfinite(extra) and extra >= 0.0):
        raise ValueError(f"m (additional occurrences) must be finite and >= 0, got {m!r}")
    return 1.0 - fof.f1 / fof.n * _coverage_factor(fof) ** (extra + 1.0)
