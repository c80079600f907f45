"""The readable summary a run ends with: the estimates table, for people."""

from __future__ import annotations

import pandas as pd

COLUMNS: tuple[tuple[str, str], ...] = (
    ("scope", "scope"),
    ("unit", "unit"),
    ("key", "key"),
    ("n", "N"),
    ("distinct", "distinct"),
    ("n1", "N1"),
    ("n2", "N2"),
    ("singleton_rate", "N1/N"),
    ("singleton_share", "N1/S"),
    ("missing_mass_ci", "missing mass [95%]"),
    ("hallucination_floor", "floor"),
    ("hallucination_ceiling", "ceiling"),
)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


MAX_SOURCE_SCOPES = 8


def format_estimates(estimates: pd.DataFrame, *, confidence: float = 0.95) -> str:
    """A fixed-width table of the estimates, one row per (scope, unit, key).

    With many sources, only the first few source scopes are printed (all are in the table).
    """
    if estimates.empty or (estimates["n"] == 0).all():
        return (
            "N = 0: no facts were extracted, so there is nothing to estimate (the estimates "
            "table says N = 0, with only the trivial bounds: floor 0, ceiling 1)"
        )
    df = estimates.copy()
    is_source = df["scope"].str.startswith("source=")
    sources = sorted(df.loc[is_source, "scope"].unique())
    hidden = sources[MAX_SOURCE_SCOPES:]
    df = df[~df["scope"].isin(hidden)]
    df["missing_mass_ci"] = [
        f"{m:.4f} [{lo:.4f}, {hi:.4f}]"
        for m, lo, hi in zip(
            df["missing_mass"], df["missing_mass_low"], df["missing_mass_high"], strict=True
        )
    ]
    header = [label.replace("95%", f"{confidence:.0%}") for _, label in COLUMNS]
    rows = [[_fmt(r[col]) for col, _ in COLUMNS] for r in df.to_dict("records")]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    numeric = {i for i, (col, _) in enumerate(COLUMNS) if col not in ("scope", "unit", "key")}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [line(header), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    if hidden:
        out.append(f"… and {len(hidden)} more source scopes: query the estimates table for them.")
    flagged = df[df["flag_floor_uninformative"]]
    if len(flagged):
        out.append("")
        out.append(
            f"floor = 0 (uninformative) in {len(flagged)} of {len(df)} rows: the Theorem 2 "
            "correction terms exceed the singleton rate at this N (see hallucination_floor_raw)."
        )
    return "\n".join(out)
