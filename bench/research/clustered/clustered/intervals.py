"""Missing-mass intervals that hold when occurrences cluster in documents.

Model. A corpus is ``n`` documents drawn independently from one document-generating
process; a document is a multiset of keys. For a count unit (mention, or distinct
(document, key) pair), let ``X(D)`` be the occurrences in a document ``D`` and ``Y(D; S)``
those whose key is absent from the sample ``S``. The estimand is the *unit-weighted missing
mass*

``M(S) = E[Y(D*; S) | S] / E[X(D*)]``

for a fresh document ``D*`` from the same process: the chance that an occurrence picked at
random from a large new corpus has a key the sample never saw. Equivalently
``M(S) = Σ_{k ∉ S} w_k`` with ``w_k = E[x_k(D)]/E[X(D)]`` the long-run share of occurrences
that are of key ``k``. With one occurrence per document it is the classical missing mass.

Every function here reads only the small tables of :mod:`clustered.summaries`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from clustered.summaries import ClusterSummary, GroupTable, HeldoutSummary

SQRT2_PLUS_1 = 1.0 + math.sqrt(2.0)


# --------------------------------------------------------------------------------------------
# Quantiles
# --------------------------------------------------------------------------------------------


def _check_level(confidence: float) -> float:
    level = float(confidence)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return level


def normal_quantile(confidence: float) -> float:
    """Two-sided standard-normal quantile ``z = Φ⁻¹((1 + confidence)/2)``.

    Examples
    --------
    >>> round(normal_quantile(0.95), 6)
    1.959964
    """
    return NormalDist().inv_cdf(0.5 + _check_level(confidence) / 2.0)


def _betacf(a: float, b: float, x: float) -> float:
    # Continued fraction for the regularised incomplete beta (Lentz's method).
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
    """Regularised incomplete beta ``I_x(a, b)``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def _t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def student_t_quantile(confidence: float, df: float) -> float:
    """Two-sided Student-t quantile ``t_{df}((1 + confidence)/2)`` (pure Python).

    The CDF is ``1 − I_{df/(df+t²)}(df/2, 1/2)/2`` (regularised incomplete beta, evaluated by
    its continued fraction), inverted by bisection to ``1e-12``.

    Examples
    --------
    >>> round(student_t_quantile(0.95, 1), 4), round(student_t_quantile(0.95, 19), 5)
    (12.7062, 2.09302)
    """
    level = _check_level(confidence)
    if not df > 0:
        raise ValueError(f"df must be positive, got {df!r}")
    target = 0.5 + level / 2.0
    lo, hi = 0.0, 1.0
    while _t_cdf(hi, df) < target:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _t_cdf(mid, df) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusteredInterval:
    """A confidence interval for the unit-weighted missing mass.

    Attributes
    ----------
    estimate
        The point estimate the interval is built around.
    low, high
        The interval, clipped to ``[0, 1]``.
    std_error
        The estimated standard error of ``estimate − M`` (``nan`` where the method has
        none, e.g. the distribution-free interval).
    method
        ``"esty-cluster"``, ``"esty-deff"``, ``"jackknife"``, ``"free-neff"`` or
        ``"heldout-cluster"``.
    confidence
        The nominal level.
    design_effect
        The design effect used (``nan`` if none).
    n_eff
        The effective sample size used (``nan`` if none).
    df
        Degrees of freedom of the reference distribution (jackknife; ``None`` = normal).
    degenerate
        True when the variance estimate is 0 or undefined; the interval is then a point
        (score forms excepted) or the whole ``[0, 1]`` (too few groups).
    """

    estimate: float
    low: float
    high: float
    std_error: float
    method: str
    confidence: float
    design_effect: float = float("nan")
    n_eff: float = float("nan")
    df: int | None = None
    degenerate: bool = False

    def covers(self, value: float) -> bool:
        """``low <= value <= high``."""
        return self.low <= value <= self.high


def _clip01(x: float) -> float:
    return min(1.0, max(0.0, x))


# --------------------------------------------------------------------------------------------
# Variance pieces
# --------------------------------------------------------------------------------------------


