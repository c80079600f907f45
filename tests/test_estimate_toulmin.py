"""Good–Toulmin U(t) (theory.md §4.5)."""

import pytest

from singleton_rate.estimate import FreqOfFreq, good_toulmin


def test_good_toulmin_by_hand() -> None:
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})
    # U(t) = t·3 − t²·1 + t³·1
    assert good_toulmin(fof, 0.5) == pytest.approx(1.5 - 0.25 + 0.125) == 1.375
    assert good_toulmin(fof, 1.0) == pytest.approx(3 - 1 + 1)
    assert good_toulmin(fof, 0.0) == 0.0


def test_good_toulmin_corner_cases() -> None:
    # f2 = 0: {1: 4, 3: 2} → 4t + 2t³; at t = 0.5: 2 + 0.25
    assert good_toulmin(FreqOfFreq.from_pairs({1: 4, 3: 2}), 0.5) == pytest.approx(2.25)
    # every key a singleton: U(t) = 5t
    assert good_toulmin(FreqOfFreq.from_pairs({1: 5}), 0.4) == pytest.approx(2.0)
    # a single key seen 7 times: U(t) = −(−t)^7 = t^7
    assert good_toulmin(FreqOfFreq.from_counts([7]), 0.5) == pytest.approx(0.5**7)
    # N = 1: U(1) = 1
    assert good_toulmin(FreqOfFreq.from_counts([1]), 1.0) == 1.0


def test_good_toulmin_refuses_extrapolation_beyond_t_one() -> None:
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1})
    with pytest.raises(ValueError, match="not implemented"):
        good_toulmin(fof, 1.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        good_toulmin(fof, -0.1)
    with pytest.raises(ValueError):
        good_toulmin(fof, float("nan"))
