"""The estimates table of a run: every scope's (r, N_r) through the estimators, pure pandas.

The count stage hands over the (r, N_r) rows it counted per attribute (and per source); this
module adds the scopes that are unions of attributes, runs :func:`summarize` and
:func:`extrapolate` on each (scope, unit, key), and says where Theorem 2 of Kalai et al.
(2025) applies. No Spark: ``singleton_rate.run`` and ``bench/count_scale.py`` call it on the
driver, tests call it on hand-made tables.

Where Theorem 2 applies
-----------------------
Its floor ``err ≥ sr − 2/min|E_c| − 6 ln(3N/γ)/√N − δ`` is proved for *prompts* under
Definition 1 (Arbitrary Facts): each prompt ``c`` has one correct answer ``a_c`` and
``V_c = {a_c, IDK}``; ``sr`` counts prompts that appear exactly once (Definition 2). So the
floor and ceiling are computed only

- at the **prompt key** (entity, attribute): the fact key's N1/N is the *monofact rate* of
  Kalai & Vempala (2024), reported without Theorem 2's constants;
- for scopes made only of **single-valued** relations (the catalog's ``single_valued``):
  ``attribute=X`` for such an X and the union scope ``single_valued``.

Elsewhere the floor columns are null and ``theorem2_reason`` says why. The headline of a run
is the row (``single_valued``, ``document``, ``prompt``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from singleton_rate.contract import ALL, FOF_SCHEMA, SCOPE_KINDS, SINGLE_VALUED
from singleton_rate.estimate.errorset import ErrorSet, generalized_floor
from singleton_rate.estimate.extrapolate import FloorHalving, extrapolate
from singleton_rate.estimate.fof import FreqOfFreq
from singleton_rate.estimate.summary import summarize

HEADLINE = (SINGLE_VALUED, "document", "prompt")
"""(scope, unit, key) of the number a run leads with."""
# The order scopes are listed in: the headline scope, the whole corpus, its unions, its parts.
SCOPE_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(SCOPE_KINDS)}
RATE_NAMES = {"prompt": "singleton rate", "fact": "monofact rate"}
"""What N1/N is called at each key: Theorem 2's ``sr`` counts prompts (Kalai et al. 2025,
Definition 2); a fact seen once is a monofact (Kalai & Vempala 2024)."""
FOF_COLUMNS = list(FOF_SCHEMA.names)
_NULLABLE_DTYPES = {
    **dict.fromkeys(
        [
            "hallucination_floor",
            "hallucination_floor_raw",
            "hallucination_ceiling",
            "floor_term_error_set",
            "floor_term_sampling",
            "floor_term_calibration",
            "ceiling_term_sampling",
            "floor_informative_from_n",
            "floor_halving_t_low",
            "floor_halving_t_high",
            "floor_halving_not_before",
            "error_set_effective_min",
            "error_set_kappa",
            "error_set_effective_max",
            "hallucination_floor_effective_raw",
            "hallucination_floor_effective",
            "hallucination_ceiling_effective",
        ],
        "float64",
    ),
    "flag_floor_sign_depends_on_error_set": "boolean",
    "error_set_min": "Int64",
    "error_set_max": "Int64",
    "flag_floor_uninformative": "boolean",
    "floor_halving_found": "boolean",
}


_FLOOR_COLUMNS = (
    "predicted_floor",
    "predicted_floor_raw",
    "predicted_floor_low",
    "predicted_floor_high",
)
"""The extrapolation columns that are Theorem 2 floors: null where it does not apply."""
_EXTRAPOLATION_DTYPES = {
    **dict.fromkeys(
        [
            "predicted_coverage",
            "predicted_missing_mass",
            "predicted_missing_mass_low",
            "predicted_missing_mass_high",
            *_FLOOR_COLUMNS,
        ],
        "float64",
    ),
    "band_informative": "boolean",
}


def _halving_columns(halving: FloorHalving, applies: bool) -> dict[str, object]:
    """The ``floor_halving_*`` columns of an estimates row (all null where Theorem 2 does not
    apply). ``_t_low``/``_t_high`` are the interval (null unless both ends of the band reach
    the target within the search), ``_not_before`` the one-sided bound, ``_reason`` why."""
    if not applies:
        return dict.fromkeys(
            [
                "floor_halving_target",
                "floor_halving_found",
                "floor_halving_t_low",
                "floor_halving_t_high",
                "floor_halving_not_before",
                "floor_halving_reason",
            ]
        )
    low, high = halving.interval if halving.interval is not None else (None, None)
    return {
        "floor_halving_target": halving.target,
        "floor_halving_found": halving.found,
        "floor_halving_t_low": low,
        "floor_halving_t_high": high,
        "floor_halving_not_before": halving.not_before,
        "floor_halving_reason": halving.reason,
    }


@dataclass(frozen=True, slots=True)
class Relations:
    """What the estimates need of the catalog: each attribute's subject type and whether it is
    single-valued (:attr:`singleton_rate.extract.catalog.Relation.single_valued`)."""

    subject_types: Mapping[str, str]
    single_valued: frozenset[str]

    @classmethod
    def of(cls, relations: Iterable[object]) -> Relations:
        rels = list(relations)
        return cls(
            subject_types={r.name: r.subject for r in rels},  # type: ignore[attr-defined]
            single_valued=frozenset(
                r.name
                for r in rels
                if r.single_valued  # type: ignore[attr-defined]
            ),
        )


def scope_kind(scope: str) -> str:
    return scope.split("=", 1)[0]


def combine_scopes(by_attribute: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Scopes that are unions of attributes, summed from the per-attribute tables.

    A key belongs to exactly one attribute, so the table of a union of attributes (``all``,
    ``single_valued``, ``entity_type=PERSON``) is the sum of their tables: no second
    aggregation over the mentions. ``groups`` maps a scope name to its attributes.
    """
    parts = []
    for scope, attributes in groups.items():
        wanted = by_attribute["scope"].isin([f"attribute={a}" for a in attributes])
        summed = by_attribute[wanted].groupby(["key", "unit", "r"], as_index=False)["n_r"].sum()
        summed.insert(0, "scope", scope)
        parts.append(summed[FOF_COLUMNS])
    return pd.concat(parts, ignore_index=True) if parts else by_attribute.iloc[0:0]


