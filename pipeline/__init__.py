"""Good–Turing singleton-rate corpus analyzer.

The data's path: read (:mod:`pipeline.corpus`) → extract (:mod:`pipeline.extract`) →
normalize (:mod:`pipeline.normalize`) → count (:mod:`pipeline.count`) → estimate
(:mod:`pipeline.estimate`) → store (:mod:`pipeline.store`) → query (DuckDB).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("singletons")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
