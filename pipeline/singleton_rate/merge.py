"""``singletons merge``: runs over disjoint document sets combined into one run.

Shards of one snapshot, or a new crawl beside an old one, are extracted separately; the
merged run has the tables and estimates a single run over the union would have had.

What adds up and what does not:

- ``mentions``, ``documents`` and ``rejects`` are per statement, document or record: the
  merged tables are the runs' files side by side (copied, byte for byte).
- ``facts`` and ``prompts`` are not additive: ``doc_count`` (distinct documents) would be,
  as the documents are disjoint, but ``n_value_surfaces``, ``n_values``, the representative
  surfaces, the (r, N_r) table, the distinct values behind |E_c|, the conflicts and the
  jackknife's per-group sums (a key's singleton-ness depends on all its documents) must
  be rebuilt from the merged counts. So the count and estimate stages run again, the very
  code of a run (:func:`singleton_rate.run.count_and_estimate`), over the merged mentions:
  every mention of a key meets the others in one count task. Documents are assigned to
  jackknife groups by a hash of their id alone (:func:`singleton_rate.estimate.cluster.
  group_sql`), so a document lands in the same group whichever run read it.
- The audit sample is the top of a hash order over the *merged* singletons (a singleton of
  one run may not be one of the union), so it is drawn again
  (:func:`singleton_rate.run.audit_sample`).
- Accounting (documents read, processed, … per file; mentions by status) adds up: the
  manifests' numbers are summed and the per-file lists joined.

Extraction, the expensive part, is never redone: merging costs a count stage.

Runs are refused (one-line :class:`MergeError`) when they differ in what decides the
counts or estimates: the catalog (its fingerprint), the spaCy model or the package version,
or a setting of :data:`MUST_MATCH`; when they share an input file name; and when a document
id appears in more than one of them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import duckdb

from singleton_rate import store
from singleton_rate.config import RunConfig
from singleton_rate.contract import (
    AUDIT,
    DOCUMENTS,
    FACTS,
    FACTS_SCHEMA,
    MANIFEST,
    MENTIONS,
    REJECTS,
    RunSettings,
    build_manifest,
    spark_ddl,
)
from singleton_rate.progress import Progress
from singleton_rate.query import write_catalog
from singleton_rate.sqltext import sql_literal

if TYPE_CHECKING:  # run.py loads the Spark glue: only merge() itself needs it
    from singleton_rate.run import RunResult


class MergeError(ValueError):
    """Runs that cannot be merged into one, with what differs."""


# RunConfig fields that decide extraction, keying, counting or estimation: runs must agree.
MUST_MATCH: tuple[str, ...] = (
    "text_field",
    "id_field",
    "title_field",
    "source_field",
    "max_chunk_chars",
    "prefilter",
    "confidence",
    "theorem_confidence",
    "calibration_error",
    "error_set_sizes",
    "rare_max",
    "audit_size",
    "audit_seed",
)
# RunConfig fields that only say how a run was executed, or are checked otherwise: ``model``
# and ``relations`` through what they resolved to (the model's name and version, the
# catalog's fingerprint), ``limit_docs`` through the documents actually read.
NOT_COMPARED: tuple[str, ...] = (
    "inputs",
    "out",
    "overwrite",
    "limit_docs",
    "max_reject_rate",
    "master",
    "shuffle_partitions",
    "extract_partitions",
    "count_partitions",
    "extract_chunk_bytes",
    "arrow_batch_rows",
    "spark_conf",
    "spacy_batch_size",
    "model",
    "relations",
)
# Tables made of per-statement, per-document or per-record rows: the runs' files are joined.
COPIED_TABLES: tuple[str, ...] = (MENTIONS, DOCUMENTS, REJECTS)


@dataclass(frozen=True, slots=True)
class SourceRun:
    """A complete run folder to merge, with its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def label(self) -> str:
        return str(self.path)


