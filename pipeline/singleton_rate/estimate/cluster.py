"""Missing-mass intervals that hold when occurrences cluster in documents: pure functions.

Good–Turing's ``N1/N`` and Esty's interval treat the ``N`` occurrences as independent draws.
A corpus is not that: a document about one entity states several of its attributes, some
more than once, and copies of one page repeat them all. The unit of independent sampling is
the *document*. This module holds what the estimates need to treat it so, computed from
small tables the count stage sums exactly across its partitions (:mod:`singleton_rate.tally`):

- the **leave-one-document-out (LODO) estimate** ``θ̂ = Y/N``, ``Y`` the occurrences whose
  key occurs in one document only (:func:`lodo_rate`). At the document unit ``Y = N1``; at
  the mention unit it is the share of mentions whose key is in one document, which does not
  treat a fact repeated inside one document as seen twice;
- the **delete-a-group jackknife over documents** (:func:`jackknife_interval`): documents
  are put in ``G`` groups by a hash of their id (:func:`document_group`); for each group
  ``g`` the count stage reports ``N^(−g)`` (occurrences outside ``g``) and ``Y^(−g)``
  (occurrences outside ``g`` whose key occurs in exactly one document outside ``g``; at the
  document unit that is ``N1^(−g)``, the keys whose document count outside ``g`` is 1);
- the **design effect** ``D = v_J / v_Esty`` and the **effective sample size**
  ``N_eff = N / max(1, D)`` (:func:`design_effect`, :func:`effective_n`), used in the
  distribution-free interval and in Theorem 2's sampling term.

Coverage of every interval on i.i.d., clustered and near-duplicate designs is measured in
``bench/cluster_coverage.py`` (1,000 seeded trials per cell, results in
``bench/cluster_coverage.md``) and, with fewer trials, in ``tests/test_cluster_coverage.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

from singleton_rate.contract.groups import (  # noqa: F401 (re-exported: callers name them here)
    GROUP_SALT,
    JACKKNIFE_GROUPS,
    document_group,
    group_sql,
)
from singleton_rate.estimate._checks import confidence_level, whole_number
from singleton_rate.estimate.bounds import sampling_term

JACKKNIFE_METHOD = "delete-a-group jackknife over documents (md5 groups), t(G-1)"
SQRT2_PLUS_1 = 1.0 + math.sqrt(2.0)


def _clip01(x: float) -> float:
    return min(1.0, max(0.0, x))


# --------------------------------------------------------------------------------------------
# Document groups
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Student t quantile (no scipy in the package's dependencies)
# --------------------------------------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    # Continued fraction of the regularised incomplete beta (Lentz; Numerical Recipes §6.4).
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def student_t_quantile(confidence: float, df: float) -> float:
    """Two-sided Student-t quantile ``t_df((1 + confidence)/2)``.

    The CDF is ``1 − I_{df/(df+t²)}(df/2, 1/2)/2`` (regularised incomplete beta by its
    continued fraction), inverted by bisection to ``1e-12``.

    Examples
    --------
    Table values: ``t_1 = 12.7062``, ``t_19 = 2.0930``, ``t_49 = 2.0096``.

    >>> [round(student_t_quantile(0.95, d), 4) for d in (1, 19, 49)]
    [12.7062, 2.093, 2.0096]
    """
    level = confidence_level(confidence)
    if not df > 0:
        raise ValueError(f"df must be positive, got {df!r}")
    target = 0.5 + level / 2.0

    def cdf(t: float) -> float:
        return 1.0 - 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))

    lo, hi = 0.0, 1.0
    while cdf(hi) < target:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if cdf(mid) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------------------------
# The estimates
# --------------------------------------------------------------------------------------------


def lodo_rate(n: int, lodo: int) -> float:
    """Leave-one-document-out estimate of the unit-weighted missing mass: ``θ̂ = Y/N``.

    ``Y`` = occurrences whose key occurs in exactly one document. Derivation: the missing
    mass seen by a *new document* ``D*`` is the share of its occurrences whose key the
    sample lacks; removing one document ``d`` from a corpus of ``n`` and asking which of
    ``d``'s occurrences are new to the other ``n − 1`` finds exactly those whose key is in
    ``d`` only. Averaging over ``d`` (documents exchangeable) gives an unbiased estimate of
    the missing mass of an ``(n − 1)``-document corpus, the document analogue of Good–Turing's
    leave-one-out argument. With one occurrence per document ``Y = N1``; at the document unit
    (one occurrence per (document, key)) ``Y = N1`` as well; at the mention unit it differs:
    a fact stated three times in one document contributes three mentions to ``Y`` and none to
    ``N1``, which is why the mention-unit ``N1/N`` runs low (−0.25 in the issue's simulation).

    Examples
    --------
    Documents ``[a, a, b]``, ``[b, c]``, ``[c, c, d]``: ``a`` and ``d`` occur in one document
    each, with 2 + 1 mentions, of ``N = 8``.

    >>> lodo_rate(8, 3)
    0.375
    """
    size = whole_number(n, "N")
    y = whole_number(lodo, "Y")
    if size < 1:
        raise ValueError(f"N must be at least 1, got {n!r}")
    if not 0 <= y <= size:
        raise ValueError(f"Y must lie in [0, N], got Y = {lodo!r}, N = {n!r}")
    return y / size


@dataclass(frozen=True, slots=True)
class JackknifeInterval:
    """The delete-a-group jackknife interval (:func:`jackknife_interval`).

    ``groups`` is the number of usable groups ``G`` (non-empty, and their deletion leaves an
    occurrence), ``df = G − 1``; ``degenerate`` when ``G < 2`` (the interval is then
    ``[0, 1]``) or the replicates are all equal (a point).
    """

    estimate: float
    low: float
    high: float
    std_error: float
    groups: int
    df: int
    confidence: float
    degenerate: bool
    method: str = JACKKNIFE_METHOD


def jackknife_interval(
    estimate: float,
    n_minus: Sequence[int],
    lodo_minus: Sequence[int],
    confidence: float = 0.95,
) -> JackknifeInterval:
    """Delete-a-group jackknife interval over documents: ``θ̂ ± t_{G−1}·√v_J``, clipped.

    ``θ̂_(g) = Y^(−g)/N^(−g)`` is the LODO estimate with group ``g``'s documents deleted,
    ``θ̄`` their mean and

    ``v_J = (G − 1)/G · Σ_g (θ̂_(g) − θ̄)²``

    (Kott 2001, J. Official Statistics 17:521–526; Rust & Rao 1996, Stat. Methods Med. Res.
    5:283–310); ``t_{G−1}`` is Student's quantile at ``G − 1`` degrees of freedom. Deleting
    whole documents keeps every within-document correlation inside a replicate, so ``v_J``
    estimates the variance under document sampling, whatever the clustering.

    Why it estimates ``Var(θ̂ − M)``, not only ``Var(θ̂)``: with one occurrence per document
    and groups of one, deleting a singleton's occurrence moves ``N·θ̂`` by ``−(1 − θ̂)``, a
    doubleton's by ``1 + θ̂``, any other by ``θ̂``; summing the squares gives
    ``N²·v_J ≈ N1 + 2·N2 − N1²/N``, Esty's (1983) variance of ``N1/N − M``, up to terms of
    order ``N2·θ̂``. (Centring at ``θ̄`` rather than ``θ̂`` removes the shift of every
    replicate, which estimates the missing mass of a sample ``1/G`` smaller.) Groups that are
    empty in this scope are left out, so with fewer than ``G`` documents it is the
    delete-one-document jackknife.

    Examples
    --------
    Three groups with ``N^(−g) = 4, 4, 2`` and ``Y^(−g) = 2, 1, 1``: replicates
    ``0.5, 0.25, 0.5``, mean ``0.41667``, ``v_J = (2/3)·(0.00694 + 0.02778 + 0.00694)
    = 0.02778``, ``se = 0.16667``; ``t_2 = 4.30265``, so around ``θ̂ = 0.4``:
    ``[0, 0.4 + 0.71711] → [0, 1]``.

    >>> iv = jackknife_interval(0.4, [4, 4, 2], [2, 1, 1])
    >>> round(iv.std_error, 5), iv.df, iv.low, iv.high
    (0.16667, 2, 0.0, 1.0)
    """
    level = confidence_level(confidence)
    if len(n_minus) != len(lodo_minus):
        raise ValueError("n_minus and lodo_minus must have the same length")
    theta = []
    for n, y in zip(n_minus, lodo_minus, strict=True):
        if n < 0 or y < 0 or y > n:
            raise ValueError(f"need 0 <= Y^(-g) <= N^(-g), got Y = {y}, N = {n}")
        if n > 0:
            theta.append(y / n)
    g = len(theta)
    if g < 2:
        return JackknifeInterval(estimate, 0.0, 1.0, math.nan, g, max(0, g - 1), level, True)
    mean = sum(theta) / g
    v = (g - 1) / g * sum((t - mean) ** 2 for t in theta)
    se = math.sqrt(v)
    t = student_t_quantile(level, g - 1)
    return JackknifeInterval(
        estimate=estimate,
        low=_clip01(estimate - t * se),
        high=_clip01(estimate + t * se),
        std_error=se,
        groups=g,
        df=g - 1,
        confidence=level,
        degenerate=v <= 0.0,
    )


def esty_variance(n: int, n1: int, n2: int) -> float:
    """Esty's (1983) i.i.d. variance of ``N1/N − M``: ``(p1 + 2·p2 − p1²)/N``.

    Examples
    --------
    >>> esty_variance(100, 20, 5)
    0.0026
    """
    p1, p2 = n1 / n, n2 / n
    return max(0.0, p1 + 2.0 * p2 - p1 * p1) / n


def design_effect(jackknife_variance: float, n: int, n1: int, n2: int) -> float:
    """Kish's design effect of the missing-mass estimate: ``D = v_J / v_Esty``.

    ``v_J`` the jackknife variance over documents (:func:`jackknife_interval`'s
    ``std_error²``) and ``v_Esty`` = :func:`esty_variance` of the row's own ``(N, N1, N2)``:
    the variance the estimate has under document sampling over the one it would have if the
    ``N`` occurrences were independent (Kish 1965, *Survey Sampling*, §8.2). ``nan`` when
    either variance is 0 or undefined.

    Examples
    --------
    >>> round(design_effect(0.0052, 100, 20, 5), 6)
    2.0
    """
    base = esty_variance(n, n1, n2)
    if not (base > 0.0) or not math.isfinite(jackknife_variance):
        return math.nan
    return jackknife_variance / base


def effective_n(n: int, deff: float) -> float:
    """The effective sample size ``N_eff = N / max(1, D)``.

    The number of independent occurrences that would give the estimate the variance it has
    under document sampling. A design effect below 1 (noise in ``v_J`` on an i.i.d. corpus,
    or negatively correlated documents) is not allowed to *raise* ``N``: the effective size
    is only ever used to widen. Undefined ``D`` (``nan``) gives ``N``.

    Examples
    --------
    >>> effective_n(1000, 4.0), effective_n(1000, 0.8), effective_n(1000, float("nan"))
    (250.0, 1000.0, 1000.0)
    """
    if math.isnan(deff):
        return float(n)
    return n / max(1.0, deff)


def free_half_width_effective(n_eff: float, confidence: float = 0.95) -> float:
    """The distribution-free half-width at an effective size:
    ``w = 1/N_eff + (1 + √2)·√(ln(4/γ)/N_eff)``, ``γ = 1 − confidence``.

    :func:`singleton_rate.estimate.goodturing.missing_mass_half_width` (McAllester & Ortiz 2003;
    Kalai et al. 2025, Corollary 3) with ``N → N_eff``. Their theorem needs negatively
    associated key counts, which documents holding several keys break; ``N_eff`` is a
    heuristic repair, not a theorem: McDiarmid's inequality over documents gives the
    concentration of ``N1/N`` at the scale ``Σ_d x_d²/N²`` (one document moves ``N1`` by at
    most ``2·x_d``), which ``1/N_eff`` estimates. Coverage measured in the bench.

    Examples
    --------
    ``N_eff = 100`` at 95%: ``0.01 + 2.41421·√(ln 80/100) = 0.51537``.

    >>> round(free_half_width_effective(100.0), 5)
    0.51537
    """
    level = confidence_level(confidence)
    if not n_eff >= 1.0:
        raise ValueError(f"n_eff must be at least 1, got {n_eff!r}")
    return 1.0 / n_eff + SQRT2_PLUS_1 * math.sqrt(math.log(4.0 / (1.0 - level)) / n_eff)


def sampling_term_effective(n_eff: float, gamma: float = 0.01) -> float:
    """Theorem 2's floor sampling term at the effective size: ``6·ln(3·N_eff/γ)/√N_eff``.

    :func:`singleton_rate.estimate.bounds.sampling_term` with ``N → N_eff``. Kalai et al. (2025)
    prove the floor for ``N`` i.i.d. examples; under document sampling the i.i.d. sample size
    overstates the information, and ``N_eff`` is the number of independent examples with
    the same variance of the singleton rate. A sensitivity, not a theorem.

    Examples
    --------
    ``N_eff = 10⁴``, ``γ = 0.01``: ``6·ln(3·10⁶)/100 = 0.89485``.

    >>> round(sampling_term_effective(1e4), 5)
    0.89485
    """
    if not n_eff >= 1.0:
        raise ValueError(f"n_eff must be at least 1, got {n_eff!r}")
    g = confidence_level(gamma, "gamma")
    return sampling_term(n_eff, g)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ClusterEstimates:
    """The document-level columns of one estimates row (:func:`cluster_estimates`)."""

    lodo_rate: float
    jackknife_low: float
    jackknife_high: float
    jackknife_std_error: float
    jackknife_groups: int
    jackknife_method: str
    design_effect: float
    n_effective: float
    missing_mass_low_neff: float
    missing_mass_high_neff: float

    def as_dict(self) -> dict[str, float | int | str]:
        return {f: getattr(self, f) for f in self.__slots__}  # type: ignore[attr-defined]


def cluster_estimates(
    *,
    n: int,
    n1: int,
    n2: int,
    lodo: int,
    n_minus: Sequence[int],
    lodo_minus: Sequence[int],
    confidence: float = 0.95,
) -> ClusterEstimates:
    """Every document-level estimate of one (scope, unit, key) from the count stage's sums.

    ``lodo_rate = Y/N`` (:func:`lodo_rate`), its jackknife interval
    (:func:`jackknife_interval`), ``D`` (:func:`design_effect`), ``N_eff``
    (:func:`effective_n`) and the distribution-free interval at ``N_eff`` around
    ``lodo_rate`` (:func:`free_half_width_effective`).

    Examples
    --------
    The groups of :func:`jackknife_interval`'s example with ``N = 10``, ``N1 = 4``,
    ``N2 = 1``: ``v_Esty = (0.4 + 0.2 − 0.16)/10 = 0.044``, ``D = 0.027778/0.044 = 0.63131``,
    below 1, so ``N_eff = N``.

    >>> c = cluster_estimates(n=10, n1=4, n2=1, lodo=4, n_minus=[4, 4, 2],
    ...                       lodo_minus=[2, 1, 1])
    >>> c.lodo_rate, round(c.jackknife_std_error, 5), round(c.design_effect, 5)
    (0.4, 0.16667, 0.63131)
    >>> c.n_effective
    10.0
    """
    theta = lodo_rate(n, lodo)
    jk = jackknife_interval(theta, n_minus, lodo_minus, confidence)
    deff = design_effect(jk.std_error**2, n, n1, n2)
    n_eff = effective_n(n, deff)
    width = free_half_width_effective(max(1.0, n_eff), confidence)  # N_eff < 1: [0, 1]
    return ClusterEstimates(
        lodo_rate=theta,
        jackknife_low=jk.low,
        jackknife_high=jk.high,
        jackknife_std_error=jk.std_error,
        jackknife_groups=jk.groups,
        jackknife_method=JACKKNIFE_METHOD,
        design_effect=deff,
        n_effective=n_eff,
        missing_mass_low_neff=_clip01(theta - width),
        missing_mass_high_neff=_clip01(theta + width),
    )


def heldout_cluster_std_error(
    n_docs: int, sum_x: int, sum_y: int, sum_x2: int, sum_y2: int, sum_xy: int
) -> float | None:
    """Cluster-robust standard error of the held-out share ``r = Σy_d/Σx_d``.

    ``se = √(h/(h − 1) · Σ_d (y_d − r·x_d)²) / Σ_d x_d`` over the ``h`` held-out documents,
    ``x_d`` the document's held-out occurrences and ``y_d`` those whose key is absent from
    train; ``Σ(y − r x)² = Σy² − 2rΣxy + r²Σx²``. It is the linearisation variance of a ratio
    estimator under cluster sampling (Cochran 1977, *Sampling Techniques*, §6.4 and §11.8):
    documents are the independent units, their occurrences are not. With one occurrence per
    document it is ``√(r(1 − r)/(h − 1))``, the binomial one up to ``h/(h − 1)``. ``None``
    with fewer than two held-out documents or no occurrence.

    Examples
    --------
    Three documents with ``(x, y) = (2, 1), (2, 0), (4, 4)``: ``r = 5/8``, residuals
    ``−0.25, −1.25, 1.5``, squares ``3.875``; ``se = √(1.5·3.875)/8 = 0.30136``.

    >>> round(heldout_cluster_std_error(3, 8, 5, 24, 17, 18), 5)
    0.30136
    """
    if n_docs < 2 or sum_x <= 0:
        return None
    r = sum_y / sum_x
    resid = max(0.0, sum_y2 - 2.0 * r * sum_xy + r * r * sum_x2)
    return math.sqrt(n_docs / (n_docs - 1) * resid) / sum_x


def heldout_share_interval(
    n_docs: int,
    sum_x: int,
    sum_y: int,
    sum_x2: int,
    sum_y2: int,
    sum_xy: int,
    confidence: float = 0.95,
) -> tuple[float, float] | None:
    """A score (Wilson-type) interval for the held-out share at its cluster design effect.

    The set of ``M`` with ``Σx·(r − M)² ≤ z²·D_h·M(1 − M)``, ``r = Σy/Σx``, where
    ``D_h = se²·Σx/(r(1 − r))`` is the design effect of the cluster-robust standard error
    :func:`heldout_cluster_std_error` (Kish's ``Σx²/Σx`` when ``r`` is 0 or 1): Wilson's
    interval for a proportion at the effective size ``Σx/D_h``. Its roots are

    ``[r + z²D/(2n) ± z·√(D·r(1 − r)/n + z²D²/(4n²))] / (1 + z²D/n)``, ``n = Σx``.

    Unlike ``r ± z·se`` it keeps its level when few held-out occurrences are unseen (a
    handful), as Wilson's interval does (Brown, Cai & DasGupta 2001). ``None`` when the
    standard error is undefined.

    Examples
    --------
    One occurrence per document, 100 documents, 30 unseen: ``se² = 0.21/99``,
    ``D = 100·0.21/99/0.21 = 1.0101``; Wilson at ``n/D = 99``: ``[0.2187, 0.3965]``.

    >>> lo, hi = heldout_share_interval(100, 100, 30, 100, 30, 30)
    >>> round(lo, 4), round(hi, 4)
    (0.2186, 0.3964)
    """
    se = heldout_cluster_std_error(n_docs, sum_x, sum_y, sum_x2, sum_y2, sum_xy)
    if se is None:
        return None
    z = normal_quantile(confidence)
    n, r = float(sum_x), sum_y / sum_x
    binomial = r * (1.0 - r)
    deff = se * se * n / binomial if binomial > 0.0 else sum_x2 / n
    k = z * z * deff / n
    centre = (r + k / 2.0) / (1.0 + k)
    half = math.sqrt(z * z * deff * binomial / n + k * k / 4.0) / (1.0 + k)
    return _clip01(centre - half), _clip01(centre + half)


def normal_quantile(confidence: float) -> float:
    """``z = Φ⁻¹((1 + confidence)/2)``.

    >>> round(normal_quantile(0.95), 4)
    1.96
    """
    return NormalDist().inv_cdf(0.5 + confidence_level(confidence) / 2.0)
