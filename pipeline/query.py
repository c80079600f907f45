"""DuckDB over a run folder: one view per table, for analysts, notebooks and tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.store import TABLES, is_complete_run


class NotARun(ValueError):
    """A folder that holds no complete run."""


def connect(run: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per table of ``run``.

    Views read the Parquet files in place (hive partitions, e.g. ``attribute``, become
    columns), so nothing is copied and the run's files are never written.
    """
    path = Path(run)
    if not is_complete_run(path):
        raise NotARun(f"{path} is not a complete run folder (no manifest.json)")
    con = duckdb.connect()
    for table in TABLES:
        folder = path / table
        if any(folder.rglob("*.parquet")):
            source = f"'{folder.as_posix()}/**/*.parquet'"
            con.execute(
                f"create view {table} as select * from read_parquet({source}, "
                "hive_partitioning = true, union_by_name = true)"
            )
        else:  # an empty table (e.g. no rejects): Spark wrote no data file
            con.execute(f"create view {table} as select null as empty where false")
    return con
