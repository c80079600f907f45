"""One run: a corpus snapshot through Spark and spaCy to a complete run folder.

The CLI (``singletons run``) and the ``spark-submit`` job (``jobs/run_corpus.py``) both call
:func:`run`, so local mode and a cluster run the same code.

Stages: plan (driver: find inputs, list work units) → read + extract (one Spark pass; the
result lands once in a scratch dataset) → tables (mentions, documents, rejects, facts,
prompts) → frequency-of-frequencies → estimates (driver, on the tiny tables) → manifest →
commit.
"""

from __future__ import annotations

import dataclasses
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

import pipeline
from pipeline import count, store
from pipeline.config import RunConfig
from pipeline.corpus import FieldNames, discover, plan_units
from pipeline.corpus.preflight import preflight
from pipeline.estimate import FreqOfFreq, extrapolate, summarize
from pipeline.extract.catalog import Catalog, load_catalog
from pipeline.extract.model import model_info, resolve_model_name
from pipeline.progress import Progress
from pipeline.query import RunSettings, write_catalog
from pipeline.spark import (
    EXTRACT_SCHEMA,
    MENTION_FIELDS,
    READ_SCHEMA,
    build_session,
    make_extractor,
    make_reader,
    read_parquet,
    spark_schema,
)

# facts/ as Spark reads it back (``pipeline.tally`` writes it; ``attribute`` is the folder).
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


def error_set_sizes(
    config: RunConfig, catalog: Catalog, distinct_values: dict[str, int]
) -> dict[str, int]:
    """|E_c| per observed attribute (:meth:`RunConfig.error_set_size`)."""
    value_types = {r.name: r.value for r in catalog.relations}
    return {
        attr: config.error_set_size(attr, value_types.get(attr, "text"), n)
        for attr, n in sorted(distinct_values.items())
    }


# The order scopes are listed in: the whole corpus first, then its unions, then its parts.
SCOPE_ORDER: dict[str, int] = {"all": 0, "entity_type": 1, "attribute": 2, "source": 3}


def scope_kind(scope: str) -> str:
    return scope.split("=", 1)[0]


def scope_attributes(
    scopes: list[str], sizes: dict[str, int], subject_types: dict[str, str]
) -> dict[str, list[str]]:
    """The attributes each scope spans, which decide its min and max |E_c|.

    ``attribute=X`` spans X; ``entity_type=T`` the attributes whose subject is T; ``all``
    and ``source=…`` every observed attribute.
    """
    spans = {}
    for scope in scopes:
        kind, _, name = scope.partition("=")
        if kind == "attribute":
            spans[scope] = [name]
        elif kind == "entity_type":
            spans[scope] = [a for a in sizes if subject_types.get(a) == name]
        else:
            spans[scope] = list(sizes)
    return spans


