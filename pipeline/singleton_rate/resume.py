"""Resumable extraction: the read + extract pass in chunks of work units, each kept once done.

Extraction is the expensive stage (spaCy over every document); a run that dies after it, or
during it (a crash, Ctrl-C, a lost driver), should not have to do the finished part again.
So the pass runs as a sequence of Spark jobs, one per *chunk*: consecutive work units (files,
Parquet row groups) of about ``chunk_bytes`` of input. Each chunk's rows are written to a
pending folder and renamed into ``.OUT.extract/chunk=c<key>/`` only when complete, so a
chunk folder is either whole or absent. The cache sits beside the run folder, outside its
temporary folder (which a failed run removes and the next run clears as stale), and is
removed when the run commits.

``singletons run … --resume`` keeps the chunks whose key matches and extracts the rest:

- a chunk's key is a hash of its units (file name, size, modification time, row group), so
  a changed or added file changes only the chunks that hold it;
- the cache's ``_settings.json`` holds every setting that decides what extraction writes
  (:func:`extraction_settings`: fields, limit, chunking, prefilter, catalog fingerprint,
  spaCy model and package versions); when one changed, the cache is dropped and extraction
  starts afresh, said in one line.

Without ``--resume`` a leftover cache is dropped (said in one line). The rows of a document
do not depend on which chunk or task extracted it, so the final tables equal an
uninterrupted run's (``tests/test_resume.py`` kills a run mid-extraction and compares).
With ``--limit-docs`` the first N records are taken across all units, so the pass is one
chunk.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from singleton_rate.config import RunConfig
from singleton_rate.corpus import WorkUnit
from singleton_rate.progress import ExtractMeter, Progress
from singleton_rate.version import __version__

# Chunks of at least this much input (small corpora: one chunk, the single pass of before),
# and no more than MAX_CHUNKS of them: each is one Spark job, whose last wave leaves cores
# idle while its slowest task finishes.
MIN_CHUNK_BYTES = 64 * 1024 * 1024
MAX_CHUNKS = 256
SETTINGS = "_settings.json"  # "_": not a data file to Spark
PENDING = "_pending"  # Spark and the DuckDB accounting skip names starting with "_"
CHUNK_PREFIX = "chunk=c"  # a letter first: Spark infers the partition value as a string


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive work units extracted by one Spark job and kept as one folder."""

    units: tuple[WorkUnit, ...]
    key: str
    bytes: int

    @property
    def folder(self) -> str:
        return f"{CHUNK_PREFIX}{self.key}"


def unit_bytes(unit: WorkUnit) -> int:
    """The input a unit reads: its file, or its share of a Parquet file's row groups."""
    return math.ceil(unit.file.size / max(1, unit.n_parts))


def chunk_bytes(total_bytes: int, configured: int | None = None) -> int:
    """The target input per chunk: ``configured``, else at least :data:`MIN_CHUNK_BYTES` and
    at most :data:`MAX_CHUNKS` chunks.

    Examples
    --------
    >>> chunk_bytes(10**6) == MIN_CHUNK_BYTES, chunk_bytes(10**6, configured=4096)
    (True, 4096)
    >>> chunk_bytes(10**12) == math.ceil(10**12 / MAX_CHUNKS)
    True
    """
    if configured is not None:
        return configured
    return max(MIN_CHUNK_BYTES, math.ceil(total_bytes / MAX_CHUNKS))


def plan_chunks(units: Sequence[WorkUnit], target: int, *, single: bool = False) -> list[Chunk]:
    """Consecutive units grouped into chunks of at least ``target`` bytes (the last may be
    smaller); ``single``: all units in one chunk (``--limit-docs`` limits across units).

    A chunk's key hashes its units' identities, so the same units give the same key in any
    run, and a file added at the end of the inputs leaves the earlier chunks' keys alone.
    """
    groups: list[list[WorkUnit]] = []
    size = 0
    for unit in units:
        if not groups or (size >= target and not single):
            groups.append([])
            size = 0
        groups[-1].append(unit)
        size += unit_bytes(unit)
    return [
        Chunk(
            units=tuple(g),
            key=_digest([(u.file.name, u.file.size, u.file.mtime, u.part, u.n_parts) for u in g]),
            bytes=sum(unit_bytes(u) for u in g),
        )
        for g in groups
    ]


def extraction_settings(
    config: RunConfig, catalog_fingerprint: str, model: dict[str, Any], package: str
) -> dict[str, Any]:
    """Everything that decides the rows extraction writes, beside the units themselves.

    Not here, so free to change on resume: Spark and partitioning settings, the reject
    threshold (checked after extraction), and the count and estimate settings.
    """
    return {
        "text_field": config.text_field,
        "id_field": config.id_field,
        "title_field": config.title_field,
        "source_field": config.source_field,
        "limit_docs": config.limit_docs,
        "extract_chunk_bytes": config.extract_chunk_bytes,
        "max_chunk_chars": config.max_chunk_chars,
        "prefilter": config.prefilter,
        "spacy_batch_size": config.spacy_batch_size,
        "catalog": catalog_fingerprint,
        "model": {k: model.get(k) for k in ("name", "version")},
        "singletons": package,
    }


