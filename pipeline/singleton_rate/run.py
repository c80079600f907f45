"""One run: a corpus snapshot through Spark and spaCy to a complete run folder.

The CLI (``singletons run``) and the ``spark-submit`` job (``jobs/run_corpus.py``) both call
:func:`run`, so local mode and a cluster run the same code. It only orders the stages, as
the README's diagram does; each stage lives in its own room:

plan (driver: :mod:`singleton_rate.corpus` finds inputs and work units) → read + extract (one
Spark pass, :func:`singleton_rate.spark.read_and_extract`; the rows land once in a scratch
dataset) → accounting and the tables mentions, documents, rejects
(:func:`singleton_rate.spark.write_tables`) → count and estimate
(:func:`singleton_rate.estimate.stage.count_and_estimate`) → audit sample → manifest
(:func:`singleton_rate.contract.build_manifest`) → commit (:mod:`singleton_rate.store`).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from singleton_rate import count, store
from singleton_rate.config import RunConfig
from singleton_rate.contract import (
    AUDIT,
    EXTRACT_SCHEMA,
    FACTS,
    FACTS_SCHEMA,
    MENTIONS,
    RunSettings,
    build_manifest,
    spark_ddl,
)
from singleton_rate.corpus import FieldNames, discover, plan_units
from singleton_rate.corpus.preflight import preflight
from singleton_rate.estimate.stage import NO_FACTS_NOTE, count_and_estimate
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.model import resolve_model_name
from singleton_rate.extract.provenance import code_version
from singleton_rate.progress import Progress
from singleton_rate.query import write_catalog
from singleton_rate.resume import extract_resumable
from singleton_rate.resume import finish as finish_extraction
from singleton_rate.spark import (
    read_parquet,
    runtime_versions,
    session_for,
    write_tables,
)
from singleton_rate.split import scratch_files, splits_locally, write_tables_local


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


def run(
    config: RunConfig,
    *,
    spark: Any | None = None,
    progress: Progress | None = None,
    resume: bool = False,
) -> RunResult:
    """Run the whole pipeline for ``config`` and commit a complete run folder.

    ``spark``: an existing session (tests share one); else one is built from the config and
    stopped at the end. Input and output problems are raised before Spark starts.
    ``resume``: reuse the extraction chunks an interrupted run of the same ``out`` finished
    (:mod:`singleton_rate.resume`).
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
    progress = progress or Progress()
    try:
        with session_for(config, spark, progress, preload_model=model) as session:
            return _run(
                session, config, folder, files, units, catalog, model, progress, started, resume
            )
    except BaseException:
        folder.abort()
        raise


def _run(
    spark, config, folder, files, units, catalog, model, progress, started, resume
) -> RunResult:
    fields = FieldNames(
        text=config.text_field,
        id=config.id_field,
        title=config.title_field,
        source=config.source_field,
    )
    parallelism = spark.sparkContext.defaultParallelism

    with progress.step("read + extract"):
        # In chunks of work units, kept beside the run folder until it commits, so that a
        # run that dies can be continued with --resume.
        extraction = extract_resumable(
            spark,
            units,
            fields,
            catalog,
            model,
            config,
            folder.final,
            resume=resume,
            progress=progress,
        )
    scratch = extraction.path
    with progress.step("accounting"):
        # Documents per file for the reject check and the manifest, and the mentions by
        # status for the count stage: one DuckDB group-by on the driver, no Spark job.
        per_file, statuses = count.summarize_local(scratch)
    try:
        check_reject_rate(per_file, config.max_reject_rate)
    except TooManyRejects:
        finish_extraction(folder.final)  # a refused input: nothing worth resuming
        raise
    with progress.step("tables"):
        # Small runs on the driver (DuckDB: no job to schedule), large ones as Spark writes.
        scratch_parts = scratch_files(scratch)
        tables_by = "driver" if splits_locally(scratch_parts) else "spark"
        if tables_by == "driver":
            write_tables_local(scratch_parts, folder)
        else:
            write_tables(read_parquet(spark, scratch, spark_ddl(EXTRACT_SCHEMA)), folder)

    mentions = spark.read.parquet(folder.table(MENTIONS))
    counts = count_and_estimate(
        spark, mentions, folder, config, catalog, progress, statuses=statuses
    )

    with progress.step("audit"):
        facts = read_parquet(spark, folder.table(FACTS), spark_ddl(FACTS_SCHEMA))
        # A few hundred rows: collected in one job (a top-k, no sort of the whole join) and
        # written by the driver, not as a distributed write.
        sample = count.audit_sample(mentions, facts, config.audit_size, config.audit_seed)
        folder.write_arrow(AUDIT, sample.toArrow())

    manifest = build_manifest(
        run_id=folder.run_id,
        started=started,
        command=sys.argv,
        files=files,
        config=config.to_dict(),
        catalog=catalog.to_dict(),
        versions=runtime_versions(spark, model),
        code_version=code_version(),
        spark={
            "master": spark.sparkContext.master,
            "default_parallelism": parallelism,
            "work_units": len(units),
            "extract_tasks": extraction.tasks,
            "extract_chunks": extraction.chunks,
            "extract_chunks_reused": extraction.reused,
            "tables_written_by": tables_by,
            "count_tasks": len(counts.tasks),
            "count_task_rows_max": max((t["rows"] for t in counts.tasks), default=0),
        },
        per_file=per_file,
        statuses=counts.statuses,
        error_sets=counts.error_sets,
        estimates_note=NO_FACTS_NOTE if counts.fof.empty else None,
        timings=progress.timings,
    )
    # Views and macros for any DuckDB client, paths relative to the folder (it moves).
    write_catalog(folder.path, RunSettings(rare_max=config.rare_max, confidence=config.confidence))
    folder.write_manifest(manifest)
    path = folder.commit()
    finish_extraction(path)
    return RunResult(path=path, estimates=counts.estimates, manifest=manifest)
