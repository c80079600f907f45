"""Coverage of every missing-mass interval labelled 95% on i.i.d., clustered and
near-duplicate designs (issue 12, item 3).

Usage::

    PYTHONPATH=. .venv/bin/python bench/cluster_coverage.py --trials 1000   # ~10 min
    # writes bench/cluster_coverage.md (the table) and bench/cluster_coverage.csv

Every interval is computed by the package's own functions (:mod:`singleton_rate.estimate.cluster`,
:func:`singleton_rate.estimate.esty_interval`,
:func:`singleton_rate.estimate.missing_mass_interval`)
from the same sums the count stage writes (:func:`group_sums` is the numpy twin of
:func:`singleton_rate.tally.groups_sql`; ``tests/test_cluster_coverage.py`` checks they agree).
The truth is exact: each design knows every key's long-run occurrence share ``w_k``, so the
missing mass of a sample ``S`` is ``1 − Σ_{k∈S} w_k``. Trials are seeded
``SeedSequence([BASE_SEED, design index, trial])``.

Designs (after ``bench/research/clustered/sim/designs.py``):

- ``iid-uniform`` / ``iid-zipf1.1`` / ``iid-zipf2``: 2,000 documents of one mention each.
- ``clustered``: 4,000 documents, each about one entity (Zipf 1.1 over 20,000), stating
  ``1 + Binomial(9, 1/3)`` of its 10 attributes (mean 4), a wrong value with probability 0.1
  (one of 20), each statement repeated 1–3 times (the issue's design).
- ``clustered-reprate``: as ``clustered``, repeats ``1 + Poisson(3)`` for the 100 most
  popular entities, ``1 + Poisson(0.5)`` otherwise (mention and document estimands differ).
- ``neardup``: 2,500 ``clustered`` source documents, a quarter of them copied 2–5 times,
  each copy keeping each statement with probability 0.9.
"""

from __future__ import annotations

import argparse
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from singleton_rate.estimate import FreqOfFreq, esty_interval, missing_mass_interval
from singleton_rate.estimate.cluster import (
    JACKKNIFE_GROUPS,
    cluster_estimates,
    heldout_cluster_std_error,
    heldout_share_interval,
    normal_quantile,
)

BASE_SEED = 20251203
CONF = 0.95
Z = normal_quantile(CONF)
HOLDOUT = 0.2
DESIGNS = ("iid-uniform", "iid-zipf1.1", "iid-zipf2", "clustered", "clustered-reprate", "neardup")
HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------------------------
# Designs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    doc: np.ndarray  # per mention
    keys: dict[str, np.ndarray]  # "fact"/"prompt" -> key code per mention
    weights: dict[tuple[str, str], object]  # (key, unit) -> callable w_k(codes)

    def truth(self, key: str, unit: str, rows: np.ndarray | None = None) -> float:
        k = self.keys[key] if rows is None else self.keys[key][rows]
        return float(max(0.0, 1.0 - self.weights[(key, unit)](np.unique(k)).sum()))


def _zipf(exponent: float, support: int) -> np.ndarray:
    w = np.arange(1, support + 1, dtype=float) ** -exponent
    return w / w.sum()


