"""Brute-force recomputations from raw mentions, written for clarity, not speed.

Each recomputes a quantity from its definition (dictionaries and loops over documents and
keys), independently of :mod:`clustered.summaries`' vectorised code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations


def per_doc(doc: Sequence[object], key: Sequence[object], unit: str) -> dict[object, Counter]:
    """``{doc: Counter({key: w_kd})}`` with ``w_kd`` = mentions or 1."""
    out: dict[object, Counter] = defaultdict(Counter)
    for d, k in zip(doc, key, strict=True):
        out[d][k] += 1
    if unit == "document":
        out = {d: Counter(dict.fromkeys(c, 1)) for d, c in out.items()}
    return dict(out)


def lodo(docs: dict[object, Counter]) -> tuple[int, int]:
    """``(Y, N)``: occurrences whose key is in one document only, and all occurrences."""
    doc_count: Counter = Counter()
    for c in docs.values():
        for k in c:
            doc_count[k] += 1
    n = sum(sum(c.values()) for c in docs.values())
    y = sum(w for c in docs.values() for k, w in c.items() if doc_count[k] == 1)
    return y, n


def summary(doc: Sequence[object], key: Sequence[object], unit: str) -> dict[str, int]:
    docs = per_doc(doc, key, unit)
    total: Counter = Counter()
    doc_sets: dict[object, set] = defaultdict(set)
    for d, c in docs.items():
        for k, w in c.items():
            total[k] += w
            doc_sets[k].add(d)
    x = {d: sum(c.values()) for d, c in docs.items()}
    y = {d: sum(w for k, w in c.items() if len(doc_sets[k]) == 1) for d, c in docs.items()}
    pair = 0
    for d1, d2 in combinations(sorted(docs, key=str), 2):
        shared = [k for k, s in doc_sets.items() if s == {d1, d2}]
        a = sum(docs[d1][k] for k in shared)
        b = sum(docs[d2][k] for k in shared)
        pair += a * b
    return {
        "n": sum(x.values()),
        "n_docs": len(docs),
        "sum_x2": sum(v * v for v in x.values()),
        "n1": sum(1 for v in total.values() if v == 1),
        "n2": sum(1 for v in total.values() if v == 2),
        "lodo": sum(y.values()),
        "sum_y2": sum(v * v for v in y.values()),
        "sum_xy": sum(x[d] * y[d] for d in docs),
        "pair_term": pair,
        "distinct": len(total),
    }


def group_rows(
    doc: Sequence[object], key: Sequence[object], group: Sequence[object], unit: str
) -> dict[object, tuple[int, int]]:
    """``{g: (N − n_g, Y^(−g))}``, recomputed on the corpus with group ``g`` deleted."""
    out = {}
    for g in sorted(set(group), key=str):
        keep = [i for i, gi in enumerate(group) if gi != g]
        docs = per_doc([doc[i] for i in keep], [key[i] for i in keep], unit)
        y, n = lodo(docs) if docs else (0, 0)
        out[g] = (n, y)
    return out


def heldout(
    doc: Sequence[object], key: Sequence[object], held: Sequence[bool], unit: str
) -> dict[str, int]:
    train_keys = {k for k, h in zip(key, held, strict=True) if not h}
    docs = per_doc(
        [d for d, h in zip(doc, held, strict=True) if h],
        [k for k, h in zip(key, held, strict=True) if h],
        unit,
    )
    x = {d: sum(c.values()) for d, c in docs.items()}
    y = {d: sum(w for k, w in c.items() if k not in train_keys) for d, c in docs.items()}
    return {
        "n_docs": len(docs),
        "sum_x": sum(x.values()),
        "sum_y": sum(y.values()),
        "sum_x2": sum(v * v for v in x.values()),
        "sum_y2": sum(v * v for v in y.values()),
        "sum_xy": sum(x[d] * y[d] for d in docs),
    }
