"""FreqOfFreq: construction, validation, and the counts every estimator reads."""

import dataclasses

import numpy as np
import pytest

from singleton_rate.estimate import FofError, FreqOfFreq


def test_from_pairs_sorts_and_counts() -> None:
    fof = FreqOfFreq.from_pairs([(3, 1), (1, 3), (2, 1)])
    assert fof.r == (1, 2, 3)
    assert fof.n_r == (3, 1, 1)
    # N = 1·3 + 2·1 + 3·1 = 8; S_obs = 3 + 1 + 1 = 5
    assert fof.n == 8
    assert fof.distinct == 5
    assert (fof.f1, fof.f2, fof.f(3), fof.f(4), fof.f(1000)) == (3, 1, 1, 0, 0)
    assert fof.items() == ((1, 3), (2, 1), (3, 1))


def test_from_pairs_accepts_a_mapping_and_whole_floats() -> None:
    assert FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1}) == FreqOfFreq.from_pairs(
        [(1.0, 3.0), (2, 1.0), (np.int64(3), np.int32(1))]
    )
    fof = FreqOfFreq.from_pairs([(2.0, 5.0)])
    assert type(fof.r[0]) is int and type(fof.n_r[0]) is int


def test_from_counts_matches_from_pairs() -> None:
    # keys seen 3, 1, 1, 2, 1 times → N_1 = 3, N_2 = 1, N_3 = 1
    expected = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})
    assert FreqOfFreq.from_counts([3, 1, 1, 2, 1]) == expected
    assert FreqOfFreq.from_counts(iter([3, 1, 1, 2, 1])) == expected
    assert FreqOfFreq.from_counts(np.array([3, 1, 1, 2, 1])) == expected
    assert FreqOfFreq.from_counts(np.array([3.0, 1.0, 1.0, 2.0, 1.0])) == expected


def test_zero_rows_are_dropped() -> None:
    assert FreqOfFreq.from_pairs({1: 2, 2: 0, 5: 1}).items() == ((1, 2), (5, 1))


def test_table_is_frozen_and_hashable() -> None:
    fof = FreqOfFreq.from_pairs({1: 2})
    assert hash(fof) == hash(FreqOfFreq(r=(1,), n_r=(2,)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        fof.r = (2,)  # type: ignore[misc]
    r, n_r = fof.as_arrays()
    r[0] = 99
    assert fof.r == (1,)
    assert n_r.dtype == np.int64


def test_single_key_and_n_equal_one() -> None:
    single = FreqOfFreq.from_counts([7])
    assert (single.n, single.distinct, single.f1) == (7, 1, 0)
    one = FreqOfFreq.from_counts([1])
    assert (one.n, one.distinct, one.f1, one.f2) == (1, 1, 1, 0)


def test_f_of_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="N_0 is unknown"):
        FreqOfFreq.from_pairs({1: 1}).f(0)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([], "empty"),
        ({}, "empty"),
        ({1: 0, 2: 0}, "every n_r is 0"),
        ([(1, -2)], "negative"),
        ([(-1, 2)], "negative"),
        ([(2.5, 1)], "whole number"),
        ([(2, 1.5)], "whole number"),
        ([(float("nan"), 1)], "whole number"),
        ([("2", 1)], "whole number"),
        ([(True, 1)], "bool"),
        ([(0, 4)], "r = 0 rows are not allowed"),
        ([(0, 0), (1, 1)], "r = 0 rows are not allowed"),
        ([(1, 2), (2, 1), (1, 3)], "duplicated r = 1"),
        ([(1, 2, 3)], "pair"),
        ([5], "pair"),
    ],
)
def test_from_pairs_rejects_bad_tables(pairs: object, message: str) -> None:
    with pytest.raises(FofError, match=message):
        FreqOfFreq.from_pairs(pairs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([], "empty"),
        (np.array([], dtype=np.int64), "empty"),
        ([1, -1], "negative"),
        (np.array([1, -1]), "negative"),
        ([1, 2.5], "whole number"),
        (np.array([1.0, 2.5]), "whole number"),
        ([1, 0], "count of 0"),
        (np.array([3, 0]), "count of 0"),
    ],
)
def test_from_counts_rejects_bad_counts(counts: object, message: str) -> None:
    with pytest.raises(FofError, match=message):
        FreqOfFreq.from_counts(counts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("r", "n_r", "message"),
    [
        ((2, 1), (1, 1), "strictly increasing"),
        ((1, 1), (1, 1), "strictly increasing"),
        ((1, 2), (1, 0), "n_r = 0"),
        ((0, 1), (1, 1), "r = 0"),
        ((1, 2), (1,), "length"),
        ((), (), "empty"),
    ],
)
def test_direct_construction_wants_the_canonical_form(
    r: tuple[int, ...], n_r: tuple[int, ...], message: str
) -> None:
    with pytest.raises(FofError, match=message):
        FreqOfFreq(r=r, n_r=n_r)


def test_fof_error_is_a_value_error() -> None:
    assert issubclass(FofError, ValueError)
