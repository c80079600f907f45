"""The frequency-of-frequencies table every estimator reads.

For a sample of ``N`` occurrences of keys (facts or prompts), ``N_r`` is the number of distinct
keys seen exactly ``r`` times. The table ``(r, N_r)`` (the "fingerprint") is all that the
Good–Turing family of estimators needs, and it stays small however large the corpus is.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from singleton_rate.estimate._checks import whole_number


class FofError(ValueError):
    """A frequency-of-frequencies table the estimators cannot use (empty, malformed)."""


def _count(value: object, what: str) -> int:
    number = whole_number(value, what, error=FofError)
    if number < 0:
        raise FofError(f"{what} must not be negative, got {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class FreqOfFreq:
    """A validated frequency-of-frequencies table ``{r: N_r}``.

    Parameters
    ----------
    r
        The observed counts, strictly increasing, each ``>= 1``.
    n_r
        ``N_r`` for each ``r``: how many distinct keys were seen exactly ``r`` times, each
        ``>= 1``.

    Notes
    -----
    Direct construction wants the canonical form (sorted, no zero rows); use
    :meth:`from_pairs` or :meth:`from_counts` for anything looser. ``r = 0`` rows are refused
    everywhere: ``r`` counts *observed* keys, and the number of unseen keys ``N_0`` is what the
    estimators estimate, never an input. The table is immutable and hashable.
    """

    r: tuple[int, ...]
    n_r: tuple[int, ...]

    def __post_init__(self) -> None:
        r = tuple(_count(x, "r") for x in self.r)
        n_r = tuple(_count(x, "n_r") for x in self.n_r)
        if len(r) != len(n_r):
            raise FofError(f"r and n_r differ in length ({len(r)} and {len(n_r)})")
        if not r:
            raise FofError("empty frequency-of-frequencies table: no key was observed")
        if r[0] == 0:
            raise FofError(
                "r = 0 rows are not allowed: r counts observed keys, and the number of unseen "
                "keys is what the estimators estimate"
            )
        if any(a >= b for a, b in itertools.pairwise(r)):
            raise FofError(f"r must be strictly increasing (duplicated or unsorted r): {r}")
        if 0 in n_r:
            raise FofError("n_r = 0 rows are not allowed here; FreqOfFreq.from_pairs drops them")
        # Coerced values (2.0 -> 2, numpy ints -> int) replace the raw ones so that equality,
        # hashing and exact integer sums behave the same however the table was built.
        object.__setattr__(self, "r", r)
        object.__setattr__(self, "n_r", n_r)

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[object, object]] | Mapping[object, object]
    ) -> FreqOfFreq:
        """Build a table from ``(r, N_r)`` pairs (or a mapping ``{r: N_r}``) in any order.

        Whole-number floats (``2.0``) are accepted. Rows with ``N_r = 0`` are dropped: they say
        that no key was seen ``r`` times, which the table already says by leaving ``r`` out.

        Raises
        ------
        FofError
            On a row that is not a pair, a negative or fractional ``r`` or ``N_r``, ``r = 0``,
            a duplicated ``r``, or a table with no key (no rows, or every ``N_r = 0``).
        """
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        table: dict[int, int] = {}
        for row in items:
            try:
                raw_r, raw_n = row
            except (TypeError, ValueError):
                raise FofError(f"each row must be a pair (r, n_r), got {row!r}") from None
            r = _count(raw_r, "r")
            n_r = _count(raw_n, "n_r")
            if r == 0:
                raise FofError(
                    "r = 0 rows are not allowed: r counts observed keys, and the number of "
                    "unseen keys is what the estimators estimate"
                )
            if r in table:
                raise FofError(f"duplicated r = {r} in the frequency-of-frequencies table")
            table[r] = n_r
        kept = sorted((r, n) for r, n in table.items() if n > 0)
        if not kept:
            raise FofError(
                "empty frequency-of-frequencies table: no rows, or every n_r is 0 (no key "
                "was observed)"
            )
        return cls(r=tuple(r for r, _ in kept), n_r=tuple(n for _, n in kept))

    @classmethod
    def from_counts(cls, counts: Iterable[object]) -> FreqOfFreq:
        """Build a table from one count per observed key (e.g. ``[3, 1, 1, 2]``).

        Raises
        ------
        FofError
            On a count that is negative, fractional or zero (a key with count 0 was not
            observed and does not belong in the input), or on empty input.
        """
        if isinstance(counts, np.ndarray) and counts.dtype.kind in "iuf":
            return cls._from_count_array(counts.ravel())
        tally: Counter[int] = Counter()
        for value in counts:
            count = _count(value, "a per-key count")
            if count == 0:
                raise FofError("a per-key count of 0 is not an observation; drop unseen keys")
            tally[count] += 1
        if not tally:
            raise FofError("empty input: no per-key counts")
        return cls.from_pairs(tally.items())

    @classmethod
    def _from_count_array(cls, counts: np.ndarray) -> FreqOfFreq:
        # Vectorised twin of the generic path, for the large arrays simulations produce.
        if counts.size == 0:
            raise FofError("empty input: no per-key counts")
        if counts.dtype.kind == "f" and (
            not np.all(np.isfinite(counts)) or np.any(counts != np.floor(counts))
        ):
            raise FofError("per-key counts must be whole numbers")
        if np.any(counts < 0):
            raise FofError("per-key counts must not be negative")
        if np.any(counts == 0):
            raise FofError("a per-key count of 0 is not an observation; drop unseen keys")
        values, freq = np.unique(counts.astype(np.int64), return_counts=True)
        return cls(r=tuple(int(v) for v in values), n_r=tuple(int(f) for f in freq))

    @property
    def n(self) -> int:
        """``N = Σ r·N_r``: the number of occurrences in the sample."""
        return sum(r * n for r, n in zip(self.r, self.n_r, strict=True))

    @property
    def distinct(self) -> int:
        """``S_obs = Σ N_r``: the number of distinct keys observed."""
        return sum(self.n_r)

    def f(self, r: int) -> int:
        """``N_r`` for any ``r >= 1``: 0 when no key was seen exactly ``r`` times.

        Raises
        ------
        ValueError
            For ``r < 1``: ``N_0`` (the unseen keys) is unknown, not zero; estimate it with
            :func:`singleton_rate.estimate.chao1`.
        """
        if r < 1:
            raise ValueError(f"N_r is only known for r >= 1 (got r = {r}); N_0 is unknown")
        i = bisect.bisect_left(self.r, r)
        return self.n_r[i] if i < len(self.r) and self.r[i] == r else 0

    @property
    def f1(self) -> int:
        """``N_1``: the number of singleton keys."""
        return self.f(1)

    @property
    def f2(self) -> int:
        """``N_2``: the number of keys seen exactly twice."""
        return self.f(2)

    def items(self) -> tuple[tuple[int, int], ...]:
        """The rows as ``((r, N_r), ...)`` in increasing ``r``."""
        return tuple(zip(self.r, self.n_r, strict=True))

    def as_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(r, N_r)`` as fresh int64 numpy arrays (copies: the table stays immutable)."""
        return np.asarray(self.r, dtype=np.int64), np.asarray(self.n_r, dtype=np.int64)