def kish_effective_n(n: float, sum_x2: float) -> float:
    """Kish's effective sample size ``N_eff = N²/Σ_d x_d²`` with ``N = Σ_d x_d``.

    ``N_eff = N`` when every document has one occurrence; ``N_eff = N/m`` when every
    document has ``m``. By Cauchy–Schwarz ``N_eff ≤`` the number of documents. It is the
    sample size at which a mean of occurrence-level indicators that are perfectly
    correlated within a document (intra-class correlation 1) has the variance it has
    under clustering (Kish 1965, *Survey Sampling*, §8.2, design effect ``1 + (m̄−1)ρ`` at
    ``ρ = 1`` with unequal sizes).

    Examples
    --------
    Three documents with 2, 2, 2 occurrences: ``36/12 = 3``. With 1, 1, 4: ``36/18 = 2``.

    >>> kish_effective_n(6, 12), kish_effective_n(6, 18)
    (3.0, 2.0)
    """
    if not (n > 0 and sum_x2 > 0):
        raise ValueError(f"N and Σx² must be positive, got {n!r} and {sum_x2!r}")
    return float(n) * float(n) / float(sum_x2)


def _linear_term(s: ClusterSummary) -> float:
    theta = s.estimate
    value = s.sum_y2 - 2.0 * theta * s.sum_xy + theta * theta * s.sum_x2
    return max(0.0, value)  # ≥ 0 exactly; rounding only


def cluster_variance(s: ClusterSummary) -> float:
    """Cluster-robust variance of ``θ̂ − M``: ``V = [Σ_d (y_d − θ̂·x_d)² + 2P]/N²``.

    ``θ̂ = Σ y_d/N`` is the leave-one-document-out estimate and ``P`` the doubleton-pair term
    (:class:`clustered.summaries.ClusterSummary`). Derivation (``REPORT.md`` §3): with the
    number of documents Poissonised, ``Z = Σ_k [w_k·1{a_k = 1} − λ_k r_k·1{a_k = 0}]``
    (``λ_k`` the expected document count, ``r_k`` the mean occurrences per containing
    document) has mean 0, and for any two keys ``(a_k, a_j)`` is bivariate Poisson with
    common part ``λ_kj`` (documents holding both). Direct computation gives
    ``Var Z_k = E[w_k² 1{a_k=1}] + 2·E[w_k1 w_k2 1{a_k=2}]`` and
    ``Cov(Z_k, Z_j) = E[w_k w_j 1{k, j unique to the same document}] +
    E[(w_kd w_jd' + w_kd' w_jd)·1{k, j both on exactly the same two documents}]``, so
    ``E[Σ_d y_d² + 2P] = Var Z`` exactly. Centering ``y_d`` at ``θ̂·x_d`` accounts for the
    random total ``N`` (ratio linearisation). With one occurrence per document this is
    Esty's (1983) ``N1 + 2·N2 − N1²/N``.

    Examples
    --------
    The corpus of :func:`clustered.summaries.cluster_summary`, document unit: ``θ̂ = 1/3``,
    ``Σ(y − θ̂x)² = 2 − 2·(1/3)·4 + (1/9)·12 = 2/3``, ``P = 2``, so
    ``V = (2/3 + 4)/36 = 0.12963``.

    >>> from clustered.summaries import cluster_summary
    >>> s = cluster_summary([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4], "document")
    >>> round(cluster_variance(s), 5)
    0.12963
    """
    return (_linear_term(s) + 2.0 * s.pair_term) / (s.n * s.n)