def load_runs(paths: list[str] | tuple[str, ...]) -> list[SourceRun]:
    """The run folders named, each complete (its manifest written), none named twice."""
    if len(paths) < 2:
        raise MergeError(f"merge needs at least two runs, got {len(paths)}")
    runs: list[SourceRun] = []
    seen: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw).absolute()
        real = path.resolve()
        if real in seen:
            raise MergeError(f"{raw}: named twice (also as {seen[real]})")
        seen[real] = raw
        manifest_path = path / MANIFEST
        if not manifest_path.is_file():
            raise MergeError(f"{raw}: not a complete run folder (no {MANIFEST})")
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise MergeError(f"{raw}: cannot read {MANIFEST}: {exc}") from exc
        missing = [t for t in COPIED_TABLES if not (path / t).is_dir()]
        if missing:
            raise MergeError(f"{raw}: run folder lacks {', '.join(missing)}")
        runs.append(SourceRun(path, manifest))
    return runs


def _get(run: SourceRun, *keys: str) -> Any:
    value: Any = run.manifest
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise MergeError(
                f"{run.label}: manifest has no {'.'.join(keys)} (made by an older version?)"
            )
        value = value[key]
    return value


def _differ(what: str, runs: list[SourceRun], values: list[Any]) -> None:
    """Raise naming the first run whose ``what`` is not the first run's."""
    for run, value in zip(runs[1:], values[1:], strict=True):
        if value != values[0]:
            raise MergeError(
                f"cannot merge: {what} differs: {values[0]!r} in {runs[0].label}, "
                f"{value!r} in {run.label}"
            )


def check_compatible(runs: list[SourceRun]) -> None:
    """Refuse runs whose counts or estimates were not made alike (one line naming it).

    Compared: the catalog's fingerprint (the relations' rules and lexicons), the spaCy model
    (name and version) and spaCy's version, this package's version (the extractor's code),
    and every setting of :data:`MUST_MATCH`. Input files may not share a name: document ids
    and per-file accounting are built from it, as in one run (:func:`singleton_rate.corpus.
    discover`).
    """
    _differ("the catalog fingerprint", runs, [_get(r, "catalog", "fingerprint") for r in runs])
    model = [{k: _get(r, "versions", "model").get(k) for k in ("name", "version")} for r in runs]
    _differ("the spaCy model", runs, model)
    _differ("the spaCy version", runs, [_get(r, "versions", "spacy") for r in runs])
    _differ("the singletons version", runs, [_get(r, "versions", "singletons") for r in runs])
    configs = [_get(r, "config") for r in runs]
    for name in MUST_MATCH:
        default = getattr(RunConfig(), name)
        _differ(f"the setting {name}", runs, [c.get(name, default) for c in configs])
    owner: dict[str, tuple[SourceRun, dict[str, Any]]] = {}
    for run in runs:
        for entry in _get(run, "inputs"):
            other = owner.get(entry["name"])
            if other is not None:
                if other[1]["path"] == entry["path"]:
                    raise MergeError(
                        f"cannot merge: input file {entry['path']} was read by both "
                        f"{other[0].label} and {run.label}"
                    )
                raise MergeError(
                    f"cannot merge: input files of {other[0].label} and {run.label} share the "
                    f"name {entry['name']!r} ({other[1]['path']}, {entry['path']}); run them "
                    "from a common parent folder so that their names differ"
                )
            owner[entry["name"]] = (run, entry)


def _parquet_files(folder: Path) -> list[Path]:
    """The data files of a Parquet dataset, without Spark's markers and checksums."""
    return sorted(
        p
        for p in folder.rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
    )


def shared_documents(runs: list[SourceRun]) -> tuple[str, list[str], int] | None:
    """The first document id found in more than one run: (id, runs holding it, how many ids
    are shared in all), or None. One DuckDB group-by over the runs' ``documents`` tables."""
    parts = []
    for i, run in enumerate(runs):
        files = _parquet_files(run.path / DOCUMENTS)
        if files:
            listed = "[" + ", ".join(sql_literal(str(f)) for f in files) + "]"
            parts.append(f"select distinct doc_id, {i} as run from read_parquet({listed})")
    if len(parts) < 2:
        return None
    con = duckdb.connect()
    try:
        rows = con.execute(
            "with d as (" + " union all ".join(parts) + "), "
            "shared as (select doc_id, list(run order by run) as runs from d group by doc_id "
            "having count(*) > 1) "
            "select doc_id, runs, (select count(*) from shared) from shared "
            "order by doc_id limit 1"
        ).fetchall()
    finally:
        con.close()
    if not rows:
        return None
    doc_id, holders, total = rows[0]
    return str(doc_id), [runs[i].label for i in holders], int(total)


