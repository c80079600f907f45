"""Figures of a run, shared by the notebook and the HTML report.

Each function takes DataFrames read from the run's tables (:func:`singleton_rate.query.connect`)
and returns a :class:`matplotlib.figure.Figure` built without pyplot, so the report can draw
with the Agg backend in any thread and the notebook can display the same figure.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.figure import Figure

UNIT_STYLE = {"mention": ("C0", "o"), "document": ("C1", "s")}
KEY_LINE = {"fact": "-", "prompt": "--"}


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}")


def _empty(fig: Figure, message: str) -> Figure:
    ax = fig.subplots()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def fof_loglog(fof: pd.DataFrame, *, title: str | None = None) -> Figure:
    """The frequency-of-frequencies ``N_r`` against ``r`` on log–log axes.

    Parameters
    ----------
    fof : DataFrame
        Rows of ``freq_of_freq`` for one scope: columns ``unit``, ``r``, ``n_r`` and
        optionally ``key`` (one line per unit and key).
    title : str, optional
        The figure title.

    Returns
    -------
    Figure
        A heavy left end (many keys seen once) is what makes the singleton rate high.
    """
    _require(fof, ("unit", "r", "n_r"), "fof_loglog")
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    if fof.empty:
        return _empty(fig, "no facts: no frequency-of-frequencies")
    ax = fig.subplots()
    groups = ["unit", "key"] if "key" in fof.columns else ["unit"]
    for names, part in fof.sort_values("r").groupby(groups, sort=True):
        unit, key = (names[0], names[1]) if len(groups) == 2 else (names[0], None)
        color, marker = UNIT_STYLE.get(str(unit), ("C2", "^"))
        label = f"{unit} unit" + (f", {key} key" if key else "")
        ax.loglog(
            part["r"],
            part["n_r"],
            marker=marker,
            linestyle=KEY_LINE.get(str(key), "-"),
            color=color,
            markersize=4,
            label=label,
        )
    ax.set_xlabel("r: times a key occurs")
    ax.set_ylabel("N_r: keys occurring r times")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    ax.set_title(title or "Frequency of frequencies (log–log)")
    return fig


def singleton_rate_by_attribute(estimates: pd.DataFrame, *, title: str | None = None) -> Figure:
    """N1/N per attribute, per count unit, with the distribution-free and Esty intervals.

    Parameters
    ----------
    estimates : DataFrame
        Rows of ``estimates`` for one key (e.g. ``fact``), scopes ``attribute=…``: columns
        ``scope``, ``unit``, ``singleton_rate``, ``missing_mass_low``, ``missing_mass_high``
        and optionally ``esty_low``, ``esty_high`` (drawn as the thicker inner bar).

    Returns
    -------
    Figure
        One row per attribute; the thin bar is the distribution-free interval (McAllester &
        Ortiz 2003), the thick one Esty's (1983).
    """
    _require(
        estimates,
        ("scope", "unit", "singleton_rate", "missing_mass_low", "missing_mass_high"),
        "singleton_rate_by_attribute",
    )
    scopes = sorted(estimates["scope"].unique())
    fig = Figure(figsize=(8, 1.2 + 0.55 * max(1, len(scopes))), layout="constrained")
    if estimates.empty:
        return _empty(fig, "no attribute scopes")
    ax = fig.subplots()
    units = [u for u in ("mention", "document") if u in set(estimates["unit"])]
    units += sorted(set(estimates["unit"]) - set(units))
    offsets = {u: (i - (len(units) - 1) / 2) * 0.25 for i, u in enumerate(units)}
    position = {s: i for i, s in enumerate(scopes)}
    for unit in units:
        part = estimates[estimates["unit"] == unit]
        y = [position[s] + offsets[unit] for s in part["scope"]]
        color, marker = UNIT_STYLE.get(unit, ("C2", "^"))
        rate = part["singleton_rate"]
        ax.errorbar(
            rate,
            y,
            xerr=[rate - part["missing_mass_low"], part["missing_mass_high"] - rate],
            fmt="none",
            ecolor=color,
            elinewidth=1,
            capsize=3,
            alpha=0.6,
        )
        if {"esty_low", "esty_high"} <= set(part.columns):
            ax.errorbar(
                rate,
                y,
                # Esty's score interval need not be centred on N1/N: clip, never negative.
                xerr=[
                    (rate - part["esty_low"]).clip(lower=0),
                    (part["esty_high"] - rate).clip(lower=0),
                ],
                fmt="none",
                ecolor=color,
                elinewidth=4,
            )
        ax.plot(rate, y, marker, color=color, label=f"{unit} unit")
    ax.set_yticks(range(len(scopes)), [s.removeprefix("attribute=") for s in scopes])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("N1/N (singleton rate); thin bar: distribution-free interval, thick: Esty")
    ax.grid(True, axis="x", alpha=0.3)
    fig.legend(loc="outside right upper")  # bars reach both ends of [0, 1]: keep it off them
    ax.set_title(title or "Singleton rate per attribute")
    return fig


def extrapolation_curve(extrapolation: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Predicted missing mass (and Theorem 2 floor) if the corpus were ``t`` times larger.

    Parameters
    ----------
    extrapolation : DataFrame
        Rows of ``extrapolation`` for one scope and key: columns ``unit``, ``t``, ``n``,
        ``predicted_missing_mass`` and optionally ``predicted_missing_mass_low``/``_high``
        (the band), ``predicted_floor`` and ``predicted_floor_low``/``_high``.

    Returns
    -------
    Figure
        Missing mass against corpus size (log x axis), the observed size marked: the point
        prediction as a solid line up to ``2N`` (Chao–Jost's range; rarefaction below ``N``),
        and beyond ``2N`` the band as a shaded area (the table holds no point there); the
        floor likewise, dashed, with its band hatched. Runs written before the band existed
        (no ``_low``/``_high`` columns) show the point wherever it is present.
    """
    _require(extrapolation, ("unit", "t", "n", "predicted_missing_mass"), "extrapolation_curve")
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    if extrapolation.empty:
        return _empty(fig, "no extrapolation in this run")
    ax = fig.subplots()
    has_band = {"predicted_missing_mass_low", "predicted_missing_mass_high"} <= set(
        extrapolation.columns
    )
    has_floor_band = {"predicted_floor_low", "predicted_floor_high"} <= set(extrapolation.columns)
    for unit, part in extrapolation.sort_values("t").groupby("unit", sort=True):
        color, marker = UNIT_STYLE.get(str(unit), ("C2", "^"))
        point = part[part["predicted_missing_mass"].notna()]
        ax.plot(
            point["n"],
            point["predicted_missing_mass"],
            marker=marker,
            color=color,
            markersize=4,
            label=f"missing mass, {unit} unit",
        )
        if has_band:
            far = part[(part["t"] >= 2) & part["predicted_missing_mass_low"].notna()]
            if len(far):
                ax.fill_between(
                    far["n"].astype(float),
                    far["predicted_missing_mass_low"].astype(float),
                    far["predicted_missing_mass_high"].astype(float),
                    color=color,
                    alpha=0.2,
                    linewidth=0,
                    label=f"missing-mass band beyond 2N, {unit} unit",
                )
        if "predicted_floor" in part.columns:
            floor = part[part["predicted_floor"].notna()]
            if len(floor):
                ax.plot(
                    floor["n"],
                    floor["predicted_floor"],
                    color=color,
                    linestyle="--",
                    linewidth=1,
                    label=f"Theorem 2 floor, {unit} unit",
                )
        if has_floor_band:
            far = part[(part["t"] >= 2) & part["predicted_floor_low"].notna()]
            if len(far):
                ax.fill_between(
                    far["n"].astype(float),
                    far["predicted_floor_low"].astype(float),
                    far["predicted_floor_high"].astype(float),
                    facecolor="none",
                    edgecolor=color,
                    hatch="//",
                    alpha=0.5,
                    linewidth=0.5,
                    label=f"floor band beyond 2N, {unit} unit",
                )
        observed = part[part["t"] == 1.0]
        if len(observed):
            ax.axvline(float(observed["n"].iloc[0]), color=color, alpha=0.25, linewidth=1)
    ax.set_xscale("log")
    ax.set_ylim(bottom=-0.02)  # a floor of 0 stays visible above the axis
    ax.set_xlabel("corpus size N' (occurrences); vertical line: observed N; shaded: band beyond 2N")
    ax.set_ylabel("predicted missing mass / floor")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(title or "If the corpus were t times larger")
    return fig


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (Agg canvas; no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
