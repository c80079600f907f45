"""Wilson's score interval for a binomial proportion: one home for the audit's precision,
``score``'s shares, ``grade``'s rates and the Wikipedia evaluation."""

from __future__ import annotations

import math
from statistics import NormalDist

from singleton_rate.estimate._checks import confidence_level


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's (1927) score interval for a binomial proportion ``successes / n``.

    ``(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)``, ending exactly at 0 (1) when
    ``successes = 0`` (``= n``).

    Examples
    --------
    >>> lo, hi = wilson_interval(8, 10)
    >>> round(lo, 4), round(hi, 4)
    (0.4902, 0.9433)
    >>> wilson_interval(10, 10)[1]
    1.0
    """
    if isinstance(successes, bool) or isinstance(n, bool):
        raise ValueError("successes and n must be counts, not bools")
    if n < 1 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n >= 1, got {successes}, {n}")
    confidence_level(confidence)
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    p = successes / n
    denom = 1.0 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if successes == 0 else max(0.0, center - half)
    high = 1.0 if successes == n else min(1.0, center + half)
    return low, high
