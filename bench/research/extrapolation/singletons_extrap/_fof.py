"""Validation of a frequency-of-frequencies table ``(r, N_r)`` given as plain arrays.

Every public function of this package takes ``r`` (the observed counts), ``n_r`` (how many
distinct keys were seen exactly ``r`` times) and, optionally, ``n`` (the sample size
``N = Σ r·N_r``). Rows with ``N_r = 0`` are dropped; ``r`` must be whole numbers ``>= 1``
without duplicates; ``n``, when given, must equal ``Σ r·N_r``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def as_fof(
    r: ArrayLike, n_r: ArrayLike, n: int | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int64], int]:
    """Return ``(r, n_r, N)`` sorted by ``r``, zero rows dropped, validated.

    Raises
    ------
    ValueError
        On negative, fractional or duplicated ``r``, ``r = 0``, negative ``N_r``, an empty
        table, or ``n`` different from ``Σ r·N_r``.

    Examples
    --------
    >>> as_fof([2, 1, 5], [1, 3, 0])
    (array([1, 2]), array([3, 1]), 5)
    """
    r_arr = np.asarray(r, dtype=float).ravel()
    n_arr = np.asarray(n_r, dtype=float).ravel()
    if r_arr.shape != n_arr.shape:
        raise ValueError(f"r and n_r differ in length ({r_arr.size} and {n_arr.size})")
    if not (np.all(np.isfinite(r_arr)) and np.all(np.isfinite(n_arr))):
        raise ValueError("r and n_r must be finite")
    if np.any(r_arr != np.round(r_arr)) or np.any(n_arr != np.round(n_arr)):
        raise ValueError("r and n_r must be whole numbers")
    if np.any(r_arr < 1):
        raise ValueError("every r must be >= 1 (N_0, the unseen keys, is never an input)")
    if np.any(n_arr < 0):
        raise ValueError("every N_r must be >= 0")
    keep = n_arr > 0
    r_int = r_arr[keep].astype(np.int64)
    n_int = n_arr[keep].astype(np.int64)
    order = np.argsort(r_int, kind="stable")
    r_int, n_int = r_int[order], n_int[order]
    if r_int.size == 0:
        raise ValueError("empty frequency-of-frequencies table: no key was observed")
    if np.any(np.diff(r_int) == 0):
        raise ValueError("duplicated r in the frequency-of-frequencies table")
    total = int(np.dot(r_int, n_int))
    if n is not None and int(n) != total:
        raise ValueError(f"n = {n} differs from sum(r * N_r) = {total}")
    return r_int, n_int, total


def f_of(r: NDArray[np.int64], n_r: NDArray[np.int64], k: int) -> int:
    """``N_k`` from a validated table (0 when ``k`` is absent).

    Examples
    --------
    >>> import numpy as np
    >>> f_of(np.array([1, 3]), np.array([4, 2]), 3), f_of(np.array([1, 3]), np.array([4, 2]), 2)
    (2, 0)
    """
    hit = np.nonzero(r == k)[0]
    return int(n_r[hit[0]]) if hit.size else 0


def fof_from_counts(counts: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64], int]:
    """The table of a vector of per-key counts (zeros ignored).

    Examples
    --------
    >>> fof_from_counts([3, 1, 1, 0, 2])
    (array([1, 2, 3]), array([2, 1, 1]), 7)
    """
    c = np.asarray(counts, dtype=np.int64).ravel()
    c = c[c > 0]
    if c.size == 0:
        raise ValueError("no key was observed")
    values, freq = np.unique(c, return_counts=True)
    return values.astype(np.int64), freq.astype(np.int64), int(c.sum())
