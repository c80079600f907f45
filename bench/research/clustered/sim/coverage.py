"""Coverage and bias of every interval on every design (REPORT.md §4).

Usage::

    nice -n 10 /work/main/.venv/bin/python -m sim.coverage --design clustered --trials 1000
    /work/main/.venv/bin/python -m sim.report   # tables from results/*.npz

One ``results/<design>.npz`` per design holds, for every (cell, method) and trial, the
estimate, interval, standard error and the exact truth, so that every table is recomputed
from stored trials. Trials are seeded ``SeedSequence([BASE_SEED, design_index, trial])``.
"""

from __future__ import annotations

import argparse
import math
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from clustered import (
    cluster_summary,
    esty_score_cluster_interval,
    esty_score_deff_interval,
    free_interval_effective,
    group_table,
    heldout_check,
    heldout_share_interval,
    heldout_summary,
    jackknife_interval,
    normal_quantile,
    score_interval,
)
from clustered.intervals import SQRT2_PLUS_1
from sim.designs import (
    ClusteredParams,
    Corpus,
    clustered_corpus,
    iid_corpus,
    iid_distribution,
    neardup_corpus,
)

BASE_SEED = 20250904
CONF = 0.95
Z = normal_quantile(CONF)
GROUPS = (20, 50, 100)
HOLDOUT = 0.2
RESULTS = Path(__file__).resolve().parent.parent / "results"

DESIGNS = [
    "iid-uniform-2000",
    "iid-uniform-20000",
    "iid-zipf1.1-2000",
    "iid-zipf1.1-20000",
    "iid-zipf2-2000",
    "iid-zipf2-20000",
    "clustered",
    "clustered-reprate",
    "neardup",
    "clustered-40k",  # scale check: 10x the documents and entities (run with fewer trials)
]


# --------------------------------------------------------------------------------------------
# The existing intervals, exactly as singleton_rate.estimate computes them (tests/test_reference.py
# checks the equality against singleton_rate.estimate when it is importable).
# --------------------------------------------------------------------------------------------


def existing_free(n: int, n1: int, confidence: float = CONF) -> tuple[float, float]:
    p = n1 / n
    w = 1.0 / n + SQRT2_PLUS_1 * math.sqrt(math.log(4.0 / (1.0 - confidence)) / n)
    return max(0.0, p - w), min(1.0, p + w)


def existing_esty_score(n: int, n1: int, n2: int, confidence: float = CONF) -> tuple[float, float]:
    return score_interval(n, n1 / n, 1.0, n2 / n, normal_quantile(confidence))


def existing_esty_se(n: int, n1: int, n2: int) -> float:
    p1, p2 = n1 / n, n2 / n
    v = p1 + 2.0 * p2 - p1 * p1
    return math.sqrt(v / n) if v > 0 else 0.0


# --------------------------------------------------------------------------------------------
# One trial
# --------------------------------------------------------------------------------------------


def make_corpus(design: str, rng: np.random.Generator) -> Corpus:
    if design.startswith("iid-"):
        _, name, n = design.split("-")
        return iid_corpus(iid_distribution(name, int(n)), int(n), rng)
    if design == "clustered":
        return clustered_corpus(ClusteredParams(), rng)
    if design == "clustered-reprate":
        return clustered_corpus(ClusteredParams(repeats="popular"), rng)
    if design == "neardup":
        return neardup_corpus(ClusteredParams(), rng)
    if design == "clustered-40k":
        return clustered_corpus(ClusteredParams(n_docs=40_000, entities=200_000), rng)
    raise ValueError(design)


def _cells(design: str) -> list[tuple[str, str]]:
    if design.startswith("iid-"):
        return [("fact", "document")]  # units and keys coincide
    return [(k, u) for k in ("fact", "prompt") for u in ("document", "mention")]


Record = dict[str, list[float]]


def _put(
    store: dict[str, Record], name: str, est: float, lo: float, hi: float, se: float, truth: float
) -> None:
    rec = store[name]
    rec["est"].append(est)
    rec["low"].append(lo)
    rec["high"].append(hi)
    rec["se"].append(se)
    rec["truth"].append(truth)


