"""The Python API for notebooks and scripts: open a run folder, or make one with your session.

    >>> import singleton_rate
    >>> run = singleton_rate.open_run("runs/sample")           # doctest: +SKIP
    >>> run.headline["singleton_rate"]                          # doctest: +SKIP
    0.1666...
    >>> run.lookup("Ada García", "birth_date")                  # doctest: +SKIP
    >>> run.sql("select * from attribute_ranking").df()         # doctest: +SKIP

    >>> run = singleton_rate.run_corpus(spark, ["data/*.jsonl"], out="runs/x")  # doctest: +SKIP

:func:`open_run` needs only the analysis side (DuckDB, Arrow, pandas): the tables are the
run's Parquet files read in place through :func:`singleton_rate.query.connect` (views,
macros, ``entity_key``/``value_key``), read-only. :func:`run_corpus` needs the ``spark``
extra; it runs :func:`singleton_rate.run.run` on the caller's SparkSession and leaves that
session's runtime settings as it found them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


class Run:
    """A complete run folder: its tables, estimates, headline and lookups.

    Parameters
    ----------
    path : str or Path
        A run folder (``singletons run --out DIR``).
    grades : sequence of str or Path
        Optional gradings of ``singletons grade``, registered as the view ``grades``.

    Raises
    ------
    singleton_rate.query.NotARun
        When ``path`` holds no complete run (a ``ValueError``).
    """

    def __init__(self, path: str | Path, *, grades: Sequence[str | Path] = ()) -> None:
        from singleton_rate.query import connect

        self.path = Path(path).resolve()
        self.con: duckdb.DuckDBPyConnection = connect(self.path, grades=grades)
        """The read-only DuckDB connection: a view per table, the README's macros."""

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r})"

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the DuckDB connection (the folder is never written)."""
        self.con.close()

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """``manifest.json``: inputs, configuration, versions, counts, timings."""
        return json.loads((self.path / "manifest.json").read_text("utf-8"))

    @property
    def tables(self) -> list[str]:
        """The views of the connection: the run's tables (and ``grades`` when given)."""
        rows = self.con.sql(
            "select view_name from duckdb_views() where not internal order by view_name"
        ).fetchall()
        return [name for (name,) in rows]

    def sql(self, query: str, params: Sequence[Any] | None = None) -> duckdb.DuckDBPyRelation:
        """A query over the run's views and macros; ``.df()``, ``.arrow()`` or ``.show()`` it."""
        return self.con.sql(query, params=None if params is None else list(params))

    def table(self, name: str) -> pd.DataFrame:
        """A whole table as a pandas DataFrame (``facts``, ``prompts``, ``estimates``, …)."""
        if name not in self.tables:
            raise KeyError(f"{self.path}: no table {name!r}; tables: {', '.join(self.tables)}")
        return self.con.table(name).df()

    @property
    def estimates(self) -> pd.DataFrame:
        """The estimates table: one row per scope, count unit and key (README, *Estimates*)."""
        return self.table("estimates")

    @property
    def headline(self) -> dict[str, Any] | None:
        """The estimates row the run leads with (scope ``single_valued``, unit ``document``,
        key ``prompt``: where Theorem 2 applies), or ``None`` when the run has none."""
        from singleton_rate.estimate.table import headline_row

        return headline_row(self.estimates)

    def headline_text(self) -> str:
        """The headline as ``singletons run`` prints it: the number, its intervals, its claim."""
        from singleton_rate.summary import format_headline

        config = self.manifest.get("config", {})
        return format_headline(
            self.estimates,
            confidence=config.get("confidence", 0.95),
            theorem_confidence=config.get("theorem_confidence", 0.99),
            calibration_error=config.get("calibration_error", 0.0),
        )

    def lookup(self, entity: str, attribute: str, value: str | None = None) -> pd.DataFrame:
        """How often the corpus states a prompt (entity, attribute), or a fact with ``value``.

        ``entity`` and ``value`` are raw text, keyed as the run keyed them (``entity_key``,
        ``value_key``). One row per count unit: the count (0 when absent), its risk class
        (``unseen``, ``singleton``, ``rare``, ``common``) and, for a prompt, ``n_values``.
        """
        if value is None:
            query = "select * from lookup_prompt(entity_key(?), ?)"
            params: list[Any] = [entity, attribute]
        else:
            query = "select * from lookup_fact(entity_key(?), ?, value_key(?, ?))"
            params = [entity, attribute, attribute, value]
        return self.con.execute(query, params).df()


