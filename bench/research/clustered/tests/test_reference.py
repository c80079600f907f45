"""The simulation's copies of the existing intervals equal singleton_rate.estimate's (read-only).

``sim.coverage`` re-implements the two existing intervals (distribution-free and Esty score)
so that the simulations do not depend on the package while it is being restructured; this
test checks that the copies and the new code reduce to the package's functions. It is
skipped when ``/work/main`` cannot be imported.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

sys.path.append("/work/main")
estimate = pytest.importorskip("singleton_rate.estimate")
bounds = pytest.importorskip("singleton_rate.estimate.bounds")

from clustered import cluster_summary, esty_score_cluster_interval, sampling_term_effective  # noqa: E402
from sim.coverage import existing_esty_score, existing_esty_se, existing_free  # noqa: E402


@pytest.mark.parametrize("seed", range(20))
def test_existing_copies_and_iid_reduction(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 3000))
    p = np.arange(1, 5001, dtype=float) ** -float(rng.uniform(0.5, 2.5))
    p /= p.sum()
    keys = rng.choice(p.size, size=n, p=p)
    fof = estimate.FreqOfFreq.from_counts(np.unique(keys, return_counts=True)[1])
    free = estimate.missing_mass_interval(fof, 0.95)
    score = estimate.esty_interval(fof, 0.95, method="score")
    normal = estimate.esty_interval(fof, 0.95)
    assert existing_free(fof.n, fof.f1) == pytest.approx((free.low, free.high), abs=1e-12)
    assert existing_esty_score(fof.n, fof.f1, fof.f2) == pytest.approx(
        (score.low, score.high), abs=1e-12
    )
    assert existing_esty_se(fof.n, fof.f1, fof.f2) == pytest.approx(normal.std_error, abs=1e-12)
    s = cluster_summary(np.arange(n), keys, "document")  # one occurrence per document
    iv = esty_score_cluster_interval(s)
    assert (iv.low, iv.high) == pytest.approx((score.low, score.high), abs=1e-12)


@pytest.mark.parametrize("n", [1, 17, 10_000, 123_456])
def test_sampling_term_matches_package(n: int) -> None:
    assert sampling_term_effective(float(n), 0.01) == pytest.approx(bounds.sampling_term(n, 0.01))