def estimates_frame(
    fof: pd.DataFrame, config: RunConfig, sizes: dict[str, int], spans: dict[str, list[str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Estimates (one row per scope, unit, key) and extrapolations (one row per t more).

    ``sizes`` is |E_c| per attribute and ``spans`` the attributes of each scope: a scope's
    floor uses the minimum |E_c| over its attributes and its ceiling the maximum, as
    Theorem 2's ``min_c |E_c|`` and ``max_c |E_c|`` require. Each estimates row also says at
    which corpus size the predicted floor would halve (or first turn positive).
    """
    rows, extra = [], []
    gamma = 1 - config.theorem_confidence
    for (scope, unit, key), group in fof.groupby(["scope", "unit", "key"], sort=True):
        attr_sizes = [sizes[a] for a in spans[scope]]
        e_min, e_max = min(attr_sizes), max(attr_sizes)
        table = FreqOfFreq.from_pairs(zip(group["r"], group["n_r"], strict=True))
        summary = summarize(
            table,
            error_set_min=e_min,
            error_set_max=e_max,
            confidence=config.confidence,
            theorem_confidence=config.theorem_confidence,
            calibration_error=config.calibration_error,
        )
        # Chao1 between N and 2N: Good–Toulmin's alternating sum is erratic on
        # near-complete tables (measured in tests/test_estimate_extrapolate.py).
        ext = extrapolate(
            table,
            error_set_min=e_min,
            error_set_max=e_max,
            gamma=gamma,
            calibration_error=config.calibration_error,
            between="chao1",
        )
        halving = ext.halving
        rows.append(
            {
                "scope": scope,
                "unit": unit,
                "key": key,
                **summary.as_dict(),
                "floor_halving_target": halving.target,
                "floor_halving_found": halving.found,
                "floor_halving_t": halving.t,
                "floor_halving_n": halving.n,
            }
        )
        extra.extend({"scope": scope, "unit": unit, "key": key, **r} for r in ext.as_rows())
    frame = pd.DataFrame(rows)
    if not frame.empty:
        # Scope kinds in SCOPE_ORDER; fact before prompt; mention before document.
        frame["_o"] = frame["scope"].map(lambda s: SCOPE_ORDER.get(scope_kind(s), 9))
        frame = frame.sort_values(
            ["_o", "scope", "key", "unit"], ascending=[True, True, True, False]
        )
        frame = frame.drop(columns="_o").reset_index(drop=True)
    return frame, pd.DataFrame(extra)


def arrow_type(annotation: str) -> pa.DataType:
    """The Arrow type of a dataclass field annotated ``int``, ``float``, ``bool`` or other.

    Examples
    --------
    >>> arrow_type("float | None"), arrow_type("int"), arrow_type("RichnessMethod")
    (DataType(double), DataType(int64), DataType(string))
    """
    head = str(annotation).split("|")[0].strip()
    return {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}.get(head, pa.string())


NO_FACTS_NOTE = (
    "N = 0: no facts were extracted, so nothing can be estimated; the estimates rows hold "
    "N = 0, no rates, and only the trivial bounds (floor 0, ceiling 1)"
)


def empty_estimates(config: RunConfig) -> tuple[pa.Table, pa.Table]:
    """Estimates and extrapolation tables for a run in which no fact was extracted.

    Every estimator needs ``N ≥ 1`` (``N1/N`` is 0/0), so instead of an error the run gets
    one row per unit and key in scope ``all`` saying ``N = 0``: counts 0, rates and
    intervals null, and Theorem 2's trivially valid bounds, floor 0 and ceiling 1, flagged
    uninformative. The extrapolation table is empty. Both carry the columns of a normal run,
    so every reader (DuckDB, pandas, Spark) opens them alike.

    Examples
    --------
    >>> est, ext = empty_estimates(RunConfig())
    >>> est.num_rows, ext.num_rows, est.column("n").to_pylist()
    (4, 0, [0, 0, 0, 0])
    >>> est.column("hallucination_ceiling").to_pylist()
    [1.0, 1.0, 1.0, 1.0]
    """
    from pipeline.estimate import ExtrapolationRow, Summary

    def schema(pairs: list[tuple[str, str]]) -> pa.Schema:
        keys = [(c, pa.string()) for c in ("scope", "unit", "key")]
        return pa.schema(keys + [(n, arrow_type(t)) for n, t in pairs])

    halving = [("target", "str"), ("found", "bool"), ("t", "float"), ("n", "int")]
    est_schema = schema(
        [(f.name, str(f.type)) for f in dataclasses.fields(Summary)]
        + [(f"floor_halving_{n}", t) for n, t in halving]
    )
    known = {
        "n": 0,
        "distinct": 0,
        "n1": 0,
        "n2": 0,
        "missing_mass_low": 0.0,
        "missing_mass_high": 1.0,
        "missing_mass_confidence": config.confidence,
        "hallucination_floor": 0.0,
        "hallucination_ceiling": 1.0,
        "theorem_confidence": config.theorem_confidence,
        "flag_floor_uninformative": True,
        "floor_halving_found": False,
    }
    rows = [
        {"scope": count.ALL, "unit": unit, "key": key, **known}
        for key in count.KEYS
        for unit in count.UNITS
    ]
    extra = schema([(f.name, str(f.type)) for f in dataclasses.fields(ExtrapolationRow)])
    return pa.Table.from_pylist(rows, schema=est_schema), extra.empty_table()


def freq_of_freq_all_scopes(counted: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Every scope's (r, N_r): the counted scopes (each attribute, each source) and the
    unions of attributes (all, each entity type), summed from the attributes' tables."""
    by_attribute = counted[counted["scope"].str.startswith("attribute=")]
    attributes = sorted(s.removeprefix("attribute=") for s in by_attribute["scope"].unique())
    subject_types = {r.name: r.subject for r in catalog.relations}
    groups = {count.ALL: attributes}
    for entity_type in sorted({subject_types.get(a, "ANY") for a in attributes}):
        groups[f"entity_type={entity_type}"] = [
            a for a in attributes if subject_types.get(a, "ANY") == entity_type
        ]
    fof = pd.concat([count.combine_scopes(by_attribute, groups), counted], ignore_index=True)
    fof = fof.astype({"r": "int64", "n_r": "int64"})
    return fof.sort_values(["key", "scope", "unit", "r"], ignore_index=True)


@dataclass(frozen=True, slots=True)
class Counts:
    """What the count and estimate stages hand back (their tables are in the run folder)."""

    fof: pd.DataFrame
    estimates: pd.DataFrame
    extrapolation: pd.DataFrame
    error_set_sizes: dict[str, int]
    statuses: dict[str, int]
    tasks: list[dict[str, Any]]  # one row per count task: rows, facts, prompts, seconds


def count_and_estimate(
    spark: Any,
    mentions: Any,
    folder: store.RunFolder,
    config: RunConfig,
    catalog: Catalog,
    progress: Progress,
) -> Counts:
    """The count and estimate stages on a mentions table: facts, prompts, (r, N_r), estimates.

    Writes ``facts``, ``prompts``, ``freq_of_freq``, ``estimates`` and ``extrapolation`` into
    ``folder``. :func:`run` calls it on the mentions it just wrote; ``bench/count_scale.py``
    on generated ones, so the benchmark measures this very code. One Spark job: the
    mentions shuffled by prompt, each partition counted by one task
    (:func:`pipeline.count.tally_mentions`); the rest is driver work on small tables.
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
        fof = freq_of_freq_all_scopes(totals.fof.to_pandas(), catalog)
        statuses = count.statuses(mentions)
        folder.write_small("freq_of_freq", fof)

    with progress.step("estimate"):
        sizes = error_set_sizes(config, catalog, totals.distinct_values)
        subject_types = {r.name: r.subject for r in catalog.relations}
        spans = scope_attributes(sorted(fof["scope"].unique()), sizes, subject_types)
        if fof.empty:  # nothing extracted: N = 0 rows, not an estimator's error
            est_table, ext_table = empty_estimates(config)
            estimates, extrapolation = est_table.to_pandas(), ext_table.to_pandas()
            folder.write_small("estimates", estimates, est_table.schema)
            folder.write_small("extrapolation", extrapolation, ext_table.schema)
        else:
            estimates, extrapolation = estimates_frame(fof, config, sizes, spans)
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
        "singletons": pipeline.__version__,
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
    try:
        if spark is None:
            spark = build_session(
                config.master,
                shuffle_partitions=config.shuffle_partitions,
                arrow_batch_rows=config.arrow_batch_rows,
                extra_conf=config.spark_conf,
            )
        progress = progress or Progress(spark.sparkContext)
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
    per_file = count.accounting(extracted)
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
    counts = count_and_estimate(spark, mentions, folder, config, catalog, progress)
    estimates, sizes, statuses = counts.estimates, counts.error_set_sizes, counts.statuses

    with progress.step("audit"):
        facts = read_parquet(spark, folder.table("facts"), FACTS_SCHEMA)
        audit_sample(mentions, facts, config.audit_size, config.audit_seed).write.parquet(
            folder.table("audit")
        )

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
        "error_set_sizes": sizes,
        "estimates_note": NO_FACTS_NOTE if counts.fof.empty else None,
        "timings_s": dict(progress.timings),
    }
    # Views and macros for any DuckDB client, paths relative to the folder (it moves).
    write_catalog(folder.path, RunSettings(rare_max=config.rare_max, confidence=config.confidence))
    folder.write_manifest(manifest)
    path = folder.commit()
    return RunResult(path=path, estimates=estimates, manifest=manifest)