def union_scopes(attributes: Sequence[str], relations: Relations) -> dict[str, list[str]]:
    """The union scopes over the observed ``attributes``: ``all``, ``single_valued`` (when
    any observed attribute is single-valued) and one ``entity_type=T`` per subject type."""
    groups = {ALL: list(attributes)}
    single = [a for a in attributes if a in relations.single_valued]
    if single:
        groups[SINGLE_VALUED] = single
    types = relations.subject_types
    for entity_type in sorted({types.get(a, "ANY") for a in attributes}):
        groups[f"entity_type={entity_type}"] = [
            a for a in attributes if types.get(a, "ANY") == entity_type
        ]
    return groups


def freq_of_freq_all_scopes(counted: pd.DataFrame, relations: Relations) -> pd.DataFrame:
    """Every scope's (r, N_r): the counted scopes (each attribute, each source) and the
    unions of attributes (:func:`union_scopes`), summed from the attributes' tables."""
    by_attribute = counted[counted["scope"].str.startswith("attribute=")]
    attributes = sorted(s.removeprefix("attribute=") for s in by_attribute["scope"].unique())
    groups = union_scopes(attributes, relations)
    fof = pd.concat([combine_scopes(by_attribute, groups), counted], ignore_index=True)
    fof = fof.astype({"r": "int64", "n_r": "int64"})
    return fof.sort_values(["key", "scope", "unit", "r"], ignore_index=True)


