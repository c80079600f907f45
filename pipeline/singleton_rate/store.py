"""The run folder: its layout, atomic commit, small-table writes and the manifest.

A run is written into a hidden sibling folder (``.NAME.tmp-<id>``) and renamed into place
only when every table and the manifest are complete, so a failed or killed run never leaves
a folder that looks complete. An existing run is replaced only with ``overwrite``, and only
after the new one is complete.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from singleton_rate.contract import MANIFEST, TABLES, write_manifest

if TYPE_CHECKING:  # pandas costs half a second to import: `singletons sql` never needs it
    import pandas as pd

OWNER = "_owner"  # "host pid" of the process writing a temporary run folder


class RunExists(FileExistsError):
    """The output folder holds a run and ``overwrite`` was not given."""


class RunFolder:
    """A run folder being written: ``path`` is where it is built, ``final`` where it lands."""

    def __init__(self, final: str | Path, *, overwrite: bool = False) -> None:
        self.final = Path(final).absolute()
        if self.final.exists() and not overwrite:
            raise RunExists(
                f"{self.final} already exists: choose another --out or pass --overwrite"
            )
        if self.final.exists() and not self.final.is_dir():
            raise RunExists(f"{self.final} exists and is not a folder")
        self.run_id = uuid.uuid4().hex[:12]
        self.path = self.final.parent / f".{self.final.name}.tmp-{self.run_id}"
        self.final.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.final)
        self.path.mkdir()
        (self.path / OWNER).write_text(f"{socket.gethostname()} {os.getpid()}\n")

    def table(self, name: str) -> str:
        return str(self.path / name)

    def work(self, name: str) -> str:
        """A scratch dataset inside the folder, removed before commit."""
        return str(self.path / "_work" / name)

    def write_small(self, name: str, frame: pd.DataFrame, schema: pa.Schema | None = None) -> None:
        """Write a driver-side table (a few thousand rows at most) as one Parquet file."""
        target = self.path / name
        target.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
        pq.write_table(table, target / "part-0.parquet")

    def write_arrow(self, name: str, table: pa.Table) -> None:
        """Write a small Arrow table collected from Spark as one Parquet file.

        Large string types (Spark may hand them over) become plain strings, as a Spark
        write of the same rows would store them.
        """
        target = self.path / name
        target.mkdir(parents=True, exist_ok=True)
        fields = [
            pa.field(f.name, pa.string(), f.nullable) if pa.types.is_large_string(f.type) else f
            for f in table.schema
        ]
        pq.write_table(table.cast(pa.schema(fields)), target / "part-0.parquet")

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        write_manifest(self.path, manifest)

    def commit(self) -> Path:
        """Move the finished run into place; the previous run is removed only afterwards."""
        shutil.rmtree(self.path / "_work", ignore_errors=True)
        (self.path / OWNER).unlink(missing_ok=True)
        missing = [t for t in (*TABLES, MANIFEST) if not (self.path / t).exists()]
        if missing:
            raise RuntimeError(f"run incomplete, not committed: missing {missing}")
        old = None
        if self.final.exists():
            old = self.final.parent / f".{self.final.name}.old-{self.run_id}"
            self.final.rename(old)
        self.path.rename(self.final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.final

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(final: Path) -> list[Path]:
    """Delete temporary folders of ``final`` left by killed runs on this host.

    A temporary folder is stale when its owner process (recorded in ``_owner``) is gone; a
    folder owned by a live process, or by another host, is left alone.
    """
    removed = []
    host = socket.gethostname()
    for candidate in final.parent.glob(f".{final.name}.*-*"):
        owner = candidate / OWNER
        try:
            owner_host, pid = owner.read_text().split()
        except (OSError, ValueError):
            # an .old-* folder of an interrupted commit, or no owner file: ours to clear
            # only when the final folder is complete
            if candidate.name.startswith(f".{final.name}.old-") and is_complete_run(final):
                shutil.rmtree(candidate, ignore_errors=True)
                removed.append(candidate)
            continue
        if owner_host == host and not _alive(int(pid)):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def is_complete_run(path: str | Path) -> bool:
    """A run folder is complete when its manifest exists (it is written last)."""
    return (Path(path) / MANIFEST).is_file()