def design_effect(s: ClusterSummary) -> float:
    """Design effect of the singleton share: ``D = Σ_d (y_d − θ̂ x_d)² / (N θ̂ (1 − θ̂))``.

    The ratio of the cluster-robust (ratio-linearised) variance of ``θ̂ = Σy/Σx`` to the
    variance it would have if the ``N`` occurrence-level indicators were independent
    (``θ̂(1 − θ̂)/N``); Kish's ``deff``. ``D = 1`` exactly when each document has one
    occurrence. When ``θ̂`` is 0 or 1 the ratio is ``0/0``; the worst case for a
    proportion, ``N/N_eff = Σx²/N`` (intra-class correlation 1), is returned instead.

    Examples
    --------
    Document unit of the small corpus: ``(2/3)/(6·(1/3)·(2/3)) = 0.5``.

    >>> from clustered.summaries import cluster_summary
    >>> s = cluster_summary([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4], "document")
    >>> design_effect(s)
    0.5
    """
    theta = s.estimate
    srs = s.n * theta * (1.0 - theta)
    if srs <= 0.0:
        return s.sum_x2 / s.n
    return _linear_term(s) / srs


# --------------------------------------------------------------------------------------------
# (a) Esty score intervals under clustering
# --------------------------------------------------------------------------------------------


def score_interval(n: float, p: float, deff: float, q: float, z: float) -> tuple[float, float]:
    """Roots of ``n(p − M)² = z²(D·M(1 − M) + 2q)``, clipped to ``[0, 1]``.

    The Wilson-type inversion of Esty's pivot used by ``singleton_rate.estimate.esty_interval``
    (``method = "score"``), with the binomial part inflated by a design effect ``D`` and the
    doubleton part ``2q`` (``q = N2/N`` there) left as a plug-in. Writing ``a = n + z²D``:

    ``M = [n p + z²D/2 ± z·√(D·n p(1 − p) + 2q·a + z²D²/4)] / a``;

    the lower root is computed as the product of the roots ``(n p² − 2z²q)/a`` over the upper
    root, so it is exactly 0 when ``p = q = 0``. With ``D = 1``, ``q = N2/N`` this is the
    existing score interval.

    Examples
    --------
    ``n = 100, p = 0.2, D = 1, q = 0.05, z = 2``: ``a = 104``, root
    ``√(16 + 10.4 + 1) = √27.4 = 5.23450``, upper ``(20 + 2 + 2·5.23450)/104 = 0.31220``,
    lower ``(4 − 0.4)/104/0.31220 = 0.11087``.

    >>> lo, hi = score_interval(100, 0.2, 1.0, 0.05, 2.0)
    >>> round(lo, 5), round(hi, 5)
    (0.11087, 0.3122)
    """
    if not (n > 0 and deff >= 0 and q >= 0 and z > 0 and 0.0 <= p <= 1.0):
        raise ValueError("need n > 0, D >= 0, q >= 0, z > 0 and 0 <= p <= 1")
    z2d = z * z * deff
    a = n + z2d
    root = math.sqrt(max(0.0, deff * n * p * (1.0 - p) + 2.0 * q * a + z2d * deff / 4.0))
    upper = (n * p + z2d / 2.0 + z * root) / a
    if upper <= 0.0:
        return 0.0, 0.0
    lower = (n * p * p - 2.0 * z * z * q) / a / upper
    return _clip01(lower), _clip01(upper)


def esty_score_cluster_interval(s: ClusterSummary, confidence: float = 0.95) -> ClusteredInterval:
    """Cluster-robust Esty score interval for the unit-weighted missing mass.

    Around the leave-one-document-out estimate ``θ̂ = Y/N`` (``= N1/N`` at the document
    unit), the set of ``M`` with ``N(θ̂ − M)² ≤ z²(D·M(1 − M) + 2P/N)``: :func:`score_interval`
    with ``D`` = :func:`design_effect` and ``q = P/N``. At ``M = θ̂`` the variance is
    :func:`cluster_variance`; with one occurrence per document it is exactly the existing
    ``esty_interval(method="score")``.

    Examples
    --------
    Small corpus, document unit: ``N = 6``, ``θ̂ = 1/3``, ``D = 0.5``, ``q = 2/6``; with
    ``z² = 3.84146``: ``a = 6 + 1.92073 = 7.92073``, root
    ``√(0.5·6·(2/9) + 2·(1/3)·7.92073 + 1.92073·0.5/4) = √6.18725 = 2.48742``, upper
    ``(2 + 0.96036 + 1.95996·2.48742)/7.92073 = 0.98925``; the lower root is negative
    (``6/9 − 2·3.84146/3 < 0``), so 0; ``se = √0.12963 = 0.36004``.

    >>> from clustered.summaries import cluster_summary
    >>> s = cluster_summary([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4], "document")
    >>> iv = esty_score_cluster_interval(s)
    >>> round(iv.low, 4), round(iv.high, 4), round(iv.std_error, 4)
    (0.0, 0.9893, 0.36)
    """
    level = _check_level(confidence)
    z = normal_quantile(level)
    deff = design_effect(s)
    low, high = score_interval(s.n, s.estimate, deff, s.pair_term / s.n, z)
    variance = cluster_variance(s)
    return ClusteredInterval(
        estimate=s.estimate,
        low=low,
        high=high,
        std_error=math.sqrt(variance),
        method="esty-cluster",
        confidence=level,
        design_effect=deff,
        n_eff=s.n_eff,
        degenerate=variance <= 0.0,
    )


