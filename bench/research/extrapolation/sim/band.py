"""Calibrate and check the missing-mass band [c_lo(t)·CJ, c_hi(t)·max(PL, PY)].

Usage: /work/main/.venv/bin/python sim/band.py results/sim_main.json results/sim_stress.json

c_lo(t) = min over validated cells of the cell's 2.5% quantile of truth/CJ (capped at 1);
c_hi(t) = max over validated cells of the cell's 97.5% quantile of truth/max(PL, PY)
(floored at 1). Cells whose truth is below 1e-4 (negligible next to 2/|E| ≥ 0.005 in the
floor) are left out of the calibration. Validated cells: every cell of the first file.
Writes results/band_constants.json and results/band_table.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

TINY = 1e-4


def arrays(cell: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    cj = np.asarray(cell["preds"]["chao_jost"], dtype=float)
    pl = np.asarray(cell["preds"]["power_law"], dtype=float)
    py = np.asarray(cell["preds"]["pitman_yor"], dtype=float)
    return cj, pl, py, np.asarray(cell["truth"], dtype=float)


def main() -> None:
    main_cells = json.loads(Path(sys.argv[1]).read_text())
    stress_cells = json.loads(Path(sys.argv[2]).read_text()) if len(sys.argv) > 2 else {"cells": {}}
    ts = main_cells["ts"]
    c_lo, c_hi = [], []
    for j, _t in enumerate(ts):
        lo_q, hi_q = [], []
        for cell in main_cells["cells"].values():
            cj, pl, py, truth = arrays(cell)
            if truth[j] < TINY:
                continue
            with np.errstate(divide="ignore"):
                lo_q.append(np.quantile(truth[j] / cj[:, j], 0.025))
            hi_q.append(np.quantile(truth[j] / np.maximum(pl[:, j], py[:, j]), 0.975))
        c_lo.append(float(min(1.0, min(lo_q))))
        c_hi.append(float(max(1.0, max(hi_q))))
    consts = {"ts": ts, "c_lo": c_lo, "c_hi": c_hi, "tiny": TINY}
    Path("results/band_constants.json").write_text(json.dumps(consts, indent=1))
    lines = [
        "Band constants: " + ", ".join(f"t={t:g}: c_lo={a:.3f}, c_hi={b:.3f}" for t, a, b in zip(ts, c_lo, c_hi)),
        "",
        "| population | n | t | E[M(tN)] | coverage | below | above | median high/low | median point (PY)/truth |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, cells in (("", main_cells["cells"]), (" (stress)", stress_cells["cells"])):
        for cell in cells.values():
            cj, pl, py, truth = arrays(cell)
            for j, t in enumerate(ts):
                low = c_lo[j] * cj[:, j]
                high = c_hi[j] * np.maximum(pl[:, j], py[:, j])
                tol = TINY  # absolute slack: masses below 1e-4 do not move the floor
                below = np.mean(truth[j] < low - tol)
                above = np.mean(truth[j] > high + tol)
                width = np.median(high / np.maximum(low, 1e-300))
                lines.append(
                    f"| {cell['population']}{label} | {cell['n']} | {t:g} | {truth[j]:.3g} | "
                    f"{1 - below - above:.3f} | {below:.3f} | {above:.3f} | "
                    f"{width:.3g} | {np.median(py[:, j]) / truth[j]:.3g} |"
                )
    text = "\n".join(lines)
    Path("results/band_table.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
