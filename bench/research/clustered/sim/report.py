"""Tables from ``results/*.npz``: coverage, miss sides, width, bias, variance ratio.

Usage: ``/work/main/.venv/bin/python -m sim.report [--results DIR]``; writes
``results/coverage.csv`` and ``results/tables.md`` and prints the markdown.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

import numpy as np

from sim.coverage import DESIGNS, RESULTS


def load(path: Path) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, float]]:
    data = np.load(path)
    out: dict[str, dict[str, np.ndarray]] = {}
    meta: dict[str, float] = {}
    for name in data.files:
        cell, field = name.split("::")
        if cell == "__meta__":
            meta[field] = float(data[name][0])
        else:
            out.setdefault(cell, {})[field] = data[name]
    return out, meta


def metrics(rec: dict[str, np.ndarray]) -> dict[str, float]:
    est, lo, hi, se, truth = (rec[f] for f in ("est", "low", "high", "se", "truth"))
    t = est.size
    err = est - truth
    is_check = np.all(lo == hi) and np.all(np.isin(lo, (0.0, 1.0))) and np.all(truth == 0.0)
    if is_check:
        cov = float(lo.mean())
        below = above = math.nan
        width = math.nan
    else:
        cov = float(np.mean((lo <= truth) & (truth <= hi)))
        below = float(np.mean(truth < lo))
        above = float(np.mean(truth > hi))
        width = float(np.mean(hi - lo))
    var_err = float(np.var(err, ddof=1)) if t > 1 else math.nan
    se_ok = se[np.isfinite(se)]
    ratio = float(np.mean(se_ok**2) / var_err) if se_ok.size == t and var_err > 0 else math.nan
    return {
        "trials": t,
        "coverage": cov,
        "below": below,
        "above": above,
        "width": width,
        "mean_truth": float(truth.mean()),
        "bias": float(err.mean()),
        "bias_se": float(err.std(ddof=1) / math.sqrt(t)) if t > 1 else math.nan,
        "sd_err": math.sqrt(var_err) if var_err == var_err else math.nan,
        "var_ratio": ratio,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    rows = []
    for design in DESIGNS:
        path = args.results / f"{design}.npz"
        if not path.exists():
            continue
        cells, meta = load(path)
        for name in sorted(cells):
            cell, method = name.split("|")
            m = metrics(cells[name])
            rows.append(
                {
                    "design": design,
                    "cell": cell,
                    "method": method,
                    **m,
                    "seconds": meta.get("seconds", math.nan),
                }
            )
    if not rows:
        raise SystemExit("no results")
    with (args.results / "coverage.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lines = [
        "| design | cell | method | trials | coverage | below | above | mean width | "
        "bias (±MC se) | se²/var |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def f(x: float, d: int = 3) -> str:
        return "—" if x != x else f"{x:.{d}f}"

    for r in rows:
        flag = " **<0.93**" if r["coverage"] < 0.93 else ""
        lines.append(
            f"| {r['design']} | {r['cell']} | {r['method']} | {r['trials']} | "
            f"{f(r['coverage'])}{flag} | {f(r['below'])} | {f(r['above'])} | {f(r['width'], 4)} | "
            f"{r['bias']:+.4f} ± {r['bias_se']:.4f} | {f(r['var_ratio'], 2)} |"
        )
    text = "\n".join(lines)
    (args.results / "tables.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
