"""Summarise results/halving_band.json into results/halving_table.md.

Usage: /work/main/.venv/bin/python sim/halving_analyze.py results/halving_band.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

STEP = 1.02  # tolerance: a few grid steps (801 points over [1, 100] is a factor 1.0058 each)


def main() -> None:
    d = json.loads(Path(sys.argv[1]).read_text())
    lines = [
        "| population | n | t_max | target | truth reached (share, median t) | reported | truth in interval (of reported) | median interval | not reported: truth also not reached |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, rows in d["cells"].items():
        pop, n, t_max = key.split("|")
        targets = {r["target"] for r in rows}
        true_t = [r["t_true"] for r in rows]
        reached = [t for t in true_t if t is not None]
        rep = [r for r in rows if r["interval"] is not None]
        inside = [
            r for r in rep
            if r["t_true"] is not None and r["interval"][0] / STEP <= r["t_true"] <= r["interval"][1] * STEP
        ]
        notrep = [r for r in rows if r["interval"] is None]
        agree = [r for r in notrep if r["t_true"] is None]
        med_int = (
            f"[{np.median([r['interval'][0] for r in rep]):.3g}, {np.median([r['interval'][1] for r in rep]):.3g}]"
            if rep else "–"
        )
        lines.append(
            f"| {pop} | {n} | {t_max} | {'/'.join(sorted(targets))} | "
            f"{len(reached) / len(rows):.2f}, {np.median(reached) if reached else float('nan'):.3g} | "
            f"{len(rep) / len(rows):.2f} | {(len(inside) / len(rep)) if rep else float('nan'):.2f} | {med_int} | "
            f"{(len(agree) / len(notrep)) if notrep else float('nan'):.2f} |"
        )
    text = "\n".join(lines)
    Path("results/halving_table.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__" and "--one-sided" not in sys.argv:
    main()


def one_sided(path: str) -> str:
    """Share of samples where the earliest end is a valid lower bound on the true multiple.

    'Earliest' = t_from_low for 'halve', t_from_high for 'first_positive'; a missing truth
    (never reached within t_max) counts as valid; a missing earliest end means "not within
    t_max", valid only if the truth is missing too.
    """
    d = json.loads(Path(path).read_text())
    out = ["| population | n | t_max | earliest end found | valid lower bound |", "|---|---|---|---|---|"]
    for key, rows in d["cells"].items():
        pop, n, t_max = key.split("|")
        ok = found = 0
        for r in rows:
            early = r["t_low"] if r["target"] == "halve" else r["t_high"]
            if early is not None:
                found += 1
                ok += r["t_true"] is None or r["t_true"] >= early / STEP
            else:
                ok += r["t_true"] is None
        out.append(f"| {pop} | {n} | {t_max} | {found / len(rows):.2f} | {ok / len(rows):.2f} |")
    return "\n".join(out)


if __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[2] == "--one-sided":
    text = one_sided(sys.argv[1])
    Path("results/halving_one_sided.md").write_text(text + "\n")
    print(text)