def esty_score_deff_interval(s: ClusterSummary, confidence: float = 0.95) -> ClusteredInterval:
    """Esty's score interval with every variance term multiplied by a design effect (Kish).

    Document unit only (around ``N1/N``): the set of ``M`` with
    ``N(N1/N − M)² ≤ z²·D·(M(1 − M) + 2N2/N)``, i.e. the existing score interval at the
    effective size ``N/D``, with ``D`` = :func:`design_effect`. This is the textbook
    design-effect correction; it assumes clustering inflates the doubleton (missing-mass)
    part of Esty's variance by the same factor as the singleton part, which
    :func:`esty_score_cluster_interval` does not need to assume.

    Examples
    --------
    Small corpus: ``D = 0.5``, ``N1/N = 1/3``, ``N2/N = 1/3``: the standard error is
    ``√(0.5·(2/9 + 2/3)/6) = √0.074074 = 0.27217``.

    >>> from clustered.summaries import cluster_summary
    >>> s = cluster_summary([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4], "document")
    >>> iv = esty_score_deff_interval(s)
    >>> round(iv.std_error, 4)
    0.2722
    """
    if s.unit != "document":
        raise ValueError(
            "esty_score_deff_interval is defined at the document unit (around N1/N); at the "
            "mention unit use esty_score_cluster_interval around the LODO estimate"
        )
    level = _check_level(confidence)
    z = normal_quantile(level)
    deff = design_effect(s)
    p = s.singleton_rate
    q = deff * s.n2 / s.n
    low, high = score_interval(s.n, p, deff, q, z)
    variance = deff * (p * (1.0 - p) + 2.0 * s.n2 / s.n) / s.n
    return ClusteredInterval(
        estimate=p,
        low=low,
        high=high,
        std_error=math.sqrt(max(0.0, variance)),
        method="esty-deff",
        confidence=level,
        design_effect=deff,
        n_eff=s.n / deff if deff > 0 else float("inf"),
        degenerate=variance <= 0.0,
    )


# --------------------------------------------------------------------------------------------
# (b) Delete-a-group jackknife
# --------------------------------------------------------------------------------------------


