"""Count-stage reference: raw per-mention arrays → the small tables the estimators read.

The count stage (Spark/DuckDB) sees up to 10^8 mentions, one row per extracted statement,
with a document id and a key (a fact ``(entity, attribute, value)`` or a prompt
``(entity, attribute)``). The estimators in :mod:`clustered.intervals` need only:

- :class:`ClusterSummary` — eleven scalars per (scope, unit, key);
- :class:`GroupTable` — one row per document group ``g`` (``G`` rows, e.g. 50) for the
  delete-a-group jackknife;
- :class:`HeldoutSummary` — six scalars per (scope, unit, key) for the held-out check.

Every function here is the numpy reference the SQL must reproduce; each step is a
``GROUP BY`` or a join and is named in the docstrings. Notation used throughout:

- an *occurrence* is a mention (``unit = "mention"``) or a distinct (document, key) pair
  (``unit = "document"``); ``w_kd`` is the number of occurrences of key ``k`` in document
  ``d`` (its mention count, or 1 at the document unit);
- ``a_k`` = number of documents containing ``k`` (its document count), ``w_k = Σ_d w_kd``;
- ``x_d = Σ_k w_kd`` (occurrences in ``d``), ``N = Σ_d x_d``;
- ``y_d = Σ_{k: a_k = 1} w_kd``: occurrences in ``d`` whose key occurs in no other document.

The leave-one-document-out (LODO) estimate of the missing mass is ``θ̂ = Σ_d y_d / N``: the
share of occurrences whose key occurs in one document only. At the document unit it is
exactly Turing's ``N1/N`` on the document-unit counts; at the mention unit it is the
mention-weighted version, which (unlike the mention-unit ``N1/N``) does not treat a fact
repeated inside one document as seen twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Unit = Literal["mention", "document"]
UNITS: tuple[Unit, ...] = ("mention", "document")

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _codes(values: ArrayLike) -> tuple[IntArray, int]:
    """Dense integer codes ``0..m-1`` for any 1-d array of hashable ids (strings, ints)."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"expected a 1-d array, got shape {arr.shape}")
    uniques, inverse = np.unique(arr, return_inverse=True)
    return inverse.astype(np.int64).ravel(), int(uniques.size)


