"""The example table of REPORT.md §3.2: effective |E_c| for a few value distributions.

Usage (from /work/scratch/extrap): /work/main/.venv/bin/python sim/ec_examples.py
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from singletons_extrap.error_set import effective_error_set  # noqa: E402

cases = [("uniform 365 days", 365, 0.0), ("100 birth years, uniform", 100, 0.0),
         ("195 countries, Zipf 1", 195, 1.0), ("5,000 places, Zipf 1", 5000, 1.0),
         ("5,000 places, Zipf 0.7", 5000, 0.7)]
for name, k, s in cases:
    w = np.arange(1, k + 1, dtype=float) ** (-s)
    e = effective_error_set(np.round(w / w.sum() * 1e6))
    print(f"{name}: distinct-1={e.uniform_error_set} K={e.k_floor:.1f} 2/K={2 / e.k_floor:.4f} "
          f"kappa={e.kappa:.3f} L_ceiling={e.l_ceiling:.1f}")
d = np.arange(365)
e = effective_error_set(np.round(1e6 / 365 * (1 + 0.1 * np.cos(2 * np.pi * (d - 250) / 365))))
print(f"days +-10% seasonal: K={e.k_floor:.1f} 2/K={2 / e.k_floor:.4f} kappa={e.kappa:.4f} L_ceiling={e.l_ceiling:.1f}")
