"""Simple Good–Turing, the per-``r`` table that Gale & Sampson's program prints, and more.

W. A. Gale & G. Sampson (1995), "Good–Turing frequency estimation without tears", Journal of
Quantitative Linguistics 2:217–237; the arithmetic follows G. Sampson's C program ``SGT.c``
(release of 11 July 2008, ``CONFID_FACTOR = 1.96``) line by line:

1. ``N = Σ r·N_r``, ``P0 = N1/N``.
2. ``Z_r = 2·N_r/(t − q)``: ``q`` the previous observed ``r`` (0 for the first), ``t`` the next
   (``2r − q`` for the last).
3. Least squares ``log Z_r = a + b·log r`` over every observed ``r``.
4. ``y = r*_LGT = (r + 1)·S(r + 1)/S(r)``, ``S(r) = exp(a + b log r)``.
5. From the smallest ``r``: while no switch has happened, if ``N_{r+1} = 0`` switch; else
   ``x = r*_T = (r + 1)·N_{r+1}/N_r`` and switch if
   ``|x − y| ≤ 1.96·√((r + 1)²·(N_{r+1}/N_r²)·(1 + N_{r+1}/N_r))``; before the switch
   ``r* = x``, from it on ``r* = y``.
6. ``N' = Σ N_r·r*``, ``p_r = (1 − P0)·r*/N'``.

The program prints ``r``, ``p_r`` and ``r*`` (unnormalised); :func:`sgt_table` returns those
and also both candidate ``r*``, the standard deviation of Turing's, the source of each ``r*``
and the renormalised count ``N·p_r``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from singletons_extrap._fof import as_fof

Source = Literal["turing", "lgt"]


@dataclass(frozen=True, slots=True)
class SGTTable:
    """Per-``r`` Simple Good–Turing table (arrays aligned on ``r``).

    ``r_star_turing`` and ``turing_sd`` are ``nan`` where ``N_{r+1} = 0``. ``r_star_normalised``
    is ``N·p_r``, the adjusted count after renormalisation (what several SGT test suites call
    ``r*``). ``intercept``/``slope`` are Gale & Sampson's ``a``/``b``; ``slope_ok`` is ``b < −1``.
    """

    r: NDArray[np.int64]
    n_r: NDArray[np.int64]
    z: NDArray[np.float64]
    r_star_turing: NDArray[np.float64]
    turing_sd: NDArray[np.float64]
    r_star_lgt: NDArray[np.float64]
    r_star: NDArray[np.float64]
    source: tuple[Source, ...]
    p_r: NDArray[np.float64]
    r_star_normalised: NDArray[np.float64]
    p0: float
    n: int
    n_prime: float
    intercept: float
    slope: float
    slope_ok: bool

    def rows(self) -> list[dict[str, float | int | str]]:
        """One dict per ``r``, in the program's order."""
        return [
            {
                "r": int(self.r[i]),
                "n_r": int(self.n_r[i]),
                "z": float(self.z[i]),
                "r_star_turing": float(self.r_star_turing[i]),
                "r_star_lgt": float(self.r_star_lgt[i]),
                "r_star": float(self.r_star[i]),
                "source": self.source[i],
                "p_r": float(self.p_r[i]),
            }
            for i in range(self.r.size)
        ]


def sgt_table(
    r: ArrayLike, n_r: ArrayLike, n: int | None = None, *, confid_factor: float = 1.96
) -> SGTTable:
    """Simple Good–Turing per-``r`` table (Gale & Sampson 1995; Sampson's ``SGT.c``).

    Needs at least two distinct ``r`` (a line through one point is undefined).

    Examples
    --------
    Gale & Sampson's "prosody" data (the fit and P0 as the program gives them):

    >>> from singletons_extrap.sgt_table import PROSODY
    >>> t = sgt_table(*PROSODY)
    >>> round(t.p0, 9), round(t.intercept, 6), round(t.slope, 6), t.source[0]
    (0.003883244, 4.468558, -1.389374, 'lgt')
    """
    rr, nn, big_n = as_fof(r, n_r, n)
    if rr.size < 2:
        raise ValueError("SGT needs at least two distinct r to fit its line")
    rf = rr.astype(float)
    nf = nn.astype(float)
    p0 = float(nn[0]) / big_n if rr[0] == 1 else 0.0
    q = np.concatenate(([0.0], rf[:-1]))
    t = np.concatenate((rf[1:], [2.0 * rf[-1] - q[-1]]))
    z = 2.0 * nf / (t - q)
    x, y = np.log(rf), np.log(z)
    dx = x - x.mean()
    slope = float(np.dot(dx, y - y.mean()) / np.dot(dx, dx))
    intercept = float(y.mean() - slope * x.mean())

    def smoothed(v: float) -> float:
        return math.exp(intercept + slope * math.log(v))

    index = {int(v): j for j, v in enumerate(rr)}
    lgt = np.array([(v + 1.0) * smoothed(v + 1.0) / smoothed(v) for v in rf])
    turing = np.full(rr.size, np.nan)
    sd = np.full(rr.size, np.nan)
    r_star = np.empty(rr.size)
    source: list[Source] = []
    switched = False
    for j, v in enumerate(rr):
        nxt = index.get(int(v) + 1)
        if nxt is not None:
            n_next = nf[nxt]
            turing[j] = (v + 1.0) * n_next / nf[j]
            sd[j] = math.sqrt((v + 1.0) ** 2 * n_next / nf[j] ** 2 * (1.0 + n_next / nf[j]))
        if nxt is None:
            switched = True
        if not switched and abs(turing[j] - lgt[j]) <= confid_factor * sd[j]:
            switched = True
        if switched:
            r_star[j] = lgt[j]
            source.append("lgt")
        else:
            r_star[j] = turing[j]
            source.append("turing")
    n_prime = float(np.dot(nf, r_star))
    p_r = (1.0 - p0) * r_star / n_prime
    return SGTTable(
        r=rr,
        n_r=nn,
        z=z,
        r_star_turing=turing,
        turing_sd=sd,
        r_star_lgt=lgt,
        r_star=r_star,
        source=tuple(source),
        p_r=p_r,
        r_star_normalised=p_r * big_n,
        p0=p0,
        n=big_n,
        n_prime=n_prime,
        intercept=intercept,
        slope=slope,
        slope_ok=slope < -1.0,
    )


_PROSODY_R = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15, 16, 17, 19, 20, 21, 23, 24, 25, 26, 27, 28, 31,
    32, 33, 34, 36, 41, 43, 45, 46, 47, 50, 71, 84, 101, 105, 121, 124, 146, 162, 193, 199,
    224, 226, 254, 257, 339, 421, 456, 481, 483, 1140, 1256, 1322, 1530, 2131, 2395, 6925, 7846,
)  # fmt: skip
_PROSODY_N = (
    120, 40, 24, 13, 15, 5, 11, 2, 2, 1, 3, 2, 1, 1, 3, 1, 3, 2, 3, 3, 3, 2, 2, 1, 2, 2, 1, 2,
    2, 3, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1,
)  # fmt: skip
PROSODY: tuple[tuple[int, ...], tuple[int, ...]] = (_PROSODY_R, _PROSODY_N)
"""Gale & Sampson's (1995) prosody frequency-of-frequencies table (N = 30,902)."""
