"""Theorem 2 of Kalai, Nachum, Vempala & Zhang (2025): the hallucination floor and ceiling.

Source: A. T. Kalai, O. Nachum, S. S. Vempala, E. Zhang, "Why Language Models Hallucinate",
arXiv:2509.04664 (2025), §3.3.1 (Arbitrary Facts), Theorem 2 and its any-confidence form in
Appendix B; Theorem 1 (§3.2) and the confidence targets of §4.2.

``err`` is the probability of a wrong non-IDK answer on a prompt drawn like the training
prompts, ``sr`` the singleton rate ``|S|/N`` (prompts seen exactly once over all ``N``
examples), ``|E_c|`` the number of plausible wrong answers for prompt ``c``, and ``δ`` a
single-threshold calibration error (0 for a calibrated base model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from singleton_rate.estimate._checks import confidence_level, whole_number

BoundForm = Literal["appendix_b", "theorem_2"]


@dataclass(frozen=True, slots=True)
class HallucinationBounds:
    """Floor and ceiling on the hallucination rate, with every correction term apart.

    ``floor_raw = singleton_rate − term_error_set − term_sampling − term_calibration``;
    ``floor = max(0, floor_raw)``; ``ceiling = min(1, ceiling_raw)`` with
    ``ceiling_raw = ceiling_factor·singleton_rate + ceiling_term_sampling``.
    ``floor_informative`` is ``floor_raw > 0``: below that the corrections swamp ``sr`` and
    the theorem says nothing. The bounds hold with probability ``≥ 1 − gamma``.
    """

    singleton_rate: float
    n: int
    error_set_min: int
    error_set_max: int
    gamma: float
    calibration_error: float
    term_error_set: float
    term_sampling: float
    term_calibration: float
    ceiling_factor: float
    ceiling_term_sampling: float
    floor_raw: float
    floor: float
    ceiling_raw: float
    ceiling: float
    floor_informative: bool
    form: BoundForm

    @property
    def confidence(self) -> float:
        """``1 − gamma``."""
        return 1.0 - self.gamma


def _check_inputs(
    singleton_rate: float, n: int, error_set_min: int, error_set_max: int, calibration_error: float
) -> tuple[float, int, int, int, float]:
    sr = float(singleton_rate)
    if not 0.0 <= sr <= 1.0:
        raise ValueError(f"singleton_rate must lie in [0, 1], got {singleton_rate!r}")
    size = whole_number(n, "N")
    if size < 1:
        raise ValueError(f"N must be at least 1, got {n!r}")
    e_min = whole_number(error_set_min, "error_set_min")
    e_max = whole_number(error_set_max, "error_set_max")
    if e_min < 1:
        raise ValueError(f"error_set_min (min |E_c|) must be at least 1, got {error_set_min!r}")
    if e_max < e_min:
        raise ValueError(
            f"error_set_max (max |E_c|) must be at least error_set_min, got {e_max} < {e_min}"
        )
    delta = float(calibration_error)
    if not (math.isfinite(delta) and delta >= 0.0):
        raise ValueError(f"calibration_error (δ) must be finite and >= 0, got {delta!r}")
    return sr, size, e_min, e_max, delta


def _assemble(
    sr: float,
    n: int,
    e_min: int,
    e_max: int,
    gamma: float,
    delta: float,
    term_sampling: float,
    ceiling_term_sampling: float,
    form: BoundForm,
) -> HallucinationBounds:
    term_error_set = 2.0 / e_min
    floor_raw = sr - term_error_set - term_sampling - delta
    ceiling_factor = e_max / (e_max + 1.0)
    ceiling_raw = ceiling_factor * sr + ceiling_term_sampling
    return HallucinationBounds(
        singleton_rate=sr,
        n=n,
        error_set_min=e_min,
        error_set_max=e_max,
        gamma=gamma,
        calibration_error=delta,
        term_error_set=term_error_set,
        term_sampling=term_sampling,
        term_calibration=delta,
        ceiling_factor=ceiling_factor,
        ceiling_term_sampling=ceiling_term_sampling,
        floor_raw=floor_raw,
        floor=max(0.0, floor_raw),
        ceiling_raw=ceiling_raw,
        ceiling=min(1.0, ceiling_raw),
        floor_informative=floor_raw > 0.0,
        form=form,
    )


def hallucination_bounds(
    singleton_rate: float,
    n: int,
    *,
    error_set_min: int,
    error_set_max: int,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
) -> HallucinationBounds:
    """Theorem 2 (Arbitrary Facts) at any confidence ``1 − γ`` (Kalai et al. 2025, App. B).

    With probability ``≥ 1 − γ`` over the answers and the ``N`` examples:

    - floor, any algorithm:
      ``err ≥ sr − 2/min_c|E_c| − 6·ln(3N/γ)/√N − δ``
    - ceiling, some efficient calibrated algorithm:
      ``err ≤ (L/(L+1))·sr + 5·√(ln(5/γ)/N)``, ``L = max_c|E_c|``

    Parameters
    ----------
    singleton_rate
        ``sr = |S|/N`` (Definition 2), in ``[0, 1]``.
    n
        ``N``, the number of training examples, ``>= 1``.
    error_set_min, error_set_max
        ``min_c|E_c| >= 1`` and ``max_c|E_c| >= min_c|E_c|``.
    gamma
        The failure probability, ``0 < γ < 1``; the default 0.01 is the theorem's 99%.
    calibration_error
        ``δ >= 0``; 0 models a calibrated base model.
    """
    sr, size, e_min, e_max, delta = _check_inputs(
        singleton_rate, n, error_set_min, error_set_max, calibration_error
    )
    g = confidence_level(gamma, "gamma")
    return _assemble(
        sr,
        size,
        e_min,
        e_max,
        g,
        delta,
        term_sampling=sampling_term(size, g),
        ceiling_term_sampling=5.0 * math.sqrt(math.log(5.0 / g) / size),
        form="appendix_b",
    )


def sampling_term(n: int, gamma: float) -> float:
    """The floor's sampling term at confidence ``1 − γ``: ``6·ln(3N/γ)/√N`` (App. B)."""
    return 6.0 * math.log(3.0 * n / gamma) / math.sqrt(n)


