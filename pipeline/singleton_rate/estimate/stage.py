"""The estimate stage of a run: |E_c| per attribute, the estimates and extrapolation tables.

Driver work on the count stage's small tables (:class:`singleton_rate.tally.Totals`): the
(r, N_r) rows become scopes (:func:`.table.freq_of_freq_all_scopes`), every estimator runs on
each (:func:`.table.estimates_frame`), the document-level columns are added, and a run in
which nothing was extracted gets its ``N = 0`` rows (:func:`empty_estimates`).
:func:`count_and_estimate` is the count stage followed by this one, as a run calls them and as
``bench/count_scale.py`` measures them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from singleton_rate.contract import (
    ALL,
    DOCUMENT_GROUPS,
    ERROR_SETS,
    ESTIMATES_SCHEMA,
    EXTRAPOLATION_SCHEMA,
    KEYS,
    UNITS,
    TableWriter,
)
from singleton_rate.estimate.errorset import ERROR_SET_COLUMNS, ErrorSet, attribute_error_set
from singleton_rate.estimate.table import (
    Relations,
    add_cluster_columns,
    add_conflicts,
    document_groups_all_scopes,
    estimates_frame,
    freq_of_freq_all_scopes,
    scope_attributes,
)

if TYPE_CHECKING:
    from singleton_rate.config import RunConfig
    from singleton_rate.extract.catalog import Catalog
    from singleton_rate.progress import Progress


def error_sets(config: RunConfig, catalog: Catalog, values: pa.Table) -> dict[str, ErrorSet]:
    """|E_c| per observed attribute (:mod:`singleton_rate.estimate.errorset`): the configured
    override, else the rule for the attribute's value type, with the effective size from
    its observed values beside it. ``values`` is (attribute, value, prompts)."""
    value_types = {r.name: r.value for r in catalog.relations}
    grouped: dict[str, tuple[list[str], list[int]]] = {}
    for attribute, value, prompts in zip(
        *(values.column(c).to_pylist() for c in ("attribute", "value", "prompts")), strict=True
    ):
        vals, counts = grouped.setdefault(str(attribute), ([], []))
        vals.append(str(value))
        counts.append(int(prompts))
    return {
        attr: attribute_error_set(
            attr,
            value_types.get(attr, "text"),
            vals,
            counts,
            override=config.error_set_sizes.get(attr),
            confidence=config.confidence,
        )
        for attr, (vals, counts) in sorted(grouped.items())
    }


NO_FACTS_NOTE = (
    "N = 0: no facts were extracted, so nothing can be estimated; the estimates rows hold "
    "N = 0 and no rates"
)


def empty_estimates(config: RunConfig, relations: Relations) -> tuple[pa.Table, pa.Table]:
    """Estimates and extrapolation tables for a run in which no fact was extracted.

    Every estimator needs ``N ≥ 1`` (``N1/N`` is 0/0), so instead of an error the run gets
    one row per unit and key in scope ``all`` saying ``N = 0``: counts 0, rates, intervals
    and Theorem 2's bounds null, ``theorem2_reason`` saying why. The extrapolation table is
    empty. Both have the contract's schemas (:data:`singleton_rate.contract.ESTIMATES_SCHEMA`,
    :data:`~singleton_rate.contract.EXTRAPOLATION_SCHEMA`), a normal run's, so every reader
    opens them alike.
    """
    pairs = [
        {"scope": ALL, "unit": unit, "key": key, "r": 1, "n_r": 1} for key in KEYS for unit in UNITS
    ]
    # The rows in a normal run's order, with their rate names, from a one-singleton table;
    # the model rows' values are never written.
    spans: dict[str, list[str]] = {ALL: sorted(relations.single_valued)[:1]}
    model, _ = estimates_frame(
        pd.DataFrame(pairs),
        sizes=dict.fromkeys(spans[ALL], 364),
        spans=spans,
        relations=relations,
        confidence=config.confidence,
        theorem_confidence=config.theorem_confidence,
        calibration_error=config.calibration_error,
    )
    known = {
        "n": 0,
        "distinct": 0,
        "n1": 0,
        "n2": 0,
        "missing_mass_confidence": config.confidence,
        "theorem_confidence": config.theorem_confidence,
        "theorem2_applies": False,
        "theorem2_reason": "N = 0: no facts were extracted",
        "flag_floor_uninformative": True,
    }
    rows = [
        {**{c: r[c] for c in ("scope", "unit", "key", "rate_name")}, **known}
        for r in model.to_dict("records")
    ]
    return (
        pa.Table.from_pylist(rows, schema=ESTIMATES_SCHEMA),
        EXTRAPOLATION_SCHEMA.empty_table(),
    )


@dataclass(frozen=True, slots=True)
class Counts:
    """What the count and estimate stages hand back (their tables are in the run folder)."""

    fof: pd.DataFrame
    estimates: pd.DataFrame
    extrapolation: pd.DataFrame
    error_sets: dict[str, ErrorSet]
    statuses: dict[str, int]
    tasks: list[dict[str, Any]]  # one row per count task: rows, facts, prompts, seconds


def count_and_estimate(
    spark: Any,
    mentions: Any,
    folder: TableWriter,
    config: RunConfig,
    catalog: Catalog,
    progress: Progress,
    statuses: dict[str, int] | None = None,
) -> Counts:
    """The count and estimate stages on a mentions table: facts, prompts, (r, N_r), estimates.

    Writes ``facts``, ``prompts``, ``freq_of_freq``, ``document_groups``, ``error_sets``,
    ``estimates`` and ``extrapolation`` into ``folder`` (a
    :class:`singleton_rate.store.RunFolder`). :func:`singleton_rate.run.run` calls it on the
    mentions it just wrote; ``bench/count_scale.py`` on generated ones, so the benchmark
    measures this very code. One Spark job: the
    mentions shuffled by prompt, each partition counted by one task
    (:func:`singleton_rate.count.tally_mentions`); the rest is driver work on small tables.
    ``statuses``: the mentions by status when the caller has them already
    (:func:`singleton_rate.count.summarize`), else one more small job counts them.
    """
    from singleton_rate import count  # Spark: imported only by the caller that counts

    with progress.step("count"):
        partitions = config.count_partitions or count.count_partitions(
            mentions, minimum=config.shuffle_partitions
        )
        totals, tasks = count.tally_mentions(
            mentions,
            folder.table("facts"),
            folder.table("prompts"),
            folder.work("count"),
            partitions=partitions,
            by_source=config.source_field is not None,
        )
        relations = Relations.of(catalog.relations)
        fof = freq_of_freq_all_scopes(totals.fof.to_pandas(), relations)
        if statuses is None:
            statuses = count.statuses(mentions)
        folder.write_small("freq_of_freq", fof)
        groups = document_groups_all_scopes(
            totals.groups.to_pandas(), totals.lodo.to_pandas(), relations
        )
        folder.write_small(DOCUMENT_GROUPS, groups)

    with progress.step("estimate"):
        sizes = error_sets(config, catalog, totals.values)
        folder.write_small(
            ERROR_SETS,
            pd.DataFrame([e.as_row() for e in sizes.values()], columns=ERROR_SET_COLUMNS),
        )
        spans = scope_attributes(sorted(fof["scope"].unique()), sizes, relations)
        if fof.empty:  # nothing extracted: N = 0 rows, not an estimator's error
            est_table, ext_table = empty_estimates(config, relations)
            estimates, extrapolation = est_table.to_pandas(), ext_table.to_pandas()
            folder.write_small("estimates", estimates, est_table.schema)
            folder.write_small("extrapolation", extrapolation, ext_table.schema)
            return Counts(fof, estimates, extrapolation, sizes, statuses, tasks)
        estimates, extrapolation = estimates_frame(
            fof,
            sizes=sizes,
            spans=spans,
            relations=relations,
            confidence=config.confidence,
            theorem_confidence=config.theorem_confidence,
            calibration_error=config.calibration_error,
        )
        estimates = add_conflicts(estimates, totals.conflicts.to_pandas(), spans)
        # Document-level columns: the jackknife over documents, N_eff, the LODO estimate.
        estimates = add_cluster_columns(
            estimates,
            groups,
            confidence=config.confidence,
            theorem_confidence=config.theorem_confidence,
            calibration_error=config.calibration_error,
        )
        folder.write_small("estimates", estimates)
        folder.write_small("extrapolation", extrapolation)
    return Counts(fof, estimates, extrapolation, sizes, statuses, tasks)
