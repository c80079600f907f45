"""Chao1 with SpadeR's interval, including the cases ``f1 = 0`` and ``f1 = 1, f2 = 0``.

Source: A. Chao et al., R package SpadeR, function ``SpecAbunChao1`` (file
``R/SpecAbunChao1.R`` of github.com/AnneChao/SpadeR; the same branch appears in
``Chao1_bc``, ``SpecAbunHomo``, ``SpecAbunJack1`` and others of that package). With
``w = (n − 1)/n``, ``D = S_obs``, ``z`` the normal ``(1 + conf)/2`` quantile:

1. ``f1 > 0`` and ``f2 > 0``: ``Ŝ = D + w·f1²/(2f2)``,
   ``Var = f2·[w(f1/f2)²/2 + w²(f1/f2)³ + w²(f1/f2)⁴/4]``, log-normal interval
   ``[D + f̂0/K, D + f̂0·K]``, ``K = exp(z·√(ln(1 + Var/f̂0²)))``, ``f̂0 = Ŝ − D``.
2. ``f1 > 1`` and ``f2 = 0``: ``Ŝ = D + w·f1(f1 − 1)/2``,
   ``Var = w·f1(f1 − 1)/2 + w²·f1(2f1 − 1)²/4 − w²·f1⁴/(4Ŝ)``, the same log-normal interval.
3. otherwise (``f1 = 0``, or ``f1 = 1`` and ``f2 = 0``): ``Ŝ = D`` and, summing over the
   observed counts ``i`` (each with ``f_i`` keys),

   ``Var_obs = Σ_i f_i(e^(−i) − e^(−2i)) − (Σ_i i·e^(−i)·f_i)²/n``,
   ``P = Σ_i f_i·e^(−i)/D``,
   interval ``[max(D, D/(1 − P) − z·√Var_obs/(1 − P)), D/(1 − P) + z·√Var_obs/(1 − P)]``,

   and the reported standard error is ``√Var_obs``. ``P`` is the Poisson chance that an
   observed key would be missed by a replicate sample, averaged over keys, so ``D/(1 − P)``
   corrects ``D`` for it; the interval is a normal one around that corrected count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from singletons_extrap._fof import as_fof, f_of

Branch = Literal["f1_f2_positive", "f2_zero", "observed"]


@dataclass(frozen=True, slots=True)
class Chao1Interval:
    """SpadeR's Chao1 estimate, standard error and interval, and which branch produced them."""

    estimate: float
    se: float
    low: float
    high: float
    branch: Branch
    confidence: float


def chao1_spader(
    r: ArrayLike, n_r: ArrayLike, n: int | None = None, *, confidence: float = 0.95
) -> Chao1Interval:
    """Chao1 and its interval exactly as SpadeR's ``SpecAbunChao1`` computes them.

    Examples
    --------
    Four keys seen twice each (``f1 = 0``, ``n = 8``): ``P = e^(−2)``, the interval is
    ``[max(4, 4/(1 − P) − z·√Var/(1 − P)), 4/(1 − P) + z·√Var/(1 − P)]``:

    >>> c = chao1_spader([2], [4])
    >>> c.branch, c.estimate, round(c.low, 6), round(c.high, 6)
    ('observed', 4.0, 4.0, 5.911437)

    One singleton and no doubleton (``f1 = 1, f2 = 0``) also takes that branch:

    >>> chao1_spader([1, 3], [1, 2]).branch
    'observed'
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie in (0, 1)")
    rr, nn, big_n = as_fof(r, n_r, n)
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    d = int(nn.sum())
    f1, f2 = f_of(rr, nn, 1), f_of(rr, nn, 2)
    w = (big_n - 1) / big_n
    if f1 > 0 and f2 > 0:
        est = d + w * f1 * f1 / (2.0 * f2)
        ratio = f1 / f2
        var = f2 * (w * ratio**2 / 2.0 + w * w * ratio**3 + w * w * ratio**4 / 4.0)
        branch: Branch = "f1_f2_positive"
    elif f1 > 1 and f2 == 0:
        est = d + w * f1 * (f1 - 1) / 2.0
        var = w * f1 * (f1 - 1) / 2.0 + w * w * f1 * (2 * f1 - 1) ** 2 / 4.0 - w * w * f1**4 / (4.0 * est)
        branch = "f2_zero"
    else:
        i = rr.astype(float)
        fi = nn.astype(float)
        var = float(np.sum(fi * (np.exp(-i) - np.exp(-2.0 * i))) - np.sum(i * np.exp(-i) * fi) ** 2 / big_n)
        p = float(np.sum(fi * np.exp(-i)) / d)
        sd = math.sqrt(max(var, 0.0))
        low = max(float(d), d / (1.0 - p) - z * sd / (1.0 - p))
        high = d / (1.0 - p) + z * sd / (1.0 - p)
        return Chao1Interval(float(d), sd, low, high, "observed", confidence)
    f0 = est - d
    k = math.exp(z * math.sqrt(math.log(1.0 + var / f0**2)))
    return Chao1Interval(est, math.sqrt(var), d + f0 / k, d + f0 * k, branch, confidence)