def informative_from_n(
    singleton_rate: float,
    *,
    error_set_min: int,
    gamma: float = 0.01,
    calibration_error: float = 0.0,
) -> float:
    """The smallest ``N`` at which Theorem 2's floor would be positive at this singleton rate.

    Solves ``sr − 2/min|E_c| − 6·ln(3N/γ)/√N − δ > 0`` for ``N`` (App. B form), holding
    ``sr`` fixed: "if a corpus this sparse were this large, the floor would say something".
    The sampling term ``6·ln(3N/γ)/√N`` falls with ``N`` wherever ``ln(3N/γ) > 2`` (every
    ``N ≥ 1`` for ``γ ≤ 0.1``), so the answer is found by bisection on ``log N``.

    Returns
    -------
    float
        ``N`` rounded up to a whole number; ``inf`` when ``sr − 2/min|E_c| − δ ≤ 0`` (no
        corpus size helps), or beyond ``10^18``.

    Examples
    --------
    The sampling term alone: at ``sr = 0.3`` and ``|E_c| = 364`` (error-set term 0.0055)
    the floor turns positive from 126,403 occurrences (``6·ln(3N/0.01)/√N`` falls below
    0.2945 there).

    >>> informative_from_n(0.3, error_set_min=364)
    126403.0
    >>> informative_from_n(0.005, error_set_min=364)
    inf
    """
    sr = float(singleton_rate)
    margin = sr - 2.0 / whole_number(error_set_min, "error_set_min") - float(calibration_error)
    g = confidence_level(gamma, "gamma")
    if margin <= 0:
        return math.inf
    lo, hi = 0.0, 18.0 * math.log(10.0)  # log N
    if sampling_term(math.exp(hi), g) >= margin:
        return math.inf
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if sampling_term(math.exp(mid), g) < margin:
            hi = mid
        else:
            lo = mid
    n = math.ceil(math.exp(hi))
    while n > 1 and sampling_term(n - 1, g) < margin:
        n -= 1
    while sampling_term(n, g) >= margin:
        n += 1
    return float(n)


