"""The count stage split by key partitions (as the Spark shuffle by prompt runs it) gives
exactly the single-pass summary and jackknife table once the driver combines the tasks."""

from __future__ import annotations

import numpy as np
import pytest

from clustered import cluster_summary, group_table
from clustered.summaries import combine_partitions, partition_output


def _corpus(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_docs = 60
    entity = rng.integers(0, 25, n_docs)  # one entity per document, 5 attributes
    doc, prompt = [], []
    for d in range(n_docs):
        for a in rng.choice(5, size=int(rng.integers(1, 5)), replace=False):
            for _ in range(int(rng.integers(1, 4))):
                doc.append(d)
                prompt.append(entity[d] * 5 + a)
    doc_arr, prompt_arr = np.array(doc), np.array(prompt)
    return doc_arr, prompt_arr, rng.integers(0, 7, n_docs)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("unit", ["mention", "document"])
@pytest.mark.parametrize("partitions", [1, 3, 8])
def test_partitioned_equals_single_pass(seed: int, unit: str, partitions: int) -> None:
    doc, key, group_of_doc = _corpus(seed)
    part_of_key = (key * 2654435761) % partitions  # a hash partitioning of the keys
    parts = [
        partition_output(doc[part_of_key == p], key[part_of_key == p], unit, group_of_doc)
        for p in range(partitions)
        if np.any(part_of_key == p)
    ]
    summary, table = combine_partitions(parts, unit)
    assert summary == cluster_summary(doc, key, unit)
    direct = group_table(doc, key, group_of_doc[doc], unit)
    assert table is not None
    assert table.group.tolist() == direct.group.tolist()
    assert table.n_minus.tolist() == direct.n_minus.tolist()
    assert table.lodo_minus.tolist() == direct.lodo_minus.tolist()


def test_pair_product_is_taken_after_the_sum_over_partitions() -> None:
    # d0 = [k1, k2], d1 = [k1, k2] with k1 and k2 in different partitions: the pair {d0, d1}
    # has A = B = 2, so P = 4; summing per-partition products would give 1 + 1 = 2.
    doc, key = np.array([0, 0, 1, 1]), np.array([1, 2, 1, 2])
    parts = [partition_output(doc[key == k], key[key == k], "document") for k in (1, 2)]
    summary, table = combine_partitions(parts, "document")
    assert summary.pair_term == 4
    assert sum(int(np.sum(p.pair_a * p.pair_b)) for p in parts) == 2
    assert table is None
