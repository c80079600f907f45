"""The count stage's document-group sums (singleton_rate.tally.groups_sql) and the estimates'
document-level columns, against hand-worked values and a brute-force deletion of each group."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest
from test_tally import ROWS, mentions  # tests/ is on sys.path (rootdir conftest)

from singleton_rate.estimate.cluster import (
    document_group,
    heldout_cluster_std_error,
    jackknife_interval,
)
from singleton_rate.estimate.table import Relations, document_groups_all_scopes
from singleton_rate.tally import as_table, read_stats, tally, write_stats

KEY_COLS = {"fact": (2, 3, 4), "prompt": (2, 3)}


def brute_force(rows: list[tuple[str, ...]], groups: int) -> dict[tuple, tuple[int, int]]:
    """Per (scope, unit, key, group): (N^(−g), Y^(−g)), by deleting g's documents."""
    asserted = [r for r in rows if r[6] == "asserted"]
    group_of = {r[0]: document_group(r[0], groups) for r in asserted}
    out = {}
    for key, cols in KEY_COLS.items():
        for attribute in sorted({r[3] for r in asserted}):
            sub = [r for r in asserted if r[3] == attribute]
            for g in sorted({group_of[r[0]] for r in sub}):
                kept = [r for r in sub if group_of[r[0]] != g]
                docs: dict[tuple, set[str]] = defaultdict(set)
                mentions_of: Counter[tuple] = Counter()
                for r in kept:
                    k = tuple(r[c] for c in cols)
                    docs[k].add(r[0])
                    mentions_of[k] += 1
                for unit in ("mention", "document"):
                    w = mentions_of if unit == "mention" else {k: len(d) for k, d in docs.items()}
                    n = sum(w.values())
                    y = sum(w[k] for k in w if len(docs[k]) == 1)
                    out[(f"attribute={attribute}", unit, key, g)] = (n, y)
    return out


def counted(tmp_path: Path, partitions: list[list[tuple[str, ...]]], groups: int) -> pd.DataFrame:
    for i, rows in enumerate(partitions):
        part = f"part-{i:05d}"
        result = tally(
            mentions(rows) if rows else as_table([]),
            tmp_path / "f",
            tmp_path / "p",
            part,
            jackknife_groups=groups,
        )
        write_stats(result, tmp_path / "stats", part)
    totals = read_stats(tmp_path / "stats")
    assert totals.groups is not None and totals.lodo is not None
    return document_groups_all_scopes(
        totals.groups.to_pandas(), totals.lodo.to_pandas(), Relations({}, frozenset())
    )


def test_hand_worked_document_unit(tmp_path: Path) -> None:
    # G = 2: d3 alone in group 0, d1, d2, d4 in group 1.
    assert [document_group(d, 2) for d in ("d1", "d2", "d3", "d4")] == [1, 1, 0, 1]
    t = counted(tmp_path, [ROWS], 2).set_index(["scope", "unit", "key", "group"])
    # birth_date facts by document: 1815 in d1, d2; 1816 in d3. N = 3, Y = N1 = 1.
    # Deleting group 0 (d3): 1815 in two documents, N = 2, Y = 0.
    # Deleting group 1 (d1, d2, d4): 1816 alone, N = 1, Y = 1.
    row0 = t.loc[("attribute=birth_date", "document", "fact", 0)]
    row1 = t.loc[("attribute=birth_date", "document", "fact", 1)]
    assert (row0.n_minus, row0.lodo_minus, row0.n_g, row0.lodo_delta) == (2, 0, 1, -1)
    assert (row1.n_minus, row1.lodo_minus, row1.n_g, row1.lodo_delta) == (1, 1, 2, 0)
    # mention unit, prompt key: ada's birth date has 2 + 1 + 1 mentions in d1, d2, d3.
    # Deleting d3 leaves 3 mentions in two documents (Y = 0); deleting d1, d2 leaves d3's
    # one mention, in one document (Y = 1).
    m0 = t.loc[("attribute=birth_date", "mention", "prompt", 0)]
    m1 = t.loc[("attribute=birth_date", "mention", "prompt", 1)]
    assert (m0.n_minus, m0.lodo_minus, m1.n_minus, m1.lodo_minus) == (3, 0, 1, 1)


@pytest.mark.parametrize("groups", [2, 3, 50])
def test_sums_match_deleting_each_group(tmp_path: Path, groups: int) -> None:
    rows = [*ROWS, ("d5", "wiki", "alan", "birth_date", "1912-06-23", "1912", "asserted")]
    rows += [("d6", "wiki", "alan", "birth_date", "1912-06-23", "1912", "asserted")] * 2
    # split by prompt, as the shuffle does: the sums must add up across partitions
    parts = [[r for r in rows if r[2] == "ada"], [r for r in rows if r[2] == "alan"], []]
    t = counted(tmp_path, parts, groups)
    expected = brute_force(rows, groups)
    got = {
        (r.scope, r.unit, r.key, r.group): (r.n_minus, r.lodo_minus)
        for r in t.itertuples()
        if r.scope.startswith("attribute=")
    }
    assert got == expected
    # the union scope "all" is the sum of the attributes' sums
    all_doc = t[(t.scope == "all") & (t.unit == "document") & (t.key == "fact")]
    per_attr = t[t.scope.str.startswith("attribute=") & (t.unit == "document") & (t.key == "fact")]
    assert all_doc["n_g"].sum() == per_attr["n_g"].sum()


