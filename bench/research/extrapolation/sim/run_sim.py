"""Simulation: predicted vs exact expected missing mass M(tN), and the floor-halving size.

Usage (from /work/scratch/extrap):

    nice -n 10 /work/main/.venv/bin/python sim/run_sim.py --reps 200 --out results/sim_main.json
    nice -n 10 /work/main/.venv/bin/python sim/run_sim.py --stress --reps 200 --out results/sim_stress.json

Populations (``--stress`` selects the second set):

- main: Zipf s = 1.1, 1.5, 2 on K = 10^6 keys (p_i ∝ i^(−s)); uniform on 10^5 and 10^6 keys.
- stress: Zipf 1.1 on 10^4 keys (support exhausted within the horizon); a two-regime
  mixture (0.9 × Zipf 2 on 10^6 keys + 0.1 × uniform on 10^7 keys: a flat ultra-rare tail).

For each population, base size n ∈ {20,000, 2,000}, ``reps`` seeded samples (seed =
hash of population name, n, replicate), every method predicts M(t·n) for
t ∈ {2, 5, 10, 20, 100}; the truth is E[M0(t·n)] = Σ p (1 − p)^(t n) computed exactly.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from singletons_extrap._fof import fof_from_counts  # noqa: E402
from singletons_extrap.missing_mass import (  # noqa: E402
    chao_jost_missing_mass,
    osw_missing_mass,
    pitman_yor_fit,
    pitman_yor_missing_mass,
    power_law_missing_mass,
)

TS = (2.0, 5.0, 10.0, 20.0, 100.0)
NS = (20_000, 2_000)
METHODS = ("chao_jost", "power_law", "osw_binomial", "osw_poisson", "pitman_yor")
HALVING_GRID = np.geomspace(1.0, 1000.0, 201)
HALVING_REPS = 100
ERROR_SET = 364
GAMMA = 0.01


def zipf(s: float, k: int) -> np.ndarray:
    w = np.arange(1, k + 1, dtype=float) ** (-s)
    return w / w.sum()


def uniform(k: int) -> np.ndarray:
    return np.full(k, 1.0 / k)


def populations(stress: bool) -> dict[str, np.ndarray]:
    if not stress:
        return {
            "zipf1.1_K1e6": zipf(1.1, 10**6),
            "zipf1.5_K1e6": zipf(1.5, 10**6),
            "zipf2.0_K1e6": zipf(2.0, 10**6),
            "uniform_K1e5": uniform(10**5),
            "uniform_K1e6": uniform(10**6),
        }
    mix = np.concatenate((0.9 * zipf(2.0, 10**6), 0.1 * uniform(10**7)))
    return {"zipf1.1_K1e4": zipf(1.1, 10**4), "mix_zipf2_flat1e7": mix}


def exact_m(p: np.ndarray, m: np.ndarray) -> np.ndarray:
    """E[M0(m)] for each m, in chunks (p can have 10^7 entries)."""
    lp = np.log1p(-p)
    out = np.empty(len(m))
    for j, mm in enumerate(m):
        out[j] = float(np.dot(p, np.exp(mm * lp)))
    return out


def floor_raw(sr: np.ndarray, size: np.ndarray) -> np.ndarray:
    return sr - 2.0 / ERROR_SET - 6.0 * np.log(3.0 * size / GAMMA) / np.sqrt(size)


def halving_t(missing: np.ndarray, n: int) -> float | None:
    """First grid t > 1 where the floor halves (floor(N) > 0) or first turns positive."""
    sizes = HALVING_GRID * n
    raw = floor_raw(missing, sizes)
    f0 = max(0.0, raw[0])
    if f0 > 0:
        hit = np.nonzero(np.maximum(raw[1:], 0.0) <= f0 / 2.0)[0]
    else:
        hit = np.nonzero(raw[1:] > 0.0)[0]
    return float(HALVING_GRID[1 + hit[0]]) if hit.size else None


def predict_all(r, nr, n, ts) -> dict[str, list[float]]:
    fit = pitman_yor_fit(r, nr, n)
    out: dict[str, list[float]] = {m: [] for m in METHODS}
    for t in ts:
        out["chao_jost"].append(chao_jost_missing_mass(r, nr, t, n))
        out["power_law"].append(power_law_missing_mass(r, nr, t, n))
        out["osw_binomial"].append(osw_missing_mass(r, nr, t, "binomial", n))
        out["osw_poisson"].append(osw_missing_mass(r, nr, t, "poisson", n))
        out["pitman_yor"].append(pitman_yor_missing_mass(r, nr, t, n, fit=fit))
    out["_py_alpha"] = [fit.alpha]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--stress", action="store_true")
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-halving", action="store_true")
    args = ap.parse_args()
    started = time.time()
    result: dict = {"ts": TS, "ns": NS, "reps": args.reps, "methods": METHODS, "cells": {}}
    for name, p in populations(args.stress).items():
        cdf = np.cumsum(p)
        cdf[-1] = 1.0
        for n in NS:
            truth = exact_m(p, np.array(TS) * n)
            truth_grid = None if args.no_halving else exact_m(p, HALVING_GRID * n)
            true_half = None if truth_grid is None else halving_t(truth_grid, n)
            preds: dict[str, list[list[float]]] = {m: [] for m in METHODS}
            halvings: dict[str, list[float | None]] = {m: [] for m in METHODS}
            alphas, sr_obs = [], []
            for rep in range(args.reps):  # halving on the first HALVING_REPS only
                seed = zlib.crc32(f"{name}|{n}|{rep}".encode())
                rng = np.random.default_rng(seed)
                draws = np.searchsorted(cdf, rng.random(n), side="right")
                counts = np.bincount(draws)
                r, nr, total = fof_from_counts(counts)
                assert total == n
                sr_obs.append(float(nr[0] / n) if r[0] == 1 else 0.0)
                pr = predict_all(r, nr, n, TS)
                alphas.append(pr.pop("_py_alpha")[0])
                for m in METHODS:
                    preds[m].append(pr[m])
                if truth_grid is not None and rep < HALVING_REPS:
                    grid_pred = predict_all(r, nr, n, HALVING_GRID)
                    grid_pred.pop("_py_alpha")
                    for m in METHODS:
                        g = np.array(grid_pred[m])
                        # at t = 1 every method uses sr = N1/N (the summary's value)
                        g[0] = sr_obs[-1]
                        halvings[m].append(halving_t(g, n))
            result["cells"][f"{name}|{n}"] = {
                "population": name,
                "n": n,
                "truth": truth.tolist(),
                "truth_at_n": float(exact_m(p, np.array([n]))[0]),
                "sr_mean": float(np.mean(sr_obs)),
                "py_alpha_mean": float(np.mean(alphas)),
                "preds": preds,
                "true_halving_t": true_half,
                "halving_t": halvings,
            }
            print(f"{name} n={n} done at {time.time() - started:.0f}s", flush=True)
    result["seconds"] = time.time() - started
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
