"""Typical magnitudes per design (one seeded corpus each): N, documents, N_eff, design
effects, estimates, truth, and Theorem 2's sampling term at N and at N_eff.

Usage: ``/work/main/.venv/bin/python -m sim.typical``
"""

from __future__ import annotations

import numpy as np

from clustered import cluster_summary, design_effect, sampling_term_effective
from sim.coverage import BASE_SEED, DESIGNS, _cells, make_corpus


def main() -> None:
    print(
        "| design | cell | N | documents | N_eff (Kish) | D (deff) | N1/N (unit) | LODO θ̂ | "
        "truth M | 6ln(3N/γ)/√N | same at N_eff |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for design in DESIGNS:
        rng = np.random.default_rng(np.random.SeedSequence([BASE_SEED, 99, DESIGNS.index(design)]))
        corpus = make_corpus(design, rng)
        for kind, unit in _cells(design):
            s = cluster_summary(corpus.doc, corpus.keys[kind], unit)
            print(
                f"| {design} | {kind}/{unit} | {s.n} | {s.n_docs} | {s.n_eff:.0f} | "
                f"{design_effect(s):.2f} | {s.singleton_rate:.3f} | {s.estimate:.3f} | "
                f"{corpus.truth(kind, unit):.3f} | {sampling_term_effective(s.n, 0.01):.3f} | "
                f"{sampling_term_effective(s.n_eff, 0.01):.3f} |"
            )
            if design == "neardup":
                g = cluster_summary(corpus.group, corpus.keys[kind], unit)
                print(
                    f"| neardup, dup groups as documents | {kind}/{unit} | {g.n} | {g.n_docs} | "
                    f"{g.n_eff:.0f} | {design_effect(g):.2f} | {g.singleton_rate:.3f} | "
                    f"{g.estimate:.3f} | {corpus.truth(kind, unit):.3f} | "
                    f"{sampling_term_effective(g.n, 0.01):.3f} | "
                    f"{sampling_term_effective(g.n_eff, 0.01):.3f} |"
                )


if __name__ == "__main__":
    main()
