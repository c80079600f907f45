"""Extrapolation error table: each missing-mass method against the exact expected missing mass.

    nice .venv/bin/python bench/extrapolation_error.py [--samples 200] [--sizes 5000,20000]
        [--out bench/results/extrapolation_error] [--seed 12]

For each population (Zipf 1.1, 1.5 and 2 on 10⁶ keys, uniform on 10⁵ keys), each base size
``N`` and each of ``--samples`` seeded multinomial samples of ``N`` draws, the frequency-of-
frequencies table goes through the product's estimators (:mod:`singleton_rate.estimate.band`,
:func:`singleton_rate.estimate.extrapolate.predict`) at ``t = 2, 5, 10, 20, 50, 100``, and each
prediction is compared with the exact expected missing mass of a sample of ``t·N`` draws,

    E[M(tN)] = Σ_i p_i (1 − p_i)^(tN)

(computed as ``Σ p·exp(tN·log1p(−p))`` over every key). Reported per cell: the mean relative
error ``pred/truth − 1`` of Chao–Jost (CJ), the local power law (PL) and Pitman–Yor (PY), its
standard deviation and 5%/95% quantiles; the band's coverage ``low ≤ truth ≤ high`` (with the
1e-4 absolute slack the band was calibrated with: masses that small cannot move Theorem 2's
floor next to ``2/|E| ≥ 0.005``) and median ``high/low``. No Spark; about a minute at the
defaults on one core.

Writes ``OUT.json`` (every cell) and ``OUT.md`` (the tables, pasted into ``bench/RESULTS.md``).
``tests/test_estimate_extrapolate.py`` checks the ``N = 5,000`` means on 20 of the samples,
with tolerances from the standard deviations here.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from pathlib import Path

import numpy as np

from singleton_rate.estimate import FreqOfFreq
from singleton_rate.estimate.band import (
    chao_jost_missing_mass,
    pitman_yor_fit,
    pitman_yor_missing_mass,
    power_law_missing_mass,
)
from singleton_rate.estimate.extrapolate import predict

T_GRID = (2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
METHODS = ("CJ", "PL", "PY")
SLACK = 1e-4


def zipf(exponent: float, keys: int) -> np.ndarray:
    """``p_i ∝ i^(−s)``, ``i = 1 … keys``."""
    w = np.arange(1, keys + 1, dtype=float) ** -exponent
    return w / w.sum()


POPULATIONS = {
    "Zipf 1.1 (10⁶ keys)": lambda: zipf(1.1, 1_000_000),
    "Zipf 1.5 (10⁶ keys)": lambda: zipf(1.5, 1_000_000),
    "Zipf 2 (10⁶ keys)": lambda: zipf(2.0, 1_000_000),
    "uniform (10⁵ keys)": lambda: np.full(100_000, 1e-5),
}


def expected_missing_mass(p: np.ndarray, m: float) -> float:
    """``Σ p_i (1 − p_i)^m``, exactly (to rounding)."""
    return float(np.sum(p * np.exp(m * np.log1p(-p))))


def one_sample(p: np.ndarray, n: int, rng: np.random.Generator) -> dict[str, list[float]]:
    """Predictions of every method at every ``t`` for one sample of ``n`` draws."""
    counts = rng.multinomial(n, p)
    fof = FreqOfFreq.from_counts(counts[counts > 0])
    r, n_r = fof.as_arrays()
    fit = pitman_yor_fit(r, n_r)
    out: dict[str, list[float]] = {k: [] for k in (*METHODS, "low", "high")}
    for t in T_GRID:
        out["CJ"].append(chao_jost_missing_mass(r, n_r, t))
        out["PL"].append(power_law_missing_mass(r, n_r, t))
        out["PY"].append(pitman_yor_missing_mass(r, n_r, t, fit=fit))
        row = predict(fof, t, error_set_min=364, error_set_max=364, fit=fit)
        out["low"].append(float(row.predicted_missing_mass_low))
        out["high"].append(float(row.predicted_missing_mass_high))
    return out


def run(samples: int, sizes: list[int], seed: int) -> list[dict[str, object]]:
    cells = []
    for name, make in POPULATIONS.items():
        p = make()
        for n in sizes:
            truth = np.array([expected_missing_mass(p, t * n) for t in T_GRID])
            rows = []
            for i in range(samples):
                rng = np.random.default_rng([seed, zlib.crc32(f"{name}|{n}".encode()), i])
                rows.append(one_sample(p, n, rng))
            preds = {k: np.array([row[k] for row in rows]) for k in rows[0]}
            for j, t in enumerate(T_GRID):
                cell: dict[str, object] = {
                    "population": name,
                    "n": n,
                    "t": t,
                    "truth": float(truth[j]),
                    "samples": samples,
                }
                for m in METHODS:
                    rel = preds[m][:, j] / truth[j] - 1.0
                    cell[m] = {
                        "mean": float(rel.mean()),
                        "sd": float(rel.std(ddof=1)),
                        "q05": float(np.quantile(rel, 0.05)),
                        "q95": float(np.quantile(rel, 0.95)),
                    }
                low, high = preds["low"][:, j], preds["high"][:, j]
                covered = (low - SLACK <= truth[j]) & (truth[j] <= high + SLACK)
                cell["band"] = {
                    "coverage": float(covered.mean()),
                    "below": float((truth[j] < low - SLACK).mean()),
                    "above": float((truth[j] > high + SLACK).mean()),
                    "median_width_ratio": float(np.median(high / np.maximum(low, 1e-300))),
                    "informative": float((high <= 10.0 * low).mean()),
                }
                cells.append(cell)
    return cells


def _ratio(x: float) -> str:
    return f"{x:+.2f}" if abs(x) < 10 else f"×{x + 1:.3g}"


def markdown(cells: list[dict[str, object]], samples: int, seconds: float) -> str:
    lines = [
        "Mean relative error `pred/truth − 1` (5%…95% over the samples) against the exact "
        f"`E[M(tN)] = Σ p(1−p)^(tN)`, {samples} seeded samples per cell "
        f"(`bench/extrapolation_error.py`, {seconds:.0f} s). CJ = Chao–Jost (the product's "
        "point to 2×N), PL = local power law `(N1/N)·t^(−2N2/N1)`, PY = Pitman–Yor; "
        "band = `[c_lo(t)·CJ, c_hi(t)·max(PL, PY)]` (the product's beyond 2×N): coverage "
        "(share of samples with low ≤ truth ≤ high, 1e-4 slack) and median high/low.",
        "",
        "| population | N | method | " + " | ".join(f"t={t:g}" for t in T_GRID) + " |",
        "|---|---|---|" + "---|" * len(T_GRID),
    ]
    keys = sorted(
        {(c["population"], c["n"]) for c in cells},
        key=lambda k: (list(POPULATIONS).index(k[0]), k[1]),
    )  # type: ignore[arg-type]
    for pop, n in keys:
        part = [c for c in cells if c["population"] == pop and c["n"] == n]
        for m in METHODS:
            vals = [
                f"{_ratio(c[m]['mean'])} ({_ratio(c[m]['q05'])}…{_ratio(c[m]['q95'])})"  # type: ignore[index]
                for c in part
            ]
            lines.append(f"| {pop} | {n:,} | {m} | " + " | ".join(vals) + " |")
        vals = [
            f"{c['band']['coverage']:.3f}, ×{c['band']['median_width_ratio']:.3g}"  # type: ignore[index]
            for c in part
        ]
        lines.append(f"| {pop} | {n:,} | band coverage, high/low | " + " | ".join(vals) + " |")
    lines.append("")
    lines.append(
        "Truth `E[M(tN)]`: "
        + "; ".join(
            f"{pop}, N = {n:,}: "
            + ", ".join(
                f"{c['truth']:.3g}" for c in cells if c["population"] == pop and c["n"] == n
            )
            for pop, n in keys
        )
        + f" (t = {', '.join(f'{t:g}' for t in T_GRID)})."
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", default="bench/results/extrapolation_error")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    start = time.perf_counter()
    cells = run(args.samples, sizes, args.seed)
    seconds = time.perf_counter() - start
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(
        json.dumps(
            {"samples": args.samples, "seed": args.seed, "seconds": seconds, "cells": cells},
            indent=1,
        )
    )
    text = markdown(cells, args.samples, seconds)
    out.with_suffix(".md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