def _pairs(first: IntArray, second: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct ``(first, second)`` pairs and how many rows each has (``GROUP BY a, b``).

    Sorted by ``first`` then ``second``; works for any int64 codes without overflow.
    """
    if first.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    order = np.lexsort((second, first))
    a, b = first[order], second[order]
    start = np.ones(a.size, dtype=bool)
    start[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    idx = np.flatnonzero(start)
    counts = np.diff(np.append(idx, a.size)).astype(np.int64)
    return a[idx], b[idx], counts


def _check_unit(unit: str) -> Unit:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
    return unit  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Occurrences
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Occurrences:
    """Distinct (document, key) pairs with their occurrence weight ``w_kd``.

    ``doc`` and ``key`` are dense codes (``0..n_docs-1``, ``0..n_keys-1``), sorted by
    ``(doc, key)``; ``weight`` is the mention count of the pair (mention unit) or 1
    (document unit).
    """

    doc: IntArray
    key: IntArray
    weight: IntArray
    n_docs: int
    n_keys: int
    unit: Unit


def occurrences(doc_id: ArrayLike, key: ArrayLike, unit: Unit) -> Occurrences:
    """Collapse raw mentions to (document, key) pairs: ``GROUP BY doc_id, key``.

    Parameters
    ----------
    doc_id, key
        One entry per mention (any hashable dtype; a key spanning several columns should
        be combined into one id first, e.g. a struct or a hash in SQL).
    unit
        ``"mention"``: ``w_kd = count(*)``; ``"document"``: ``w_kd = 1``.

    Examples
    --------
    >>> occ = occurrences([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4], "mention")
    >>> occ.doc.tolist(), occ.key.tolist(), occ.weight.tolist()
    ([0, 0, 1, 1, 2, 2], [0, 1, 1, 2, 2, 3], [2, 1, 1, 1, 2, 1])
    >>> occurrences([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4], "document").weight.tolist()
    [1, 1, 1, 1, 1, 1]
    """
    chosen = _check_unit(unit)
    d, n_docs = _codes(doc_id)
    k, n_keys = _codes(key)
    if d.size != k.size:
        raise ValueError(f"doc_id and key differ in length ({d.size} and {k.size})")
    if d.size == 0:
        raise ValueError("no mentions: nothing to summarise")
    pd, pk, counts = _pairs(d, k)
    weight = counts if chosen == "mention" else np.ones_like(counts)
    return Occurrences(pd, pk, weight, n_docs, n_keys, chosen)


# --------------------------------------------------------------------------------------------
# The scalar summary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """The scalars every clustered estimator of :mod:`clustered.intervals` needs.

    Attributes
    ----------
    unit
        ``"mention"`` or ``"document"``.
    n
        ``N = Σ_d x_d``, the number of occurrences.
    n_docs
        Documents with at least one occurrence.
    sum_x2
        ``Σ_d x_d²`` (Kish's effective size is ``N²/Σ_d x_d²``).
    n1, n2
        The unit's own frequency-of-frequencies entries: keys whose unit count ``w_k`` is
        1 and 2 (what the existing ``N1/N`` and Esty interval use).
    lodo
        ``Y = Σ_d y_d``: occurrences whose key occurs in exactly one document. At the
        document unit ``Y = n1``.
    sum_y2, sum_xy
        ``Σ_d y_d²`` and ``Σ_d x_d·y_d``.
    pair_term
        ``P = Σ_{d<d'} A_{dd'}·B_{dd'}`` over pairs of documents, where ``A_{dd'}`` (resp.
        ``B_{dd'}``) is the occurrences in ``d`` (resp. ``d'``) of the keys whose document
        set is exactly ``{d, d'}``. With one occurrence per document, ``P = N2``.
    distinct
        Distinct keys.
    """

    unit: Unit
    n: int
    n_docs: int
    sum_x2: int
    n1: int
    n2: int
    lodo: int
    sum_y2: int
    sum_xy: int
    pair_term: int
    distinct: int

    @property
    def estimate(self) -> float:
        """``θ̂ = Y/N``, the leave-one-document-out missing-mass estimate."""
        return self.lodo / self.n

    @property
    def singleton_rate(self) -> float:
        """The unit's ``N1/N`` (the existing estimator; biased at the mention unit)."""
        return self.n1 / self.n

    @property
    def n_eff(self) -> float:
        """Kish's effective sample size ``N²/Σ_d x_d²`` (``= N`` with one occurrence/doc)."""
        return self.n * self.n / self.sum_x2


def cluster_summary(doc_id: ArrayLike, key: ArrayLike, unit: Unit) -> ClusterSummary:
    """Compute :class:`ClusterSummary` from raw per-mention arrays.

    The SQL translation (one scope, one key definition):

    1. ``pairs``: ``SELECT doc_id, key, count(*) AS m FROM mentions GROUP BY ALL``;
       ``w = m`` (mention unit) or ``1`` (document unit).
    2. ``keys``: ``SELECT key, count(*) AS a, sum(w) AS wk FROM pairs GROUP BY key``.
       ``n1 = count_if(wk = 1)``, ``n2 = count_if(wk = 2)`` (the existing fof rows).
    3. ``docs``: ``pairs JOIN keys USING (key)`` then ``GROUP BY doc_id`` with
       ``x = sum(w)``, ``y = sum(w) FILTER (WHERE a = 1)``; then the scalars
       ``N = sum(x)``, ``sum(x*x)``, ``sum(y)``, ``sum(y*y)``, ``sum(x*y)``.
    4. ``pair_term``: for keys with ``a = 2``, ``min(doc_id) AS d1, max(doc_id) AS d2`` and
       the weight in each (``arg_min``/``arg_max`` or a self-join), then
       ``GROUP BY d1, d2`` with ``A = sum(w at d1)``, ``B = sum(w at d2)``, and
       ``pair_term = sum(A*B)``.

    Examples
    --------
    Documents ``d0 = [a, a, b]``, ``d1 = [b, c]``, ``d2 = [c, c, d]`` (keys coded 1..4).

    Document unit: occurrences ``(0,a) (0,b) (1,b) (1,c) (2,c) (2,d)``, ``N = 6``; document
    counts ``a:1 b:2 c:2 d:1`` so ``N1 = 2``, ``N2 = 2``; ``x = (2, 2, 2)``,
    ``y = (1, 0, 1)`` (``a`` is unique to d0, ``d`` to d2): ``Σx² = 12``, ``Σy = 2``,
    ``Σy² = 2``, ``Σxy = 4``; doubleton keys ``b`` on ``{d0, d1}`` and ``c`` on
    ``{d1, d2}`` give ``P = 1·1 + 1·1 = 2``.

    >>> docs, keys = [0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4]
    >>> s = cluster_summary(docs, keys, "document")
    >>> (s.n, s.n1, s.n2, s.sum_x2, s.lodo, s.sum_y2, s.sum_xy, s.pair_term)
    (6, 2, 2, 12, 2, 2, 4, 2)

    Mention unit: ``N = 8``; mention counts ``a:2 b:2 c:3 d:1`` so ``N1 = 1``, ``N2 = 2``;
    ``x = (3, 2, 3)``; ``y = (2, 0, 1)`` (the two mentions of ``a``, the one of ``d``):
    ``Y = 3``, ``Σx² = 22``, ``Σy² = 5``, ``Σxy = 9``; ``P = 1·1 (b) + 1·2 (c) = 3``.

    >>> s = cluster_summary(docs, keys, "mention")
    >>> (s.n, s.n1, s.n2, s.sum_x2, s.lodo, s.sum_y2, s.sum_xy, s.pair_term)
    (8, 1, 2, 22, 3, 5, 9, 3)
    >>> s.estimate, s.singleton_rate
    (0.375, 0.125)
    """
    occ = occurrences(doc_id, key, unit)
    return summary_from_occurrences(occ)


def summary_from_occurrences(occ: Occurrences) -> ClusterSummary:
    """:func:`cluster_summary` on already collapsed :class:`Occurrences`."""
    a_k = np.bincount(occ.key, minlength=occ.n_keys)
    w_k = np.bincount(occ.key, weights=occ.weight, minlength=occ.n_keys).astype(np.int64)
    x_d = np.bincount(occ.doc, weights=occ.weight, minlength=occ.n_docs).astype(np.int64)
    unique_row = a_k[occ.key] == 1
    y_d = np.bincount(
        occ.doc[unique_row], weights=occ.weight[unique_row], minlength=occ.n_docs
    ).astype(np.int64)
    return ClusterSummary(
        unit=occ.unit,
        n=int(x_d.sum()),
        n_docs=int(np.count_nonzero(x_d)),
        sum_x2=int(np.sum(x_d * x_d)),
        n1=int(np.count_nonzero(w_k == 1)),
        n2=int(np.count_nonzero(w_k == 2)),
        lodo=int(y_d.sum()),
        sum_y2=int(np.sum(y_d * y_d)),
        sum_xy=int(np.sum(x_d * y_d)),
        pair_term=_pair_term(occ, a_k),
        distinct=int(np.count_nonzero(a_k)),
    )


def _group_index(first: IntArray, second: IntArray) -> tuple[IntArray, int]:
    """For each row, the index of its distinct ``(first, second)`` pair, and the pair count."""
    order = np.lexsort((second, first))
    a, b = first[order], second[order]
    start = np.ones(a.size, dtype=bool)
    start[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    index = np.empty(a.size, dtype=np.int64)
    index[order] = np.cumsum(start) - 1
    return index, int(start.sum())


def _pair_term(occ: Occurrences, a_k: IntArray) -> int:
    rows = np.flatnonzero(a_k[occ.key] == 2)
    if rows.size == 0:
        return 0
    order = rows[np.lexsort((occ.doc[rows], occ.key[rows]))]  # by key, then document
    first, second = order[0::2], order[1::2]  # each doubleton key: its two documents
    index, n_pairs = _group_index(occ.doc[first], occ.doc[second])
    a = np.bincount(index, weights=occ.weight[first], minlength=n_pairs)
    b = np.bincount(index, weights=occ.weight[second], minlength=n_pairs)
    return round(float(np.sum(a * b)))


# --------------------------------------------------------------------------------------------
# Document groups and the delete-a-group jackknife table
# --------------------------------------------------------------------------------------------


def document_groups(doc_ids: Sequence[object] | ArrayLike, groups: int, seed: int = 0) -> IntArray:
    """Group of each document: ``int(md5(f"{seed}:{doc_id}")[:16], 16) mod G``.

    The same hash as ``singleton_rate.validate.split_hash``; in DuckDB:
    ``('0x' || substr(md5('<seed>:' || doc_id), 1, 16))::UBIGINT % G``. Stable across
    engines, so the jackknife groups are reproducible.

    Examples
    --------
    >>> document_groups(["a", "b", "c"], 2).tolist()
    [0, 1, 1]
    """
    if isinstance(groups, bool) or int(groups) != groups or groups < 1:
        raise ValueError(f"groups must be a whole number >= 1, got {groups!r}")
    ids = np.asarray(doc_ids).ravel()
    uniques, inverse = np.unique(ids, return_inverse=True)
    hashed = np.array(
        [
            int(hashlib.md5(f"{seed}:{u}".encode()).hexdigest()[:16], 16) % int(groups)
            for u in uniques.tolist()
        ],
        dtype=np.int64,
    )
    return hashed[inverse.ravel()]


@dataclass(frozen=True, slots=True)
class GroupTable:
    """One row per non-empty document group ``g``.

    Attributes
    ----------
    group
        The group labels present.
    n_g
        Occurrences in the group's documents.
    n_minus
        ``N − n_g``: occurrences left when the group is deleted.
    lodo_minus
        ``Y^(−g)``: the leave-one-document-out numerator recomputed without group ``g``,
        ``Σ_k (w_k − w_kg)·[a_k − a_kg = 1]``. At the document unit this is
        ``N1^(−g) = #{k : a_k − a_kg = 1}``.
    unit
        The count unit.
    """

    group: IntArray
    n_g: IntArray
    n_minus: IntArray
    lodo_minus: IntArray
    unit: Unit


def group_table(doc_id: ArrayLike, key: ArrayLike, group: ArrayLike, unit: Unit) -> GroupTable:
    """Per-group sizes and leave-group-out numerators, from per-(key, group) counts.

    ``group`` gives each mention the group of its document (for example
    :func:`document_groups` applied to ``doc_id``); every mention of a document must carry
    the same group. The SQL:

    1. ``pairs`` and ``keys`` as in :func:`cluster_summary` (``a_k``, ``w_k``);
    2. ``kg``: ``SELECT key, g, count(*) AS a_kg, sum(w) AS w_kg FROM pairs GROUP BY ALL``;
    3. per group: ``n_g = sum(w_kg)`` and
       ``delta_g = sum(CASE WHEN a_k - a_kg = 1 THEN w_k - w_kg ELSE 0 END)
       - sum(CASE WHEN a_k = 1 THEN w_k ELSE 0 END)`` over ``kg JOIN keys``;
    4. ``lodo_minus = Y + delta_g``, ``n_minus = N − n_g``.

    Only keys present in ``g`` change when ``g`` is deleted, which is why the per-(key,
    group) table suffices: its size is at most the number of (document, key) pairs, and in
    practice close to the number of keys.

    Examples
    --------
    The corpus of :func:`cluster_summary` with d0 in group 0 and d1, d2 in group 1,
    document unit. Deleting group 0 leaves ``(1,b) (1,c) (2,c) (2,d)``: ``N = 4`` and the
    keys in one document only are ``b`` and ``d``, so ``Y = 2``. Deleting group 1 leaves
    ``(0,a) (0,b)``: ``N = 2``, ``Y = 2``.

    >>> docs, keys = [0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4]
    >>> groups = [0, 0, 0, 1, 1, 1, 1, 1]
    >>> t = group_table(docs, keys, groups, "document")
    >>> t.group.tolist(), t.n_minus.tolist(), t.lodo_minus.tolist()
    ([0, 1], [4, 2], [2, 2])

    Mention unit: deleting group 0 leaves ``b:1 c:3 d:1`` mentions over documents
    ``b:{d1} c:{d1,d2} d:{d2}``, so ``Y = 1 + 1 = 2`` of ``N = 5``; deleting group 1 leaves
    ``a:2 b:1`` in d0 only, ``Y = 3`` of ``N = 3``.

    >>> t = group_table(docs, keys, groups, "mention")
    >>> t.n_minus.tolist(), t.lodo_minus.tolist()
    ([5, 3], [2, 3])
    """
    chosen = _check_unit(unit)
    d, _ = _codes(doc_id)
    k, _ = _codes(key)
    labels, g = np.unique(np.asarray(group).ravel(), return_inverse=True)
    g = g.astype(np.int64).ravel()
    if not (d.size == k.size == g.size):
        raise ValueError("doc_id, key and group must have the same length")
    occ = occurrences(d, k, chosen)  # d and k are dense codes already: kept as they are
    doc_group = np.full(occ.n_docs, -1, dtype=np.int64)
    doc_group[d] = g
    if np.any(doc_group[d] != g):
        raise ValueError("a document carries more than one group")
    a_k = np.bincount(occ.key, minlength=occ.n_keys)
    w_k = np.bincount(occ.key, weights=occ.weight, minlength=occ.n_keys).astype(np.int64)
    n_total = int(occ.weight.sum())
    y_total = int(occ.weight[a_k[occ.key] == 1].sum())
    # The per-(key, group) table: a_kg documents and w_kg occurrences of key k in group g.
    row_group = doc_group[occ.doc]
    index, n_kg = _group_index(occ.key, row_group)
    a_kg = np.bincount(index, minlength=n_kg).astype(np.int64)
    w_kg = np.bincount(index, weights=occ.weight, minlength=n_kg).astype(np.int64)
    kg_key = np.zeros(n_kg, dtype=np.int64)
    kg_group = np.zeros(n_kg, dtype=np.int64)
    kg_key[index] = occ.key
    kg_group[index] = row_group
    gain = np.where(a_k[kg_key] - a_kg == 1, w_k[kg_key] - w_kg, 0)
    loss = np.where(a_k[kg_key] == 1, w_k[kg_key], 0)
    delta = np.bincount(kg_group, weights=gain - loss, minlength=labels.size).astype(np.int64)
    n_g = np.bincount(kg_group, weights=w_kg, minlength=labels.size).astype(np.int64)
    group_labels = labels.astype(np.int64) if labels.dtype.kind in "iub" else np.arange(labels.size)
    return GroupTable(
        group=group_labels,
        n_g=n_g,
        n_minus=n_total - n_g,
        lodo_minus=y_total + delta,
        unit=chosen,
    )


# --------------------------------------------------------------------------------------------
# Held-out check
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeldoutSummary:
    """Per held-out document ``d``: ``x_d`` occurrences, ``y_d`` of them with a key absent
    from train; summed into six scalars.

    Attributes
    ----------
    n_docs
        Held-out documents with at least one occurrence (``h``).
    sum_x, sum_y, sum_x2, sum_y2, sum_xy
        ``Σx_d`` (= ``n_heldout``), ``Σy_d`` (= ``heldout_unseen``), ``Σx_d²``, ``Σy_d²``,
        ``Σx_d·y_d`` over held-out documents.
    unit
        The count unit.
    """

    n_docs: int
    sum_x: int
    sum_y: int
    sum_x2: int
    sum_y2: int
    sum_xy: int
    unit: Unit

    @property
    def share(self) -> float:
        """``Σy/Σx``: the held-out share of occurrences whose key never occurs in train."""
        return self.sum_y / self.sum_x


def heldout_summary(
    doc_id: ArrayLike, key: ArrayLike, heldout: ArrayLike, unit: Unit
) -> HeldoutSummary:
    """Held-out per-document totals for the cluster-robust held-out standard error.

    ``heldout`` is a boolean per mention (constant within a document; ``validate`` uses
    the md5 split). SQL: the held-out ``pairs`` ``LEFT JOIN train_keys``, then
    ``GROUP BY doc_id`` with ``x = sum(w)``, ``y = sum(w) FILTER (WHERE train key IS
    NULL)``, then the five sums and ``count(*)``.

    Examples
    --------
    The corpus of :func:`cluster_summary` with d2 held out: its document-unit occurrences
    are ``c`` (seen in d1) and ``d`` (never seen in train), so ``x = 2``, ``y = 1``; at the
    mention unit ``x = 3`` (``c, c, d``), ``y = 1``.

    >>> docs, keys = [0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4]
    >>> held = [d == 2 for d in docs]
    >>> h = heldout_summary(docs, keys, held, "document")
    >>> (h.n_docs, h.sum_x, h.sum_y, h.sum_x2, h.sum_y2, h.sum_xy)
    (1, 2, 1, 4, 1, 2)
    >>> heldout_summary(docs, keys, held, "mention").sum_x
    3
    """
    chosen = _check_unit(unit)
    held = np.asarray(heldout, dtype=bool).ravel()
    d, n_docs = _codes(doc_id)
    k, n_keys = _codes(key)
    if not (d.size == k.size == held.size):
        raise ValueError("doc_id, key and heldout must have the same length")
    doc_held = np.zeros(n_docs, dtype=np.int64)
    np.add.at(doc_held, d, held.astype(np.int64))
    doc_rows = np.bincount(d, minlength=n_docs)
    if np.any((doc_held != 0) & (doc_held != doc_rows)):
        raise ValueError("a document has mentions on both sides of the split")
    in_train = np.zeros(n_keys, dtype=bool)
    in_train[k[~held]] = True
    occ = occurrences(d[held], k[held], chosen) if held.any() else None
    if occ is None:
        return HeldoutSummary(0, 0, 0, 0, 0, 0, chosen)
    # occurrences() re-codes; map back to the global key codes to test train membership.
    held_keys = np.unique(k[held])
    unseen_row = ~in_train[held_keys[occ.key]]
    x_d = np.bincount(occ.doc, weights=occ.weight, minlength=occ.n_docs).astype(np.int64)
    y_d = np.bincount(
        occ.doc[unseen_row], weights=occ.weight[unseen_row], minlength=occ.n_docs
    ).astype(np.int64)
    return HeldoutSummary(
        n_docs=int(np.count_nonzero(x_d)),
        sum_x=int(x_d.sum()),
        sum_y=int(y_d.sum()),
        sum_x2=int(np.sum(x_d * x_d)),
        sum_y2=int(np.sum(y_d * y_d)),
        sum_xy=int(np.sum(x_d * y_d)),
        unit=chosen,
    )


# --------------------------------------------------------------------------------------------
# The count stage as it runs: one task per key partition, then a small combine step
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartitionOutput:
    """What one count task (one partition of KEYS, every mention of a key inside it) emits.

    Attributes
    ----------
    n1, n2, distinct
        The partition's fof entries (they add up across partitions).
    doc, x, y
        Per document with an occurrence in this partition: partial ``x_d`` and ``y_d``
        (they add up across partitions; ``y`` needs ``a_k``, which is complete here).
    pair_d1, pair_d2, pair_a, pair_b
        Per document pair ``d1 < d2`` carrying doubleton keys of this partition: the partial
        ``A`` and ``B`` (they add up across partitions; the PRODUCT must be taken after).
    group, n_g, delta_g
        Per jackknife group (if groups were given): partial ``n_g`` and
        ``Y^(−g) − Y`` (additive).
    """

    n1: int
    n2: int
    distinct: int
    doc: IntArray
    x: IntArray
    y: IntArray
    pair_d1: IntArray
    pair_d2: IntArray
    pair_a: IntArray
    pair_b: IntArray
    group: IntArray
    n_g: IntArray
    delta_g: IntArray


def partition_output(
    doc: IntArray, key: IntArray, unit: Unit, group_of_doc: IntArray | None = None
) -> PartitionOutput:
    """One task's output from its mentions (``doc``, ``key`` as global integer codes).

    Every mention of each key in ``key`` must be in this call (the shuffle by prompt
    guarantees it for prompt and fact keys alike). ``group_of_doc[d]`` is document ``d``'s
    jackknife group (global array indexed by document code), or ``None``.
    """
    chosen = _check_unit(unit)
    pd, pk, counts = _pairs(np.asarray(doc, np.int64), np.asarray(key, np.int64))
    w = counts if chosen == "mention" else np.ones_like(counts)
    ukeys, kidx = np.unique(pk, return_inverse=True)
    a_k = np.bincount(kidx, minlength=ukeys.size)
    w_k = np.bincount(kidx, weights=w, minlength=ukeys.size).astype(np.int64)
    udocs, didx = np.unique(pd, return_inverse=True)
    x = np.bincount(didx, weights=w, minlength=udocs.size).astype(np.int64)
    uniq = a_k[kidx] == 1
    y = np.bincount(didx[uniq], weights=w[uniq], minlength=udocs.size).astype(np.int64)
    # Doubleton keys: (d1, d2, w at d1, w at d2), grouped by the document pair.
    rows = np.flatnonzero(a_k[kidx] == 2)
    rows = rows[np.lexsort((pd[rows], pk[rows]))]
    first, second = rows[0::2], rows[1::2]
    if first.size:
        index, n_pairs = _group_index(pd[first], pd[second])
        p1 = np.zeros(n_pairs, np.int64)
        p2 = np.zeros(n_pairs, np.int64)
        p1[index], p2[index] = pd[first], pd[second]
        pa = np.bincount(index, weights=w[first], minlength=n_pairs).astype(np.int64)
        pb = np.bincount(index, weights=w[second], minlength=n_pairs).astype(np.int64)
    else:
        p1 = p2 = pa = pb = np.zeros(0, np.int64)
    if group_of_doc is not None:
        g_row = np.asarray(group_of_doc, np.int64)[pd]
        index, n_kg = _group_index(pk, g_row)
        a_kg = np.bincount(index, minlength=n_kg)
        w_kg = np.bincount(index, weights=w, minlength=n_kg).astype(np.int64)
        kg_k = np.zeros(n_kg, np.int64)
        kg_g = np.zeros(n_kg, np.int64)
        kg_k[index], kg_g[index] = kidx, g_row
        gain = np.where(a_k[kg_k] - a_kg == 1, w_k[kg_k] - w_kg, 0)
        loss = np.where(a_k[kg_k] == 1, w_k[kg_k], 0)
        groups, gidx = np.unique(kg_g, return_inverse=True)
        n_g = np.bincount(gidx, weights=w_kg, minlength=groups.size).astype(np.int64)
        delta = np.bincount(gidx, weights=gain - loss, minlength=groups.size).astype(np.int64)
    else:
        groups = n_g = delta = np.zeros(0, np.int64)
    return PartitionOutput(
        n1=int(np.count_nonzero(w_k == 1)),
        n2=int(np.count_nonzero(w_k == 2)),
        distinct=int(ukeys.size),
        doc=udocs,
        x=x,
        y=y,
        pair_d1=p1,
        pair_d2=p2,
        pair_a=pa,
        pair_b=pb,
        group=groups,
        n_g=n_g,
        delta_g=delta,
    )


def combine_partitions(
    parts: Sequence[PartitionOutput], unit: Unit
) -> tuple[ClusterSummary, GroupTable | None]:
    """The driver's combine step: sums by document, by document pair and by group.

    ``GROUP BY doc`` (sum ``x``, ``y``) then the five document sums; ``GROUP BY d1, d2``
    (sum ``A``, ``B``) then ``Σ A·B`` — the product only after the sum, because a document
    pair can carry doubleton keys from several partitions (two attributes of one entity
    stated in the same two documents); ``GROUP BY g`` (sum ``n_g``, ``delta_g``).
    """
    chosen = _check_unit(unit)
    doc = np.concatenate([p.doc for p in parts])
    x = np.concatenate([p.x for p in parts])
    y = np.concatenate([p.y for p in parts])
    _, di = np.unique(doc, return_inverse=True)
    xd = np.bincount(di, weights=x).astype(np.int64)
    yd = np.bincount(di, weights=y).astype(np.int64)
    d1 = np.concatenate([p.pair_d1 for p in parts])
    d2 = np.concatenate([p.pair_d2 for p in parts])
    pair = 0
    if d1.size:
        index, n_pairs = _group_index(d1, d2)
        a = np.bincount(index, weights=np.concatenate([p.pair_a for p in parts]), minlength=n_pairs)
        b = np.bincount(index, weights=np.concatenate([p.pair_b for p in parts]), minlength=n_pairs)
        pair = round(float(np.sum(a * b)))
    n = int(xd.sum())
    lodo = int(yd.sum())
    summary = ClusterSummary(
        unit=chosen,
        n=n,
        n_docs=int(np.count_nonzero(xd)),
        sum_x2=int(np.sum(xd * xd)),
        n1=sum(p.n1 for p in parts),
        n2=sum(p.n2 for p in parts),
        lodo=lodo,
        sum_y2=int(np.sum(yd * yd)),
        sum_xy=int(np.sum(xd * yd)),
        pair_term=pair,
        distinct=sum(p.distinct for p in parts),
    )
    groups = np.concatenate([p.group for p in parts])
    if groups.size == 0:
        return summary, None
    labels, gi = np.unique(groups, return_inverse=True)
    n_g = np.bincount(gi, weights=np.concatenate([p.n_g for p in parts])).astype(np.int64)
    delta = np.bincount(gi, weights=np.concatenate([p.delta_g for p in parts])).astype(np.int64)
    table = GroupTable(labels.astype(np.int64), n_g, n - n_g, lodo + delta, chosen)
    return summary, table
