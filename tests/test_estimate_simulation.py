"""Coverage of the missing-mass intervals on synthetic fact streams with known distributions.

Each trial draws N = 2,000 iid occurrences from a known distribution over keys, computes the
TRUE missing mass (Σ p_i over keys never drawn), and checks whether the reported 95% interval
contains it. Run with ``-s`` to see the measured coverages.
"""

import functools

import numpy as np
import pytest

from pipeline.estimate import FreqOfFreq, esty_interval, missing_mass_interval

N = 2_000
TRIALS = 500
TARGET = 0.94


def _zipf(exponent: float, keys: int) -> np.ndarray:
    weights = np.arange(1, keys + 1, dtype=float) ** -exponent
    return weights / weights.sum()


def _pareto_repeats(facts: int, shape: float, seed: int) -> np.ndarray:
    # Miao & Kearns (2025)-style corpus: each fact is repeated a Pareto-distributed number of
    # times (at least once); an occurrence is a uniform draw from the repeated pool.
    repeats = np.floor(np.random.default_rng(seed).pareto(shape, facts) + 1.0)
    return repeats / repeats.sum()


DISTRIBUTIONS = {
    "uniform-1000": lambda: np.full(1_000, 1 / 1_000),
    "zipf-1.1-10000": lambda: _zipf(1.1, 10_000),
    "zipf-2-10000": lambda: _zipf(2.0, 10_000),
    "pareto-repeats-5000": lambda: _pareto_repeats(5_000, 1.5, seed=2025),
}
SEEDS = {name: 1000 + i for i, name in enumerate(DISTRIBUTIONS)}


@functools.cache
def _coverage(name: str) -> tuple[float, float]:
    p = DISTRIBUTIONS[name]()
    counts = np.random.default_rng(SEEDS[name]).multinomial(N, p, size=TRIALS)
    true_missing = (counts == 0) @ p
    free_hits = esty_hits = 0
    for row, truth in zip(counts, true_missing, strict=True):
        fof = FreqOfFreq.from_counts(row[row > 0])
        assert fof.n == N
        free = missing_mass_interval(fof, 0.95)
        esty = esty_interval(fof, 0.95)
        free_hits += free.low <= truth <= free.high
        esty_hits += esty.low <= truth <= esty.high
    result = (free_hits / TRIALS, esty_hits / TRIALS)
    print(
        f"\n[coverage] {name}: N={N}, trials={TRIALS}, mean true missing mass="
        f"{true_missing.mean():.4f}, distribution-free={result[0]:.3f}, Esty={result[1]:.3f}"
    )
    return result


@pytest.mark.slow
@pytest.mark.parametrize("name", list(DISTRIBUTIONS))
def test_distribution_free_interval_covers(name: str) -> None:
    free, _ = _coverage(name)
    assert free >= TARGET


ESTY_CASES = [
    pytest.param("uniform-1000"),
    pytest.param("zipf-1.1-10000"),
    pytest.param(
        "zipf-2-10000",
        marks=pytest.mark.xfail(
            strict=True,
            reason=(
                "Esty's normal interval measured 0.922 coverage here (500 trials, seed 1002; "
                "misses: 5.2% with the true mass above the interval, 2.6% below). Only about "
                "30 singletons per sample, so the normal approximation is skewed; the "
                "long-run coverage is about 0.945-0.949, and 27% of 500-trial runs fall "
                "below 0.94."
            ),
        ),
    ),
    pytest.param("pareto-repeats-5000"),
]


@pytest.mark.slow
@pytest.mark.parametrize("name", ESTY_CASES)
def test_esty_interval_covers(name: str) -> None:
    _, esty = _coverage(name)
    assert esty >= TARGET
