"""Theorem 2 of Kalai, Nachum, Vempala & Zhang (2025) and its companions (theory.md §2)."""

import math

import pytest

from singleton_rate.estimate import (
    abstention_penalty,
    hallucination_bounds,
    hallucination_bounds_headline,
    is_it_valid_floor,
    singleton_rate_missing_mass_gap,
)


def test_appendix_b_bounds_by_hand_at_99_percent() -> None:
    # sr = 0.3, N = 10^6, |E| = 364 (day-of-year birthdays), γ = 0.01, δ = 0
    got = hallucination_bounds(0.3, 10**6, error_set_min=364, error_set_max=364)
    # 2/364 = 0.005494505
    assert got.term_error_set == pytest.approx(0.005494505, abs=1e-9)
    # 6·ln(3·10^6/0.01)/√10^6 = 6·ln(3·10^8)/1000 = 6·19.519293033/1000 = 0.117115758
    assert got.term_sampling == pytest.approx(0.117115758, abs=1e-9)
    assert got.term_calibration == 0.0
    # floor = 0.3 − 0.005494505 − 0.117115758 = 0.177389736
    assert got.floor_raw == pytest.approx(0.177389736, abs=1e-9)
    assert got.floor == got.floor_raw
    assert got.floor_informative
    # ceiling = (364/365)·0.3 + 5·√(ln 500/10^6) = 0.299178082 + 5·0.002492922 = 0.311642640
    assert got.ceiling_factor == pytest.approx(364 / 365)
    assert got.ceiling_term_sampling == pytest.approx(0.012464558, abs=1e-9)
    assert got.ceiling == pytest.approx(0.311642640, abs=1e-9)
    assert got.gamma == 0.01
    assert got.confidence == pytest.approx(0.99)
    assert got.form == "appendix_b"


def test_appendix_b_bounds_by_hand_other_gamma_and_delta() -> None:
    # sr = 0.5, N = 10^4, min|E| = 10, max|E| = 100, γ = 0.05, δ = 0.02
    got = hallucination_bounds(
        0.5, 10**4, error_set_min=10, error_set_max=100, gamma=0.05, calibration_error=0.02
    )
    assert got.term_error_set == pytest.approx(0.2)  # 2/10
    # 6·ln(3·10^4/0.05)/100 = 6·ln(6·10^5)/100 = 6·13.304684934/100 = 0.798281096
    assert got.term_sampling == pytest.approx(0.798281096, abs=1e-9)
    assert got.term_calibration == 0.02
    # floor = 0.5 − 0.2 − 0.798281096 − 0.02 = −0.518281096 → clipped to 0
    assert got.floor_raw == pytest.approx(-0.518281096, abs=1e-9)
    assert got.floor == 0.0
    assert not got.floor_informative
    # ceiling = (100/101)·0.5 + 5·√(ln 100/10^4) = 0.495049505 + 0.107298301 = 0.602347806
    assert got.ceiling_term_sampling == pytest.approx(0.107298301, abs=1e-9)
    assert got.ceiling == pytest.approx(0.602347806, abs=1e-9)


def test_headline_constants_by_hand() -> None:
    # theory.md: at N = 10^6 the (35 + 6 ln N)/√N term is 0.118
    got = hallucination_bounds_headline(0.3, 10**6, error_set_min=364, error_set_max=364)
    # (35 + 6·13.815510558)/1000 = 117.893063348/1000
    assert got.term_sampling == pytest.approx(0.117893063, abs=1e-9)
    assert got.ceiling_term_sampling == pytest.approx(0.013)  # 13/√10^6
    # sr − sr/(L + 1) + 13/√N = 0.3 − 0.3/365 + 0.013
    assert got.ceiling == pytest.approx(0.3 - 0.3 / 365 + 0.013)
    assert got.form == "theorem_2"
    assert got.gamma == 0.01


@pytest.mark.parametrize("n", [1, 10, 1000, 10**6, 10**9, 10**12])
def test_appendix_b_at_99_percent_is_never_looser_than_the_headline(n: int) -> None:
    # 6·ln(300N) = 6·ln 300 + 6·ln N = 34.223 + 6 ln N ≤ 35 + 6 ln N; 5·√ln 500 = 12.465 ≤ 13
    kwargs = {"error_set_min": 364, "error_set_max": 364}
    b = hallucination_bounds(0.4, n, **kwargs)
    h = hallucination_bounds_headline(0.4, n, **kwargs)
    assert b.term_sampling <= h.term_sampling
    assert b.ceiling_term_sampling <= h.ceiling_term_sampling
    assert b.floor_raw >= h.floor_raw