def floor_raw_unchecked(
    singleton_rate: float, n: int, error_set_min: int, gamma: float, calibration_error: float
) -> float:
    """:func:`hallucination_bounds`'s ``floor_raw``, the same arithmetic without input checks.

    For searches that evaluate the floor thousands of times (``floor_halving``): check the
    inputs once with :func:`hallucination_bounds`, then call this.
    """
    term_error_set = 2.0 / error_set_min
    return singleton_rate - term_error_set - sampling_term(n, gamma) - calibration_error


def hallucination_bounds_headline(
    singleton_rate: float,
    n: int,
    *,
    error_set_min: int,
    error_set_max: int,
    calibration_error: float = 0.0,
) -> HallucinationBounds:
    """Theorem 2 with the constants printed in its statement (99% confidence).

    ``err ≥ sr − 2/min_c|E_c| − (35 + 6·ln N)/√N − δ`` and
    ``err ≤ sr − sr/(max_c|E_c| + 1) + 13/√N`` (Kalai et al. 2025, §3.3.1). These are the
    Appendix B bounds at ``γ = 0.01`` rounded up (``6·ln(300N) ≤ 35 + 6·ln N`` and
    ``5·√ln 500 ≤ 13``), so :func:`hallucination_bounds` is never looser; this form exists to
    reproduce the paper's numbers.
    """
    sr, size, e_min, e_max, delta = _check_inputs(
        singleton_rate, n, error_set_min, error_set_max, calibration_error
    )
    root_n = math.sqrt(size)
    return _assemble(
        sr,
        size,
        e_min,
        e_max,
        0.01,
        delta,
        term_sampling=(35.0 + 6.0 * math.log(size)) / root_n,
        ceiling_term_sampling=13.0 / root_n,
        form="theorem_2",
    )


def singleton_rate_missing_mass_gap(n: int, gamma: float = 0.01) -> float:
    """Lemma 1 of Kalai et al. (2025): ``|MM − sr| ≤ 4.42·√(ln(5/γ)/N)`` w.p. ``≥ 1 − γ``.

    ``MM`` is the missing mass of never-answered prompts.
    """
    size = whole_number(n, "N")
    if size < 1:
        raise ValueError(f"N must be at least 1, got {n!r}")
    g = confidence_level(gamma, "gamma")
    return 4.42 * math.sqrt(math.log(5.0 / g) / size)


def is_it_valid_floor(
    err_iiv: float, *, valid_set_max: int, error_set_min: int, calibration_error: float = 0.0
) -> float:
    """Theorem 1 of Kalai et al. (2025, §3.2): ``err ≥ 2·err_iiv − max_c|V_c|/min_c|E_c| − δ``.

    Returned raw (it may be negative, in which case it says nothing).
    """
    rate = float(err_iiv)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"err_iiv must lie in [0, 1], got {err_iiv!r}")
    v_max = whole_number(valid_set_max, "valid_set_max")
    e_min = whole_number(error_set_min, "error_set_min")
    if v_max < 1 or e_min < 1:
        raise ValueError("valid_set_max and error_set_min must be at least 1")
    delta = float(calibration_error)
    if not (math.isfinite(delta) and delta >= 0.0):
        raise ValueError(f"calibration_error (δ) must be finite and >= 0, got {delta!r}")
    return 2.0 * rate - v_max / e_min - delta


def abstention_penalty(threshold: float) -> float:
    """Points lost for a wrong answer under "answer only if > t confident": ``t/(1 − t)``.

    Kalai et al. (2025, §4.2): a correct answer scores 1 and IDK scores 0, so answering pays
    off exactly when the confidence exceeds ``t`` (t = 0.5 → 1, 0.75 → 3, 0.9 → 9).
    ``singleton_rate/theory.md`` lists "0.75 → 2", which contradicts the formula it states;
    the formula is what is computed here.
    """
    t = float(threshold)
    if not 0.0 <= t < 1.0:
        raise ValueError(f"the confidence threshold must lie in [0, 1), got {threshold!r}")
    return t / (1.0 - t)
