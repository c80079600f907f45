"""Good–Turing singleton-rate corpus analyzer.

The data's path: read (:mod:`singleton_rate.corpus`) → extract (:mod:`singleton_rate.extract`) →
normalize (:mod:`singleton_rate.normalize`) → count (:mod:`singleton_rate.count`) → estimate
(:mod:`singleton_rate.estimate`) → store (:mod:`singleton_rate.store`) → query (DuckDB).

For notebooks and scripts (:mod:`singleton_rate.api`): ``open_run(path)`` opens a run
folder (its tables, estimates, headline, lookups) and ``run_corpus(spark, paths, out)`` makes
one with a given SparkSession. They are imported on first use, so ``import singleton_rate``
loads neither DuckDB nor Spark.
"""

from typing import Any

from singleton_rate.version import __version__

__all__ = ["Run", "__version__", "open_run", "run_corpus"]
_API = ("Run", "open_run", "run_corpus")


def __getattr__(name: str) -> Any:
    if name in _API:
        from singleton_rate import api

        return getattr(api, name)
    raise AttributeError(f"module 'singleton_rate' has no attribute {name!r}")
