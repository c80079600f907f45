"""Compact error table: mean relative error (and 90% range) per method × population × t.

Usage: /work/main/.venv/bin/python sim/compact.py results/sim_main.json results/sim_stress.json
Writes results/compact_table.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

METHODS = {"chao_jost": "CJ", "power_law": "PL", "pitman_yor": "PY", "osw_binomial": "OSW-bin"}


def main() -> None:
    cells = {}
    for p in sys.argv[1:]:
        cells.update(json.loads(Path(p).read_text())["cells"])
    ts = (2, 5, 10, 20, 100)
    lines = ["| population | n | method | " + " | ".join(f"t={t}" for t in ts) + " |",
             "|---|---|---|" + "---|" * len(ts)]
    for cell in cells.values():
        truth = np.asarray(cell["truth"])
        for m, label in METHODS.items():
            e = np.asarray(cell["preds"][m]) / truth - 1.0
            parts = []
            for j in range(len(ts)):
                mean = np.mean(e[:, j])
                q05, q95 = np.quantile(e[:, j], [0.05, 0.95])
                parts.append(f"{mean:+.2f} ({q05:+.2f}…{q95:+.2f})" if abs(mean) < 10 else f"×{mean + 1:.3g}")
            lines.append(f"| {cell['population']} | {cell['n']} | {label} | " + " | ".join(parts) + " |")
    text = "\n".join(lines)
    Path("results/compact_table.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
