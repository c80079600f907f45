"""|E_c| by rule and from the observed values (pipeline/singleton_rate/estimate/errorset.py), hand-worked."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from singleton_rate.estimate.bounds import sampling_term
from singleton_rate.estimate.errorset import (
    attribute_error_set,
    date_error_set,
    effective_error_set,
    generalized_floor,
    indistinguishability,
    precision_of,
    rule_error_set,
)
from singleton_rate.estimate.table import Relations, estimates_frame, scope_attributes


def test_date_rules_follow_the_precision() -> None:
    assert date_error_set("day_of_year") == 364  # the paper's DD-MM birthday
    assert date_error_set("year", 200) == 199
    assert date_error_set("month", 200) == 2399
    assert date_error_set("day", 200) == round(365.2425 * 200) - 1 == 73047
    with pytest.raises(ValueError, match="year_span"):
        date_error_set("year")


def test_mixed_precision_takes_min_for_the_floor_and_max_for_the_ceiling() -> None:
    rule = rule_error_set("date", ["1900", "1999-05", "1950-01-02"])  # Y = 100
    assert (rule.floor, rule.ceiling) == (99, 36523)
    assert rule_error_set("country", ["france", "peru"]).floor == 194
    assert rule_error_set("entity", ["a", "b", "c", "d"]).floor == 3
    assert rule_error_set("entity", ["a"]).floor == 1  # at least 1
    with pytest.raises(ValueError, match="not a date key"):
        precision_of("circa 1900")


def test_effective_size_of_a_skewed_attribute() -> None:
    # 60 prompts say "london", 30 "paris", 10 "rome": π = (0.6, 0.3, 0.1)
    e = effective_error_set([60, 30, 10], conservative=False)
    assert e.k_floor == pytest.approx((1 - 0.3) / 0.6)  # 1.1667: far below distinct − 1 = 2
    assert e.simpson == pytest.approx((60 * 59 + 30 * 29 + 10 * 9) / (100 * 99))
    assert e.l_ceiling == pytest.approx(1 / e.simpson - 1)
    # κ by hand: odds = (1.5, 0.428571, 0.111111), W = 2.039683;
    # d_TV = Σ π·(1 − W + odds)⁺ = 0.6·0.460317 = 0.276190 (the others are negative)
    assert e.kappa == pytest.approx(1 - 0.6 * (1 - (1.5 + 3 / 7 + 1 / 9) + 1.5))
    assert indistinguishability([1.0]) == 0.0
    # conservative: π_(1) is its Wilson upper bound, so K is smaller
    assert effective_error_set([60, 30, 10]).k_floor < e.k_floor


def test_generalized_floor_is_theorem_2_for_uniform_answers() -> None:
    e = effective_error_set([10] * 100, conservative=False)
    assert (e.k_floor, e.kappa) == (pytest.approx(99.0), pytest.approx(1.0))
    got = generalized_floor(0.3, 10**7, k_floor=e.k_floor, kappa=e.kappa)
    assert got == pytest.approx(0.3 - 2 / 99 - sampling_term(10**7, 0.01))


def test_override_keeps_the_effective_size_beside_it() -> None:
    e = attribute_error_set("birth_place", "place", ["a", "b"], [5, 5], override=5000)
    assert (e.floor, e.ceiling, e.rule, e.configured) == (5000, 5000, "configured", True)
    assert e.effective is not None and e.effective.prompts == 10
    with pytest.raises(ValueError, match="length"):
        attribute_error_set("x", "text", ["a"], [1, 2])


def test_estimates_carry_the_effective_floor_and_flag_a_sign_change() -> None:
    relations = Relations({"birth_year": "PERSON"}, frozenset({"birth_year"}))
    # sr = 0.5 at N = 4·10⁶: sampling term 0.0604; rule |E_c| = 999 (years over 1000)
    fof = pd.DataFrame(
        [
            ("attribute=birth_year", "document", "prompt", 1, 2_000_000),
            ("attribute=birth_year", "document", "prompt", 2, 1_000_000),
        ],
        columns=["scope", "unit", "key", "r", "n_r"],
    )
    years = [str(y) for y in range(1000, 2000)]
    # one year holds almost every prompt: K ≈ (1 − π₂)/π₁ is small, κ low
    counts = [10**6] + [1] * 999
    sizes = {"birth_year": attribute_error_set("birth_year", "date", years, counts)}
    spans = scope_attributes(["attribute=birth_year"], sizes, relations)
    est, _ = estimates_frame(fof, sizes=sizes, spans=spans, relations=relations)
    row = est.iloc[0]
    assert row["error_set_min"] == 999
    eff = sizes["birth_year"].effective
    assert eff is not None
    assert row["error_set_effective_min"] == pytest.approx(eff.k_floor)
    assert row["error_set_kappa"] == pytest.approx(eff.kappa)
    assert row["hallucination_floor_raw"] > 0  # by the rule: 0.5 − 2/999 − 0.0604
    expected = eff.kappa * 0.5 - 2 / eff.k_floor - sampling_term(4_000_000, 0.01)
    assert row["hallucination_floor_effective_raw"] == pytest.approx(expected)
    assert expected < 0 and row["hallucination_floor_effective"] == 0
    assert bool(row["flag_floor_sign_depends_on_error_set"])
    assert not math.isnan(row["hallucination_ceiling_effective"])