def test_jackknife_of_single_occurrence_documents_is_close_to_esty() -> None:
    # One occurrence per document, delete-one groups: N²·v_J ≈ N1 + 2·N2 − N1²/N.
    # Keys a, b, c seen once; d twice; e three times: N = 8, N1 = 3, N2 = 1.
    keys = ["a", "b", "c", "d", "d", "e", "e", "e"]
    n, y = len(keys), 3
    n_minus, y_minus = [], []
    for i in range(n):
        rest = keys[:i] + keys[i + 1 :]
        c = Counter(rest)
        n_minus.append(n - 1)
        y_minus.append(sum(1 for k in rest if c[k] == 1))
    iv = jackknife_interval(y / n, n_minus, y_minus)
    assert iv.groups == 8 and iv.df == 7
    # replicates: a singleton deleted 2/7 (×3), a doubleton 4/7 (×2), e 3/7 (×3)
    reps = [2 / 7] * 3 + [4 / 7] * 2 + [3 / 7] * 3
    mean = sum(reps) / 8
    assert iv.std_error == pytest.approx(math.sqrt(7 / 8 * sum((r - mean) ** 2 for r in reps)))


def test_delete_one_jackknife_approximates_esty_at_larger_n() -> None:
    # 300 singletons, 20 doubletons, 50 keys seen 20 times: N = 1340. Deleting a singleton
    # gives Y = 299, a doubleton's occurrence Y = 301, any other Y = 300 (all over N − 1).
    n, n1, n2 = 1340, 300, 20
    y_minus = [299] * n1 + [301] * (2 * n2) + [300] * (n - n1 - 2 * n2)
    iv = jackknife_interval(n1 / n, [n - 1] * n, y_minus)
    esty = (n1 + 2 * n2 - n1 * n1 / n) / n**2
    # N²·v_J ≈ N1(1 − θ) + 2N2 + 4θN2 − 4N2²/N = 289.5 against Esty's 272.8
    assert iv.std_error**2 == pytest.approx(esty, rel=0.1)


def test_heldout_cluster_std_error_reduces_to_binomial() -> None:
    # one occurrence per document: √(r(1 − r)/(h − 1))
    se = heldout_cluster_std_error(100, 100, 30, 100, 30, 30)
    assert se == pytest.approx(math.sqrt(0.3 * 0.7 / 99))
    assert heldout_cluster_std_error(1, 5, 1, 25, 1, 5) is None


def test_estimates_get_the_document_level_columns(tmp_path: Path) -> None:
    from singleton_rate.estimate.cluster import sampling_term_effective
    from singleton_rate.estimate.table import (
        add_cluster_columns,
        estimates_frame,
        freq_of_freq_all_scopes,
        scope_attributes,
    )

    relations = Relations(
        {"birth_date": "PERSON", "birth_place": "PERSON"}, frozenset({"birth_date", "birth_place"})
    )
    result = tally(mentions(ROWS), tmp_path / "f", tmp_path / "p", "part-0", jackknife_groups=2)
    assert result.groups is not None and result.lodo is not None
    fof = freq_of_freq_all_scopes(result.fof.to_pandas(), relations)
    sizes = {"birth_date": 364, "birth_place": 10}
    spans = scope_attributes(sorted(fof["scope"].unique()), sizes, relations)
    est, _ = estimates_frame(fof, sizes=sizes, spans=spans, relations=relations)
    groups = document_groups_all_scopes(
        result.groups.to_pandas(), result.lodo.to_pandas(), relations
    )
    out = add_cluster_columns(est, groups)
    by = out.set_index(["scope", "unit", "key"])
    # document unit: Y = N1
    doc = out[out.unit == "document"]
    assert (doc["lodo"] == doc["n1"]).all()
    # mention unit by hand: birth_place facts ada/london (d1) and alan/london (d4) are each in
    # one document, Y = 2 of N = 2; birth-date prompt (ada) is in d1, d2, d3: Y = 0 of 4.
    assert by.loc[("attribute=birth_place", "mention", "fact"), "lodo_rate"] == 1.0
    assert by.loc[("attribute=birth_date", "mention", "prompt"), "lodo_rate"] == 0.0
    # G = 2 groups, both non-empty for birth_date facts (d3 | d1, d2): replicates by hand
    # Y^(−0)/N^(−0) = 0/2 (1815 in d1, d2), Y^(−1)/N^(−1) = 1/1: v_J = 1/2·(0.25 + 0.25)
    row = by.loc[("attribute=birth_date", "document", "fact")]
    assert row["jackknife_groups"] == 2
    assert row["jackknife_std_error"] == pytest.approx(0.5)
    # the effective-N floor where Theorem 2 applies, null at the fact key
    sv = by.loc[("single_valued", "document", "prompt")]
    assert sv["floor_term_sampling_neff"] == pytest.approx(
        sampling_term_effective(sv["n_effective"], 0.01)
    )
    assert pd.isna(by.loc[("single_valued", "document", "fact"), "hallucination_floor_neff"])


def test_docstring_examples_hold() -> None:
    import doctest

    import singleton_rate.estimate.cluster as cluster
    import singleton_rate.estimate.table as table

    for module in (cluster, table):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
