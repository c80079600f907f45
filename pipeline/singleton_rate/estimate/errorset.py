"""``|E_c|``, the number of plausible wrong answers, per attribute: by rule and from the data.

Theorem 2 of Kalai, Nachum, Vempala & Zhang (2025, arXiv:2509.04664, §3.3.1; App. B for any
γ) holds in the *Arbitrary Facts* model (Definition 1): each prompt's correct answer ``a_c``
is drawn **uniformly** from a response set ``R_c`` and ``E_c = R_c ∖ {a_c}``. Then, with
probability ``≥ 1 − γ``, ``err ≥ sr − 2/min_c|E_c| − 6·ln(3N/γ)/√N − δ``, and the ceiling is
``(L/(L+1))·sr + 5·√(ln(5/γ)/N)`` with ``L = max_c|E_c|``.

Two sizes are computed per attribute, and reported side by side:

**The uniform-model rule** (:func:`rule_error_set`), what Definition 1 means by ``|R_c| − 1``
for each value type. The paper's 364 is for day-and-month birthdays ("In the case of
fixed-format birthdays, |E_c| = 364", §3.3.1; the lead prompt asks for DD-MM); the run keys
dates at the precision the text gives, so a year has ``Y − 1`` wrong answers over a span of
``Y`` plausible years, a month ``12·Y − 1``, a full date ``round(365.2425·Y) − 1``
(:func:`date_error_set`; ``Y`` is the span of years observed for the attribute). An attribute
whose values come at several precisions takes the smallest size for the floor and the
largest for the ceiling, as ``min_c`` and ``max_c`` say. A country has 194 (195 states − 1);
a place, an entity or a text the distinct values observed − 1, a lower bound on ``|R_c| − 1``
(so ``2/|E_c|`` is, if anything, too large and the floor too low).

**The effective size** (:func:`effective_error_set`) from the observed value distribution
``π`` (one value per prompt, as Definition 1 draws one ``a_c`` per prompt). Real answers are
not uniform (birth places, founding years), and then the uniform rule overstates how hard an
unseen prompt is. This project's own extension of the proof (derived and checked
numerically in ``bench/research/extrapolation/REPORT.md`` §3.2; *not* a statement of the
paper) replaces the wrong answer the proof draws uniformly from ``E_c`` by one drawn like the
answers, ``Q(r | a) = π(r)/(1 − π(a))``; Theorem 1's threshold becomes
``π_(1)/(1 − π_(2))`` and Lemma 2 gains a factor on ``sr``:

``err ≥ κ·sr − 2/K − 6·ln(3N/γ)/√N − δ``, ``K = (1 − π_(2))/π_(1)``, ``κ = 1 − d_TV(π, ρ)``

(:func:`generalized_floor`; for uniform ``π`` on ``L + 1`` answers ``K = L`` and ``κ = 1``:
Theorem 2 exactly). The inverse Simpson index ``1/Σπ² − 1``, which a review proposed for the
floor, is the right ``L`` for the **ceiling** (the calibrated algorithm answering from ``π``
errs with probability ``1 − Σπ²``); since ``π_(1) ≥ Σπ²``, ``K ≤ 1/Σπ²``, and the inverse
Simpson index in the floor would overstate it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from singleton_rate.contract import ERROR_SETS_SCHEMA
from singleton_rate.estimate.bounds import sampling_term
from singleton_rate.estimate.proportion import wilson_interval

DAYS_PER_YEAR = 365.2425
"""The mean Gregorian year, for full dates over a span of years."""

DAY_OF_YEAR_ERROR_SET = 364
"""Kalai et al. (2025, §3.3.1): "In the case of fixed-format birthdays, |E_c| = 364" (DD-MM)."""

COUNTRY_ERROR_SET = 194
"""195 states (193 UN members and 2 observers) − 1: the uniform-model size of a country."""

DatePrecision = Literal["day_of_year", "day", "month", "year"]


def precision_of(iso: str) -> DatePrecision:
    """The precision of a date key as the run writes it (``singleton_rate.normalize``).

    Examples
    --------
    >>> precision_of("1867"), precision_of("1867-11"), precision_of("1867-11-07")
    ('year', 'month', 'day')
    >>> precision_of("--11-07"), precision_of("-0044-03-15")  # day-month only; 44 BC
    ('day_of_year', 'day')
    """
    if iso.startswith("--"):
        return "day_of_year"
    parts = iso.lstrip("-").split("-")
    kinds: dict[int, DatePrecision] = {1: "year", 2: "month", 3: "day"}
    if len(parts) not in kinds or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a date key: {iso!r}")
    return kinds[len(parts)]


def year_of(iso: str) -> int | None:
    """The (astronomical, signed) year of a date key, ``None`` for a day-month key.

    Examples
    --------
    >>> year_of("1867-11-07"), year_of("-0044"), year_of("--11-07")
    (1867, -44, None)
    """
    if iso.startswith("--"):
        return None
    sign = -1 if iso.startswith("-") else 1
    return sign * int(iso.lstrip("-").split("-")[0])


def date_error_set(precision: DatePrecision, year_span: int | None = None) -> int:
    """``|E_c|`` of a date under the uniform model, ``|R_c| − 1``.

    - ``day_of_year`` (day and month, the paper's DD-MM birthday): 364;
    - ``day`` (a full date): ``round(365.2425·Y) − 1`` over ``Y`` plausible years;
    - ``month``: ``12·Y − 1``; ``year``: ``Y − 1`` (at least 1).

    Examples
    --------
    >>> date_error_set("day_of_year"), date_error_set("year", 120), date_error_set("month", 120)
    (364, 119, 1439)
    >>> date_error_set("day", 100), date_error_set("year", 1)
    (36523, 1)
    """
    if precision == "day_of_year":
        return DAY_OF_YEAR_ERROR_SET
    if year_span is None or year_span < 1:
        raise ValueError(f"precision {precision!r} needs year_span >= 1, got {year_span!r}")
    if precision == "day":
        return max(1, round(DAYS_PER_YEAR * year_span) - 1)
    if precision == "month":
        return max(1, 12 * year_span - 1)
    if precision == "year":
        return max(1, year_span - 1)
    raise ValueError(f"unknown precision {precision!r}")


@dataclass(frozen=True, slots=True)
class RuleErrorSet:
    """The uniform-model ``|E_c|`` of one attribute: ``floor`` (its smallest size, for
    ``2/min|E_c|``), ``ceiling`` (its largest, for ``L``) and the ``rule`` in words."""

    floor: int
    ceiling: int
    rule: str


def rule_error_set(value_type: str, values: Sequence[str]) -> RuleErrorSet:
    """``|E_c|`` of an attribute by the rule for its value type (module docstring).

    ``values`` are the attribute's distinct value keys.

    Examples
    --------
    >>> e = rule_error_set("date", ["1867-11-07", "1901", "1950-03"])  # Y = 84 years
    >>> e.floor, e.ceiling, e.rule
    (83, 30679, 'dates at day, month, year precision over 84 years (1867–1950)')
    >>> rule_error_set("place", ["london", "paris", "rome"]).floor
    2
    >>> rule_error_set("country", ["france"]).floor
    194
    """
    if value_type == "date":
        keys = [v for v in values if v]
        precisions = sorted({precision_of(v) for v in keys}, key=_PRECISION_ORDER.index)
        years = [y for y in map(year_of, keys) if y is not None]
        if not precisions:
            return RuleErrorSet(1, 1, "no dates observed")
        span = max(years) - min(years) + 1 if years else None
        sizes = [date_error_set(p, span) for p in precisions]
        where = f" over {span} years ({min(years)}–{max(years)})" if years else ""
        return RuleErrorSet(
            min(sizes), max(sizes), f"dates at {', '.join(precisions)} precision{where}"
        )
    if value_type == "country":
        return RuleErrorSet(COUNTRY_ERROR_SET, COUNTRY_ERROR_SET, "195 states − 1")
    distinct = max(1, len(set(values)) - 1)
    return RuleErrorSet(
        distinct, distinct, "distinct values observed − 1 (a lower bound on |R_c| − 1)"
    )


_PRECISION_ORDER: list[str] = ["day_of_year", "day", "month", "year"]


@dataclass(frozen=True, slots=True)
class EffectiveErrorSet:
    """What plays ``|E_c|`` for a non-uniform answer distribution ``π`` (module docstring).

    ``prompts``: values counted (one per prompt); ``distinct``: distinct values;
    ``pi_max``, ``pi_second``: ``π_(1)`` (its Wilson upper bound with ``conservative``) and
    ``π_(2)``; ``k_floor = (1 − π_(2))/π_(1)`` for the floor's ``2/K``; ``kappa`` the factor
    on ``sr``; ``simpson`` the unbiased ``Σπ²``; ``l_ceiling = 1/Σπ² − 1`` for the ceiling.
    """

    prompts: int
    distinct: int
    pi_max: float
    pi_second: float
    k_floor: float
    kappa: float
    simpson: float
    l_ceiling: float


def indistinguishability(pi: ArrayLike) -> float:
    """``κ = 1 − d_TV(π, ρ)``, ``ρ(r) = π(r)·(W − π(r)/(1 − π(r)))``, ``W = Σ_a π(a)/(1 − π(a))``.

    ``ρ`` is the law of the proof's wrong answer ``r ~ Q(·|a)`` when ``a ~ π``;
    ``d_TV(π, ρ) = Σ_r π(r)·(1 − W + π(r)/(1 − π(r)))⁺`` (REPORT.md §3.2). Uniform ``π``
    gives 1; one value only gives 0 (a wrong answer can always be told from the right one).

    Examples
    --------
    >>> indistinguishability([0.25, 0.25, 0.25, 0.25])
    1.0
    >>> round(indistinguishability([0.9, 0.1]), 6)  # ρ = (0.1, 0.9): d_TV = 0.8
    0.2
    """
    p = np.asarray(pi, dtype=float)
    p = p[p > 0]
    if p.size == 0 or not math.isclose(float(p.sum()), 1.0, abs_tol=1e-9):
        raise ValueError("pi must be a probability vector")
    if p.size == 1:
        return 0.0
    odds = p / (1.0 - p)
    w = float(odds.sum())
    d = float(np.sum(p * np.maximum(0.0, 1.0 - w + odds)))
    return max(0.0, 1.0 - d)


def effective_error_set(
    value_counts: ArrayLike, *, conservative: bool = True, confidence: float = 0.95
) -> EffectiveErrorSet:
    """The effective ``|E_c|`` of an attribute from the number of prompts per value.

    With ``π = counts/n``: ``K = (1 − π_(2))/π_(1)``, ``κ`` (:func:`indistinguishability`)
    and ``L = 1/Σπ² − 1`` with the unbiased ``Σπ² = Σ c(c − 1)/(n(n − 1))``.
    ``conservative`` (the default, as the floor wants a lower confidence bound on ``K``)
    replaces ``π_(1)`` by its Wilson upper bound at ``confidence``; with every value seen once
    ``K`` stays finite.

    Examples
    --------
    >>> e = effective_error_set([25, 25, 25, 25], conservative=False)
    >>> e.k_floor, e.kappa
    (3.0, 1.0)
    >>> e = effective_error_set([50, 30, 20], conservative=False)
    >>> round(e.k_floor, 6), round(e.l_ceiling, 4)  # (1 − 0.3)/0.5; 1/Σπ² − 1
    (1.4, 1.6757)
    >>> round(effective_error_set([50, 30, 20]).pi_max, 4)  # Wilson upper bound of 0.5
    0.5962
    """
    c = np.asarray(value_counts, dtype=float).ravel()
    c = c[c > 0]
    if c.size == 0:
        raise ValueError("no values")
    n = float(c.sum())
    order = np.sort(c)[::-1]
    p1 = float(order[0] / n)
    p2 = float(order[1] / n) if order.size > 1 else 0.0
    if conservative:
        p1 = wilson_interval(int(order[0]), int(n), confidence)[1]
    simpson = float(np.sum(c * (c - 1.0)) / (n * (n - 1.0))) if n > 1 else 1.0
    return EffectiveErrorSet(
        prompts=int(n),
        distinct=int(c.size),
        pi_max=p1,
        pi_second=p2,
        k_floor=max((1.0 - p2) / p1, 1e-12),
        kappa=indistinguishability(c / n),
        simpson=simpson,
        l_ceiling=math.inf if simpson == 0.0 else 1.0 / simpson - 1.0,
    )


def generalized_floor(
    singleton_rate: float,
    n: int,
    *,
    k_floor: float,
    kappa: float,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
) -> float:
    """The raw floor ``κ·sr − 2/K − 6·ln(3N/γ)/√N − δ`` for a non-uniform ``π`` (unclipped).

    This project's extension of Theorem 2 (module docstring), not the paper's statement; it
    is the paper's bound for uniform answers.

    Examples
    --------
    >>> e = effective_error_set([25] * 365, conservative=False)  # uniform days: K = 364
    >>> f = generalized_floor(0.2, 10**6, k_floor=e.k_floor, kappa=e.kappa)
    >>> round(f - (0.2 - 2 / 364 - sampling_term(10**6, 0.01)), 12)
    0.0
    """
    return float(
        kappa * singleton_rate - 2.0 / k_floor - sampling_term(n, gamma) - calibration_error
    )


ERROR_SET_COLUMNS: list[str] = list(ERROR_SETS_SCHEMA.names)
"""The columns of a run's ``error_sets`` table, one row per attribute (:meth:`ErrorSet.as_row`)."""


@dataclass(frozen=True, slots=True)
class ErrorSet:
    """One attribute's ``|E_c|``: the size the floor and ceiling use (``floor``, ``ceiling``:
    the configured override, else the rule), the rule in words, and the effective size from
    the observed values (``None`` when none were counted)."""

    attribute: str
    value_type: str
    floor: int
    ceiling: int
    rule: str
    configured: bool
    effective: EffectiveErrorSet | None

    def as_row(self) -> dict[str, object]:
        eff = self.effective
        return {
            "attribute": self.attribute,
            "value_type": self.value_type,
            "error_set_floor": self.floor,
            "error_set_ceiling": self.ceiling,
            "rule": self.rule,
            "configured": self.configured,
            "prompts": None if eff is None else eff.prompts,
            "distinct_values": None if eff is None else eff.distinct,
            "pi_max": None if eff is None else eff.pi_max,
            "pi_second": None if eff is None else eff.pi_second,
            "effective_k": None if eff is None else eff.k_floor,
            "kappa": None if eff is None else eff.kappa,
            "effective_l": None if eff is None else eff.l_ceiling,
        }


def attribute_error_set(
    attribute: str,
    value_type: str,
    values: Sequence[str],
    prompts_per_value: Sequence[int],
    *,
    override: int | None = None,
    confidence: float = 0.95,
) -> ErrorSet:
    """The :class:`ErrorSet` of one attribute from its distinct values and how many prompts
    state each; ``override`` (``error_set_sizes`` in the run's config) replaces the rule.

    Examples
    --------
    >>> e = attribute_error_set("birth_date", "date", ["1900", "1950"], [3, 1])
    >>> (e.floor, e.ceiling, e.configured)  # years over Y = 51: 50 wrong ones
    (50, 50, False)
    >>> round(e.effective.k_floor, 3)  # (1 − 1/4)/0.9544, Wilson upper bound of π_(1) = 3/4
    0.786
    >>> attribute_error_set("birth_date", "date", ["1900"], [1], override=364).floor
    364
    """
    if len(values) != len(prompts_per_value):
        raise ValueError("values and prompts_per_value differ in length")
    rule = rule_error_set(value_type, values)
    effective = (
        effective_error_set(prompts_per_value, confidence=confidence)
        if sum(prompts_per_value) > 0
        else None
    )
    if override is not None:
        return ErrorSet(attribute, value_type, override, override, "configured", True, effective)
    return ErrorSet(attribute, value_type, rule.floor, rule.ceiling, rule.rule, False, effective)
