"""The tables of a run folder: their names and a pyarrow schema each.

The stages write these columns and the readers (DuckDB views, ``singletons score``,
``validate``, the report) read them; the README's run-folder table lists them, and
``tests/test_contract.py`` checks that list against :data:`SCHEMAS`. Partitioned tables
(``mentions``, ``facts``, ``prompts``) have their partition column ``attribute`` last, as
Spark and DuckDB read them back. ``estimates`` and ``extrapolation`` have a column per
estimator output, built by :mod:`singleton_rate.estimate.table`; a test checks that frame
against these schemas too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pyarrow as pa

if TYPE_CHECKING:  # pandas costs half a second to import: `singletons sql` never needs it
    import pandas as pd

# --- names --------------------------------------------------------------------------------

MENTIONS, FACTS, PROMPTS = "mentions", "facts", "prompts"
FREQ_OF_FREQ, ESTIMATES, EXTRAPOLATION = "freq_of_freq", "estimates", "extrapolation"
DOCUMENTS, REJECTS, AUDIT = "documents", "rejects", "audit"
DOCUMENT_GROUPS = "document_groups"
"""Per (scope, unit, key, document group): the delete-a-group jackknife's sums over documents
(``n_g``, ``lodo_delta``, ``n_minus``, ``lodo_minus``; :mod:`singleton_rate.estimate.cluster`),
summed exactly across the count stage's partitions (:func:`singleton_rate.tally.groups_sql`);
groups by :func:`singleton_rate.contract.groups.document_group`."""
ERROR_SETS = "error_sets"
"""|E_c| per attribute (:mod:`singleton_rate.estimate.errorset`): every run writes it since the
error-set rules; optional so that runs made before them still open."""
CATALOG = "catalog.duckdb"
"""The views and macros of ``singletons sql`` for any DuckDB client (singleton_rate.query)."""
AUDIT_ESTIMATES = "audit_estimates"
"""Written into a complete run later, by ``singletons audit``: the raw rate of each estimates
row beside its precision- and recall-corrected sensitivities."""

TABLES: tuple[str, ...] = (
    DOCUMENTS,
    MENTIONS,
    FACTS,
    PROMPTS,
    FREQ_OF_FREQ,
    ESTIMATES,
    EXTRAPOLATION,
    REJECTS,
    AUDIT,
    DOCUMENT_GROUPS,
)
"""The tables every complete run holds."""
OPTIONAL_TABLES: tuple[str, ...] = (AUDIT_ESTIMATES, ERROR_SETS)
"""Tables a complete run may hold but need not: views are made for them when present."""
PARTITIONED: dict[str, str] = {MENTIONS: "attribute", FACTS: "attribute", PROMPTS: "attribute"}
"""Tables written as hive partitions, and their partition column (a folder per value)."""

LOOKUP_ROW_GROUP_ROWS = 32_768
"""Rows per Parquet row group of ``facts``/``prompts`` files, each sorted by entity: a lookup
of one fact decodes one row group (`bench/sql_lookup.py`)."""

S, I64, F64, B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

# --- the extract stage's rows ---------------------------------------------------------------

READ_SCHEMA = pa.schema(
    [
        ("unit", I64),
        ("position", I64),
        ("file", S),
        ("doc_id", S),
        ("title", S),
        ("text", S),
        ("source", S),
        ("location", S),
        ("reason", S),
        ("detail", S),
    ]
)
"""A document (or a reject) as the read stage hands it to extraction."""

MENTION_FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("entity", S),
    ("attribute", S),
    ("value", S),
    ("value_precision", S),
    ("entity_text", S),
    ("subject_text", S),
    ("resolution", S),
    ("value_text", S),
    ("sentence", S),
    ("sentence_start", I64),
    ("start", I64),
    ("end", I64),
    ("pattern", S),
    ("status", S),
)
"""What the extractor says of one mention (:class:`singleton_rate.extract.extractor.Mention`)."""

DOCUMENT_FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("n_chars", I64),
    ("n_words", I64),
    ("n_sentences", I64),
    ("n_chunks", I64),
    ("parsed_chars", I64),
    ("parsed", B),
)

EXTRACT_SCHEMA = pa.schema(
    [
        ("kind", S),  # vocabulary.KINDS: "doc", "mention" or "reject"
        ("file", S),
        ("doc_id", S),
        ("source", S),
        ("location", S),
        *DOCUMENT_FIELDS,
        ("reason", S),
        ("detail", S),
        *MENTION_FIELDS,
    ]
)
"""The extract stage's scratch rows (``_work/extracted``), split into the tables below."""

# --- the run folder's tables ----------------------------------------------------------------

_PROVENANCE = [("doc_id", S), ("source", S), ("file", S), ("location", S)]

