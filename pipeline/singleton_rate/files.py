"""Writing a file so that no reader ever sees half of it: one home for the rename dance.

Every output a user or a later stage reads (scores, summaries, question sets, grades, a
query's result, a counting task's Parquet) is written to a unique temporary name in the same
folder and renamed into place only when complete (``os.replace`` is atomic on one
filesystem), so a failure, a Ctrl-C or a retried Spark task leaves either the old file or
the new one, never a partial one, and never a stray temporary.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a fresh temporary path beside ``path``, then rename it into place.

    Parameters
    ----------
    path : str or Path
        The file to create or replace; its folder is created if missing.
    write : callable
        Writes the whole content to the path it is given (it may create the file itself, as
        DuckDB's ``COPY`` and ``pyarrow.parquet.write_table`` do).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", lambda tmp: tmp.write_text("done")).read_text()
    'done'
    >>> def broken(tmp):
    ...     tmp.write_text("half")
    ...     raise OSError("disk full")
    >>> atomic_write(folder / "a.txt", broken)
    Traceback (most recent call last):
    ...
    OSError: disk full
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('done', ['a.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