def iid_corpus(name: str, n: int, rng: np.random.Generator) -> Corpus:
    p = {
        "uniform": lambda: np.full(n // 2, 1.0 / (n // 2)),
        "zipf1.1": lambda: _zipf(1.1, 5 * n),
        "zipf2": lambda: _zipf(2.0, 5 * n),
    }[name]()
    keys = rng.choice(p.size, size=n, p=p).astype(np.int64)
    w = {(k, u): (lambda c: p[c]) for k in ("fact", "prompt") for u in ("mention", "document")}
    return Corpus(np.arange(n, dtype=np.int64), {"fact": keys, "prompt": keys}, w)


A, V, WRONG, ENTITIES, MEAN_STATED = 10, 20, 0.1, 20_000, 4.0


def _statements(n_docs: int, rho: np.ndarray, repeats: str, rng: np.random.Generator):
    entity = rng.choice(rho.size, size=n_docs, p=rho)
    k = 1 + rng.binomial(A - 1, (MEAN_STATED - 1.0) / (A - 1), size=n_docs)
    stated = np.argsort(rng.random((n_docs, A)), axis=1) < k[:, None]
    doc, attr = np.nonzero(stated)
    ent = entity[doc]
    value = np.where(rng.random(doc.size) < WRONG, rng.integers(1, V + 1, size=doc.size), 0)
    prompt = ent.astype(np.int64) * A + attr
    fact = prompt * (V + 1) + value
    if repeats == "uniform":
        rep = rng.integers(1, 4, size=doc.size)
    else:
        rep = 1 + rng.poisson(np.where(ent < 100, 3.0, 0.5))
    return doc.astype(np.int64), prompt, fact, rep.astype(np.int64)


def _weights(rho: np.ndarray, repeats: str) -> dict[tuple[str, str], object]:
    rep_mean = (
        np.full(rho.size, 2.0)
        if repeats == "uniform"
        else 1.0 + np.where(np.arange(rho.size) < 100, 3.0, 0.5)
    )
    factor = rep_mean / float(rho @ rep_mean)

    def q(c: np.ndarray) -> np.ndarray:
        return np.where(c % (V + 1) == 0, 1.0 - WRONG, WRONG / V)

    return {
        ("prompt", "document"): lambda c: rho[c // A] / A,
        ("prompt", "mention"): lambda c: rho[c // A] / A * factor[c // A],
        ("fact", "document"): lambda c: rho[c // (V + 1) // A] / A * q(c),
        ("fact", "mention"): lambda c: (
            rho[c // (V + 1) // A] / A * factor[c // (V + 1) // A] * q(c)
        ),
    }


def clustered_corpus(rng: np.random.Generator, repeats: str = "uniform") -> Corpus:
    rho = _zipf(1.1, ENTITIES)
    doc, prompt, fact, rep = _statements(4000, rho, repeats, rng)
    return Corpus(
        np.repeat(doc, rep),
        {"fact": np.repeat(fact, rep), "prompt": np.repeat(prompt, rep)},
        _weights(rho, repeats),
    )


def neardup_corpus(rng: np.random.Generator) -> Corpus:
    rho = _zipf(1.1, ENTITIES)
    sources = 2500
    doc, prompt, fact, rep = _statements(sources, rho, "uniform", rng)
    copies = np.where(rng.random(sources) < 0.25, rng.integers(2, 6, size=sources), 1)
    first = np.concatenate([[0], np.cumsum(copies)[:-1]])
    per = copies[doc]
    idx = np.repeat(np.arange(doc.size), per)
    copy_no = np.arange(idx.size) - np.repeat(np.cumsum(per) - per, per)
    kept = (copy_no == 0) | (rng.random(idx.size) < 0.9)
    idx, new_doc = idx[kept], (first[doc[idx]] + copy_no)[kept]
    r = rep[idx]
    return Corpus(
        np.repeat(new_doc, r).astype(np.int64),
        {"fact": np.repeat(fact[idx], r), "prompt": np.repeat(prompt[idx], r)},
        _weights(rho, "uniform"),
    )


def make_corpus(design: str, rng: np.random.Generator) -> Corpus:
    if design.startswith("iid-"):
        return iid_corpus(design.removeprefix("iid-"), 2000, rng)
    if design == "clustered":
        return clustered_corpus(rng)
    if design == "clustered-reprate":
        return clustered_corpus(rng, "popular")
    if design == "neardup":
        return neardup_corpus(rng)
    raise ValueError(design)


# --------------------------------------------------------------------------------------------
# The count stage's sums, in numpy
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sums:
    n: int
    n1: int
    n2: int
    lodo: int
    n_minus: np.ndarray
    lodo_minus: np.ndarray


def group_sums(doc: np.ndarray, key: np.ndarray, group_of_doc: np.ndarray, unit: str) -> Sums:
    """The sums :func:`singleton_rate.tally.groups_sql` computes, for one key kind and unit.

    ``(key, doc)`` pairs with their mention count ``m``; ``a_k`` documents and ``w_k``
    occurrences per key; per (key, group) ``a_kg``, ``w_kg``; then
    ``Y^(−g) − Y = Σ_k [a_k − a_kg = 1](w_k − w_kg) − [a_k = 1]w_k``.
    """
    span = int(doc.max()) + 1
    code, m = np.unique(key * span + doc, return_counts=True)  # (key, doc) pairs, 1-d
    pk, pd = code // span, code % span
    w = m if unit == "mention" else np.ones_like(m)
    _, ki = np.unique(pk, return_inverse=True)
    a_k = np.bincount(ki)
    w_k = np.bincount(ki, weights=w).astype(np.int64)
    n = int(w.sum())
    lodo = int(w_k[a_k == 1].sum())
    g = group_of_doc[pd]
    G = int(group_of_doc.max()) + 1
    kg = ki * G + g
    ukg, kgi = np.unique(kg, return_inverse=True)
    a_kg = np.bincount(kgi)
    w_kg = np.bincount(kgi, weights=w).astype(np.int64)
    kk, gg = ukg // G, ukg % G
    gain = np.where(a_k[kk] - a_kg == 1, w_k[kk] - w_kg, 0)
    loss = np.where(a_k[kk] == 1, w_k[kk], 0)
    n_g = np.bincount(gg, weights=w_kg, minlength=G).astype(np.int64)
    delta = np.bincount(gg, weights=gain - loss, minlength=G).astype(np.int64)
    present = n_g > 0
    return Sums(
        n=n,
        n1=int(np.count_nonzero(w_k == 1)),
        n2=int(np.count_nonzero(w_k == 2)),
        lodo=lodo,
        n_minus=(n - n_g)[present],
        lodo_minus=(lodo + delta)[present],
    )


def heldout_sums(doc: np.ndarray, key: np.ndarray, held: np.ndarray, unit: str):
    """Per held-out document ``x_d`` (occurrences) and ``y_d`` (of a key absent from train):
    ``(h, Σx, Σy, Σx², Σy², Σxy)``."""
    train_keys = np.unique(key[~held])
    d, k = doc[held], key[held]
    if unit == "document":
        span = int(doc.max()) + 1
        code = np.unique(k * span + d)
        k, d = code // span, code % span
    unseen = ~np.isin(k, train_keys)
    ud, di = np.unique(d, return_inverse=True)
    x = np.bincount(di).astype(np.int64)
    y = np.bincount(di, weights=unseen).astype(np.int64)
    return ud.size, int(x.sum()), int(y.sum()), int(x @ x), int(y @ y), int(x @ y)


# --------------------------------------------------------------------------------------------
# One trial
# --------------------------------------------------------------------------------------------


def _cells(design: str) -> list[tuple[str, str]]:
    if design.startswith("iid-"):
        return [("fact", "document")]
    return [(k, u) for k in ("prompt", "fact") for u in ("document", "mention")]


def run_trial(design: str, trial: int, out: dict) -> None:
    rng = np.random.default_rng(np.random.SeedSequence([BASE_SEED, DESIGNS.index(design), trial]))
    corpus = make_corpus(design, rng)
    n_docs = int(corpus.doc.max()) + 1
    groups = rng.integers(0, JACKKNIFE_GROUPS, size=n_docs)  # md5 groups in the package
    held_doc = rng.random(n_docs) < HOLDOUT
    held = held_doc[corpus.doc]
    for key, unit in _cells(design):
        tag = f"{design}|{key}/{unit}"
        k = corpus.keys[key]
        truth = corpus.truth(key, unit)
        s = group_sums(corpus.doc, k, groups, unit)
        fof = FreqOfFreq.from_pairs(
            zip(*np.unique(_unit_counts(corpus.doc, k, unit), return_counts=True), strict=True)
        )
        esty = esty_interval(fof, CONF, method="score")
        free = missing_mass_interval(fof, CONF)
        ce = cluster_estimates(
            n=s.n,
            n1=s.n1,
            n2=s.n2,
            lodo=s.lodo,
            n_minus=s.n_minus.tolist(),
            lodo_minus=s.lodo_minus.tolist(),
            confidence=CONF,
        )
        _put(out, tag, "Esty score, N1/N (as before)", esty.low, esty.high, truth)
        _put(out, tag, "distribution-free, N1/N (as before)", free.low, free.high, truth)
        _put(
            out,
            tag,
            "jackknife over documents, LODO (new)",
            ce.jackknife_low,
            ce.jackknife_high,
            truth,
        )
        _put(
            out,
            tag,
            "distribution-free at N_eff, LODO (new)",
            ce.missing_mass_low_neff,
            ce.missing_mass_high_neff,
            truth,
        )
        out[(tag, "bias N1/N")].append(s.n1 / s.n - truth)
        out[(tag, "bias LODO")].append(s.lodo / s.n - truth)
        # validate: train = not held; the held-out share against the TRAIN missing mass
        t_truth = corpus.truth(key, unit, ~held)
        h, sx, sy, sx2, sy2, sxy = heldout_sums(corpus.doc, k, held, unit)
        if h < 2 or sx == 0:
            continue
        r = sy / sx
        se_b = math.sqrt(r * (1 - r) / sx)
        se_c = heldout_cluster_std_error(h, sx, sy, sx2, sy2, sxy) or 0.0
        _put(
            out,
            tag,
            "held-out share ± z·binomial se (as before)",
            r - Z * se_b,
            r + Z * se_b,
            t_truth,
        )
        _put(out, tag, "held-out share ± z·cluster se (new)", r - Z * se_c, r + Z * se_c, t_truth)
        lo, hi = heldout_share_interval(h, sx, sy, sx2, sy2, sxy, CONF) or (0.0, 1.0)
        _put(out, tag, "held-out share, score interval at cluster deff (new)", lo, hi, t_truth)


def _unit_counts(doc: np.ndarray, key: np.ndarray, unit: str) -> np.ndarray:
    if unit == "document":
        span = int(doc.max()) + 1
        key = np.unique(key * span + doc) // span
    return np.unique(key, return_counts=True)[1]


def _put(out: dict, tag: str, name: str, low: float, high: float, truth: float) -> None:
    out[(tag, name)].append(float(max(0.0, low) <= truth <= min(1.0, high)))
    out[(tag, name + " width")].append(min(1.0, high) - max(0.0, low))


def coverage_table(trials: int, designs: tuple[str, ...] = DESIGNS) -> dict:
    out: dict = defaultdict(list)
    for design in designs:
        for t in range(trials):
            run_trial(design, t, out)
    return out


def render(out: dict, trials: int, seconds: float) -> str:
    lines = [
        f"Coverage of intervals labelled 95% ({trials} seeded trials per cell, "
        f"bench/cluster_coverage.py, {seconds:.0f} s). Truth: the exact missing mass of the "
        "sample (held-out rows: of the train part). `<0.93` marks a cell below 0.93.",
        "",
        "| design | cell | interval | coverage | mean width |",
        "|---|---|---|---:|---:|",
    ]
    for (tag, name), values in out.items():
        if name.endswith(" width") or name.startswith("bias"):
            continue
        design, cell = tag.split("|")
        cov = float(np.mean(values))
        width = float(np.mean(out[(tag, name + " width")]))
        mark = " **<0.93**" if cov < 0.93 else ""
        lines.append(f"| {design} | {cell} | {name} | {cov:.3f}{mark} | {width:.4f} |")
    lines += [
        "",
        "| design | cell | mean bias of N1/N | mean bias of LODO |",
        "|---|---|---:|---:|",
    ]
    for (tag, name), values in out.items():
        if name == "bias N1/N":
            design, cell = tag.split("|")
            lodo = float(np.mean(out[(tag, "bias LODO")]))
            lines.append(f"| {design} | {cell} | {np.mean(values):+.4f} | {lodo:+.4f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--design", choices=[*DESIGNS, "all"], default="all")
    parser.add_argument("--out", type=Path, default=HERE / "cluster_coverage.md")
    args = parser.parse_args()
    designs = DESIGNS if args.design == "all" else (args.design,)
    start = time.perf_counter()
    out = coverage_table(args.trials, designs)
    text = render(out, args.trials, time.perf_counter() - start)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