MENTIONS_SCHEMA = pa.schema(
    [*_PROVENANCE, *((n, t) for n, t in MENTION_FIELDS if n != "attribute"), ("attribute", S)]
)
DOCUMENTS_SCHEMA = pa.schema([*_PROVENANCE, *DOCUMENT_FIELDS, ("error", S)])
REJECTS_SCHEMA = pa.schema(
    [("file", S), ("location", S), ("doc_id", S), ("reason", S), ("detail", S)]
)
FACTS_SCHEMA = pa.schema(
    [
        ("entity", S),
        ("value", S),
        ("mention_count", I64),
        ("doc_count", I64),
        ("value_precision", S),
        ("entity_text", S),
        ("value_text", S),
        ("n_value_surfaces", I64),
        ("attribute", S),
    ]
)
PROMPTS_SCHEMA = pa.schema(
    [
        ("entity", S),
        ("mention_count", I64),
        ("doc_count", I64),
        ("n_values", I64),
        ("entity_text", S),
        ("attribute", S),
    ]
)
FOF_SCHEMA = pa.schema([("scope", S), ("unit", S), ("key", S), ("r", I64), ("n_r", I64)])
DOCUMENT_GROUPS_SCHEMA = pa.schema(
    [
        ("scope", S),
        ("unit", S),
        ("key", S),
        ("group", I64),
        ("n_g", I64),
        ("lodo_delta", I64),
        ("n_minus", I64),
        ("lodo_minus", I64),
    ]
)
AUDIT_SCHEMA = pa.schema(
    [
        ("entity", S),
        ("attribute", S),
        ("value", S),
        ("entity_text", S),
        ("value_text", S),
        ("sentence", S),
        ("doc_id", S),
        ("location", S),
        ("pattern", S),
        ("resolution", S),
    ]
)
"""A seeded sample of singleton mentions with their sentences, for a person to read."""

ESTIMATES_SCHEMA = pa.schema(
    [
        ("scope", S),
        ("unit", S),
        ("key", S),
        ("rate_name", S),
        ("n", I64),
        ("distinct", I64),
        ("n1", I64),
        ("n2", I64),
        ("singleton_rate", F64),
        ("singleton_share", F64),
        ("missing_mass", F64),
        ("missing_mass_low", F64),
        ("missing_mass_high", F64),
        ("missing_mass_confidence", F64),
        ("esty_low", F64),
        ("esty_high", F64),
        ("esty_method", S),
        ("coverage", F64),
        ("hallucination_floor", F64),
        ("hallucination_floor_raw", F64),
        ("hallucination_ceiling", F64),
        ("floor_term_error_set", F64),
        ("floor_term_sampling", F64),
        ("floor_term_calibration", F64),
        ("ceiling_term_sampling", F64),
        ("floor_informative_from_n", F64),
        ("theorem_confidence", F64),
        ("error_set_min", I64),
        ("error_set_max", I64),
        ("chao1", F64),
        ("chao1_low", F64),
        ("chao1_high", F64),
        ("chao1_bc", F64),
        ("sgt_p0", F64),
        ("sgt_slope", F64),
        ("flag_f2_zero", B),
        ("flag_all_singletons", B),
        ("flag_sgt_slope", B),
        ("flag_coverage_degenerate", B),
        ("flag_floor_uninformative", B),
        ("flag_esty_degenerate", B),
        ("error_set_effective_min", F64),
        ("error_set_kappa", F64),
        ("error_set_effective_max", F64),
        ("hallucination_floor_effective_raw", F64),
        ("hallucination_floor_effective", F64),
        ("hallucination_ceiling_effective", F64),
        ("flag_floor_sign_depends_on_error_set", B),
        ("theorem2_applies", B),
        ("theorem2_reason", S),
        ("floor_halving_target", S),
        ("floor_halving_found", B),
        ("floor_halving_t_low", F64),
        ("floor_halving_t_high", F64),
        ("floor_halving_not_before", F64),
        ("floor_halving_reason", S),
        ("conflicting_prompts", I64),
        ("conflicting_prompt_share", F64),
        ("majority_value_share", F64),
        ("lodo", I64),
        ("lodo_rate", F64),
        ("jackknife_low", F64),
        ("jackknife_high", F64),
        ("jackknife_std_error", F64),
        ("jackknife_groups", I64),
        ("jackknife_method", S),
        ("design_effect", F64),
        ("n_effective", F64),
        ("missing_mass_low_neff", F64),
        ("missing_mass_high_neff", F64),
        ("floor_term_sampling_neff", F64),
        ("hallucination_floor_neff", F64),
    ]
)
"""One row per (scope, unit, key): every estimator's output
(:func:`singleton_rate.estimate.table.estimates_frame`, then the conflict and document-level
columns of the estimate stage)."""
EXTRAPOLATION_SCHEMA = pa.schema(
    [
        ("scope", S),
        ("unit", S),
        ("key", S),
        ("t", F64),
        ("n", I64),
        ("m", I64),
        ("predicted_coverage", F64),
        ("predicted_missing_mass", F64),
        ("predicted_missing_mass_low", F64),
        ("predicted_missing_mass_high", F64),
        ("missing_mass_method", S),
        ("band_informative", B),
        ("predicted_floor", F64),
        ("predicted_floor_raw", F64),
        ("predicted_floor_low", F64),
        ("predicted_floor_high", F64),
        ("predicted_distinct", F64),
        ("predicted_new", F64),
        ("method", S),
        ("note", S),
    ]
)
"""One row per (scope, unit, key, t): predictions if the corpus were ``t`` times larger."""
ERROR_SETS_SCHEMA = pa.schema(
    [
        ("attribute", S),
        ("value_type", S),
        ("error_set_floor", I64),
        ("error_set_ceiling", I64),
        ("rule", S),
        ("configured", B),
        ("prompts", I64),
        ("distinct_values", I64),
        ("pi_max", F64),
        ("pi_second", F64),
        ("effective_k", F64),
        ("kappa", F64),
        ("effective_l", F64),
    ]
)
"""One row per attribute: |E_c| by rule, with the effective sizes beside it
(:class:`singleton_rate.estimate.errorset.ErrorSet`)."""

