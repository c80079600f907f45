"""Simple Good–Turing (Gale & Sampson 1995).

W. A. Gale and G. Sampson, "Good–Turing frequency estimation without tears", Journal of
Quantitative Linguistics 2 (1995): 217–237. Implemented as described in ``singleton_rate/theory.md``
§4.3; see :func:`simple_good_turing`. :func:`sgt_rows` and :func:`format_sgt_table` give the
per-``r`` table that Gale & Sampson's program prints (``r``, ``r*``, ``p_r``), with ``N_r``,
both candidate ``r*`` and the source of each (``singletons estimate --fof``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from singleton_rate.estimate.fof import FreqOfFreq

Method = Literal["turing", "lgt", "mle"]

SWITCH_Z = 1.96
"""The default switching coefficient: keep Turing's r* while it differs from LGT by > 1.96 sd.

This is the criterion Gale & Sampson's paper recommends and the default of Sampson's program
``SGT.c`` (``CONFID_FACTOR``) and of edgeR's ``goodTuring(conf = 1.96)``.
"""

SWITCH_Z_GALE_SAMPSON = 1.65
"""The coefficient (p < 0.1, two-sided) that Sampson's ``SGT.c`` notes was the one "actually used
in the experiments reported in the Gale & Sampson paper", and that Gale's S code uses. The
published prosody table (N = 30,902) is the same under both coefficients (Turing's
``r*_1 = 2·40/120 = 0.6667`` is 0.795 sd from the line's 0.7635, so the switch comes at r = 1);
the Chinese-plurals values reproduce only with 1.65 (``tests/test_estimate_sgt.py``).
"""


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
    r_star_turing
        Turing's ``x = (r+1)·N_{r+1}/N_r`` for every ``r`` whose ``N_{r+1}`` is observed
        (also after the switch, for comparison), else ``None``.
    turing_sd
        ``√Var(r*_T)``, the standard deviation the switching rule compares against, where
        ``r_star_turing`` is defined, else ``None``.
    r_star_lgt
        The fitted line's ``y = (r+1)·((r+1)/r)^b`` for every ``r`` (``None`` without a fit).
    switch_z
        The switching coefficient used (:data:`SWITCH_Z`, or Gale & Sampson's
        :data:`SWITCH_Z_GALE_SAMPSON`).
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
    r_star_turing: tuple[float | None, ...] = ()
    turing_sd: tuple[float | None, ...] = ()
    r_star_lgt: tuple[float | None, ...] = ()
    switch_z: float = SWITCH_Z

    @property
    def r_star_normalised(self) -> tuple[float, ...]:
        """``N·p_r``: the adjusted count after renormalisation.

        What published SGT tables (and Gale's S code) list as ``r*``; ``r_star`` is the count
        before renormalisation, as Sampson's ``SGT.c`` computes it.
        """
        return tuple(self.n * p for p in self.p_r)


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

    ``switch_z`` is the coefficient of the switching rule (step 6): the default
    :data:`SWITCH_Z` = 1.96 is the paper's recommendation and ``SGT.c``'s default;
    :data:`SWITCH_Z_GALE_SAMPSON` = 1.65 is the one the paper's experiments used, needed to
    reproduce its Chinese-plurals values (the prosody example is the same under both).

    1. ``N = Σ r·N_r``, ``P_0 = N_1/N``.
    2. ``Z_r = 2·N_r/(t − q)`` (:func:`averaging_transform`).
    3. Least squares ``log Z_r = a + b·log r``; SGT needs ``b < −1`` (``slope_ok``).
    4. ``S(r) = exp(a + b·log r)`` and ``r*_LGT = (r+1)·S(r+1)/S(r) = (r+1)·((r+1)/r)^b``.
    5. ``r*_T = (r+1)·N_{r+1}/N_r`` while ``N_{r+1}`` is observed.
    6. From the smallest ``r``, use ``r*_T`` while
       ``|r*_T − r*_LGT| > switch_z·√Var(r*_T)``,
       ``Var(r*_T) = (r+1)²·(N_{r+1}/N_r²)·(1 + N_{r+1}/N_r)``; at the first ``r`` where this
       fails or ``N_{r+1} = 0``, switch to ``r*_LGT`` for it and every larger ``r``, never back.
    7. ``N' = Σ N_r·r*``, ``p_r = (1 − P_0)·r*/N'``.

    A slope ``b ≥ −1`` is flagged (``slope_ok = False``) but the estimates are still
    computed, as Gale & Sampson's own program does; do not trust them.

    Degenerate input: with a single distinct ``r`` no line can be fitted and Turing's ``r*``
    is undefined (``N_{r+1} = 0``), so ``r* = r`` (the unsmoothed count, ``method = "mle"``),
    giving ``p_r = (1 − P_0)/N_r``; ``intercept``/``slope`` are ``None``, ``fit_ok`` and
    ``slope_ok`` false. Every ``r*`` is positive in all cases, so the output has no NaN.

    Besides the ``r*`` used, the result keeps both candidates for every ``r``
    (``r_star_turing`` where ``N_{r+1}`` is observed, ``r_star_lgt`` where a line was fitted)
    and Turing's sd, for the per-``r`` table (:func:`sgt_rows`, :func:`format_sgt_table`).

    Raises
    ------
    ValueError
        When ``switch_z`` is not a finite positive number.

    Examples
    --------
    >>> from singleton_rate.estimate.fof import FreqOfFreq
    >>> got = simple_good_turing(FreqOfFreq.from_pairs({1: 1000, 2: 100, 3: 50}))
    >>> got.method, round(got.r_star[0], 4), round(got.r_star_turing[1], 4)
    (('turing', 'turing', 'lgt'), 0.2, 1.5)
    """
    if not (math.isfinite(switch_z) and switch_z > 0):
        raise ValueError(f"switch_z must be a finite positive number, got {switch_z}")
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
    x_all: list[float | None] = []
    sd_all: list[float | None] = []
    for i, r_i in enumerate(fof.r):
        n_next = fof.f(r_i + 1)
        if n_next > 0:
            ratio = n_next / n_r[i]
            x_all.append(float((r_i + 1) * ratio))
            sd_all.append(math.sqrt((r_i + 1) ** 2 * (n_next / n_r[i] ** 2) * (1.0 + ratio)))
        else:
            x_all.append(None)
            sd_all.append(None)
    y_all: list[float | None] = [None] * len(fof.r)
    if len(fof.r) >= 2:
        intercept, slope = _fit_line(np.log(r), np.log(np.asarray(z)))
        lgt = (r + 1.0) * ((r + 1.0) / r) ** slope
        y_all = [float(v) for v in lgt]
        use_turing = True
        for i, r_i in enumerate(fof.r):
            turing: float | None = None
            candidate, sd = x_all[i], sd_all[i]
            if (
                use_turing
                and candidate is not None
                and sd is not None
                and abs(candidate - lgt[i]) > switch_z * sd
            ):
                turing = candidate
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
        r_star_turing=tuple(x_all),
        turing_sd=tuple(sd_all),
        r_star_lgt=tuple(y_all),
        switch_z=float(switch_z),
    )


SOURCE_NAMES: dict[str, str] = {
    "turing": "Turing's x = (r+1)·N_{r+1}/N_r",
    "lgt": "the fitted line's y = (r+1)·((r+1)/r)^b (LGT)",
    "mle": "the raw count r (no line could be fitted)",
}
"""What each ``method`` of :class:`SGTResult` means, for printed tables."""


def sgt_rows(result: SGTResult) -> list[dict[str, int | float | str | None]]:
    """The per-``r`` table of a Simple Good–Turing result, one dict per observed ``r``.

    Keys: ``r``, ``n_r``, ``r_star_turing`` (Turing's ``x``, ``None`` where ``N_{r+1} = 0``),
    ``turing_sd``, ``r_star_lgt`` (the line's ``y``, ``None`` without a fit), ``source``
    (which of the two ``r_star`` is: ``turing``, ``lgt`` or ``mle``), ``r_star`` (before
    renormalisation), ``r_star_normalised`` (``N·p_r``, what published tables list as ``r*``)
    and ``p_r`` (the probability of one key seen ``r`` times).

    Examples
    --------
    >>> from singleton_rate.estimate.fof import FreqOfFreq
    >>> rows = sgt_rows(simple_good_turing(FreqOfFreq.from_pairs({1: 1000, 2: 100, 3: 50})))
    >>> [(row["r"], row["source"], round(row["r_star"], 4)) for row in rows][:2]
    [(1, 'turing', 0.2), (2, 'turing', 1.5)]
    >>> rows[2]["r_star_turing"] is None  # N_4 = 0: no Turing estimate for r = 3
    True
    """
    k = len(result.r)
    x = result.r_star_turing or (None,) * k
    sd = result.turing_sd or (None,) * k
    y = result.r_star_lgt or (None,) * k
    normalised = result.r_star_normalised
    return [
        {
            "r": int(result.r[i]),
            "n_r": int(result.n_r[i]),
            "r_star_turing": x[i],
            "turing_sd": sd[i],
            "r_star_lgt": y[i],
            "source": result.method[i],
            "r_star": result.r_star[i],
            "r_star_normalised": normalised[i],
            "p_r": result.p_r[i],
        }
        for i in range(k)
    ]


def sgt_record(result: SGTResult) -> dict[str, object]:
    """The Simple Good–Turing result as one JSON-ready record: the fit and :func:`sgt_rows`."""
    return {
        "p0": result.p0,
        "n": result.n,
        "intercept": result.intercept,
        "slope": result.slope,
        "slope_ok": result.slope_ok,
        "switch_z": result.switch_z,
        "switch_r": result.switch_r,
        "rows": sgt_rows(result),
    }


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def format_sgt_table(result: SGTResult) -> str:
    """The per-``r`` Simple Good–Turing table as text, as Gale & Sampson's program prints it.

    A header with ``P0``, the fit and the switching coefficient, then one line per observed
    ``r`` (the first line, ``r = 0``, holds ``P0``, the total probability of all unseen keys):
    ``r``, ``N_r``, Turing's ``x`` with its sd, the line's ``y``, which one ``r*`` is, ``r*``,
    ``N·p_r`` and ``p_r``. ``-`` marks a value that is undefined (``x`` where ``N_{r+1} = 0``,
    ``y`` without a fit).

    Examples
    --------
    >>> from singleton_rate.estimate.fof import FreqOfFreq
    >>> text = format_sgt_table(simple_good_turing(FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})))
    >>> print(text.splitlines()[0])
    Simple Good–Turing (Gale & Sampson 1995): P0 = N1/N = 3/8 = 0.375
    >>> print(text.splitlines()[4])
    r  N_r  r*_turing (x)  sd(x)    r*_lgt (y)  r* from  r*        N·p_r     p_r
    >>> print(text.splitlines()[6])
    1    3  0.666667       0.7698   0.957278    lgt      0.957278  0.616205  0.0770257
    """
    n1 = result.n_r[0] if result.r and result.r[0] == 1 else 0
    lines = [
        f"Simple Good–Turing (Gale & Sampson 1995): P0 = N1/N = {n1}/{result.n} = {result.p0:.6g}"
    ]
    if result.slope is None or result.intercept is None:
        lines.append("fit: none (one distinct r): r* = r, p_r = (1 − P0)/N_r")
    else:
        verdict = "b < −1: usable" if result.slope_ok else "b ≥ −1: do not trust the smoothing"
        lines.append(
            f"fit: log Z_r = a + b·log r, a = {result.intercept:.6f}, b = {result.slope:.6f} "
            f"({verdict})"
        )
    if result.switch_r is not None:
        lines.append(
            f"switch to the line at r = {result.switch_r}: the first r where "
            f"|x − y| ≤ {result.switch_z:g}·sd(x) or N_(r+1) = 0; the line from there on "
            "(Gale & Sampson's experiments used 1.65 sd: --sgt-switch-z 1.65)"
        )
    lines.append("")
    header = ["r", "N_r", "r*_turing (x)", "sd(x)", "r*_lgt (y)", "r* from", "r*", "N·p_r", "p_r"]
    body = [["0", "", "", "", "", "", "", "", f"{result.p0:.6g}"]]
    for row in sgt_rows(result):
        body.append(
            [
                str(row["r"]),
                str(row["n_r"]),
                _cell(row["r_star_turing"]),  # type: ignore[arg-type]
                _cell(row["turing_sd"]),  # type: ignore[arg-type]
                _cell(row["r_star_lgt"]),  # type: ignore[arg-type]
                str(row["source"]),
                _cell(row["r_star"]),  # type: ignore[arg-type]
                _cell(row["r_star_normalised"]),  # type: ignore[arg-type]
                _cell(row["p_r"]),  # type: ignore[arg-type]
            ]
        )
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(header)]
    for cells in (header, *body):
        lines.append(
            "  ".join(
                c.rjust(w) if i < 2 else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()
        )
    legend = [
        "(r = 0: P0, the total probability of all unseen keys; p_r: of one key seen r "
        "times, Σ N_r·p_r = 1 − P0;",
        " r*: before renormalisation, N·p_r: after (what published SGT tables list as r*);",
        *(f" r* from {k}: {v};" for k, v in SOURCE_NAMES.items() if k in result.method),
    ]
    legend[-1] = legend[-1].rstrip(";") + ")"
    lines.extend(legend)
    return "\n".join(lines)
