"""The scratch rows of a run split into its ``mentions``, ``documents`` and ``rejects`` tables
on the driver: DuckDB, no Spark job.

:func:`singleton_rate.spark.write_tables` does the same split as three Spark writes, each a
job with its own scheduling (1.2–1.9 s together on a 10-document run on 2 cores, most of it
overhead). The run folder is on a file system the driver writes
(:class:`singleton_rate.store.RunFolder`), so its scratch dataset is too; below
:data:`LOCAL_MAX_BYTES` of scratch the driver splits it in one DuckDB connection instead.
The tables hold the same rows, columns and types (the contract's, which are only strings,
64-bit integers and booleans), ``mentions`` partitioned by attribute; only the file names
and the order of rows inside them differ, and neither is part of the contract.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from singleton_rate.contract import (
    DOCUMENTS,
    DOCUMENTS_SCHEMA,
    MENTIONS,
    MENTIONS_SCHEMA,
    REJECTS,
    REJECTS_SCHEMA,
    TableWriter,
)

# Larger scratch datasets (a few million mentions and up) go through Spark, whose writes
# run on every executor; below, one driver process writes faster than Spark schedules.
LOCAL_MAX_BYTES = 256 * 1024 * 1024


def scratch_files(scratch: str) -> list[str]:
    """The Parquet files of the scratch dataset at ``scratch`` (partitioned by ``kind``)."""
    return sorted(glob.glob(os.path.join(scratch, "**", "*.parquet"), recursive=True))


def splits_locally(files: list[str], max_bytes: int = LOCAL_MAX_BYTES) -> bool:
    """Whether the scratch ``files`` are small enough for :func:`write_tables_local`."""
    return sum(os.path.getsize(f) for f in files) <= max_bytes


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


# Each table: its rows among the scratch rows and its columns, in the contract's order; the
# same filters and projections as singleton_rate.spark.write_tables.
SPLITS: dict[str, tuple[str, str]] = {
    MENTIONS: ("kind = 'mention'", _quoted(MENTIONS_SCHEMA.names)),
    DOCUMENTS: (
        "kind = 'doc'",
        _quoted(DOCUMENTS_SCHEMA.names[:-1]) + ', reason as "error"',
    ),
    REJECTS: ("reason is not null", _quoted(REJECTS_SCHEMA.names)),
}


def write_tables_local(files: list[str], folder: TableWriter) -> None:
    """Write the ``mentions``, ``documents`` and ``rejects`` tables from the scratch ``files``.

    ``mentions/`` is partitioned by attribute (``attribute=X/``, the column left out of the
    files, as Spark writes it); the other two are one file each. With no mention, an empty
    ``mentions`` file with the schema lets every reader open the table, as after Spark.
    """
    import duckdb

    if files:
        con = duckdb.connect()
        try:
            con.execute("set preserve_insertion_order = false")  # no order to keep: less memory
            source = "read_parquet($files, hive_partitioning = true, union_by_name = true)"
            for name, (where, columns) in SPLITS.items():
                target = Path(folder.table(name))
                select = f"select {columns} from {source} where {where}"
                if name == MENTIONS:
                    to, options = target, "format parquet, partition_by (attribute)"
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    to, options = target / "part-0.parquet", "format parquet"
                con.execute(f"copy ({select}) to {_literal(to)} ({options})", {"files": files})
        finally:
            con.close()
    else:  # Spark writes an empty DataFrame as one empty file with the schema: so here
        for name, schema in ((DOCUMENTS, DOCUMENTS_SCHEMA), (REJECTS, REJECTS_SCHEMA)):
            empty = schema.empty_table()
            folder.write_small(name, empty.to_pandas(), empty.schema)
    if not any(Path(folder.table(MENTIONS)).rglob("*.parquet")):
        empty = MENTIONS_SCHEMA.empty_table()
        folder.write_small(MENTIONS, empty.to_pandas(), empty.schema)


def _literal(path: Path) -> str:
    """``path`` as a SQL string literal (COPY takes no parameter for its target)."""
    return "'" + str(path).replace("'", "''") + "'"
