"""Figures of a grading (``singletons grade --plot FILE``), built without pyplot.

Each function takes the summary dictionary of :func:`singleton_rate.grade.grade`
(``GradeSummary.as_dict()``, the summary JSON) and returns a
:class:`matplotlib.figure.Figure`, as :mod:`singleton_rate.plots` does for a run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

RATES = (("accuracy", "C2", "o"), ("hallucination", "C3", "s"), ("abstention", "C7", "^"))


def _bucket_x(label: str) -> float:
    """A representative count for a bucket label on a log(1 + count) axis.

    The geometric-style midpoint of ``low-high`` (``(low + high)/2``), the count itself for a
    single count, ``1.5·low`` for an open ``>low`` bucket, and class names mapped to 0, 1,
    3, 10.

    Examples
    --------
    >>> [_bucket_x(b) for b in ("0", "3-5", ">100", "singleton")]
    [0.0, 4.0, 151.5, 1.0]
    """
    classes = {"unseen": 0.0, "singleton": 1.0, "rare": 3.0, "common": 10.0}
    if label in classes:
        return classes[label]
    if label.startswith(">"):
        return 1.5 * (int(label[1:]) + 1)
    if "-" in label:
        low, high = label.split("-", 1)
        return (int(low) + int(high)) / 2
    return float(label)


def rates_by_count(summary: Mapping[str, Any], *, title: str | None = None) -> Figure:
    """Accuracy, hallucination and abstention per count bucket, with Wilson intervals.

    The x axis is log(1 + count) (a bucket at its midpoint, :func:`_bucket_x`), labelled with
    the buckets; the logistic fit σ(a + b·log(1 + count)) is drawn when there is one.
    """
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.subplots()
    buckets = [b for b in summary["buckets"] if b["n"]]
    if not buckets:
        ax.text(0.5, 0.5, "no graded answers", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    xs = [math.log1p(_bucket_x(b["bucket"])) for b in buckets]
    for offset, (name, color, marker) in zip((-0.03, 0.0, 0.03), RATES, strict=True):
        ys = [b[name]["share"] for b in buckets]
        low = [b[name]["share"] - b[name]["low"] for b in buckets]
        high = [b[name]["high"] - b[name]["share"] for b in buckets]
        ax.errorbar(
            [x + offset for x in xs],
            ys,
            yerr=[low, high],
            color=color,
            marker=marker,
            capsize=3,
            label=name,
        )
    fit = summary.get("logistic") or {}
    if fit.get("converged"):
        grid = [xs[0] + (xs[-1] - xs[0]) * i / 100 for i in range(101)]
        a, b = fit["intercept"], fit["slope"]
        ax.plot(
            grid,
            [1 / (1 + math.exp(-(a + b * g))) for g in grid],
            color="C2",
            linestyle=":",
            label=f"logistic fit (b = {b:.2f})",
        )
    ax.set_xticks(xs, [f"{b['bucket']}\n(n {b['n']})" for b in buckets])
    ax.set_xlabel("how often the corpus states the prompt (count bucket; log(1 + count) axis)")
    ax.set_ylabel("share of the bucket's questions")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="best", fontsize="small")
    ax.set_title(title or "answers by corpus count (95% Wilson intervals)")
    return fig


def calibration_plot(summary: Mapping[str, Any], *, title: str | None = None) -> Figure:
    """Accuracy against mean confidence per confidence bin (the diagonal is calibration)."""
    fig = Figure(figsize=(4.6, 4.2), layout="constrained")
    ax = fig.subplots()
    calib = summary.get("calibration")
    bins = [b for b in (calib or {}).get("bins", []) if b["n"]]
    if not bins:
        ax.text(0.5, 0.5, "no confidences", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", label="calibrated")
    sizes = [20 + 200 * b["n"] / max(x["n"] for x in bins) for b in bins]
    ax.scatter(
        [b["mean_confidence"] for b in bins],
        [b["accuracy"] for b in bins],
        s=sizes,
        color="C0",
        label="bins (area ∝ answers)",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean confidence")
    ax.set_ylabel("accuracy of the answered")
    ece = calib["ece"]
    default = "calibration" if ece is None else f"calibration (ECE {ece:.3f})"
    ax.set_title(title or default)
    ax.legend(loc="upper left", fontsize="small")
    return fig


def save_plots(summary: Mapping[str, Any], path: str | Path) -> list[Path]:
    """Write the rates figure to ``path`` and, with confidences, ``NAME-calibration.EXT``."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rates_by_count(summary).savefig(out, dpi=110)
    written = [out]
    if summary.get("calibration"):
        calib = out.with_name(f"{out.stem}-calibration{out.suffix}")
        calibration_plot(summary).savefig(calib, dpi=110)
        written.append(calib)
    return written
