"""The installed distribution's version, in its own module so that every layer can name it
without importing the package's public face (``singleton_rate/__init__.py``, which forwards
to the entry layer's API)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("singleton-rate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