def test_theory_md_example_at_a_billion() -> None:
    # theory.md: at N = 10^9 the headline term is 0.005: (35 + 6·20.723)/31622.8 = 0.005039
    got = hallucination_bounds_headline(0.1, 10**9, error_set_min=364, error_set_max=364)
    assert got.term_sampling == pytest.approx(0.005039, abs=1e-6)


def test_n_equal_one_and_extremes() -> None:
    # N = 1: 6·ln(3/0.01)/1 = 6·ln 300 = 34.2227; 5·√ln 500 = 12.4646 → ceiling clipped to 1
    got = hallucination_bounds(1.0, 1, error_set_min=1, error_set_max=1)
    assert got.term_sampling == pytest.approx(34.222694848, abs=1e-8)
    assert got.term_error_set == 2.0
    assert got.floor == 0.0 and not got.floor_informative
    assert got.ceiling_raw == pytest.approx(0.5 + 12.464557853, abs=1e-8)
    assert got.ceiling == 1.0
    # sr = 0: the floor is negative, the ceiling is only the sampling term
    zero = hallucination_bounds(0.0, 10**6, error_set_min=364, error_set_max=364)
    assert zero.floor == 0.0 and zero.ceiling == pytest.approx(zero.ceiling_term_sampling)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"error_set_min": 0, "error_set_max": 5}, "at least 1"),
        ({"error_set_min": 5, "error_set_max": 4}, "at least error_set_min"),
        ({"error_set_min": 2.5, "error_set_max": 4}, "whole number"),
        ({"error_set_min": 2, "error_set_max": 4, "gamma": 0.0}, "gamma"),
        ({"error_set_min": 2, "error_set_max": 4, "gamma": 1.0}, "gamma"),
        ({"error_set_min": 2, "error_set_max": 4, "calibration_error": -0.1}, "δ"),
    ],
)
def test_bounds_validate_their_arguments(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        hallucination_bounds(0.2, 100, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("sr", "n"), [(-0.1, 100), (1.1, 100), (0.2, 0), (0.2, 2.5)])
def test_bounds_validate_sr_and_n(sr: float, n: int) -> None:
    with pytest.raises(ValueError):
        hallucination_bounds(sr, n, error_set_min=2, error_set_max=2)


def test_lemma_1_gap_by_hand() -> None:
    # 4.42·√(ln(5/0.01)/10^4) = 4.42·√(6.214608098/10^4) = 4.42·0.024929115 = 0.110186691
    assert singleton_rate_missing_mass_gap(10**4) == pytest.approx(0.110186691, abs=1e-9)
    with pytest.raises(ValueError):
        singleton_rate_missing_mass_gap(0)


def test_is_it_valid_floor_by_hand() -> None:
    # 2·0.3 − 2/364 − 0.01 = 0.6 − 0.005494505 − 0.01 = 0.584505495
    got = is_it_valid_floor(0.3, valid_set_max=2, error_set_min=364, calibration_error=0.01)
    assert got == pytest.approx(0.584505495, abs=1e-9)
    assert is_it_valid_floor(0.0, valid_set_max=2, error_set_min=1) == -2.0
    with pytest.raises(ValueError):
        is_it_valid_floor(1.5, valid_set_max=2, error_set_min=1)


@pytest.mark.parametrize(("t", "penalty"), [(0.0, 0.0), (0.5, 1.0), (0.75, 3.0), (0.9, 9.0)])
def test_abstention_penalty(t: float, penalty: float) -> None:
    assert abstention_penalty(t) == pytest.approx(penalty)


def test_abstention_penalty_rejects_one() -> None:
    with pytest.raises(ValueError):
        abstention_penalty(1.0)


def test_constant_sanity() -> None:
    # the paper's rounding claims, checked with plain arithmetic
    assert 6 * math.log(300) <= 35
    assert 5 * math.sqrt(math.log(500)) <= 13
