"""Synthetic corpora with known key weights, for coverage and bias measurements.

Every generator returns a :class:`Corpus`: one row per mention (document, fact key, prompt
key, duplicate-group id) and the true occurrence weights ``w_k`` of every possible key for
each unit, so that the true unit-weighted missing mass of any sample ``S`` is computed
EXACTLY as ``M(S) = 1 − Σ_{k ∈ S} w_k`` (no Monte Carlo error in the truth).

Designs (REPORT.md §4):

- ``iid``: each document is one mention of a key drawn from ``p`` (uniform, Zipf 1.1,
  Zipf 2). Mention and document units coincide.
- ``clustered``: each document is about one entity (Zipf 1.1 popularity over ``E``
  entities), states ``K = 1 + Binomial(A − 1, 3/(A − 1))`` (mean 4) of its ``A = 10``
  attributes chosen without replacement, each statement with one value (the entity's true
  value with probability ``1 − ε``, else one of ``V`` wrong values uniformly: extraction
  noise, so that fact and prompt keys differ), repeated ``R ~ U{1, 2, 3}`` times.
- ``clustered-reprate``: as ``clustered`` but the repeats depend on the entity:
  ``R = 1 + Poisson(3)`` for the 100 most popular entities, ``1 + Poisson(0.5)`` otherwise.
  The mention and document estimands then differ.
- ``neardup``: ``clustered`` source documents; each, with probability ``f``, appears
  ``c ~ U{2, …, 5}`` times in total; every copy keeps each statement with probability 0.9.

Weights. In ``clustered``, ``P(attribute a stated | entity e) = E[K]/A`` for every ``a``,
so at the document unit ``w_(e,a) = ρ_e·(E[K]/A)/E[K] = ρ_e/A`` (prompt) and
``w_(e,a,v) = ρ_e/A·q_v`` (fact, ``q_true = 1 − ε``, ``q_wrong = ε/V``). At the mention unit
each statement is weighted by ``E[R | e]``, so ``w^mention = w^document·E[R|e]/E_ρ[E[R|e]]``,
which equals ``w^document`` when ``R`` does not depend on ``e``. In ``neardup`` copies are
thinned uniformly over statements, so a corpus document (original or copy) has the same key
proportions as a source document, and the weights are those of ``clustered``; the estimand is
the missing mass for a new, independently drawn document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
WeightFn = Callable[[IntArray], FloatArray]


@dataclass(frozen=True)
class Corpus:
    """One synthetic corpus: per-mention arrays and the true key weights."""

    doc: IntArray
    keys: dict[str, IntArray]  # "fact" / "prompt" -> key code per mention
    group: IntArray  # duplicate group (source document) per mention; = doc without copies
    weights: dict[tuple[str, str], WeightFn]  # (key kind, unit) -> w_k for key codes
    meta: dict[str, float] = field(default_factory=dict)

    def truth(self, kind: str, unit: str, rows: NDArray[np.bool_] | None = None) -> float:
        """``M(S) = 1 − Σ_{k ∈ S} w_k`` for the sample ``S`` = the mentions in ``rows``."""
        k = self.keys[kind] if rows is None else self.keys[kind][rows]
        seen = np.unique(k)
        return float(max(0.0, 1.0 - self.weights[(kind, unit)](seen).sum()))


def zipf(exponent: float, support: int) -> FloatArray:
    w = np.arange(1, support + 1, dtype=float) ** -float(exponent)
    return w / w.sum()


# --------------------------------------------------------------------------------------------
# i.i.d. streams
# --------------------------------------------------------------------------------------------


def iid_distribution(name: str, n: int) -> FloatArray:
    """``uniform``: ``n/2`` equiprobable keys; ``zipf1.1`` / ``zipf2``: support ``5n``."""
    if name == "uniform":
        return np.full(n // 2, 1.0 / (n // 2))
    if name == "zipf1.1":
        return zipf(1.1, 5 * n)
    if name == "zipf2":
        return zipf(2.0, 5 * n)
    raise ValueError(name)


def iid_corpus(p: FloatArray, n: int, rng: np.random.Generator) -> Corpus:
    keys = rng.choice(p.size, size=n, p=p).astype(np.int64)
    doc = np.arange(n, dtype=np.int64)

    def w(k: IntArray) -> FloatArray:
        return p[k]

    weights = {(kind, unit): w for kind in ("fact", "prompt") for unit in ("mention", "document")}
    return Corpus(doc, {"fact": keys, "prompt": keys}, doc, weights)


# --------------------------------------------------------------------------------------------
# Clustered documents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusteredParams:
    n_docs: int = 4000
    entities: int = 20_000
    popularity: float = 1.1
    attributes: int = 10
    mean_stated: float = 4.0
    wrong_rate: float = 0.1
    wrong_values: int = 20
    repeats: str = "uniform123"  # or "popular"


def _statements(
    prm: ClusteredParams, rho: FloatArray, n_docs: int, rng: np.random.Generator
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Per statement: document, prompt code, fact code, repeats."""
    a = prm.attributes
    entity = rng.choice(rho.size, size=n_docs, p=rho)
    k = 1 + rng.binomial(a - 1, (prm.mean_stated - 1.0) / (a - 1), size=n_docs)
    ranks = np.argsort(rng.random((n_docs, a)), axis=1)  # a random permutation per document
    stated = ranks < k[:, None]  # the first K attributes of the permutation (by position)
    doc_idx, attr = np.nonzero(stated)
    ent = entity[doc_idx]
    wrong = rng.random(doc_idx.size) < prm.wrong_rate
    value = np.where(wrong, rng.integers(1, prm.wrong_values + 1, size=doc_idx.size), 0)
    prompt = ent.astype(np.int64) * a + attr
    fact = prompt * (prm.wrong_values + 1) + value
    if prm.repeats == "uniform123":
        rep = rng.integers(1, 4, size=doc_idx.size)
    elif prm.repeats == "popular":
        lam = np.where(ent < 100, 3.0, 0.5)
        rep = 1 + rng.poisson(lam)
    else:
        raise ValueError(prm.repeats)
    return doc_idx.astype(np.int64), prompt, fact, rep.astype(np.int64)