def scope_attributes(
    scopes: Sequence[str], sizes: Mapping[str, int], relations: Relations
) -> dict[str, list[str]]:
    """The attributes each scope spans, which decide its min and max |E_c|.

    ``attribute=X`` spans X; ``entity_type=T`` the attributes whose subject is T;
    ``single_valued`` the single-valued ones; ``all`` and ``source=…`` every observed
    attribute.
    """
    spans = {}
    for scope in scopes:
        kind, _, name = scope.partition("=")
        if kind == "attribute":
            spans[scope] = [name]
        elif kind == "entity_type":
            spans[scope] = [a for a in sizes if relations.subject_types.get(a) == name]
        elif kind == SINGLE_VALUED:
            spans[scope] = [a for a in sizes if a in relations.single_valued]
        else:
            spans[scope] = list(sizes)
    return spans


def theorem2_reason(key: str, attributes: Sequence[str], relations: Relations) -> str | None:
    """Why Theorem 2's floor is not reported for a (scope, key), or ``None`` when it is.

    See the module docstring: prompt key, single-valued relations only.
    """
    if key != "prompt":
        return (
            "fact key: Theorem 2 counts singleton prompts (entity, attribute); N1/N here is "
            "the monofact rate (Kalai & Vempala 2024), without Theorem 2's constants"
        )
    multi = sorted(a for a in attributes if a not in relations.single_valued)
    if multi:
        shown = ", ".join(multi[:4]) + (f" and {len(multi) - 4} more" if len(multi) > 4 else "")
        return (
            f"multi-valued relations in scope ({shown}): Theorem 2 assumes one correct "
            "answer per prompt (Kalai et al. 2025, Definition 1)"
        )
    if not attributes:
        return "no attribute in scope"
    return None


def _sizes(sizes: Mapping[str, ErrorSet | int], attributes: Sequence[str]) -> dict[str, object]:
    """A scope's |E_c|: the smallest floor size and largest ceiling size over its attributes
    (Theorem 2's ``min_c`` and ``max_c``), and the effective ones from the observed values
    (smallest ``K`` and ``κ``, largest ``L``; ``None`` when no attribute has them)."""
    sets = [sizes[a] for a in attributes]
    floors = [s.floor if isinstance(s, ErrorSet) else int(s) for s in sets] or [1]
    ceilings = [s.ceiling if isinstance(s, ErrorSet) else int(s) for s in sets] or [1]
    effective = [s.effective for s in sets if isinstance(s, ErrorSet) and s.effective]
    return {
        "min": min(floors),
        "max": max(ceilings),
        "k": min((e.k_floor for e in effective), default=None),
        "kappa": min((e.kappa for e in effective), default=None),
        "l": max((e.l_ceiling for e in effective), default=None),
    }


def _effective_columns(
    summary: dict[str, object], size: dict[str, object], *, gamma: float, calibration_error: float
) -> dict[str, object]:
    """The floor and ceiling with the effective |E_c| (:mod:`singleton_rate.estimate.errorset`),
    a sensitivity beside the rule's: this project's extension of Theorem 2, not the paper's."""
    k, kappa, ell = size["k"], size["kappa"], size["l"]
    if k is None or kappa is None or ell is None:
        return dict.fromkeys(EFFECTIVE_COLUMNS)
    sr, n = float(summary["singleton_rate"]), int(summary["n"])  # type: ignore[arg-type]
    raw = generalized_floor(
        sr,
        n,
        k_floor=float(k),  # type: ignore[arg-type]
        kappa=float(kappa),  # type: ignore[arg-type]
        gamma=gamma,
        calibration_error=calibration_error,
    )
    ell_f = float(ell)  # type: ignore[arg-type]
    factor = 1.0 if ell_f == float("inf") else ell_f / (ell_f + 1.0)
    ceiling = factor * sr + float(summary["ceiling_term_sampling"])  # type: ignore[arg-type]
    rule_raw = float(summary["hallucination_floor_raw"])  # type: ignore[arg-type]
    return {
        "error_set_effective_min": float(k),  # type: ignore[arg-type]
        "error_set_kappa": float(kappa),  # type: ignore[arg-type]
        "error_set_effective_max": ell_f,
        "hallucination_floor_effective_raw": raw,
        "hallucination_floor_effective": max(0.0, raw),
        "hallucination_ceiling_effective": min(1.0, ceiling),
        "flag_floor_sign_depends_on_error_set": (raw > 0) != (rule_raw > 0),
    }