def jackknife_interval(
    estimate: float, table: GroupTable, confidence: float = 0.95
) -> ClusteredInterval:
    """Delete-a-group jackknife interval ``θ̂ ± t_{G−1}·√v_J`` for the LODO estimate.

    ``θ̂_(g) = Y^(−g)/(N − n_g)`` is the estimate with group ``g``'s documents deleted;
    ``v_J = (G − 1)/G · Σ_g (θ̂_(g) − θ̄)²`` with ``θ̄`` the mean of the ``θ̂_(g)`` (Kott 2001,
    J. Official Statistics 17:521–526; Rust & Rao 1996, Stat. Methods Med. Res. 5:283–310),
    and ``t_{G−1}`` the Student quantile with ``G − 1`` degrees of freedom. ``G`` counts the
    non-empty groups whose deletion leaves some occurrence.

    Centering at ``θ̄``, not ``θ̂``, matters here: every ``θ̂_(g)`` estimates the missing mass
    of a sample ``1/G`` smaller, which is systematically larger, and centering at ``θ̂``
    would add that shift (``≈ 2N2/(N G)`` per group) to the variance.

    What it estimates: the spread of the replicates is, at face value, ``Var(θ̂)``, not
    ``Var(θ̂ − M)``; but the jackknife overstates the variance of a statistic as non-smooth
    as ``N1`` (Efron & Stein 1981), and the excess is the missing-mass term. With one
    occurrence per document and delete-one groups: deleting a singleton's occurrence moves
    ``N·θ̂`` by ``−(1 − θ̂)``, a doubleton's by ``1 + θ̂``, any other by ``θ̂``, so
    ``N²·v_J = N1(1 − θ̂) + 2N2 + 4θ̂N2 − 4N2²/N``: Esty's ``N1 + 2N2 − N1²/N`` up to the
    last two (small) terms (REPORT.md §3.2). The simulations confirm it for groups of
    documents.

    With fewer than two usable groups the interval is ``[0, 1]`` and ``degenerate``.

    Examples
    --------
    Two groups with ``θ̂_(0) = 2/4``, ``θ̂_(1) = 2/2``: ``θ̄ = 0.75``,
    ``v_J = (1/2)·(0.25² + 0.25²) = 0.0625``, ``se = 0.25``; ``t_1 = 12.706``.

    >>> import numpy as np
    >>> from clustered.summaries import GroupTable
    >>> t = GroupTable(np.array([0, 1]), np.array([2, 4]), np.array([4, 2]),
    ...                np.array([2, 2]), "document")
    >>> iv = jackknife_interval(2 / 6, t)
    >>> iv.std_error, iv.df, (iv.low, iv.high)
    (0.25, 1, (0.0, 1.0))
    """
    level = _check_level(confidence)
    usable = table.n_minus > 0
    g = int(np.count_nonzero(usable))
    if g < 2:
        return ClusteredInterval(
            estimate, 0.0, 1.0, float("nan"), "jackknife", level, df=None, degenerate=True
        )
    theta_g = table.lodo_minus[usable] / table.n_minus[usable]
    v = (g - 1) / g * float(np.sum((theta_g - theta_g.mean()) ** 2))
    se = math.sqrt(v)
    t = student_t_quantile(level, g - 1)
    return ClusteredInterval(
        estimate=estimate,
        low=_clip01(estimate - t * se),
        high=_clip01(estimate + t * se),
        std_error=se,
        method="jackknife",
        confidence=level,
        df=g - 1,
        degenerate=v <= 0.0,
    )


# --------------------------------------------------------------------------------------------
# (c) Distribution-free interval at an effective sample size
# --------------------------------------------------------------------------------------------


def free_interval_effective(
    estimate: float, n_eff: float, confidence: float = 0.95
) -> ClusteredInterval:
    """McAllester–Ortiz half-width at an effective size: ``1/N_eff + (1+√2)√(ln(4/γ)/N_eff)``.

    ``γ = 1 − confidence``. The distribution-free interval of Kalai et al. (2025, Corollary
    3) with ``N`` replaced by ``N_eff`` (Kish, :func:`kish_effective_n`). This is a
    heuristic, not a theorem: McAllester & Ortiz's proof needs negatively associated key
    counts, which documents holding several keys violate. McDiarmid's inequality over
    documents does give the ``N_eff`` scaling for the estimate (changing one document moves
    ``N1`` by at most ``2x_d``, so ``Σ c_d² = 4Σx_d²/N² = 4/N_eff``), but not for ``M``
    (REPORT.md §3.3).

    Examples
    --------
    ``N_eff = 100`` at 95%: ``0.01 + 2.41421·√(ln 80/100) = 0.01 + 2.41421·0.20933 = 0.51537``.

    >>> iv = free_interval_effective(0.3, 100.0)
    >>> round(iv.high - iv.estimate, 5), iv.low
    (0.51537, 0.0)
    """
    level = _check_level(confidence)
    if not n_eff >= 1.0:
        raise ValueError(f"n_eff must be at least 1, got {n_eff!r}")
    gamma = 1.0 - level
    width = 1.0 / n_eff + SQRT2_PLUS_1 * math.sqrt(math.log(4.0 / gamma) / n_eff)
    return ClusteredInterval(
        estimate=estimate,
        low=_clip01(estimate - width),
        high=_clip01(estimate + width),
        std_error=float("nan"),
        method="free-neff",
        confidence=level,
        n_eff=float(n_eff),
    )


