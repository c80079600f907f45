"""Good–Turing singleton-rate corpus analyzer.

The data's path: read (:mod:`singleton_rate.corpus`) → extract (:mod:`singleton_rate.extract`) →
normalize (:mod:`singleton_rate.normalize`) → count (:mod:`singleton_rate.count`) → estimate
(:mod:`singleton_rate.estimate`) → store (:mod:`singleton_rate.store`) → query (DuckDB).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("singleton-rate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
