"""``manifest.json``: what a run records about itself, written last, read by every reader.

One writer (:func:`build_manifest` and :func:`write_manifest`, called by the run) and one
reader (:func:`read_manifest`, with :func:`settings_of` for the settings the SQL macros
bake in), so the fields have one definition. :class:`Manifest` names them; the file is plain
JSON, so older runs that lack a field still open (readers use ``.get``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from singleton_rate.contract.vocabulary import COUNTED_STATUS, KEY_MEANINGS, UNIT_MEANINGS
from singleton_rate.risk import DEFAULT_RARE_MAX

MANIFEST = "manifest.json"
DEFAULT_CONFIDENCE = 0.95

DOCUMENT_COUNTS: tuple[str, ...] = (
    "records_read",
    "documents",
    "processed",
    "parsed",
    "failed",
    "rejected_at_read",
    "words",
    "chars",
)
"""The per-file counts of the accounting step, summed into ``documents``."""


class Manifest(TypedDict, total=False):
    """The fields of ``manifest.json``, in the order a run writes them."""

    run_id: str
    started_at: str  # ISO 8601, UTC
    finished_at: str
    command: list[str]
    inputs: list[dict[str, Any]]  # name, path, format, compression, size, mtime
    input_bytes: int
    fingerprints: dict[str, str]  # input, config: see fingerprints()
    config: dict[str, Any]  # the resolved RunConfig
    versions: dict[str, Any]  # python, java, spark, pyspark, pyarrow, duckdb, spacy, model, …
    code_version: str  # the code exactly ("git:<commit>" or "source:<sha256>"), when recorded
    catalog: dict[str, Any]  # name, version, fingerprint, relations (name, value type, …)
    spark: dict[str, Any]  # master, parallelism, work units, extract and count tasks
    documents: dict[str, int]  # DOCUMENT_COUNTS summed over files
    files: list[dict[str, Any]]  # DOCUMENT_COUNTS per file
    mentions: dict[str, Any]  # by_status, counted_status
    count_units: dict[str, str]
    keys: dict[str, str]
    error_set_sizes: dict[str, int]  # |E_c| per attribute as the floor uses it
    error_set_rules: dict[str, str]
    estimates_note: str | None
    timings_s: dict[str, float]


@dataclass(frozen=True, slots=True)
class RunSettings:
    """The run's settings the SQL macros bake in, read from its manifest.

    ``rare_max``: the rare/common threshold of :func:`singleton_rate.risk.risk_class`;
    ``confidence``: the level of the missing-mass intervals.
    """

    rare_max: int = DEFAULT_RARE_MAX
    confidence: float = DEFAULT_CONFIDENCE


def read_manifest(run: str | Path) -> Manifest:
    """The parsed ``manifest.json`` of the run folder ``run`` (``OSError`` when absent)."""
    return json.loads((Path(run) / MANIFEST).read_text("utf-8"))


def write_manifest(run: str | Path, manifest: Mapping[str, Any]) -> None:
    """Write ``manifest`` as ``manifest.json`` in ``run`` (indented, keys in given order)."""
    text = json.dumps(manifest, indent=2, sort_keys=False, default=str)
    (Path(run) / MANIFEST).write_text(text + "\n", "utf-8")


def settings_of(manifest: Mapping[str, Any]) -> RunSettings:
    """The :class:`RunSettings` recorded in a parsed ``manifest.json``."""
    config = manifest.get("config") or {}
    return RunSettings(
        rare_max=int(config.get("rare_max") or DEFAULT_RARE_MAX),
        confidence=float(config.get("confidence") or DEFAULT_CONFIDENCE),
    )


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]


def fingerprints(files: Sequence[Any], config: Mapping[str, Any], catalog: str) -> dict[str, str]:
    """Short hashes that say whether two runs read the same input with the same settings.

    Input: each file's name, size and modification time (no checksums: reading a terabyte to
    hash it would double a run). Config (``RunConfig.to_dict()``): every setting that decides
    the output (not where it goes, nor whether it may overwrite), with the catalog's own
    fingerprint.
    """
    settings = {k: v for k, v in config.items() if k not in ("out", "overwrite", "inputs")}
    return {
        "input": _digest([(f.name, f.size, f.mtime) for f in files]),
        "config": _digest({"settings": settings, "catalog": catalog}),
    }


def build_manifest(
    *,
    run_id: str,
    started: dt.datetime,
    command: Sequence[str],
    files: Sequence[Any],
    config: Mapping[str, Any],
    catalog: Mapping[str, Any],
    versions: Mapping[str, Any],
    spark: Mapping[str, Any],
    per_file: Sequence[Mapping[str, Any]],
    statuses: Mapping[str, int],
    error_sets: Mapping[str, Any],
    estimates_note: str | None,
    timings: Mapping[str, float],
    code_version: str | None = None,
) -> Manifest:
    """The manifest of a finished run, from what its stages handed back.

    ``files``: the discovered inputs (name, path, format, compression, size, mtime);
    ``catalog``: ``Catalog.to_dict()`` (its ``fingerprint`` enters the config fingerprint);
    ``per_file``: the accounting step's rows; ``error_sets``: attribute → an object with
    ``floor`` and ``rule`` (:class:`singleton_rate.estimate.errorset.ErrorSet`);
    ``code_version``: recorded after ``versions`` when given.
    """
    return Manifest(
        run_id=run_id,
        started_at=started.isoformat(),
        finished_at=dt.datetime.now(dt.UTC).isoformat(),
        command=list(command),
        inputs=[
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
        input_bytes=sum(f.size for f in files),
        fingerprints=fingerprints(files, config, str(catalog["fingerprint"])),
        config=dict(config),
        versions=dict(versions),
        **({} if code_version is None else {"code_version": code_version}),
        catalog=dict(catalog),
        spark=dict(spark),
        documents={k: sum(f[k] for f in per_file) for k in DOCUMENT_COUNTS},
        files=list(per_file),
        mentions={"by_status": dict(statuses), "counted_status": COUNTED_STATUS},
        count_units=dict(UNIT_MEANINGS),
        keys=dict(KEY_MEANINGS),
        # |E_c| per attribute as the floor uses it; the rule and the effective size beside it
        # are in the error_sets table.
        error_set_sizes={a: e.floor for a, e in error_sets.items()},
        error_set_rules={a: e.rule for a, e in error_sets.items()},
        estimates_note=estimates_note,
        timings_s=dict(timings),
    )