def _clustered_weights(prm: ClusteredParams, rho: FloatArray) -> dict[tuple[str, str], WeightFn]:
    a, v = prm.attributes, prm.wrong_values
    if prm.repeats == "uniform123":
        rep_mean = np.full(rho.size, 2.0)
    else:
        rep_mean = 1.0 + np.where(np.arange(rho.size) < 100, 3.0, 0.5)
    mention_factor = rep_mean / float(rho @ rep_mean)

    def prompt_doc(k: IntArray) -> FloatArray:
        return rho[k // a] / a

    def prompt_mention(k: IntArray) -> FloatArray:
        return rho[k // a] / a * mention_factor[k // a]

    def q(k: IntArray) -> FloatArray:
        return np.where(k % (v + 1) == 0, 1.0 - prm.wrong_rate, prm.wrong_rate / v)

    def fact_doc(k: IntArray) -> FloatArray:
        return prompt_doc(k // (v + 1)) * q(k)

    def fact_mention(k: IntArray) -> FloatArray:
        return prompt_mention(k // (v + 1)) * q(k)

    return {
        ("prompt", "document"): prompt_doc,
        ("prompt", "mention"): prompt_mention,
        ("fact", "document"): fact_doc,
        ("fact", "mention"): fact_mention,
    }


def clustered_corpus(prm: ClusteredParams, rng: np.random.Generator) -> Corpus:
    rho = zipf(prm.popularity, prm.entities)
    doc_s, prompt_s, fact_s, rep = _statements(prm, rho, prm.n_docs, rng)
    doc = np.repeat(doc_s, rep)
    return Corpus(
        doc,
        {"fact": np.repeat(fact_s, rep), "prompt": np.repeat(prompt_s, rep)},
        doc,
        _clustered_weights(prm, rho),
    )


def neardup_corpus(
    prm: ClusteredParams,
    rng: np.random.Generator,
    *,
    sources: int = 2500,
    dup_fraction: float = 0.25,
    keep: float = 0.9,
) -> Corpus:
    """Near-duplicates: source documents copied ``c ~ U{2..5}`` times with probability ``f``."""
    rho = zipf(prm.popularity, prm.entities)
    doc_s, prompt_s, fact_s, rep = _statements(prm, rho, sources, rng)
    copies = np.where(rng.random(sources) < dup_fraction, rng.integers(2, 6, size=sources), 1)
    # Statement rows of every copy: copy j of source s gets a new document id.
    first_id = np.concatenate([[0], np.cumsum(copies)[:-1]])
    st_copies = copies[doc_s]
    st_index = np.repeat(np.arange(doc_s.size), st_copies)
    copy_no = np.arange(st_index.size) - np.repeat(np.cumsum(st_copies) - st_copies, st_copies)
    new_doc = first_id[doc_s[st_index]] + copy_no
    kept = (copy_no == 0) | (rng.random(st_index.size) < keep)  # originals kept whole
    st_index, new_doc = st_index[kept], new_doc[kept]
    r = rep[st_index]
    return Corpus(
        np.repeat(new_doc, r).astype(np.int64),
        {"fact": np.repeat(fact_s[st_index], r), "prompt": np.repeat(prompt_s[st_index], r)},
        np.repeat(doc_s[st_index], r).astype(np.int64),
        _clustered_weights(prm, rho),
        meta={"documents": float(copies.sum())},
    )