# --------------------------------------------------------------------------------------------
# (e) Held-out check
# --------------------------------------------------------------------------------------------


def _heldout_se(h: HeldoutSummary) -> float:
    if h.n_docs < 2 or h.sum_x == 0:
        return float("nan")
    r = h.share
    resid = max(0.0, h.sum_y2 - 2.0 * r * h.sum_xy + r * r * h.sum_x2)
    return math.sqrt(h.n_docs / (h.n_docs - 1) * resid) / h.sum_x


def heldout_share_interval(
    h: HeldoutSummary, confidence: float = 0.95, *, form: str = "wilson"
) -> ClusteredInterval:
    """Held-out share ``r = Σy_d/Σx_d`` with its cluster-robust (ratio) standard error.

    ``se = √(h/(h − 1) · Σ_d (y_d − r x_d)²) / Σ_d x_d`` over the ``h`` held-out documents:
    the usual linearisation variance of a ratio estimator under cluster sampling (Cochran
    1977, *Sampling Techniques*, §6.4 and §11.8). With one occurrence per document it is
    ``√(r(1 − r)/(h − 1))``, the binomial one up to ``h/(h − 1)``. It is an interval for the
    missing mass of the TRAIN sample (each held-out document is a fresh draw independent of
    train).

    ``form = "wilson"`` (default): Wilson's score interval at the effective size
    ``Σx/D_h`` with the design effect ``D_h = se²·Σx/(r(1 − r))`` (Kish's ``Σx²/Σx`` when
    ``r`` is 0 or 1), i.e. the set of ``M`` with ``Σx·(r − M)² ≤ z²·D_h·M(1 − M)``
    (:func:`score_interval` with ``q = 0``). ``form = "wald"``: ``r ± z·se``, clipped, which
    under-covers when few held-out occurrences are unseen (a few tens), as the Wald interval
    for a proportion does.

    Examples
    --------
    Three held-out documents with ``(x, y) = (2, 1), (2, 0), (4, 4)``: ``r = 5/8``;
    residuals ``1 − 1.25 = −0.25``, ``−1.25``, ``4 − 2.5 = 1.5``; squares sum to
    ``0.0625 + 1.5625 + 2.25 = 3.875``; ``se = √(1.5·3.875)/8 = 2.41091/8 = 0.30136``.
    ``D_h = 0.0908203·8/(0.625·0.375) = 3.1``; Wilson with ``z²D_h = 11.90852``:
    upper ``(5 + 5.95426 + 1.95996·√(5.8125 + 9.22911))/19.90852 = 0.93205``, lower
    ``3.125/19.90852/0.93205 = 0.16841``.

    >>> from clustered.summaries import HeldoutSummary
    >>> h = HeldoutSummary(3, 8, 5, 24, 17, 18, "document")
    >>> iv = heldout_share_interval(h)
    >>> round(iv.std_error, 5), round(iv.design_effect, 4), round(iv.low, 4), round(iv.high, 4)
    (0.30136, 3.1, 0.1684, 0.932)
    """
    level = _check_level(confidence)
    if form not in ("wilson", "wald"):
        raise ValueError(f"form must be 'wilson' or 'wald', got {form!r}")
    method = f"heldout-cluster-{form}"
    if h.sum_x == 0:
        return ClusteredInterval(
            float("nan"), 0.0, 1.0, float("nan"), method, level, degenerate=True
        )
    se = _heldout_se(h)
    r = h.share
    if math.isnan(se):
        return ClusteredInterval(r, 0.0, 1.0, se, method, level, degenerate=True)
    z = normal_quantile(level)
    if form == "wald":
        return ClusteredInterval(
            estimate=r,
            low=_clip01(r - z * se),
            high=_clip01(r + z * se),
            std_error=se,
            method=method,
            confidence=level,
            degenerate=se <= 0.0,
        )
    binomial = r * (1.0 - r)
    deff = se * se * h.sum_x / binomial if binomial > 0.0 else h.sum_x2 / h.sum_x
    low, high = score_interval(h.sum_x, r, deff, 0.0, z)
    return ClusteredInterval(
        estimate=r,
        low=low,
        high=high,
        std_error=se,
        method=method,
        confidence=level,
        design_effect=deff,
        n_eff=h.sum_x / deff if deff > 0 else float("inf"),
        degenerate=se <= 0.0,
    )


