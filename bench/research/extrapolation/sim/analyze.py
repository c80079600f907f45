"""Error tables from results/sim_*.json: relative error of each method per population × n × t.

Usage: /work/main/.venv/bin/python sim/analyze.py results/sim_main.json [results/sim_stress.json]
Writes results/error_table.md (and prints it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

SHOW = ("chao_jost", "power_law", "pitman_yor", "osw_binomial", "osw_poisson")


def load(paths: list[str]) -> dict:
    cells: dict = {}
    meta = None
    for p in paths:
        d = json.loads(Path(p).read_text())
        meta = meta or d
        cells.update(d["cells"])
    assert meta is not None
    return {"ts": meta["ts"], "cells": cells}


def rel_errors(cell: dict, method: str) -> np.ndarray:
    pred = np.asarray(cell["preds"][method], dtype=float)  # reps × ts
    truth = np.asarray(cell["truth"], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pred / truth - 1.0


def main() -> None:
    data = load(sys.argv[1:])
    ts = data["ts"]
    out = []
    out.append("| population | n | t | E[M(tN)] | " + " | ".join(SHOW) + " |")
    out.append("|---|---|---|---|" + "---|" * len(SHOW))
    for key, cell in data["cells"].items():
        for j, t in enumerate(ts):
            row = [cell["population"], str(cell["n"]), f"{t:g}", f"{cell['truth'][j]:.3g}"]
            for m in SHOW:
                e = rel_errors(cell, m)[:, j]
                q05, med, q95 = np.quantile(e, [0.05, 0.5, 0.95])
                if abs(med) > 99:
                    row.append(f"{np.mean(e):+.2g} (median {med:+.2g})")
                else:
                    row.append(f"{np.mean(e):+.2f} [{q05:+.2f}, {q95:+.2f}]")
            out.append("| " + " | ".join(row) + " |")
    text = "\n".join(out)
    text = (
        "Relative error pred/truth − 1: mean [5%, 95% quantiles] over seeded samples.\n\n" + text
    )
    Path("results/error_table.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