def check_disjoint(runs: list[SourceRun]) -> None:
    """Refuse runs that read a document in common: its counts would be doubled."""
    found = shared_documents(runs)
    if found is not None:
        doc_id, holders, total = found
        more = f" (and {total - 1} more shared ids)" if total > 1 else ""
        raise MergeError(
            f"cannot merge: document {doc_id!r} is in both {holders[0]} and {holders[1]}{more}; "
            "merged runs must read disjoint documents"
        )


def copy_tables(runs: list[SourceRun], folder: store.RunFolder) -> None:
    """``mentions``, ``documents``, ``rejects``: every run's data files, side by side.

    Each file keeps its partition folder (``attribute=X``) and gets its run's index as a
    prefix, so that no two names collide. A run that extracted nothing holds only an empty
    ``mentions`` file with the schema (no partition folder); it is taken only when no run
    extracted anything, so that Spark never sees a partitioned and a flat file together.
    """
    for table in COPIED_TABLES:
        target = Path(folder.table(table))
        target.mkdir(parents=True, exist_ok=True)
        flat: list[Path] = []
        copied = 0
        for i, run in enumerate(runs):
            source = run.path / table
            for f in _parquet_files(source):
                rel = f.relative_to(source)
                if table == MENTIONS and len(rel.parts) == 1:
                    flat.append(f)  # the empty placeholder of a run that extracted nothing
                    continue
                dest = target / rel.parent / f"r{i:03d}-{rel.name}"
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
                copied += 1
        if not copied and flat:
            shutil.copyfile(flat[0], target / flat[0].name)


def _tables_written_by(runs: list[SourceRun]) -> str:
    """``driver`` or ``spark`` when every merged run agrees, else each run's, ``+``-joined.

    Runs older than the key have none; they count as ``spark`` (the only writer then).
    """
    found = sorted({str(_get(r, "spark").get("tables_written_by", "spark")) for r in runs})
    return "+".join(found)


class _Input(NamedTuple):
    """An input file as a run's manifest lists it (what the manifest builder reads)."""

    path: str
    name: str
    format: str
    compression: str
    size: int
    mtime: float


def merged_config(runs: list[SourceRun], out: str, overwrite: bool) -> RunConfig:
    """The first run's settings, with every run's inputs and the merged run's folder."""
    known = {f.name for f in fields(RunConfig)}
    raw = {k: v for k, v in _get(runs[0], "config").items() if k in known}
    for key in ("inputs", "relations"):
        raw[key] = tuple(raw.get(key) or ())
    inputs: list[str] = []
    for run in runs:
        for path in _get(run, "config").get("inputs") or []:
            if path not in inputs:
                inputs.append(path)
    return replace(RunConfig(**raw), inputs=tuple(inputs), out=str(out), overwrite=overwrite)