@dataclass(frozen=True, slots=True)
class HeldoutCheck:
    """Does the train estimate agree with the held-out share within both sampling errors?

    ``difference = share − estimate``; ``combined_std_error = √(se_train² + se_heldout²)``
    (train and held-out documents are independent); ``inside`` is
    ``|difference| ≤ z·combined_std_error``.
    """

    estimate: float
    share: float
    difference: float
    train_std_error: float
    heldout_std_error: float
    combined_std_error: float
    z: float
    inside: bool


def heldout_check(
    train: ClusterSummary, held: HeldoutSummary, confidence: float = 0.95
) -> HeldoutCheck:
    """Cluster-robust version of ``validate``'s ``combined_inside``.

    The train side uses the LODO estimate and :func:`cluster_variance`; the held-out side
    :func:`heldout_share_interval`'s standard error. Replaces Esty's i.i.d. standard error
    and the binomial ``√(share(1 − share)/n_heldout)``.

    Examples
    --------
    Small corpus (train ``θ̂ = 1/3``, ``se = 0.36004``) against the held-out summary of
    :func:`heldout_share_interval` (``r = 0.625``, ``se = 0.30136``): difference
    ``0.29167``, combined ``√(0.12963 + 0.09082) = 0.46952`` — inside.

    >>> from clustered.summaries import cluster_summary, HeldoutSummary
    >>> s = cluster_summary([0, 0, 0, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3, 3, 4], "document")
    >>> c = heldout_check(s, HeldoutSummary(3, 8, 5, 24, 17, 18, "document"))
    >>> round(c.difference, 4), round(c.combined_std_error, 4), c.inside
    (0.2917, 0.4695, True)
    """
    level = _check_level(confidence)
    z = normal_quantile(level)
    se_train = math.sqrt(cluster_variance(train))
    se_held = _heldout_se(held)
    share = held.share if held.sum_x else float("nan")
    combined = math.hypot(se_train, se_held)
    difference = share - train.estimate
    return HeldoutCheck(
        estimate=train.estimate,
        share=share,
        difference=difference,
        train_std_error=se_train,
        heldout_std_error=se_held,
        combined_std_error=combined,
        z=z,
        inside=bool(abs(difference) <= z * combined),
    )


# --------------------------------------------------------------------------------------------
# Theorem 2
# --------------------------------------------------------------------------------------------


def sampling_term_effective(n_eff: float, gamma: float = 0.01) -> float:
    """Theorem 2's floor sampling term at an effective size: ``6·ln(3·N_eff/γ)/√N_eff``.

    ``singleton_rate.estimate.bounds.sampling_term`` with ``N`` → ``N_eff`` (both places). A
    sensitivity figure, not a theorem: Kalai et al. (2025) assume ``N`` i.i.d. examples
    (REPORT.md §5 for what can and cannot be claimed).

    Examples
    --------
    ``N_eff = 10⁴``, ``γ = 0.01``: ``6·ln(3·10⁶)/100 = 6·14.91412/100 = 0.89485``.

    >>> round(sampling_term_effective(1e4), 5)
    0.89485
    """
    if not n_eff >= 1.0:
        raise ValueError(f"n_eff must be at least 1, got {n_eff!r}")
    g = float(gamma)
    if not 0.0 < g < 1.0:
        raise ValueError(f"gamma must lie strictly between 0 and 1, got {gamma!r}")
    return 6.0 * math.log(3.0 * n_eff / g) / math.sqrt(n_eff)
