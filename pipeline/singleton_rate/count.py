"""Counting in Spark: mentions shuffled by prompt, each partition counted in one task.

Spark moves every mention of a prompt to one partition; :mod:`singleton_rate.tally` counts that
partition (facts and prompts by mention and by document) and writes its files. Only small
tables reach the driver: per-task summaries, the (r, N_r) rows and distinct values that the
tasks leave in a scratch folder, and mentions by status. Only ``asserted`` mentions are counted:
negated, hedged and unkeyed ones stay in ``mentions/`` for inspection.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from singleton_rate.contract import AUDIT_SCHEMA, COUNTED_STATUS

if TYPE_CHECKING:
    from singleton_rate.tally import Totals


def counted(mentions: DataFrame) -> DataFrame:
    """The mentions that count as fact occurrences."""
    return mentions.where(F.col("status") == COUNTED_STATUS)


def audit_sample(mentions: Any, facts: Any, size: int, seed: int) -> Any:
    """A seeded random sample of singleton mentions with their sentences, for a person to read.

    Singletons drive the headline number, and a false or mis-keyed fact is almost always one:
    reading a few hundred of them says what N1 really holds. The order is a hash of each
    mention's identity and the seed, so the same run and seed give the same sample.
    """
    keys = ["entity", "attribute", "value"]
    singles = facts.where(F.col("mention_count") == 1).select(*keys)
    return (
        counted(mentions)
        .join(singles, keys)
        .withColumn("_order", F.xxhash64("doc_id", "attribute", "start", F.lit(seed)))
        .orderBy("_order", "doc_id", "start")
        .limit(size)
        .select(*AUDIT_SCHEMA.names)
    )


# Aim for count tasks of about this much mentions Parquet (~1M mentions, a few hundred MB in
# a task's memory while it counts), and no more tasks than that on small runs.
TARGET_COUNT_TASK_BYTES = 48 * 1024 * 1024
# Mentions per Arrow batch from Spark into a count task.
COUNT_BATCH_ROWS = 65_536
# DuckDB's memory in one count task before it spills to disk.
COUNT_TASK_MEMORY = "2GB"

# What each count task hands back to the driver (its files are already written).
TASK_SCHEMA = (
    "partition bigint, rows bigint, counted bigint, facts bigint, prompts bigint, seconds double"
)


def count_partitions(mentions: DataFrame, minimum: int = 1) -> int:
    """How many count tasks: one per :data:`TARGET_COUNT_TASK_BYTES` of mentions Parquet.

    A tiny run gets one task (each task has a fixed cost); files Spark cannot size on this
    machine (a remote file system) fall back to ``minimum``.
    """
    size = 0
    for uri in mentions.inputFiles():
        path = uri.removeprefix("file://").removeprefix("file:")
        try:
            size += os.path.getsize(path)
        except OSError:
            return max(1, minimum)
    tasks = math.ceil(size / TARGET_COUNT_TASK_BYTES)
    if tasks <= 1:
        return 1
    # A whole number of waves: the last one does not leave cores idle.
    cores = mentions.sparkSession.sparkContext.defaultParallelism
    return math.ceil(tasks / cores) * cores


def make_tally_task(
    facts_dir: str, prompts_dir: str, stats_dir: str, by_source: bool, memory: str
) -> Any:
    """The ``mapInArrow`` function that counts one partition (:func:`.tally.tally`)."""

    def task(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from pyspark import TaskContext

        from singleton_rate import tally

        start = time.perf_counter()
        context = TaskContext.get()
        index = context.partitionId() if context is not None else 0
        part = f"part-{index:05d}"
        spill = os.path.join(tempfile.gettempdir(), f"singletons-count-{os.getpid()}-{index}")
        try:
            result = tally.tally(
                tally.as_table(batches),
                facts_dir,
                prompts_dir,
                part,
                by_source=by_source,
                memory_limit=memory,
                temp_dir=spill,
            )
            tally.write_stats(result, stats_dir, part)
        finally:
            shutil.rmtree(spill, ignore_errors=True)
        yield pa.RecordBatch.from_pylist(
            [
                {
                    "partition": index,
                    "rows": result.rows,
                    "counted": result.counted,
                    "facts": result.facts,
                    "prompts": result.prompts,
                    "seconds": time.perf_counter() - start,
                }
            ]
        )

    return task


def tally_mentions(
    mentions: DataFrame,
    facts_dir: str,
    prompts_dir: str,
    stats_dir: str,
    *,
    partitions: int,
    by_source: bool,
    memory: str = COUNT_TASK_MEMORY,
) -> tuple[Totals, list[dict[str, Any]]]:
    """Count every mention into facts and prompts files, in one shuffle.

    The mentions are hash-partitioned by prompt ``(attribute, entity)``: every mention of a
    prompt, and so of each of its facts, lands in one partition, which one task counts
    completely (:func:`singleton_rate.tally.tally`) and writes as ``attribute=X/part-N.parquet``.
    Returns the partitions' stats added up, and one row per task (rows, time).
    """
    from singleton_rate.tally import MENTION_COLUMNS, read_stats

    for folder in (facts_dir, prompts_dir):
        os.makedirs(folder, exist_ok=True)
    # Only what is counted crosses the shuffle: asserted mentions, and sources only when
    # counted per source.
    columns = [
        F.col(c) if c != "source" or by_source else F.lit(None).cast("string").alias(c)
        for c in MENTION_COLUMNS
    ]
    keyed = counted(mentions).select(*columns).repartition(partitions, "attribute", "entity")
    task = make_tally_task(facts_dir, prompts_dir, stats_dir, by_source, memory)
    spark = mentions.sparkSession
    key = "spark.sql.execution.arrow.maxRecordsPerBatch"
    before = spark.conf.get(key, None)
    # Large batches into the task: per-batch costs, not rows, dominate small ones.
    spark.conf.set(key, str(COUNT_BATCH_ROWS))
    try:
        tasks = [r.asDict() for r in keyed.mapInArrow(task, TASK_SCHEMA).collect()]
    finally:
        if before is None:
            spark.conf.unset(key)
        else:
            spark.conf.set(key, before)
    return read_stats(stats_dir), sorted(tasks, key=lambda t: t["partition"])


def statuses(mentions: DataFrame) -> dict[str, int]:
    """Mentions by status (only ``asserted`` ones are counted)."""
    rows = mentions.groupBy("status").agg(F.count(F.lit(1)).alias("n")).collect()
    return {r["status"]: int(r["n"]) for r in rows if r["status"] is not None}


ACCOUNTING_FIELDS: tuple[str, ...] = (
    "documents",
    "processed",
    "parsed",
    "failed",
    "words",
    "chars",
    "rejected_at_read",
)


def fold_summary(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Per-file accounting and mentions by status from the rows of :func:`summarize`.

    Each row is one ``(file, kind, status)`` group of the extracted dataset with ``rows``
    (its size), ``ok`` (rows without a ``reason``), ``parsed``, ``words`` and ``chars``.
    A file is listed once it has a document or a reject; ``records_read`` = documents +
    rejected at read; ``failed`` = documents with a reason (an extraction error).

    Examples
    --------
    >>> rows = [
    ...     dict(file="a", kind="doc", status=None, rows=3, ok=2, parsed=1, words=30, chars=90),
    ...     dict(file="a", kind="reject", status=None, rows=1, ok=0, parsed=0, words=0, chars=0),
    ...     dict(file="a", kind="mention", status="asserted", rows=4, ok=4, parsed=0, words=0,
    ...          chars=0),
    ...     dict(file="b", kind="mention", status="negated", rows=1, ok=1, parsed=0, words=0,
    ...          chars=0),
    ... ]
    >>> per_file, statuses = fold_summary(rows)
    >>> per_file == [dict(documents=3, processed=2, parsed=1, failed=1, words=30, chars=90,
    ...                   rejected_at_read=1, file="a", records_read=4)]
    True
    >>> statuses
    {'asserted': 4, 'negated': 1}
    """
    files: dict[str | None, dict[str, int]] = {}
    statuses: dict[str, int] = {}
    for r in rows:
        n = int(r["rows"] or 0)
        if r["kind"] == "mention":
            if r["status"] is not None:
                statuses[r["status"]] = statuses.get(r["status"], 0) + n
            continue
        if r["kind"] not in ("doc", "reject"):
            continue
        d = files.setdefault(r["file"], dict.fromkeys(ACCOUNTING_FIELDS, 0))
        if r["kind"] == "reject":
            d["rejected_at_read"] += n
            continue
        ok = int(r["ok"] or 0)
        d["documents"] += n
        d["processed"] += ok
        d["failed"] += n - ok
        d["parsed"] += int(r["parsed"] or 0)
        d["words"] += int(r["words"] or 0)
        d["chars"] += int(r["chars"] or 0)
    out = []
    for file in sorted(files, key=lambda f: f or ""):
        d: dict[str, Any] = dict(files[file])
        d["file"] = file
        d["records_read"] = d["documents"] + d["rejected_at_read"]
        out.append(d)
    return out, dict(sorted(statuses.items()))


