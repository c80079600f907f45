"""Reading a frequency-of-frequencies table made elsewhere (CSV or Parquet, columns r, n_r)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from singleton_rate.estimate.fof import FofError, FreqOfFreq


def read_fof(path: str | Path) -> FreqOfFreq:
    """Load ``r, n_r`` rows from a ``.csv`` or ``.parquet`` file into a validated table.

    Raises :class:`FofError` naming the file for a missing file, an unknown format, missing
    columns, empty cells, or any row :class:`FreqOfFreq` refuses (negative, fractional or
    duplicated counts, an empty table).
    """
    path = Path(path)
    if not path.is_file():
        raise FofError(f"{path}: no such file")
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path)
        elif path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
        else:
            raise FofError(f"{path}: expected a .csv or .parquet file")
    except (ValueError, OSError) as exc:
        if isinstance(exc, FofError):
            raise
        raise FofError(f"{path}: cannot read: {exc}") from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = {"r", "n_r"} - set(frame.columns)
    if missing:
        raise FofError(f"{path}: missing column(s) {sorted(missing)}; found {list(frame.columns)}")
    if frame[["r", "n_r"]].isna().any().any():
        rows = frame.index[frame[["r", "n_r"]].isna().any(axis=1)].tolist()
        raise FofError(f"{path}: empty cells in r or n_r (data rows {[i + 1 for i in rows[:5]]})")
    try:
        return FreqOfFreq.from_pairs(zip(frame["r"].tolist(), frame["n_r"].tolist(), strict=True))
    except FofError as exc:
        raise FofError(f"{path}: {exc}") from exc
