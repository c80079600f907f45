"""The simulation's exact truth equals a large fresh Monte Carlo sample of new documents."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from clustered import heldout_share_interval, heldout_summary
from sim.designs import ClusteredParams, clustered_corpus, neardup_corpus


def test_clustered_weights_sum_to_one() -> None:
    prm = ClusteredParams(entities=50)
    corpus = clustered_corpus(prm, np.random.default_rng(0))
    a, v = prm.attributes, prm.wrong_values
    prompts = np.arange(prm.entities * a, dtype=np.int64)
    facts = np.array([p * (v + 1) + j for p, j in itertools.product(prompts, range(v + 1))])
    for unit in ("document", "mention"):
        assert corpus.weights[("prompt", unit)](prompts).sum() == pytest.approx(1.0)
        assert corpus.weights[("fact", unit)](facts).sum() == pytest.approx(1.0)
    rep = clustered_corpus(
        ClusteredParams(entities=50, repeats="popular"), np.random.default_rng(0)
    )
    assert rep.weights[("prompt", "mention")](prompts).sum() == pytest.approx(1.0)


@pytest.mark.slow
@pytest.mark.parametrize("repeats", ["uniform123", "popular"])
@pytest.mark.parametrize(
    ("kind", "unit"), list(itertools.product(("fact", "prompt"), ("document", "mention")))
)
def test_exact_truth_matches_fresh_documents(repeats: str, kind: str, unit: str) -> None:
    # Sample S: 2,000 documents; fresh: 200,000 new documents from the same process. The
    # share of fresh occurrences whose key is absent from S estimates M(S) (a ratio over
    # documents), and must agree with the exact 1 − Σ_{k∈S} w_k within 4 cluster s.e.
    prm = ClusteredParams(n_docs=2000, repeats=repeats)
    sample = clustered_corpus(prm, np.random.default_rng(1))
    fresh = clustered_corpus(
        ClusteredParams(n_docs=200_000, repeats=repeats), np.random.default_rng(2)
    )
    truth = sample.truth(kind, unit)
    doc = np.concatenate([sample.doc, fresh.doc + sample.doc.max() + 1])
    key = np.concatenate([sample.keys[kind], fresh.keys[kind]])
    held = np.r_[np.zeros(sample.doc.size, bool), np.ones(fresh.doc.size, bool)]
    iv = heldout_share_interval(heldout_summary(doc, key, held, unit))
    assert abs(iv.estimate - truth) < 4 * iv.std_error, (iv.estimate, truth, iv.std_error)


@pytest.mark.slow
def test_neardup_truth_matches_fresh_source_documents() -> None:
    # In the near-duplicate design the estimand is the missing mass for a NEW independent
    # document: check it against fresh clustered documents (copies thinned uniformly keep the
    # key proportions).
    prm = ClusteredParams()
    sample = neardup_corpus(prm, np.random.default_rng(3))
    fresh = clustered_corpus(ClusteredParams(n_docs=200_000), np.random.default_rng(4))
    for kind, unit in itertools.product(("fact", "prompt"), ("document", "mention")):
        truth = sample.truth(kind, unit)
        doc = np.concatenate([sample.doc, fresh.doc + sample.doc.max() + 1])
        key = np.concatenate([sample.keys[kind], fresh.keys[kind]])
        held = np.r_[np.zeros(sample.doc.size, bool), np.ones(fresh.doc.size, bool)]
        iv = heldout_share_interval(heldout_summary(doc, key, held, unit))
        assert abs(iv.estimate - truth) < 4 * iv.std_error, (kind, unit, iv.estimate, truth)