def _doc_level_methods(
    store: dict[str, Record],
    tag: str,
    doc: np.ndarray,
    key: np.ndarray,
    unit: str,
    truth: float,
    rng: np.random.Generator,
    with_asis: bool,
) -> None:
    s = cluster_summary(doc, key, unit)
    if with_asis:
        lo, hi = existing_free(s.n, s.n1)
        _put(store, f"{tag}|free (as-is)", s.singleton_rate, lo, hi, math.nan, truth)
        lo, hi = existing_esty_score(s.n, s.n1, s.n2)
        _put(
            store,
            f"{tag}|esty-score (as-is)",
            s.singleton_rate,
            lo,
            hi,
            existing_esty_se(s.n, s.n1, s.n2),
            truth,
        )
        if unit == "document":
            iv = esty_score_deff_interval(s, CONF)
            _put(store, f"{tag}|esty-deff (a)", iv.estimate, iv.low, iv.high, iv.std_error, truth)
    iv = esty_score_cluster_interval(s, CONF)
    _put(store, f"{tag}|esty-cluster (a')", iv.estimate, iv.low, iv.high, iv.std_error, truth)
    udocs, inverse = np.unique(doc, return_inverse=True)
    for g in GROUPS:
        labels = rng.integers(0, g, size=udocs.size)[inverse]
        jk = jackknife_interval(s.estimate, group_table(doc, key, labels, unit), CONF)
        _put(store, f"{tag}|jackknife G={g} (b)", jk.estimate, jk.low, jk.high, jk.std_error, truth)
    fr = free_interval_effective(s.estimate, s.n_eff, CONF)
    _put(store, f"{tag}|free-neff (c)", fr.estimate, fr.low, fr.high, math.nan, truth)


def _heldout_methods(
    store: dict[str, Record],
    tag: str,
    corpus: Corpus,
    doc: np.ndarray,
    kind: str,
    unit: str,
    rng: np.random.Generator,
) -> None:
    key = corpus.keys[kind]
    udocs, inverse = np.unique(doc, return_inverse=True)
    held = (rng.random(udocs.size) < HOLDOUT)[inverse]
    if held.all() or not held.any():
        return
    truth = corpus.truth(kind, unit, ~held)  # the missing mass of the TRAIN sample
    h = heldout_summary(doc, key, held, unit)
    r = h.share
    se_binom = math.sqrt(r * (1.0 - r) / h.sum_x)
    _put(
        store,
        f"{tag}|heldout-binomial (as-is)",
        r,
        max(0.0, r - Z * se_binom),
        min(1.0, r + Z * se_binom),
        se_binom,
        truth,
    )
    iv = heldout_share_interval(h, CONF, form="wald")
    _put(
        store, f"{tag}|heldout-cluster-wald (e)", iv.estimate, iv.low, iv.high, iv.std_error, truth
    )
    iv = heldout_share_interval(h, CONF)
    _put(
        store,
        f"{tag}|heldout-cluster-wilson (e)",
        iv.estimate,
        iv.low,
        iv.high,
        iv.std_error,
        truth,
    )
    train = cluster_summary(doc[~held], key[~held], unit)
    # validate's combined check as it is: unit N1/N on train, Esty's normal s.e., binomial.
    diff = r - train.singleton_rate
    comb = math.hypot(existing_esty_se(train.n, train.n1, train.n2), se_binom)
    ok = float(abs(diff) <= Z * comb)
    _put(store, f"{tag}|check (as-is)", diff, ok, ok, comb, 0.0)
    c = heldout_check(train, h, CONF)
    ok = float(c.inside)
    _put(store, f"{tag}|check-cluster (e)", c.difference, ok, ok, c.combined_std_error, 0.0)


def run_trial(design: str, trial: int, store: dict[str, Record]) -> None:
    ss = np.random.SeedSequence([BASE_SEED, DESIGNS.index(design), trial])
    rng = np.random.default_rng(ss)
    corpus = make_corpus(design, rng)
    for kind, unit in _cells(design):
        tag = f"{kind}/{unit}"
        truth = corpus.truth(kind, unit)
        key = corpus.keys[kind]
        _doc_level_methods(store, tag, corpus.doc, key, unit, truth, rng, with_asis=True)
        _heldout_methods(store, tag, corpus, corpus.doc, kind, unit, rng)
        if design == "neardup":  # oracle: the duplicate groups are known and used as documents
            otag = f"{tag} [dup groups known]"
            _doc_level_methods(store, otag, corpus.group, key, unit, truth, rng, with_asis=False)
            _heldout_methods(store, otag, corpus, corpus.group, kind, unit, rng)


def run(design: str, trials: int, out: Path) -> Path:
    store: dict[str, Record] = defaultdict(lambda: defaultdict(list))
    start = time.perf_counter()
    for t in range(trials):
        run_trial(design, t, store)
    seconds = time.perf_counter() - start
    arrays: dict[str, np.ndarray] = {}
    for name, rec in store.items():
        for field, values in rec.items():
            arrays[f"{name}::{field}"] = np.asarray(values, dtype=float)
    arrays["__meta__::trials"] = np.asarray([trials], dtype=float)
    arrays["__meta__::seconds"] = np.asarray([seconds], dtype=float)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{design}.npz"
    np.savez_compressed(path, **arrays)
    print(f"{design}: {trials} trials in {seconds:.1f} s -> {path}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--design", choices=[*DESIGNS, "all"], default="all")
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    for design in DESIGNS if args.design == "all" else [args.design]:
        run(design, args.trials, args.out)


if __name__ == "__main__":
    main()
