"""Validate floor_halving_band: is the true halving multiple inside the reported interval?

Usage (from /work/scratch/extrap):
    nice -n 10 /work/main/.venv/bin/python sim/halving_band.py --reps 100 --out results/halving_band.json

Same populations, base sizes and seeds as sim/run_sim.py (main and stress sets). The truth:
the first t on the same grid (801 log-spaced points on [1, t_max]) at which the floor computed
with the exact E[M0(tN)] halves (or first turns positive); at t = 1 the floor uses the
sample's N1/N in both (as the tool does). |E| = 364, γ = 0.01, δ = 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_sim import exact_m, populations  # noqa: E402
from singletons_extrap._fof import fof_from_counts  # noqa: E402
from singletons_extrap.missing_mass import floor_halving_band  # noqa: E402

ERROR_SET, GAMMA, GRID_POINTS = 364, 0.01, 801


def true_halving(truth: np.ndarray, sr: float, n: int, grid: np.ndarray) -> tuple[str, float | None]:
    curve = truth.copy()
    curve[0] = sr
    sizes = grid * n
    raw = curve - 2.0 / ERROR_SET - 6.0 * np.log(3.0 * sizes / GAMMA) / np.sqrt(sizes)
    f0 = max(0.0, raw[0])
    if f0 > 0:
        hit = np.nonzero(np.maximum(raw[1:], 0.0) <= f0 / 2.0)[0]
        target = "halve"
    else:
        hit = np.nonzero(raw[1:] > 0.0)[0]
        target = "first_positive"
    return target, (float(grid[1 + hit[0]]) if hit.size else None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    started = time.time()
    out: dict = {"cells": {}}
    for t_max in (20.0, 100.0):
        grid = np.geomspace(1.0, t_max, GRID_POINTS)
        for stress in (False, True):
            for name, p in populations(stress).items():
                cdf = np.cumsum(p)
                cdf[-1] = 1.0
                for n in (20_000, 2_000):
                    truth = exact_m(p, grid * n)
                    rows = []
                    for rep in range(args.reps):
                        rng = np.random.default_rng(zlib.crc32(f"{name}|{n}|{rep}".encode()))
                        counts = np.bincount(np.searchsorted(cdf, rng.random(n), side="right"))
                        r, nr, total = fof_from_counts(counts)
                        sr = float(nr[0] / n) if r[0] == 1 else 0.0
                        h = floor_halving_band(
                            r, nr, error_set_min=ERROR_SET, gamma=GAMMA, t_max=t_max,
                            grid_points=GRID_POINTS, n=total,
                        )
                        target, t_true = true_halving(truth, sr, n, grid)
                        assert target == h.target
                        rows.append(
                            {"target": target, "t_true": t_true, "t_low": h.t_from_low,
                             "t_high": h.t_from_high, "t_point": h.t_point,
                             "interval": h.interval}
                        )
                    out["cells"][f"{name}|{n}|{t_max:g}"] = rows
                    print(f"{name} n={n} t_max={t_max:g} {time.time() - started:.0f}s", flush=True)
    Path(args.out).write_text(json.dumps(out))


if __name__ == "__main__":
    main()
