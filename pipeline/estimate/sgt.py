"""Simple Good–Turing (Gale & Sampson 1995).

W. A. Gale and G. Sampson, "Good–Turing frequency estimation without tears", Journal of
Quantitative Linguistics 2 (1995): 217–237. Implemented as described in ``docs/theory.md``
§4.3; see :func:`simple_good_turing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pipeline.estimate.fof import FreqOfFreq

Method = Literal["turing", "lgt", "mle"]

SWITCH_Z = 1.96
"""Gale & Sampson's criterion: keep Turing's r* while it differs from LGT by > 1.96 sd."""


@dataclass(frozen=True, slots=True)
class SGTResult:
    """Simple Good–Turing estimates, one entry per observed ``r`` in the per-r tuples.

    Attributes
    ----------
    r, n_r
        The table.
    z
        The averaging transform ``Z_r = 2·N_r/(t − q)``.
    r_star
        The adjusted count used for each ``r``.
    p_r
        Per-key probability for a key seen ``r`` times, renormalised so that
        ``Σ N_r·p_r = 1 − p0``.
    method
        Where each ``r_star`` came from: ``"turing"``, ``"lgt"`` (the fitted line), or
        ``"mle"`` (``r* = r``, only when no line could be fitted).
    p0
        ``N_1/N``: the total probability of all unseen keys.
    intercept, slope
        ``a`` and ``b`` of the fit ``log Z_r = a + b·log r``; ``None`` without a fit.
    fit_ok
        A line was fitted (the table has at least two distinct ``r``).
    slope_ok
        ``fit_ok and b < −1``; otherwise the smoothed estimates are not meaningful.
    switch_r
        The first ``r`` that uses the LGT estimate, ``None`` if none does.
    """

    r: tuple[int, ...]
    n_r: tuple[int, ...]
    z: tuple[float, ...]
    r_star: tuple[float, ...]
    p_r: tuple[float, ...]
    method: tuple[Method, ...]
    p0: float
    n: int
    intercept: float | None
    slope: float | None
    fit_ok: bool
    slope_ok: bool
    switch_r: int | None


def averaging_transform(fof: FreqOfFreq) -> tuple[float, ...]:
    """Gale & Sampson's ``Z_r = 2·N_r/(t − q)``.

    ``q`` is the previous observed ``r`` (0 for the first) and ``t`` the next one
    (``2r − q`` for the last), which spreads each ``N_r`` over the gap of unobserved ``r``
    around it.
    """
    r = np.asarray(fof.r, dtype=float)
    n_r = np.asarray(fof.n_r, dtype=float)
    q = np.concatenate(([0.0], r[:-1]))
    t = np.concatenate((r[1:], [2.0 * r[-1] - q[-1]]))
    return tuple(float(x) for x in 2.0 * n_r / (t - q))


def _fit_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    dx = x - x.mean()
    slope = float(np.dot(dx, y - y.mean()) / np.dot(dx, dx))
    return float(y.mean()) - slope * float(x.mean()), slope


def simple_good_turing(fof: FreqOfFreq, *, switch_z: float = SWITCH_Z) -> SGTResult:
    """Simple Good–Turing estimates (Gale & Sampson 1995).

    1. ``N = Σ r·N_r``, ``P_0 = N_1/N``.
    2. ``Z_r = 2·N_r/(t − q)`` (:func:`averaging_transform`).
    3. Least squares ``log Z_r = a + b·log r``; SGT needs ``b < −1`` (``slope_ok``).
    4. ``S(r) = exp(a + b·log r)`` and ``r*_LGT = (r+1)·S(r+1)/S(r) = (r+1)·((r+1)/r)^b``.
    5. ``r*_T = (r+1)·N_{r+1}/N_r`` while ``N_{r+1}`` is observed.
    6. From the smallest ``r``, use ``r*_T`` while
       ``|r*_T − r*_LGT| > 1.96·√Var(r*_T)``,
       ``Var(r*_T) = (r+1)²·(N_{r+1}/N_r²)·(1 + N_{r+1}/N_r)``; at the first ``r`` where this
       fails or ``N_{r+1} = 0``, switch to ``r*_LGT`` for it and every larger ``r``, never back.
    7. ``N' = Σ N_r·r*``, ``p_r = (1 − P_0)·r*/N'``.

    A slope ``b ≥ −1`` is flagged (``slope_ok = False``) but the estimates are still
    computed, as Gale & Sampson's own program does; do not trust them.

    Degenerate input: with a single distinct ``r`` no line can be fitted and Turing's ``r*``
    is undefined (``N_{r+1} = 0``), so ``r* = r`` (the unsmoothed count, ``method = "mle"``),
    giving ``p_r = (1 − P_0)/N_r``; ``intercept``/``slope`` are ``None``, ``fit_ok`` and
    ``slope_ok`` false. Every ``r*`` is positive in all cases, so the output has no NaN.
    """
    n = fof.n
    p0 = fof.f1 / n
    z = averaging_transform(fof)
    r = np.asarray(fof.r, dtype=float)
    n_r = np.asarray(fof.n_r, dtype=float)

    intercept: float | None = None
    slope: float | None = None
    methods: list[Method] = []
    r_star: list[float] = []
    switch_r: int | None = None
    if len(fof.r) >= 2:
        intercept, slope = _fit_line(np.log(r), np.log(np.asarray(z)))
        lgt = (r + 1.0) * ((r + 1.0) / r) ** slope
        use_turing = True
        for i, r_i in enumerate(fof.r):
            turing: float | None = None
            n_next = fof.f(r_i + 1)
            if use_turing and n_next > 0:
                ratio = n_next / n_r[i]
                candidate = (r_i + 1) * ratio
                sd = math.sqrt((r_i + 1) ** 2 * (n_next / n_r[i] ** 2) * (1.0 + ratio))
                if abs(candidate - lgt[i]) > switch_z * sd:
                    turing = float(candidate)
            if turing is None:
                # Once Turing's estimate is given up it stays given up: its noise grows with
                # r, so a later "significant" difference is more likely noise than signal.
                use_turing = False
                if switch_r is None:
                    switch_r = r_i
                methods.append("lgt")
                r_star.append(float(lgt[i]))
            else:
                methods.append("turing")
                r_star.append(turing)
    else:
        methods = ["mle"]
        r_star = [float(fof.r[0])]

    n_prime = float(np.dot(n_r, r_star))
    p_r = tuple((1.0 - p0) * x / n_prime for x in r_star)
    fit_ok = slope is not None
    return SGTResult(
        r=fof.r,
        n_r=fof.n_r,
        z=z,
        r_star=tuple(r_star),
        p_r=p_r,
        method=tuple(methods),
        p0=p0,
        n=n,
        intercept=intercept,
        slope=slope,
        fit_ok=fit_ok,
        slope_ok=slope is not None and slope < -1.0,
        switch_r=switch_r,
    )