def summarize(extracted: DataFrame) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Per-file accounting and mentions by status, in one small aggregation (one job).

    Per input file: documents read, processed, parsed, failed, words, characters and records
    rejected at read; and the mentions by status (only ``asserted`` ones are counted). One
    group-by over ``(file, kind, status)`` answers both; :func:`fold_summary` adds it up.
    """
    rows = (
        extracted.groupBy("file", "kind", "status")
        .agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum(F.when(F.col("reason").isNull(), 1).otherwise(0)).alias("ok"),
            F.sum(F.when(F.col("parsed"), 1).otherwise(0)).alias("parsed"),
            F.sum("n_words").alias("words"),
            F.sum("n_chars").alias("chars"),
        )
        .collect()
    )
    return fold_summary([r.asDict() for r in rows])


SUMMARY_SQL = """
select file, kind, status, count(*) as rows,
       sum(case when reason is null then 1 else 0 end) as ok,
       sum(case when parsed then 1 else 0 end) as parsed,
       sum(n_words) as words, sum(n_chars) as chars
from read_parquet($files, hive_partitioning = true, union_by_name = true)
group by all
"""


def summarize_local(folder: str) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """:func:`summarize` of an extracted dataset the driver can read: DuckDB, no Spark job.

    The run folder is on a file system the driver writes (:class:`singleton_rate.store.RunFolder`),
    so its scratch dataset is too; the group-by reads seven small columns, which costs less
    than a Spark job's scheduling and shuffle on small and medium runs.
    """
    import glob

    import duckdb

    files = sorted(glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True))
    if not files:
        return fold_summary([])
    con = duckdb.connect()
    try:
        cur = con.execute(SUMMARY_SQL, {"files": files})
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()
    return fold_summary(rows)


def accounting(extracted: DataFrame) -> list[dict[str, Any]]:
    """Per input file: documents read, processed, parsed, failed; records rejected at read."""
    return summarize(extracted)[0]
