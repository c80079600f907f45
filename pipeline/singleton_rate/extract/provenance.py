"""Which code made a run: a hash of the extraction sources, and the package's exact version.

The catalog's fingerprint says "equal fingerprints = equal rules" only if it covers what
interprets the rules, not just the relation files: :func:`extraction_digest` hashes the
extraction code and the data beside it. :func:`code_version` is what the manifest records
for the whole package: the git commit when the package is a clean git checkout, else a hash
of its source files (an installed wheel, or a checkout with local edits).
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from collections.abc import Iterable
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # pipeline/singleton_rate
# What extraction output depends on besides the relation files: the extract package (code,
# relations/*.toml, lexicons, the country table, words.toml) and the value normalizer.
EXTRACTION_SOURCES: tuple[str, ...] = ("extract", "normalize")
_SUFFIXES = frozenset({".py", ".toml", ".json", ".txt", ".properties"})
# Extraction cases (relations/*_cases.toml) test the rules; they are not rules.
_NOT_RULES = ("_cases.toml",)


def _files(root: Path, parts: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for part in parts:
        path = root / part
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out.extend(
                f
                for f in path.rglob("*")
                if f.is_file()
                and f.suffix in _SUFFIXES
                and "__pycache__" not in f.parts
                and not f.name.endswith(_NOT_RULES)
            )
    return sorted(set(out))


def source_digest(root: Path, parts: Iterable[str] = (".",)) -> str:
    """SHA-256 over the relative paths and bytes of the source files under ``root/parts``.

    Only source and data files count (``.py``, ``.toml``, ``.json``, ``.txt``,
    ``.properties``); byte caches and extraction cases (``*_cases.toml``) do not. A renamed
    file changes the digest.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.py").write_text("x = 1\\n")
    >>> before = source_digest(d)
    >>> _ = (d / "a.py").write_text("x = 2\\n")
    >>> source_digest(d) == before
    False
    """
    sha = hashlib.sha256()
    for path in _files(root, parts):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


@functools.cache
def extraction_digest() -> str:
    """A hash of the installed extraction code and its data files (:data:`EXTRACTION_SOURCES`).

    Computed once per process: the sources do not change under a running interpreter
    (and if they did, the imported code would still be the old one).
    """
    return source_digest(_PACKAGE, EXTRACTION_SOURCES)[:16]


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@functools.cache
def code_version(root: Path = _PACKAGE) -> str:
    """``git:<commit>`` when ``root`` is in a git checkout with no local changes under it,
    else ``source:<sha256 of every source file>``.

    A checkout with edits (or untracked files) under the package gets the source hash: the
    commit alone would not say what ran.
    """
    commit = _git(root, "rev-parse", "HEAD")
    if commit is not None:
        status = _git(root, "status", "--porcelain", "--", ".")
        if status is not None and not status.strip():
            return f"git:{commit.strip()}"
    return f"source:{source_digest(root)}"