def merged_accounting(runs: list[SourceRun]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Per-file accounting (file names are distinct across the runs: the files' lists side
    by side, in a run's order) and mentions by status (summed), from the manifests."""
    per_file = sorted(
        (f for r in runs for f in _get(r, "files")), key=lambda f: f.get("file") or ""
    )
    statuses: dict[str, int] = {}
    for run in runs:
        for status, n in _get(run, "mentions", "by_status").items():
            statuses[status] = statuses.get(status, 0) + int(n)
    return per_file, dict(sorted(statuses.items()))


def merge(
    paths: list[str] | tuple[str, ...],
    out: str | Path,
    *,
    overwrite: bool = False,
    master: str | None = None,
    spark_conf: dict[str, str] | None = None,
    spark: Any | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Merge complete runs over disjoint documents into one run folder at ``out``.

    Every check runs before Spark starts. ``spark``: an existing session (tests share one),
    else one is built (``master``, default the first run's; ``spark_conf``) and stopped.
    Returns what :func:`singleton_rate.run.run` returns.
    """
    from singleton_rate.extract.catalog import load_catalog
    from singleton_rate.spark import session_for

    started = dt.datetime.now(dt.UTC)
    runs = load_runs(paths)
    final = Path(out).absolute()
    for run in runs:
        if run.path.resolve() == final.resolve():
            raise MergeError(f"--out {out} is one of the runs merged: choose another folder")
    check_compatible(runs)
    check_disjoint(runs)
    config = merged_config(runs, str(out), overwrite)
    if master:
        config = replace(config, master=master)
    if spark_conf:
        config = replace(config, spark_conf={**config.spark_conf, **spark_conf})
    catalog = load_catalog(config.relations)
    expected = _get(runs[0], "catalog", "fingerprint")
    if catalog.fingerprint != expected:
        raise MergeError(
            f"the catalog loaded now (relations {list(config.relations) or 'built in'}, "
            f"fingerprint {catalog.fingerprint}) is not the one the runs used ({expected}): "
            "the relation files or this package changed since"
        )
    folder = store.RunFolder(final, overwrite=overwrite)
    progress = progress or Progress()
    try:
        with session_for(config, spark, progress) as session:
            return _merge(session, runs, config, catalog, folder, progress, started)
    except BaseException:
        folder.abort()
        raise


def _merge(spark, runs, config, catalog, folder, progress, started) -> RunResult:
    from singleton_rate.count import audit_sample
    from singleton_rate.estimate.stage import NO_FACTS_NOTE, count_and_estimate
    from singleton_rate.run import RunResult
    from singleton_rate.spark import read_parquet

    with progress.step("copy"):
        copy_tables(runs, folder)
    per_file, statuses = merged_accounting(runs)
    mentions = spark.read.parquet(folder.table(MENTIONS))
    counts = count_and_estimate(
        spark, mentions, folder, config, catalog, progress, statuses=statuses
    )
    with progress.step("audit"):
        facts = read_parquet(spark, folder.table(FACTS), spark_ddl(FACTS_SCHEMA))
        sample = audit_sample(mentions, facts, config.audit_size, config.audit_seed)
        folder.write_arrow(AUDIT, sample.toArrow())

    inputs = sorted(
        (entry for r in runs for entry in _get(r, "inputs")), key=lambda f: (f["name"], f["path"])
    )
    files = [_Input(**{k: f[k] for k in _Input._fields}) for f in inputs]
    manifest: dict[str, Any] = dict(
        build_manifest(
            run_id=folder.run_id,
            started=started,
            command=sys.argv,
            files=files,
            config=config.to_dict(),
            catalog=catalog.to_dict(),
            # extraction was the merged runs' (model, spaCy and package versions checked
            # equal): the first run's versions
            versions=_get(runs[0], "versions"),
            # the code that extracted: the runs' own when they agree, else each named
            code_version=_code_version(runs),
            spark={
                "master": spark.sparkContext.master,
                "default_parallelism": spark.sparkContext.defaultParallelism,
                # extraction happened in the merged runs: their work units and tasks, summed
                "work_units": sum(int(_get(r, "spark").get("work_units", 0)) for r in runs),
                "extract_tasks": sum(int(_get(r, "spark").get("extract_tasks", 0)) for r in runs),
                **{
                    k: sum(int(_get(r, "spark").get(k, 0)) for r in runs)
                    for k in ("extract_chunks", "extract_chunks_reused")
                },
                # the tables were copied, not rewritten: who wrote them in the merged runs
                "tables_written_by": _tables_written_by(runs),
                "count_tasks": len(counts.tasks),
                "count_task_rows_max": max((t["rows"] for t in counts.tasks), default=0),
            },
            per_file=per_file,
            statuses=statuses,
            error_sets=counts.error_sets,
            estimates_note=NO_FACTS_NOTE if counts.fof.empty else None,
            timings=progress.timings,
        )
    )
    manifest.update(
        # What was merged: each run's folder, id and fingerprints, as it was then.
        merged_from=[
            {
                "path": str(r.path),
                "run_id": r.manifest.get("run_id"),
                "started_at": r.manifest.get("started_at"),
                "fingerprints": r.manifest.get("fingerprints"),
                "records_read": int(_get(r, "documents").get("records_read", 0)),
            }
            for r in runs
        ],
    )
    write_catalog(folder.path, RunSettings(rare_max=config.rare_max, confidence=config.confidence))
    folder.write_manifest(manifest)
    path = folder.commit()
    return RunResult(path=path, estimates=counts.estimates, manifest=manifest)


def _code_version(runs: list[SourceRun]) -> str | None:
    """The merged runs' ``code_version``: theirs when they agree (or only some recorded one),
    else ``"mixed: A, B"`` (package and catalog were checked equal; a commit can differ)."""
    found = list(dict.fromkeys(v for r in runs if (v := r.manifest.get("code_version"))))
    if len(found) <= 1:
        return found[0] if found else None
    return "mixed: " + ", ".join(found)

