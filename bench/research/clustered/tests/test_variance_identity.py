"""Monte Carlo check of the identity behind ``cluster_variance`` (REPORT.md §3.1).

With a Poisson(ν) number of documents drawn from a fixed set of document types, the pivot
``Z = Σ_k [w_k·1{a_k = 1} − ν·E(w_k(D))·1{a_k = 0}]`` has mean 0 and
``Var Z = E[Σ_d y_d² + 2P]`` EXACTLY, for any document composition and mention weights.
The document types below make keys co-occur (keys 0 and 3 share type t3, keys 1 and 2 type
t1; key 3 is stated three times in t2), which is what the i.i.d. formula N1 + 2N2 misses.
"""

from __future__ import annotations

import numpy as np
import pytest

from clustered import cluster_summary

TYPES = [  # (probability, {key: mentions})
    (0.30, {0: 1, 1: 2}),
    (0.20, {1: 1, 2: 1}),
    (0.20, {3: 3}),
    (0.20, {0: 1, 3: 1, 4: 1}),
    (0.10, {5: 2}),
]
NU = 3.0
REPS = 40_000


def _expected_weight(unit: str) -> np.ndarray:
    out = np.zeros(6)
    for prob, content in TYPES:
        for k, m in content.items():
            out[k] += prob * (m if unit == "mention" else 1)
    return NU * out


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["document", "mention"])
def test_cluster_variance_is_unbiased_under_poissonised_documents(unit: str) -> None:
    rng = np.random.default_rng(11)
    probs = np.array([p for p, _ in TYPES])
    lam_r = _expected_weight(unit)
    z = np.empty(REPS)
    v = np.empty(REPS)
    iid = np.empty(REPS)
    for i in range(REPS):
        n = rng.poisson(NU)
        if n == 0:
            z[i], v[i], iid[i] = -lam_r.sum(), 0.0, 0.0
            continue
        types = rng.choice(len(TYPES), size=n, p=probs)
        doc = [d for d, t in enumerate(types) for k, m in TYPES[t][1].items() for _ in range(m)]
        key = [k for t in types for k, m in TYPES[t][1].items() for _ in range(m)]
        s = cluster_summary(doc, key, unit)
        a_k = np.zeros(6, dtype=int)
        w_k = np.zeros(6)
        for t in types:
            for k, m in TYPES[t][1].items():
                a_k[k] += 1
                w_k[k] += m if unit == "mention" else 1
        z[i] = np.sum(np.where(a_k == 1, w_k, 0.0)) - np.sum(np.where(a_k == 0, lam_r, 0.0))
        v[i] = s.sum_y2 + 2 * s.pair_term
        iid[i] = s.n1 + 2 * s.n2
    assert abs(z.mean()) < 4 * z.std() / np.sqrt(REPS)  # E Z = 0
    var_z = z.var(ddof=1)
    # MC standard error of the difference of the two means (the variance estimate's own
    # error is dominated by the spread of z²).
    se = np.sqrt(np.var(z * z - z.mean() ** 2 - v, ddof=1) / REPS)
    print(
        f"\n[{unit}] Var Z = {var_z:.4f}, E[Σy² + 2P] = {v.mean():.4f} ± {se:.4f}, "
        + (f"E[N1 + 2N2] = {iid.mean():.4f}" if unit == "document" else "")
    )
    assert abs(v.mean() - var_z) < 4 * se, (v.mean(), var_z, se)
    if unit == "document":
        # The i.i.d. formula N1 + 2N2 is off here by many standard errors (it misses the
        # co-occurrence of keys 0 and 3, and of 1 and 2, in one document).
        assert abs(iid.mean() - var_z) > 6 * se, (iid.mean(), var_z, se)
