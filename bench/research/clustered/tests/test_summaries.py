"""Count-stage tables: hand-worked values, brute-force equality, corner cases."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from clustered import cluster_summary, document_groups, group_table, heldout_summary, occurrences
from tests import _brute

# The running example. d0 = [a, a, b], d1 = [b, c], d2 = [c, c, d].
DOCS = ["d0", "d0", "d0", "d1", "d1", "d2", "d2", "d2"]
KEYS = ["a", "a", "b", "b", "c", "c", "c", "d"]


def _as_dict(s: object) -> dict[str, int]:
    return {f: getattr(s, f) for f in _brute.summary(DOCS, KEYS, "document")}


# --------------------------------------------------------------------------------------------
# Hand-worked values
# --------------------------------------------------------------------------------------------


def test_summary_document_unit_by_hand() -> None:
    # Occurrences (d0,a) (d0,b) (d1,b) (d1,c) (d2,c) (d2,d): N = 6.
    # Document counts a:1 b:2 c:2 d:1 -> N1 = 2 (a, d), N2 = 2 (b, c); Y = N1 = 2.
    # x = (2, 2, 2): Σx² = 12. y = (1, 0, 1): Σy² = 2, Σxy = 2·1 + 2·0 + 2·1 = 4.
    # Doubletons: b on {d0, d1} (A = B = 1), c on {d1, d2} (A = B = 1): P = 1 + 1 = 2.
    s = cluster_summary(DOCS, KEYS, "document")
    assert _as_dict(s) == {
        "n": 6,
        "n_docs": 3,
        "sum_x2": 12,
        "n1": 2,
        "n2": 2,
        "lodo": 2,
        "sum_y2": 2,
        "sum_xy": 4,
        "pair_term": 2,
        "distinct": 4,
    }
    assert s.estimate == pytest.approx(1 / 3)
    assert s.n_eff == pytest.approx(36 / 12)


def test_summary_mention_unit_by_hand() -> None:
    # Mentions: N = 8; mention counts a:2 b:2 c:3 d:1 -> N1 = 1 (d), N2 = 2 (a, b).
    # x = (3, 2, 3): Σx² = 9 + 4 + 9 = 22. Keys in one document only: a (2 mentions in d0)
    # and d (1 in d2): y = (2, 0, 1), Y = 3, Σy² = 4 + 0 + 1 = 5, Σxy = 6 + 0 + 3 = 9.
    # Doubletons by document: b on {d0, d1} with 1 and 1 mentions -> 1·1; c on {d1, d2}
    # with 1 and 2 mentions -> 1·2: P = 3.
    s = cluster_summary(DOCS, KEYS, "mention")
    assert _as_dict(s) == {
        "n": 8,
        "n_docs": 3,
        "sum_x2": 22,
        "n1": 1,
        "n2": 2,
        "lodo": 3,
        "sum_y2": 5,
        "sum_xy": 9,
        "pair_term": 3,
        "distinct": 4,
    }
    assert s.estimate == pytest.approx(3 / 8)  # LODO, versus the mention-unit N1/N = 1/8
    assert s.singleton_rate == pytest.approx(1 / 8)


def test_pair_term_sums_shared_keys_per_document_pair() -> None:
    # d0 = [a, b, c], d1 = [a, b], d2 = [c]: a and b both on exactly {d0, d1}, c on {d0, d2}.
    # Pair {d0, d1}: A = 2 (a, b in d0), B = 2 (a, b in d1) -> 4. Pair {d0, d2}: 1·1 = 1.
    # P = 5, whereas the per-key (independent) version Σ_k w_k1·w_k2 would be 3.
    s = cluster_summary(["d0"] * 3 + ["d1"] * 2 + ["d2"], list("abcabc"), "document")
    assert s.pair_term == 5
    assert s.n2 == 3


def test_group_table_by_hand() -> None:
    # Groups: d0 -> 0; d1, d2 -> 1. Document unit.
    # Delete group 0: (d1,b) (d1,c) (d2,c) (d2,d): N = 4; b and d in one document -> Y = 2.
    # Delete group 1: (d0,a) (d0,b): N = 2, both in one document -> Y = 2.
    groups = [0, 0, 0, 1, 1, 1, 1, 1]
    t = group_table(DOCS, KEYS, groups, "document")
    assert t.group.tolist() == [0, 1]
    assert t.n_g.tolist() == [2, 4]
    assert t.n_minus.tolist() == [4, 2]
    assert t.lodo_minus.tolist() == [2, 2]
    # Mention unit. Delete group 0: b:1 (d1), c:1+2 (d1, d2), d:1 (d2): N = 5, Y = 1 + 1.
    # Delete group 1: a:2, b:1, both only in d0: N = 3, Y = 3.
    t = group_table(DOCS, KEYS, groups, "mention")
    assert t.n_minus.tolist() == [5, 3]
    assert t.lodo_minus.tolist() == [2, 3]


def test_heldout_summary_by_hand() -> None:
    # d2 held out. Document unit: (d2,c) seen in train (d1), (d2,d) unseen: x = 2, y = 1.
    # Mention unit: c, c, d: x = 3, y = 1.
    held = [d == "d2" for d in DOCS]
    h = heldout_summary(DOCS, KEYS, held, "document")
    assert (h.n_docs, h.sum_x, h.sum_y, h.sum_x2, h.sum_y2, h.sum_xy) == (1, 2, 1, 4, 1, 2)
    h = heldout_summary(DOCS, KEYS, held, "mention")
    assert (h.n_docs, h.sum_x, h.sum_y, h.sum_x2, h.sum_y2, h.sum_xy) == (1, 3, 1, 9, 1, 3)
    assert h.share == pytest.approx(1 / 3)


def test_document_groups_is_md5_mod_g() -> None:
    ids = ["doc-1", "doc-2", "x", "doc-1"]
    expected = [int(hashlib.md5(f"7:{i}".encode()).hexdigest()[:16], 16) % 13 for i in ids]
    assert document_groups(ids, 13, seed=7).tolist() == expected


# --------------------------------------------------------------------------------------------
# Brute force on random corpora
# --------------------------------------------------------------------------------------------


def _random_corpus(seed: int, docs: int, keys: int, max_len: int) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    doc, key = [], []
    for d in range(docs):
        for _ in range(int(rng.integers(1, max_len + 1))):
            doc.append(f"doc{d}")
            key.append(int(rng.zipf(1.6)) % keys)
    order = rng.permutation(len(doc))  # input order must not matter
    return [doc[i] for i in order], [key[i] for i in order]


CORPORA = [
    (seed, docs, keys, max_len)
    for seed, (docs, keys, max_len) in enumerate(
        [(1, 5, 4), (7, 6, 5), (30, 20, 6), (60, 200, 3), (40, 15, 8)]
    )
]


@pytest.mark.parametrize(("seed", "docs", "keys", "max_len"), CORPORA)
@pytest.mark.parametrize("unit", ["mention", "document"])
def test_summary_equals_brute_force(
    seed: int, docs: int, keys: int, max_len: int, unit: str
) -> None:
    doc, key = _random_corpus(seed, docs, keys, max_len)
    s = cluster_summary(doc, key, unit)
    assert {f: getattr(s, f) for f in _brute.summary(doc, key, unit)} == _brute.summary(
        doc, key, unit
    )


@pytest.mark.parametrize(("seed", "docs", "keys", "max_len"), CORPORA)
@pytest.mark.parametrize("unit", ["mention", "document"])
@pytest.mark.parametrize("groups", [1, 3, 20, 1000])  # 1000 > documents: sparse groups
def test_group_table_equals_brute_force(
    seed: int, docs: int, keys: int, max_len: int, unit: str, groups: int
) -> None:
    doc, key = _random_corpus(seed, docs, keys, max_len)
    g = document_groups(doc, groups, seed=seed).tolist()
    t = group_table(doc, key, g, unit)
    brute = _brute.group_rows(doc, key, g, unit)
    assert t.group.tolist() == sorted(brute)
    assert len(t.group) <= min(groups, docs)
    got = {
        int(gl): (int(n), int(y)) for gl, n, y in zip(t.group, t.n_minus, t.lodo_minus, strict=True)
    }
    assert got == brute
    assert int(t.n_g.sum()) == cluster_summary(doc, key, unit).n


@pytest.mark.parametrize(("seed", "docs", "keys", "max_len"), CORPORA)
@pytest.mark.parametrize("unit", ["mention", "document"])
def test_heldout_summary_equals_brute_force(
    seed: int, docs: int, keys: int, max_len: int, unit: str
) -> None:
    doc, key = _random_corpus(seed, docs, keys, max_len)
    order = sorted(set(doc))
    held_docs = set(order[::3])  # every third document (with one document: all, no train)
    held = [d in held_docs for d in doc]
    h = heldout_summary(doc, key, held, unit)
    b = _brute.heldout(doc, key, held, unit)
    assert {f: getattr(h, f) for f in b} == b


# --------------------------------------------------------------------------------------------
# Corner cases
# --------------------------------------------------------------------------------------------


def test_one_document() -> None:
    # Every key occurs in the one document: all of it is "unique to one document".
    s = cluster_summary(["d"] * 4, ["a", "a", "b", "c"], "mention")
    assert (s.n, s.n_docs, s.lodo, s.sum_x2, s.pair_term) == (4, 1, 4, 16, 0)
    assert s.estimate == 1.0 and s.n_eff == 1.0
    t = group_table(["d"] * 4, ["a", "a", "b", "c"], [5] * 4, "mention")
    assert t.group.tolist() == [5] and t.n_minus.tolist() == [0] and t.lodo_minus.tolist() == [0]


def test_all_singletons() -> None:
    s = cluster_summary(list(range(5)), list("abcde"), "document")
    assert (s.n, s.n1, s.n2, s.lodo, s.pair_term) == (5, 5, 0, 5, 0)


def test_no_singletons() -> None:
    # Each key in two documents: d0 = [a, b], d1 = [a, b], d2 = [c], d3 = [c].
    # No key is unique to a document (Y = 0). Pairs: {d0, d1} shares a and b: 2·2 = 4;
    # {d2, d3} shares c: 1·1 = 1 -> P = 5.
    s = cluster_summary(["d0", "d0", "d1", "d1", "d2", "d3"], list("ababcc"), "document")
    assert (s.lodo, s.n1, s.n2, s.pair_term) == (0, 0, 3, 5)


def test_errors() -> None:
    with pytest.raises(ValueError, match="unit"):
        cluster_summary([0], [0], "page")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no mentions"):
        occurrences([], [], "mention")
    with pytest.raises(ValueError, match="length"):
        cluster_summary([0, 1], [0], "mention")
    with pytest.raises(ValueError, match="more than one group"):
        group_table([0, 0], [1, 2], [0, 1], "mention")
    with pytest.raises(ValueError, match="both sides"):
        heldout_summary([0, 0], [1, 2], [True, False], "mention")
    with pytest.raises(ValueError, match="groups"):
        document_groups(["a"], 0)
