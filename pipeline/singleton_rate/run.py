"""One run: a corpus snapshot through Spark and spaCy to a complete run folder.

The CLI (``singletons run``) and the ``spark-submit`` job (``jobs/run_corpus.py``) both call
:func:`run`, so local mode and a cluster run the same code.

Stages: plan (driver: find inputs, list work units) → read + extract (one Spark pass; the
result lands once in a scratch dataset) → tables (mentions, documents, rejects, facts,
prompts) → frequency-of-frequencies → estimates (driver, on the tiny tables) → manifest →
commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

import singleton_rate
from singleton_rate import count, store
from singleton_rate.config import RunConfig
from singleton_rate.corpus import FieldNames, discover, plan_units
from singleton_rate.corpus.preflight import preflight
from singleton_rate.estimate.errorset import ERROR_SET_COLUMNS, ErrorSet, attribute_error_set
from singleton_rate.estimate.table import (
    ALL,
    Relations,
    add_cluster_columns,
    add_conflicts,
    document_groups_all_scopes,
    estimates_frame,
    freq_of_freq_all_scopes,
    scope_attributes,
)
from singleton_rate.extract.catalog import Catalog, load_catalog
from singleton_rate.extract.model import model_info, resolve_model_name
from singleton_rate.extract.provenance import code_version
from singleton_rate.progress import Progress
from singleton_rate.query import RunSettings, write_catalog
from singleton_rate.spark import (
    EXTRACT_SCHEMA,
    MENTION_FIELDS,
    READ_SCHEMA,
    build_session,
    make_extractor,
    make_reader,
    read_parquet,
    spark_schema,
)

# facts/ as Spark reads it back (``singleton_rate.tally`` writes it; ``attribute`` is the folder).
FACTS_SCHEMA = (
    "entity string, value string, mention_count bigint, doc_count bigint, "
    "value_precision string, entity_text string, value_text string, n_value_surfaces bigint, "
    "attribute string"
)

# Aim for Spark tasks of about this much input: short (cheap to retry) on large corpora.
TARGET_TASK_BYTES = 4 * 1024 * 1024
# On small corpora, up to 16 tasks per core of at least this much, so that the last wave
# leaves no core idle for long (tasks take unequal times: some text holds many facts).
MIN_TASK_BYTES = 256 * 1024
TASKS_PER_CORE = 16


class TooManyRejects(RuntimeError):
    """More of the input was unusable than ``max_reject_rate`` allows."""


def check_reject_rate(per_file: list[dict[str, Any]], max_rate: float) -> None:
    """Fail the run when rejected + failed records exceed ``max_rate`` of records read.

    A corpus is always partly broken, so some rejects are normal; many usually mean a wrong
    field name or format, and a run that silently counted the rest would mislead.
    """
    read = sum(f["records_read"] for f in per_file)
    bad = sum(f["rejected_at_read"] + f["failed"] for f in per_file)
    if read == 0:
        raise TooManyRejects("the input holds no records at all")
    if bad / read > max_rate:
        worst = max(per_file, key=lambda f: f["rejected_at_read"] + f["failed"])
        raise TooManyRejects(
            f"{bad} of {read} records ({bad / read:.1%}) were rejected or failed, above "
            f"max_reject_rate {max_rate:.1%} (most in {worst['file']}); see the reasons with "
            "--max-reject-rate 1 and the rejects table; no run folder was written"
        )


@dataclass(frozen=True, slots=True)
class RunResult:
    """What a finished run hands back to its caller."""

    path: Path
    estimates: pd.DataFrame
    manifest: dict[str, Any]


def audit_sample(mentions: Any, facts: Any, size: int, seed: int) -> Any:
    """A seeded random sample of singleton mentions with their sentences, for a person to read.

    Singletons drive the headline number, and a false or mis-keyed fact is almost always one:
    reading a few hundred of them says what N1 really holds. The order is a hash of each
    mention's identity and the seed, so the same run and seed give the same sample.
    """
    from pyspark.sql import functions as F

    keys = ["entity", "attribute", "value"]
    singles = facts.where(F.col("mention_count") == 1).select(*keys)
    return (
        count.counted(mentions)
        .join(singles, keys)
        .withColumn("_order", F.xxhash64("doc_id", "attribute", "start", F.lit(seed)))
        .orderBy("_order", "doc_id", "start")
        .limit(size)
        .select(
            "entity",
            "attribute",
            "value",
            "entity_text",
            "value_text",
            "sentence",
            "doc_id",
            "location",
            "pattern",
            "resolution",
        )
    )


def extract_tasks(total_bytes: int, cores: int) -> int:
    """How many extraction tasks for ``total_bytes`` of input on ``cores`` cores."""
    balanced = min(math.ceil(total_bytes / MIN_TASK_BYTES), TASKS_PER_CORE * cores)
    return max(1, cores, balanced, math.ceil(total_bytes / TARGET_TASK_BYTES))


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]


def fingerprints(files: list[Any], config: RunConfig, catalog: str) -> dict[str, str]:
    """Short hashes that say whether two runs read the same input with the same settings.

    Input: each file's name, size and modification time (no checksums: reading a terabyte to
    hash it would double a run). Config: every setting that decides the output (not where it
    goes, nor whether it may overwrite), with the catalog's own fingerprint.
    """
    settings = {
        k: v for k, v in config.to_dict().items() if k not in ("out", "overwrite", "inputs")
    }
    return {
        "input": _digest([(f.name, f.size, f.mtime) for f in files]),
        "config": _digest({"settings": settings, "catalog": catalog}),
    }


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
    empty. Both have the columns and types of a normal run's (taken from
    :func:`estimates_frame` on a one-singleton table), so every reader opens them alike.
    """
    pairs = [
        {"scope": ALL, "unit": unit, "key": key, "r": 1, "n_r": 1}
        for key in count.KEYS
        for unit in count.UNITS
    ]
    # One single-valued attribute in scope, so that Theorem 2 applies to the prompt rows and
    # its columns get their types; the model rows' values are never written.
    spans: dict[str, list[str]] = {ALL: sorted(relations.single_valued)[:1]}
    model, model_ext = estimates_frame(
        pd.DataFrame(pairs),
        sizes=dict.fromkeys(spans[ALL], 364),
        spans=spans,
        relations=relations,
        confidence=config.confidence,
        theorem_confidence=config.theorem_confidence,
        calibration_error=config.calibration_error,
    )
    model = add_conflicts(
        model,
        pd.DataFrame(
            columns=[
                "attribute",
                "prompts",
                "conflicting",
                "majority_mentions",
                "conflicting_mentions",
            ]
        ),
        spans,
    )

    def schema(frame: pd.DataFrame) -> pa.Schema:
        fields = pa.Table.from_pandas(frame, preserve_index=False).schema
        # a column null throughout the model rows (sgt_slope: no line fitted) is a number
        return pa.schema(
            f.with_type(pa.float64()) if pa.types.is_null(f.type) else f for f in fields
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
    est_schema = schema(model)
    rows = [
        {
            **{c: r[c] for c in ("scope", "unit", "key", "rate_name") if c in r},
            **{k: v for k, v in known.items() if k in est_schema.names},
        }
        for r in model.to_dict("records")
    ]
    return pa.Table.from_pylist(rows, schema=est_schema), schema(model_ext).empty_table()


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
    folder: store.RunFolder,
    config: RunConfig,
    catalog: Catalog,
    progress: Progress,
    statuses: dict[str, int] | None = None,
) -> Counts:
    """The count and estimate stages on a mentions table: facts, prompts, (r, N_r), estimates.

    Writes ``facts``, ``prompts``, ``freq_of_freq``, ``estimates`` and ``extrapolation`` into
    ``folder``. :func:`run` calls it on the mentions it just wrote; ``bench/count_scale.py``
    on generated ones, so the benchmark measures this very code. One Spark job: the
    mentions shuffled by prompt, each partition counted by one task
    (:func:`singleton_rate.count.tally_mentions`); the rest is driver work on small tables.
    ``statuses``: the mentions by status when the caller has them already
    (:func:`singleton_rate.count.summarize`), else one more small job counts them.
    """
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
        folder.write_small(store.DOCUMENT_GROUPS, groups)

    with progress.step("estimate"):
        sizes = error_sets(config, catalog, totals.values)
        folder.write_small(
            store.ERROR_SETS,
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


def _versions(spark: Any, model: str) -> dict[str, Any]:
    import duckdb
    import pyarrow
    import pyspark

    info = model_info(model)
    jvm_system = spark.sparkContext._jvm.java.lang.System
    return {
        "python": platform.python_version(),
        "java": {
            "version": jvm_system.getProperty("java.version"),
            "home": jvm_system.getProperty("java.home"),
        },
        "spark": spark.version,
        "pyspark": pyspark.__version__,
        "pyarrow": pyarrow.__version__,
        "duckdb": duckdb.__version__,
        "spacy": info.spacy_version,
        "model": {
            "package": info.package,
            "name": info.name,
            "version": info.version,
            "pipeline": list(info.pipeline),
        },
        "singletons": singleton_rate.__version__,
    }


def run(
    config: RunConfig, *, spark: Any | None = None, progress: Progress | None = None
) -> RunResult:
    """Run the whole pipeline for ``config`` and commit a complete run folder.

    ``spark``: an existing session (tests share one); else one is built from the config and
    stopped at the end. Input and output problems are raised before Spark starts.
    """
    config.validate()
    started = dt.datetime.now(dt.UTC)
    files = discover(config.inputs)
    preflight(  # the field names against the first records: fail in seconds, not after a pass
        files,
        FieldNames(config.text_field, config.id_field, config.title_field, config.source_field),
        max_reject_rate=config.max_reject_rate,
    )
    units = plan_units(files)
    catalog = load_catalog(config.relations)
    model = resolve_model_name(config.model)
    folder = store.RunFolder(config.out, overwrite=config.overwrite)
    own_session = spark is None
    progress = progress or Progress()
    try:
        if spark is None:
            with progress.step("session"):
                spark = build_session(
                    config.master,
                    shuffle_partitions=config.shuffle_partitions,
                    arrow_batch_rows=config.arrow_batch_rows,
                    extra_conf=config.spark_conf,
                )
        progress.sc = spark.sparkContext
        result = _run(spark, config, folder, files, units, catalog, model, progress, started)
    except BaseException:
        folder.abort()
        raise
    finally:
        if own_session and spark is not None:
            spark.stop()
    return result


def _run(spark, config, folder, files, units, catalog, model, progress, started) -> RunResult:
    from pyspark.sql import functions as F

    fields = FieldNames(
        text=config.text_field,
        id=config.id_field,
        title=config.title_field,
        source=config.source_field,
    )
    # Runtime settings apply to a session made elsewhere too (tests, spark-submit).
    spark.conf.set("spark.sql.shuffle.partitions", str(config.shuffle_partitions))
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(config.arrow_batch_rows))
    total_bytes = sum(f.size for f in files)
    parallelism = spark.sparkContext.defaultParallelism
    n_tasks = config.extract_partitions or extract_tasks(total_bytes, parallelism)

    with progress.step("read + extract"):
        unit_ids = spark.range(0, len(units), 1, numPartitions=max(1, len(units)))
        read = unit_ids.mapInArrow(
            make_reader(units, fields, config.limit_docs, config.arrow_batch_rows),
            spark_schema(READ_SCHEMA),
        )
        if config.limit_docs is not None:
            read = read.orderBy("unit", "position").limit(config.limit_docs)
        extracted = read.repartition(n_tasks).mapInArrow(
            make_extractor(
                catalog, model, config.spacy_batch_size, config.max_chunk_chars, config.prefilter
            ),
            spark_schema(EXTRACT_SCHEMA),
        )
        extracted.write.partitionBy("kind").parquet(folder.work("extracted"))

    extracted = read_parquet(spark, folder.work("extracted"), spark_schema(EXTRACT_SCHEMA))
    with progress.step("accounting"):
        # Documents per file for the reject check and the manifest, and the mentions by
        # status for the count stage: one DuckDB group-by on the driver, no Spark job.
        per_file, statuses = count.summarize_local(folder.work("extracted"))
    check_reject_rate(per_file, config.max_reject_rate)
    mention_cols = ["doc_id", "source", "file", "location", *(n for n, _ in MENTION_FIELDS)]
    with progress.step("tables"):
        mentions = extracted.where(F.col("kind") == "mention").select(*mention_cols)
        mentions.write.partitionBy("attribute").parquet(folder.table("mentions"))
        (
            extracted.where(F.col("kind") == "doc")
            .select(
                "doc_id",
                "source",
                "file",
                "location",
                "n_chars",
                "n_words",
                "n_sentences",
                "n_chunks",
                "parsed_chars",
                "parsed",
                F.col("reason").alias("error"),
            )
            .write.parquet(folder.table("documents"))
        )
        (
            extracted.where(F.col("reason").isNotNull())
            .select("file", "location", "doc_id", "reason", "detail")
            .write.parquet(folder.table("rejects"))
        )

    mentions_path = folder.table("mentions")
    if not any(Path(mentions_path).rglob("*.parquet")):
        # Nothing extracted: Spark wrote no file. An empty one with the schema (partition
        # column last, as Spark reads it back) lets every reader open mentions/.
        names = [*(c for c in mention_cols if c != "attribute"), "attribute"]
        empty = pa.schema(EXTRACT_SCHEMA.field(n) for n in names).empty_table()
        folder.write_small("mentions", empty.to_pandas(), empty.schema)
    mentions = spark.read.parquet(mentions_path)
    counts = count_and_estimate(
        spark, mentions, folder, config, catalog, progress, statuses=statuses
    )
    estimates, sizes, statuses = counts.estimates, counts.error_sets, counts.statuses

    with progress.step("audit"):
        facts = read_parquet(spark, folder.table("facts"), FACTS_SCHEMA)
        # A few hundred rows: collected in one job (a top-k, no sort of the whole join) and
        # written by the driver, not as a distributed write.
        sample = audit_sample(mentions, facts, config.audit_size, config.audit_seed)
        folder.write_arrow("audit", sample.toArrow())

    documents = {
        k: sum(f[k] for f in per_file)
        for k in (
            "records_read",
            "documents",
            "processed",
            "parsed",
            "failed",
            "rejected_at_read",
            "words",
            "chars",
        )
    }
    manifest = {
        "run_id": folder.run_id,
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "command": sys.argv,
        "inputs": [
            {
                "name": f.name,
                "path": f.path,
                "format": f.format,
                "compression": f.compression,
                "size": f.size,
                "mtime": f.mtime,
            }
            for f in files
        ],
        "input_bytes": total_bytes,
        "fingerprints": fingerprints(files, config, catalog.fingerprint),
        "config": config.to_dict(),
        "versions": _versions(spark, model),
        # the code exactly: "git:<commit>" from a clean checkout, else "source:<sha256>"
        "code_version": code_version(),
        "catalog": catalog.to_dict(),
        "spark": {
            "master": spark.sparkContext.master,
            "default_parallelism": parallelism,
            "work_units": len(units),
            "extract_tasks": n_tasks,
            "count_tasks": len(counts.tasks),
            "count_task_rows_max": max((t["rows"] for t in counts.tasks), default=0),
        },
        "documents": documents,
        "files": per_file,
        "mentions": {"by_status": statuses, "counted_status": count.COUNTED_STATUS},
        "count_units": {
            "mention": "one occurrence per extracted mention",
            "document": "one occurrence per (document, key) pair",
        },
        "keys": {"fact": "(entity, attribute, value)", "prompt": "(entity, attribute)"},
        # |E_c| per attribute as the floor uses it; the rule and the effective size beside it
        # are in the error_sets table.
        "error_set_sizes": {a: e.floor for a, e in sizes.items()},
        "error_set_rules": {a: e.rule for a, e in sizes.items()},
        "estimates_note": NO_FACTS_NOTE if counts.fof.empty else None,
        "timings_s": dict(progress.timings),
    }
    # Views and macros for any DuckDB client, paths relative to the folder (it moves).
    write_catalog(folder.path, RunSettings(rare_max=config.rare_max, confidence=config.confidence))
    folder.write_manifest(manifest)
    path = folder.commit()
    return RunResult(path=path, estimates=estimates, manifest=manifest)