def open_run(path: str | Path, *, grades: Sequence[str | Path] = ()) -> Run:
    """Open a run folder read-only: ``run.estimates``, ``run.headline``, ``run.lookup(…)``.

    Examples
    --------
    >>> with open_run("runs/sample") as run:                    # doctest: +SKIP
    ...     print(run.headline_text())
    ...     facts = run.table("facts")
    """
    return Run(path, grades=grades)


@contextmanager
def kept_conf(spark: Any, temporary: Mapping[str, str] | None = None) -> Iterator[None]:
    """Inside: ``temporary`` runtime settings on ``spark``; after: its settings as they were.

    :func:`singleton_rate.run.run` sets ``spark.sql.shuffle.partitions`` and the Arrow batch
    size on the session it is given (the CLI's and ``spark-submit``'s own); a caller's session
    gets every runtime setting back, set or unset as before, even when the run fails.
    """
    before = dict(spark.conf.getAll)
    try:
        for key, value in (temporary or {}).items():
            spark.conf.set(key, value)
        yield
    finally:
        after = dict(spark.conf.getAll)
        for key in after.keys() - before.keys():
            spark.conf.unset(key)
        for key, value in before.items():
            if after.get(key) != value:
                spark.conf.set(key, value)


def run_corpus(
    spark: Any,
    paths: str | Path | Iterable[str | Path],
    out: str | Path | None = None,
    *,
    progress: bool = True,
    **settings: Any,
) -> Run:
    """Run the pipeline on ``paths`` with the caller's SparkSession; the run folder, opened.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        Used, not stopped; its runtime settings are the same afterwards (:func:`kept_conf`).
    paths : str, Path or iterable of them
        Files, folders or globs, as ``singletons run PATH...`` takes them.
    out : str or Path, optional
        The run folder; default ``runs/NAME`` as the CLI names it.
    progress : bool
        Print the steps to stderr as ``singletons run`` does (in Jupyter, one updating
        tqdm line: documents and MB done, rate, ETA); False is the CLI's ``--quiet``.
    **settings
        Any field of :class:`singleton_rate.config.RunConfig` (``limit_docs=1000``,
        ``source_field="meta.source"``, ``overwrite=True``, …). ``spark_conf`` is applied to
        the session for the run only; ``master`` is the session's and cannot be given.

    Examples
    --------
    >>> run = run_corpus(spark, "data/sample/corpus.jsonl", "runs/s", limit_docs=200,
    ...                  overwrite=True)                        # doctest: +SKIP
    >>> run.headline["n"]                                       # doctest: +SKIP
    """
    from singleton_rate.cli import default_out
    from singleton_rate.config import ConfigError, RunConfig
    from singleton_rate.progress import Progress
    from singleton_rate.run import run

    if "master" in settings:
        raise ConfigError("run_corpus: the session's master is used; do not pass master")
    if isinstance(paths, str | Path):
        paths = [paths]
    inputs = tuple(str(p) for p in paths)
    if not inputs:
        raise ConfigError("run_corpus: no input paths")
    spark_conf = dict(settings.pop("spark_conf", None) or {})
    config = RunConfig(
        inputs=inputs,
        out=str(out) if out is not None else default_out(inputs[0]),
        spark_conf=spark_conf,
        **settings,
    )
    with kept_conf(spark, spark_conf):
        result = run(config, spark=spark, progress=Progress(quiet=not progress))
    return Run(result.path)