EFFECTIVE_COLUMNS = (
    "error_set_effective_min",
    "error_set_kappa",
    "error_set_effective_max",
    "hallucination_floor_effective_raw",
    "hallucination_floor_effective",
    "hallucination_ceiling_effective",
    "flag_floor_sign_depends_on_error_set",
)


def estimates_frame(
    fof: pd.DataFrame,
    *,
    sizes: Mapping[str, ErrorSet | int],
    spans: Mapping[str, Sequence[str]],
    relations: Relations,
    confidence: float = 0.95,
    theorem_confidence: float = 0.99,
    calibration_error: float = 0.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Estimates (one row per scope, unit, key) and extrapolations (one row per t more).

    ``sizes`` is |E_c| per attribute and ``spans`` the attributes of each scope: a scope's
    floor uses the minimum |E_c| over its attributes and its ceiling the maximum, as
    Theorem 2's ``min_c |E_c|`` and ``max_c |E_c|`` require. Where Theorem 2 does not apply
    (:func:`theorem2_reason`) its columns are null and ``theorem2_reason`` says why; each
    row names its rate (``rate_name``: singleton rate at the prompt key, monofact rate at
    the fact key).
    """
    rows, extra = [], []
    gamma = 1 - theorem_confidence
    for (scope, unit, key), group in fof.groupby(["scope", "unit", "key"], sort=True):
        attributes = list(spans[scope])
        reason = theorem2_reason(key, attributes, relations)
        size = _sizes(sizes, attributes)
        e_min, e_max = int(size["min"]), int(size["max"])  # type: ignore[call-overload]
        table = FreqOfFreq.from_pairs(zip(group["r"], group["n_r"], strict=True))
        summary = summarize(
            table,
            error_set_min=e_min,
            error_set_max=e_max,
            confidence=confidence,
            theorem_confidence=theorem_confidence,
            calibration_error=calibration_error,
            theorem2=reason is None,
        )
        # Chao1 between N and 2N: Good–Toulmin's alternating sum is erratic on
        # near-complete tables (measured in tests/test_estimate_extrapolate.py).
        ext = extrapolate(
            table,
            error_set_min=e_min,
            error_set_max=e_max,
            gamma=gamma,
            calibration_error=calibration_error,
            between="chao1",
        )
        halving = ext.halving
        applies = reason is None
        record = summary.as_dict()
        effective = (
            _effective_columns(record, size, gamma=gamma, calibration_error=calibration_error)
            if applies
            else dict.fromkeys(EFFECTIVE_COLUMNS)
        )
        rows.append(
            {
                "scope": scope,
                "unit": unit,
                "key": key,
                "rate_name": RATE_NAMES[key],
                **record,
                **effective,
                "theorem2_applies": applies,
                "theorem2_reason": reason,
                **_halving_columns(halving, applies),
            }
        )
        for r in ext.as_rows():
            if not applies:
                r = {**r, **dict.fromkeys(_FLOOR_COLUMNS)}
            extra.append({"scope": scope, "unit": unit, "key": key, **r})
    frame = pd.DataFrame(rows)
    extra_frame = pd.DataFrame(extra)
    if not frame.empty:
        # Null where Theorem 2 does not apply: fixed dtypes, so a run whose rows are all
        # null there still writes float/int/bool Parquet columns, not untyped nulls.
        frame = frame.astype(_NULLABLE_DTYPES)
        extra_frame = extra_frame.astype(
            {c: t for c, t in _EXTRAPOLATION_DTYPES.items() if c in extra_frame}
        )
        # Scope kinds in SCOPE_ORDER; prompt before fact; document before mention.
        frame["_o"] = frame["scope"].map(lambda s: SCOPE_ORDER.get(scope_kind(s), 9))
        frame = frame.sort_values(
            ["_o", "scope", "key", "unit"], ascending=[True, True, False, True]
        )
        frame = frame.drop(columns="_o").reset_index(drop=True)
    return frame, extra_frame


def headline_row(estimates: pd.DataFrame) -> dict[str, object] | None:
    """The estimates row a run leads with (:data:`HEADLINE`), or ``None`` when absent."""
    if estimates.empty:
        return None
    scope, unit, key = HEADLINE
    sel = estimates[
        (estimates["scope"] == scope) & (estimates["unit"] == unit) & (estimates["key"] == key)
    ]
    return None if sel.empty else sel.iloc[0].to_dict()


CLAIM = (
    "What it means (Kalai et al. 2025, Theorem 2, App. B form): if a base model is trained on "
    "examples distributed like these, each prompt (entity, attribute) having one correct "
    "value drawn arbitrarily, and is calibrated (δ = {delta:g}, assumed, not measured), then "
    "with probability ≥ {confidence:.0%} over the sample it puts at least the floor's "
    "probability on wrong answers to prompts drawn like the training prompts. Extraction "
    "errors (false facts are almost all singletons) and near-duplicate documents move the "
    "rate; it measures how thin the corpus is, not whether its facts are true."
)
"""The conditional claim the headline makes, formatted with ``delta`` and ``confidence``;
one home for the summary, the report and the README."""


def beside_rows(estimates: pd.DataFrame) -> list[dict[str, object]]:
    """The rows printed next to the headline, each a different question.

    The headline's scope at the fact key (the monofact rate), the whole corpus at the prompt
    key (multi-valued relations included, no floor) and the headline at the mention unit; in
    that order, those present.
    """
    scope, unit, key = HEADLINE
    wanted = [(scope, unit, "fact"), (ALL, unit, key), (scope, "mention", key)]
    out = []
    for s, u, k in wanted:
        sel = estimates[
            (estimates["scope"] == s) & (estimates["unit"] == u) & (estimates["key"] == k)
        ]
        if not sel.empty:
            out.append(sel.iloc[0].to_dict())
    return out


CONFLICT_COLUMNS = ("conflicting_prompts", "conflicting_prompt_share", "majority_value_share")


def add_conflicts(
    estimates: pd.DataFrame, conflicts: pd.DataFrame, spans: Mapping[str, Sequence[str]]
) -> pd.DataFrame:
    """ "Wrong together": how often the corpus answers a prompt in more than one way.

    Good–Turing measures sparsity, not truth: a prompt stated often with conflicting values
    is "common" yet a model trained on it may learn the wrong one. Per scope (summed over
    its attributes; ``conflicts`` has per attribute ``prompts``, ``conflicting`` — prompts
    with more than one value —, ``conflicting_mentions``, their mentions, and
    ``majority_mentions``, the mentions of each one's most-stated value):

    - ``conflicting_prompts``, ``conflicting_prompt_share`` = conflicting / prompts;
    - ``majority_value_share`` = majority_mentions / conflicting_mentions: the share of the
      conflicting prompts' mentions that give their most-stated value (``None`` when none
      conflict). Integer sums, so runs that partition differently agree exactly.

    Source scopes get nulls: the counts are of the whole corpus, not of one source.

    Examples
    --------
    >>> est = pd.DataFrame({"scope": ["attribute=a", "all", "source=x"]})
    >>> c = pd.DataFrame({"attribute": ["a", "b"], "prompts": [10, 30],
    ...                   "conflicting": [2, 0], "majority_mentions": [6, 0],
    ...                   "conflicting_mentions": [8, 0]})
    >>> spans = {"attribute=a": ["a"], "all": ["a", "b"], "source=x": ["a", "b"]}
    >>> out = add_conflicts(est, c, spans)
    >>> out["conflicting_prompt_share"].tolist()[:2], out["majority_value_share"].tolist()[:2]
    ([0.2, 0.05], [0.75, 0.75])
    >>> bool(out["conflicting_prompts"].isna().iloc[2])
    True
    """
    by = conflicts.set_index("attribute") if len(conflicts) else None
    rows = []
    for scope in estimates["scope"]:
        attrs = [a for a in spans.get(scope, []) if by is not None and a in by.index]
        if scope_kind(scope) == "source" or not attrs:
            rows.append((None, None, None))
            continue
        part = by.loc[attrs]
        prompts, conflicting = int(part["prompts"].sum()), int(part["conflicting"].sum())
        stated = int(part["conflicting_mentions"].sum())
        majority = int(part["majority_mentions"].sum()) / stated if stated else None
        rows.append((conflicting, conflicting / prompts if prompts else None, majority))
    out = estimates.copy()
    values = pd.DataFrame(rows, columns=list(CONFLICT_COLUMNS), index=out.index)
    out[list(CONFLICT_COLUMNS)] = values.astype(
        {
            "conflicting_prompts": "Int64",
            "conflicting_prompt_share": "float64",
            "majority_value_share": "float64",
        }
    )
    return out


# --------------------------------------------------------------------------------------------
# Document-level (cluster-robust) columns: singleton_rate.estimate.cluster on the count stage's
# document-group sums
# --------------------------------------------------------------------------------------------

GROUP_COLUMNS = ["scope", "unit", "key", "group", "n_g", "lodo_delta", "n_minus", "lodo_minus"]
"""The run folder's ``document_groups`` table (:data:`singleton_rate.contract.DOCUMENT_GROUPS`)."""
CLUSTER_COLUMNS = [
    "lodo",
    "lodo_rate",
    "jackknife_low",
    "jackknife_high",
    "jackknife_std_error",
    "jackknife_groups",
    "jackknife_method",
    "design_effect",
    "n_effective",
    "missing_mass_low_neff",
    "missing_mass_high_neff",
    "floor_term_sampling_neff",
    "hallucination_floor_neff",
]
"""The estimates columns :func:`add_cluster_columns` adds (README, *What the numbers mean*)."""


def document_groups_all_scopes(
    groups: pd.DataFrame, lodo: pd.DataFrame, relations: Relations
) -> pd.DataFrame:
    """Every attribute scope's and union scope's document-group table, with its totals.

    ``groups`` (per ``attribute=X``, unit, key, group: ``n_g``, ``lodo_delta``) and ``lodo``
    (per ``attribute=X``, unit, key: ``Y``) come from the count stage
    (:data:`singleton_rate.tally.GROUPS_SCHEMA`, :data:`singleton_rate.tally.LODO_SCHEMA`). A
    key belongs
    to one attribute and a group's terms are sums over keys, so a union scope's ``n_g``,
    ``lodo_delta`` and ``Y`` are the sums of its attributes' (as for (r, N_r) in
    :func:`combine_scopes`). Adds ``n_minus = N − n_g`` (``N = Σ_g n_g``: every document has
    a group) and ``lodo_minus = Y + lodo_delta``. Source scopes are not counted per group.

    Examples
    --------
    >>> g = pd.DataFrame({"scope": ["attribute=a", "attribute=a", "attribute=b"],
    ...     "unit": ["document"] * 3, "key": ["prompt"] * 3, "group": [0, 1, 0],
    ...     "n_g": [3, 2, 1], "lodo_delta": [-1, 0, -1]})
    >>> y = pd.DataFrame({"scope": ["attribute=a", "attribute=b"], "unit": ["document"] * 2,
    ...     "key": ["prompt"] * 2, "lodo": [2, 1]})
    >>> t = document_groups_all_scopes(g, y, Relations({}, frozenset()))
    >>> t[t.scope == "all"][["group", "n_minus", "lodo_minus"]].values.tolist()  # N = 6, Y = 3
    [[0, 2, 1], [1, 4, 3]]
    """
    cols = ["scope", "unit", "key", "group", "n_g", "lodo_delta"]
    by_attribute = groups[groups["scope"].str.startswith("attribute=")][cols]
    lodo_attr = lodo[lodo["scope"].str.startswith("attribute=")]
    attributes = sorted(s.removeprefix("attribute=") for s in by_attribute["scope"].unique())
    parts, lodo_parts = [by_attribute], [lodo_attr]
    for scope, attrs in union_scopes(attributes, relations).items():
        names = [f"attribute={a}" for a in attrs]
        summed = (
            by_attribute[by_attribute["scope"].isin(names)]
            .groupby(["unit", "key", "group"], as_index=False)[["n_g", "lodo_delta"]]
            .sum()
        )
        summed.insert(0, "scope", scope)
        parts.append(summed[cols])
        y = (
            lodo_attr[lodo_attr["scope"].isin(names)]
            .groupby(["unit", "key"], as_index=False)["lodo"]
            .sum()
        )
        y.insert(0, "scope", scope)
        lodo_parts.append(y)
    table = pd.concat(parts, ignore_index=True)
    totals = pd.concat(lodo_parts, ignore_index=True)
    n = table.groupby(["scope", "unit", "key"])["n_g"].transform("sum")
    table = table.merge(totals, on=["scope", "unit", "key"], how="left")
    table["n_minus"] = (n - table["n_g"]).astype("int64")
    table["lodo_minus"] = (table["lodo"].fillna(0) + table["lodo_delta"]).astype("int64")
    table = table.astype({"group": "int64", "n_g": "int64", "lodo_delta": "int64"})
    return table[GROUP_COLUMNS].sort_values(["scope", "unit", "key", "group"], ignore_index=True)


def add_cluster_columns(
    estimates: pd.DataFrame,
    document_groups: pd.DataFrame,
    *,
    confidence: float = 0.95,
    theorem_confidence: float = 0.99,
    calibration_error: float = 0.0,
) -> pd.DataFrame:
    """The estimates with the document-level columns :data:`CLUSTER_COLUMNS` added.

    Per row, from its scope's ``document_groups`` rows
    (:func:`singleton_rate.estimate.cluster.cluster_estimates`): ``lodo`` (``Y``) and
    ``lodo_rate = Y/N``, the jackknife interval ``[jackknife_low, jackknife_high]`` around
    ``lodo_rate`` at ``confidence`` with its standard error and number of groups, the design
    effect and ``n_effective``, the distribution-free interval at ``n_effective``, and, where
    Theorem 2 applies, its floor with the sampling term at ``n_effective``
    (``floor_term_sampling_neff``; ``hallucination_floor_neff`` clipped at 0), beside the
    i.i.d. one. Rows without groups (source scopes) get nulls.
    """
    from singleton_rate.estimate.cluster import cluster_estimates, sampling_term_effective

    out = estimates.copy()
    if out.empty:
        for c in CLUSTER_COLUMNS:
            out[c] = pd.Series(dtype="object" if c == "jackknife_method" else "float64")
        return out
    by_scope = {k: g for k, g in document_groups.groupby(["scope", "unit", "key"])}
    gamma = 1.0 - theorem_confidence
    values: dict[str, list[object]] = {c: [] for c in CLUSTER_COLUMNS}
    for row in out.itertuples(index=False):
        group = by_scope.get((row.scope, row.unit, row.key))
        cell: dict[str, object] = dict.fromkeys(CLUSTER_COLUMNS)
        if group is not None and int(group["n_g"].sum()) == int(row.n):
            lodo = int(group["lodo_minus"].iloc[0] - group["lodo_delta"].iloc[0])
            est = cluster_estimates(
                n=int(row.n),
                n1=int(row.n1),
                n2=int(row.n2),
                lodo=lodo,
                n_minus=group["n_minus"].tolist(),
                lodo_minus=group["lodo_minus"].tolist(),
                confidence=confidence,
            )
            cell.update(est.as_dict())
            cell["lodo"] = lodo
            if bool(row.theorem2_applies):
                term = sampling_term_effective(max(1.0, est.n_effective), gamma)
                raw = row.singleton_rate - row.floor_term_error_set - term - calibration_error
                cell["floor_term_sampling_neff"] = term
                cell["hallucination_floor_neff"] = max(0.0, raw)
        for c in CLUSTER_COLUMNS:
            values[c].append(cell[c])
    for c in CLUSTER_COLUMNS:
        out[c] = pd.Series(values[c], index=out.index)
    dtypes = {c: "float64" for c in CLUSTER_COLUMNS if c != "jackknife_method"}
    dtypes.update({"lodo": "Int64", "jackknife_groups": "Int64"})
    return out.astype(dtypes)
