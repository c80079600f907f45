"""``|E_c|`` for Theorem 2 of Kalai, Nachum, Vempala & Zhang (2025), and when the floor informs.

Theorem 2 (arXiv:2509.04664, §3.3.1; App. B for any γ) holds in the *Arbitrary Facts*
model (Definition 1): for each prompt ``c`` the correct answer ``a_c`` is drawn **uniformly**
from a response set ``R_c``, and ``E_c = R_c \\ {a_c}``. Then, with probability ``≥ 1 − γ``,

``err ≥ sr − 2/min_c|E_c| − 6·ln(3N/γ)/√N − δ``   (the "2" is ``max_c|V_c| = |{a_c, IDK}|``).

Where the 2/|E| term comes from (App. A, proof of Theorem 1): the Is-It-Valid distribution
``D`` mixes a training example with a wrong answer drawn uniformly from ``E_c``; the
classifier thresholds ``p̂(r|c)`` at ``τ = 1/min|E_c|``, the largest probability ``D``'s error
half gives one wrong answer. Valid answers below the threshold carry at most ``|V_c|·τ`` of
``p̂``'s mass, which is the ``max|V_c|/min|E_c| = 2/min|E_c|`` term. Lemma 2 then uses that
``a_c`` is uniform on ``R_c``, so a wrong answer drawn uniformly from ``E_c`` is, averaged
over ``a_c``, distributed exactly like ``a_c``: an unseen prompt's true and false answers
cannot be told apart.

With a **non-uniform** answer distribution ``π`` over ``R_c`` (real attributes: birth places,
countries, years) draw the IIV wrong answer as ``Q(r | a) = π(r)/(1 − π(a))`` instead. The
same two proofs go through with (derivation in REPORT.md §3):

- the threshold ``τ = max_{r ≠ a} π(r)/(1 − π(a)) = π_(1)/(1 − π_(2))`` in place of
  ``1/min|E_c|``, i.e. the **effective error-set size** ``K = 1/τ = (1 − π_(2))/π_(1)``
  (``π_(1) ≥ π_(2)`` the two largest answer probabilities);
- an indistinguishability factor ``κ = 1 − d_TV(π, ρ)`` on ``sr``, where
  ``ρ(r) = Σ_{a ≠ r} π(a)Q(r | a)`` is the marginal of the wrong answers (``κ = 1`` for
  uniform ``π``);

``err ≥ κ·sr − 2/K − 6·ln(3N/γ)/√N − δ_τ``.

For uniform ``π`` on ``L + 1`` answers, ``K = L = |E_c|`` and ``κ = 1``: Theorem 2 exactly.
The inverse Simpson index ``1/Σπ²`` belongs to the **ceiling** instead: the calibrated
algorithm of the upper bound, answering an unseen prompt from ``π``, errs with probability
``1 − Σπ²``, so ``L_eff = 1/Σπ² − 1`` makes ``L/(L + 1) = 1 − Σπ²``. Since
``π_(1) ≥ Σπ²``, ``K ≤ 1/Σπ²``: using the inverse Simpson index in the floor would overstate
it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

DAYS_PER_YEAR = 365.2425
"""Mean Gregorian year, for full dates over a span of years."""

DAY_OF_YEAR_ERROR_SET = 364
"""Kalai et al. (2025, §3.3.1): "In the case of fixed-format birthdays, |E_c| = 364" (DD-MM)."""

COUNTRIES = 195
"""UN member states (193) and observer states (2): the uniform-model response set of a country."""

DatePrecision = Literal["day_of_year", "day", "month", "year"]


# --------------------------------------------------------------------------------------------
# Sampling term and the N at which the floor becomes informative
# --------------------------------------------------------------------------------------------


def sampling_term(n: float, gamma: float = 0.01) -> float:
    """The floor's sampling term ``6·ln(3N/γ)/√N`` (Kalai et al. 2025, App. B, Lemma 2).

    Examples
    --------
    >>> round(sampling_term(5_000), 4), round(sampling_term(10**9), 6)
    (1.2067, 0.005014)
    >>> round((35 + 6 * math.log(10**6)) / math.sqrt(10**6), 4)  # theorem's γ = 0.01 form
    0.1179
    """
    if n < 1 or not 0.0 < gamma <= 1.0:
        raise ValueError("need N >= 1 and 0 < gamma <= 1")
    return 6.0 * math.log(3.0 * n / gamma) / math.sqrt(n)


def informative_n(
    singleton_rate: float,
    error_set: float,
    *,
    calibration_error: float = 0.0,
    gamma: float = 0.01,
    kappa: float = 1.0,
    form: Literal["appendix_b", "theorem_2"] = "appendix_b",
) -> int | None:
    """Smallest whole ``N`` at which the floor is informative (``floor_raw > 0``), or ``None``.

    Solves ``κ·sr − 2/|E| − δ − g(N) > 0`` with ``g(N) = 6·ln(3N/γ)/√N`` (``form =
    "appendix_b"``) or ``g(N) = (35 + 6 ln N)/√N`` (``"theorem_2"``, γ = 0.01 only). ``g`` is
    strictly decreasing for ``N ≥ 1`` (``g' < 0`` iff ``ln(3N/γ) > 2``, true for ``N ≥ 1``,
    ``γ ≤ 1``; the theorem form iff ``35 + 6 ln N > 12``), so the answer is the unique
    crossing, found by bisection on whole ``N``. ``None`` when ``c = κ·sr − 2/|E| − δ ≤ 0``:
    no corpus size makes the floor positive at this singleton rate. The singleton rate is
    held fixed; in a real corpus it falls as ``N`` grows (see the extrapolation module).

    Examples
    --------
    >>> n = informative_n(0.2, 364)
    >>> n, sampling_term(n) < 0.2 - 2 / 364 <= sampling_term(n - 1)
    (321636, True)
    >>> informative_n(0.005, 364) is None  # 2/364 = 0.0055 > sr
    True
    """
    if error_set <= 0:
        raise ValueError("error_set must be > 0")
    c = kappa * float(singleton_rate) - 2.0 / float(error_set) - float(calibration_error)
    if c <= 0.0:
        return None
    if form == "appendix_b":

        def g(x: int) -> float:
            return sampling_term(x, gamma)

    elif form == "theorem_2":

        def g(x: int) -> float:
            return (35.0 + 6.0 * math.log(x)) / math.sqrt(x)

    else:
        raise ValueError(f"unknown form {form!r}")
    if g(1) < c:
        return 1
    lo, hi = 1, 2
    while g(hi) >= c:
        lo, hi = hi, hi * 2
    while hi - lo > 1:  # invariant: g(lo) >= c > g(hi)
        mid = (lo + hi) // 2
        if g(mid) < c:
            hi = mid
        else:
            lo = mid
    return hi


# --------------------------------------------------------------------------------------------
# Rules per value type (the uniform model of Definition 1)
# --------------------------------------------------------------------------------------------


def date_error_set(precision: DatePrecision, year_span: int | None = None) -> int:
    """``|E_c|`` for a date attribute under the uniform model: ``|R_c| − 1``.

    - ``"day_of_year"`` (day and month, no year; the paper's DD-MM birthday): 364
      (Kalai et al. 2025, §3.3.1, "fixed-format birthdays").
    - ``"day"`` (full date): ``round(365.2425·Y) − 1`` for a span of ``Y`` plausible years.
    - ``"month"`` (year and month): ``12·Y − 1``.
    - ``"year"``: ``Y − 1``.

    ``year_span`` (``Y``) is required for every precision but ``day_of_year``; a natural
    choice is the span of years observed for the attribute (``max − min + 1``). Real dates
    are not uniform over a span (birth years cluster): prefer :func:`effective_error_set`
    on the observed values when it is smaller.

    Examples
    --------
    >>> date_error_set("day_of_year"), date_error_set("year", 120), date_error_set("month", 120)
    (364, 119, 1439)
    >>> date_error_set("day", 100)
    36523
    """
    if precision == "day_of_year":
        return DAY_OF_YEAR_ERROR_SET
    if year_span is None or year_span < 1:
        raise ValueError(f"precision {precision!r} needs year_span >= 1")
    if precision == "day":
        return max(1, round(DAYS_PER_YEAR * year_span) - 1)
    if precision == "month":
        return max(1, 12 * year_span - 1)
    if precision == "year":
        return max(1, year_span - 1)
    raise ValueError(f"unknown precision {precision!r}")


def year_span_of(iso_dates: list[str]) -> int:
    """``max − min + 1`` of the years of ISO date keys (``"1867"``, ``"1867-11"``, ``"1867-11-07"``).

    Examples
    --------
    >>> year_span_of(["1867-11-07", "1901", "1950-03"])
    84
    """
    years = [int(d.split("-")[0]) for d in iso_dates if d]
    if not years:
        raise ValueError("no dates")
    return max(years) - min(years) + 1


def precision_of(iso: str) -> DatePrecision:
    """The precision of an ISO date key as the tool writes it.

    Examples
    --------
    >>> precision_of("1867"), precision_of("1867-11"), precision_of("1867-11-07"), precision_of("--11-07")
    ('year', 'month', 'day', 'day_of_year')
    """
    if iso.startswith("--"):
        return "day_of_year"
    parts = iso.split("-")
    return {1: "year", 2: "month", 3: "day"}[len(parts)]  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# The effective error-set size from an observed value distribution
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EffectiveErrorSet:
    """What plays ``|E_c|`` in Theorem 2 for a non-uniform answer distribution ``π``.

    Attributes
    ----------
    prompts
        ``n``: the number of prompts (entities) whose value was counted, one value each.
    distinct
        Distinct values observed.
    pi_max, pi_second
        ``π_(1)``, ``π_(2)``: the two largest value shares (plug-in, or ``pi_max`` an upper
        confidence bound with ``conservative=True``).
    k_floor
        ``K = (1 − π_(2))/π_(1)``: use ``2/K`` in place of ``2/min|E_c|`` in the floor.
    kappa
        ``κ = 1 − d_TV(π, ρ)``: multiply ``sr`` by it in the floor.
    simpson
        ``Σπ²``, unbiased: ``Σ c(c − 1)/(n(n − 1))`` (plug-in ``Σ(c/n)²`` when ``n = 1``).
    l_ceiling
        ``1/Σπ² − 1``: the ``L`` of the ceiling ``(L/(L + 1))·sr``.
    uniform_error_set
        ``distinct − 1``: the tool's current rule, for comparison.
    """

    prompts: int
    distinct: int
    pi_max: float
    pi_second: float
    k_floor: float
    kappa: float
    simpson: float
    l_ceiling: float
    uniform_error_set: int


def indistinguishability(pi: ArrayLike) -> float:
    """``κ = 1 − d_TV(π, ρ)`` with ``ρ(r) = π(r)·(W − π(r)/(1 − π(r)))``, ``W = Σ_a π(a)/(1 − π(a))``.

    ``ρ`` is the law of a wrong answer ``r ~ Q(·|a)``, ``Q(r|a) = π(r)/(1 − π(a))``, when
    ``a ~ π``; ``d_TV(π, ρ) = Σ_r π(r)·(1 − W + π(r)/(1 − π(r)))⁺``. Values with a share
    below ``≈ Σπ²`` contribute nothing, so unseen rare values do not matter.

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
    value_counts: ArrayLike, *, conservative: bool = False, confidence: float = 0.95
) -> EffectiveErrorSet:
    """The effective ``|E_c|`` of an attribute from its observed value distribution.

    ``value_counts[v]`` is the number of **prompts** (entities) whose value is ``v`` (one
    value per entity and attribute: count keys, not mentions, since Definition 1 draws one
    ``a_c`` per prompt). With ``π = counts/n``:

    - ``k_floor = (1 − π_(2))/π_(1)`` and ``kappa`` (see :func:`indistinguishability`): the
      floor becomes ``κ·sr − 2/K − 6·ln(3N/γ)/√N − δ`` (module docstring; REPORT.md §3);
    - ``l_ceiling = 1/Σπ² − 1`` for the ceiling.

    ``conservative=True`` replaces ``π_(1)`` by its Wilson upper confidence bound at
    ``confidence`` (so ``K`` is a lower confidence bound, as the floor wants); with every
    value seen once this still gives a finite ``K``.

    Examples
    --------
    >>> e = effective_error_set([25, 25, 25, 25])  # uniform on 4 answers: K = |E| = 3
    >>> e.k_floor, e.kappa, e.uniform_error_set
    (3.0, 1.0, 3)
    >>> e = effective_error_set([50, 30, 20])
    >>> round(e.k_floor, 6), round(e.l_ceiling, 4)  # (1 − 0.3)/0.5; 1/Σπ²(unbiased) − 1
    (1.4, 1.6757)
    """
    c = np.asarray(value_counts, dtype=float).ravel()
    c = c[c > 0]
    if c.size == 0:
        raise ValueError("no values")
    n = float(c.sum())
    order = np.sort(c)[::-1]
    pi = c / n
    p1 = order[0] / n
    p2 = order[1] / n if order.size > 1 else 0.0
    if conservative:
        z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
        centre = (p1 + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p1 * (1 - p1) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        p1 = min(1.0, centre + half)
    p1, p2 = float(p1), float(p2)
    k_floor = (1.0 - p2) / p1
    simpson = float(np.sum(c * (c - 1.0)) / (n * (n - 1.0))) if n > 1 else float(np.sum(pi**2))
    l_ceiling = math.inf if simpson == 0.0 else 1.0 / simpson - 1.0
    return EffectiveErrorSet(
        prompts=int(n),
        distinct=int(c.size),
        pi_max=p1,
        pi_second=p2,
        k_floor=k_floor,
        kappa=indistinguishability(pi),
        simpson=simpson,
        l_ceiling=l_ceiling,
        uniform_error_set=max(1, int(c.size) - 1),
    )


def generalized_floor(
    singleton_rate: float,
    n: int,
    eff: EffectiveErrorSet,
    *,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
) -> float:
    """Raw floor ``κ·sr − 2/K − 6·ln(3N/γ)/√N − δ`` for a non-uniform answer distribution.

    Our extension of Theorem 2 (REPORT.md §3), not a statement of the paper; it reduces to
    the paper's bound for uniform answers. Clip at 0 for reporting.

    Examples
    --------
    >>> e = effective_error_set([25] * 365)  # uniform days: K = 364, κ = 1
    >>> round(generalized_floor(0.2, 10**6, e) - (0.2 - 2 / 364 - sampling_term(10**6)), 12)
    0.0
    """
    return float(
        eff.kappa * singleton_rate
        - 2.0 / eff.k_floor
        - sampling_term(n, gamma)
        - calibration_error
    )