AUDIT_ESTIMATES_SCHEMA = pa.schema(
    [
        ("scope", S),
        ("unit", S),
        ("key", S),
        ("n", I64),
        ("n1", I64),
        ("raw_rate", F64),
        ("audit_rows", I64),
        ("labels_in_scope", I64),
        ("correct", I64),
        ("wrong", I64),
        ("unsure", I64),
        ("confidence", F64),
        ("precision", F64),
        ("precision_low", F64),
        ("precision_high", F64),
        ("n1_corrected", F64),
        ("n_corrected", F64),
        ("corrected_rate", F64),
        ("corrected_rate_low", F64),
        ("corrected_rate_high", F64),
        ("precision_method", S),
        ("precision_note", S),
        ("recall", F64),
        ("recall_source", S),
        ("thinning_t", F64),
        ("thinning_rate", F64),
        ("thinning_low", F64),
        ("thinning_high", F64),
        ("thinning_method", S),
        ("thinning_note", S),
        ("combined_rate", F64),
        ("combined_low", F64),
        ("combined_high", F64),
        ("labels_file", S),
    ]
)
"""One row per (scope, unit, key), written into a complete run by ``singletons audit``: the raw
rate beside its precision-, thinning- and both-corrected sensitivities."""

SCHEMAS: dict[str, pa.Schema] = {
    MENTIONS: MENTIONS_SCHEMA,
    FACTS: FACTS_SCHEMA,
    PROMPTS: PROMPTS_SCHEMA,
    FREQ_OF_FREQ: FOF_SCHEMA,
    DOCUMENT_GROUPS: DOCUMENT_GROUPS_SCHEMA,
    DOCUMENTS: DOCUMENTS_SCHEMA,
    REJECTS: REJECTS_SCHEMA,
    AUDIT: AUDIT_SCHEMA,
    ESTIMATES: ESTIMATES_SCHEMA,
    EXTRAPOLATION: EXTRAPOLATION_SCHEMA,
    ERROR_SETS: ERROR_SETS_SCHEMA,
    AUDIT_ESTIMATES: AUDIT_ESTIMATES_SCHEMA,
}
"""Every table of a run folder (``audit_estimates`` only once ``singletons audit`` ran)."""


def spark_ddl(schema: pa.Schema) -> str:
    """The DDL string Spark wants for an Arrow schema of strings, integers and booleans.

    Examples
    --------
    >>> spark_ddl(pa.schema([("entity", pa.string()), ("doc_count", pa.int64())]))
    '`entity` string, `doc_count` bigint'
    """
    names = {S: "string", I64: "bigint", B: "boolean", F64: "double"}
    return ", ".join(f"`{f.name}` {names[f.type]}" for f in schema)


def duckdb_nulls(schema: pa.Schema) -> str:
    """The schema as a DuckDB select list of typed nulls: the view of a table with no file.

    Examples
    --------
    >>> duckdb_nulls(pa.schema([("entity", pa.string()), ("doc_count", pa.int64())]))
    'null::varchar as entity, null::bigint as doc_count'
    """
    names = {S: "varchar", I64: "bigint", B: "boolean", F64: "double"}
    return ", ".join(f"null::{names[f.type]} as {f.name}" for f in schema)


class TableWriter(Protocol):
    """Where a stage writes its tables: :class:`singleton_rate.store.RunFolder` is one."""

    def table(self, name: str) -> str: ...

    def work(self, name: str) -> str: ...

    def write_small(
        self, name: str, frame: pd.DataFrame, schema: pa.Schema | None = None
    ) -> None: ...


def columns(name: str) -> list[str]:
    """The column names of the table ``name`` (``KeyError`` for one without a fixed schema)."""
    return list(SCHEMAS[name].names)
