"""Good–Toulmin: how many new keys more data would bring."""

from __future__ import annotations

import math

from singleton_rate.estimate.fof import FreqOfFreq


def good_toulmin(fof: FreqOfFreq, t: float) -> float:
    """Expected number of new keys in ``t·N`` more occurrences (Good & Toulmin 1956).

    ``U(t) = −Σ_{i≥1} (−t)^i·N_i = t·N_1 − t²·N_2 + t³·N_3 − …``

    Defined here for ``0 ≤ t ≤ 1`` (``U(0) = 0``). Beyond ``t = 1`` the alternating series'
    variance grows without bound and the estimate is useless. Orlitsky, Suresh & Wu (2016,
    PNAS 113(47):13283) extend the range to ``t ∝ log N`` with a smoothed estimator
    ``−Σ (−t)^i·P(L ≥ i)·N_i``, but it is not implemented because its parameter choices
    (Poisson or binomial ``L``) have not been verified against the paper.

    Raises
    ------
    ValueError
        If ``t`` is negative, not finite, or greater than 1.
    """
    ratio = float(t)
    if not math.isfinite(ratio) or ratio < 0.0:
        raise ValueError(f"t must be a finite number in [0, 1], got {t!r}")
    if ratio > 1.0:
        raise ValueError(
            f"Good–Toulmin is only reliable for t <= 1 (got t = {t!r}); the smoothed "
            "Orlitsky–Suresh–Wu estimator for larger t is not implemented because its "
            "parameters are unverified"
        )
    # fsum: the terms alternate in sign and can cancel heavily at t = 1.
    return math.fsum(-((-ratio) ** r) * n_r for r, n_r in fof.items())
