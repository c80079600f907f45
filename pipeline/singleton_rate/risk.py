"""Risk classes of a fact by how often the corpus states it.

A fact the corpus never states is *unseen*, once a *singleton* (the Good–Turing class whose
share estimates the missing mass, Kalai et al. 2025, Theorem 2), a few times *rare*, more
often *common*. The rare/common threshold is the run's ``rare_max`` setting, recorded in
``manifest.json``; the SQL macros of :mod:`singleton_rate.query` apply the same rule.
"""

from __future__ import annotations

UNSEEN, SINGLETON, RARE, COMMON = "unseen", "singleton", "rare", "common"
RISK_CLASSES: tuple[str, ...] = (UNSEEN, SINGLETON, RARE, COMMON)
DEFAULT_RARE_MAX = 5


def risk_class(count: int | None, rare_max: int = DEFAULT_RARE_MAX) -> str:
    """``unseen`` (0 or missing), ``singleton`` (1), ``rare`` (2..rare_max), else ``common``."""
    if rare_max < 2:
        raise ValueError(f"rare_max must be at least 2, got {rare_max}")
    if count is None or count <= 0:
        return UNSEEN
    if count == 1:
        return SINGLETON
    return RARE if count <= rare_max else COMMON