def first_difference(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """``"NAME: OLD → NEW"`` for the first setting that differs, or None.

    Examples
    --------
    >>> first_difference({"prefilter": "sentence"}, {"prefilter": "off"})
    "prefilter: 'sentence' → 'off'"
    >>> first_difference({"a": 1}, {"a": 1}) is None
    True
    """
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            return f"{name}: {old.get(name)!r} → {new.get(name)!r}"
    return None


def cache_folder(final: str | Path) -> Path:
    """Where a run's finished chunks wait: ``.NAME.extract`` beside the run folder (not a
    ``.NAME.*-*`` name, so stale-folder clearing leaves it alone)."""
    final = Path(final).absolute()
    return final.parent / f".{final.name}.extract"


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the chunked pass hands back: the dataset to read and what it did."""

    path: str  # the extracted rows, partitioned by chunk and kind
    chunks: int
    reused: int
    tasks: int  # extraction tasks over all chunks (reused ones counted as they ran)


def prepare(
    final: str | Path,
    settings: dict[str, Any],
    *,
    resume: bool,
    say: Callable[[str], None],
) -> Path:
    """The cache folder for this run, with what may be reused kept and the rest dropped."""
    cache = cache_folder(final)
    old: dict[str, Any] | None = None
    if cache.is_dir():
        try:
            old = json.loads((cache / SETTINGS).read_text("utf-8"))
        except (OSError, ValueError):
            old = None
    if cache.exists():
        if not resume:
            say(f"dropping the extraction an interrupted run left in {cache} (--resume reuses it)")
            shutil.rmtree(cache)
        elif old is None:
            say(f"resume: {cache} holds no settings: extracting afresh")
            shutil.rmtree(cache)
        elif (changed := first_difference(old, settings)) is not None:
            say(f"resume: {changed} since the interrupted run: extracting afresh")
            shutil.rmtree(cache)
    elif resume:
        say(f"resume: no interrupted run of {final} to continue: extracting everything")
    cache.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(cache / PENDING, ignore_errors=True)
    tmp = cache / f".{SETTINGS}.tmp"
    tmp.write_text(json.dumps(settings, indent=2, sort_keys=True, default=str) + "\n", "utf-8")
    os.replace(tmp, cache / SETTINGS)
    return cache


def extract_chunks(
    cache: Path,
    chunks: Sequence[Chunk],
    extract: Callable[[Chunk, str], int],
    say: Callable[[str], None] | None = None,
) -> Extraction:
    """Run ``extract(chunk, folder)`` for every chunk not already in ``cache``.

    ``extract`` writes the chunk's rows into ``folder`` and returns its task count. Chunk
    folders of the cache that are not in ``chunks`` (their units changed) are removed first,
    so that the dataset read afterwards holds exactly the planned chunks. ``say``: told
    how many chunks are reused, when any are.
    """
    planned = {c.folder for c in chunks}
    for stale in cache.glob(f"{CHUNK_PREFIX}*"):
        if stale.name not in planned:
            shutil.rmtree(stale)
    kept = sum((cache / c.folder).is_dir() for c in chunks)
    if say is not None and kept:
        say(f"resume: {kept} of {len(chunks)} extraction chunks done already; extracting the rest")
    reused = tasks = 0
    for chunk in chunks:
        done = cache / chunk.folder
        if done.is_dir():
            reused += 1
            tasks += _tasks(done)
            continue
        pending = cache / PENDING / chunk.key
        shutil.rmtree(pending, ignore_errors=True)
        pending.parent.mkdir(parents=True, exist_ok=True)
        n = extract(chunk, str(pending))
        (pending / "_tasks").write_text(f"{n}\n")
        os.replace(pending, done)  # whole or absent: a killed job leaves only _pending
        tasks += n
    shutil.rmtree(cache / PENDING, ignore_errors=True)
    return Extraction(path=str(cache), chunks=len(chunks), reused=reused, tasks=tasks)


def _tasks(folder: Path) -> int:
    try:
        return int((folder / "_tasks").read_text().strip())
    except (OSError, ValueError):
        return 0


def finish(final: str | Path) -> None:
    """The run is committed: its chunks are in its tables, the cache can go."""
    shutil.rmtree(cache_folder(final), ignore_errors=True)


def stderr_line(text: str) -> None:
    print(f"singletons: {text}", file=sys.stderr, flush=True)


def extract_resumable(
    spark: Any,
    units: Sequence[WorkUnit],
    fields: Any,
    catalog: Any,
    model: str,
    config: RunConfig,
    final: str | Path,
    *,
    resume: bool,
    say: Callable[[str], None] = stderr_line,
    progress: Progress | None = None,
) -> Extraction:
    """The read + extract pass of :func:`singleton_rate.run.run`, chunk by chunk, each
    chunk one :func:`singleton_rate.spark.read_and_extract` job of its own task count.

    ``progress``: shown the documents and bytes of the chunks to extract (not the reused
    ones), counted by Spark accumulators in the tasks.
    """
    from singleton_rate.extract.model import model_info
    from singleton_rate.spark import Counters, extract_tasks, read_and_extract

    info = model_info(model)
    settings = extraction_settings(
        config,
        catalog.fingerprint,
        {"name": info.name, "version": info.version},
        __version__,
    )
    cache = prepare(final, settings, resume=resume, say=say)
    total = sum(unit_bytes(u) for u in units)
    chunks = plan_chunks(
        units, chunk_bytes(total, config.extract_chunk_bytes), single=config.limit_docs is not None
    )
    parallelism = spark.sparkContext.defaultParallelism
    counters = Counters.create(spark.sparkContext)
    todo = [c for c in chunks if not (cache / c.folder).is_dir()]
    meter = ExtractMeter(
        [(c.bytes, len(c.units)) for c in todo], limit=config.limit_docs, tally=counters.tally
    )
    if progress is not None:
        progress.measure(meter)

    def extract(chunk: Chunk, folder: str) -> int:
        tasks = config.extract_partitions or extract_tasks(chunk.bytes, parallelism)
        meter.begin()
        read_and_extract(
            spark, chunk.units, fields, catalog, model, config, tasks, folder, counters
        )
        meter.end()
        return tasks

    return extract_chunks(cache, chunks, extract, say=say if resume else None)
