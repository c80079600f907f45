"""`singletons report`: one self-contained HTML file, opened in headless Chromium.

The test renders the report twice, as written and with its images hidden; the pixels that
differ are where Chromium drew the plots, and each such band must hold a real picture. The
screenshot is kept in tests/artifacts/ (its path is printed; run with -s to see it).
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from PIL import Image

from singleton_rate.cli import main
from singleton_rate.report import EXPLANATIONS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WIDTH, HEIGHT = 1280, 4000
N_PLOTS = 3  # frequency of frequencies, singleton rate per attribute, extrapolation


@pytest.fixture(scope="module")
def report(sample_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "sample-report.html"
    assert main(["report", str(sample_run), "--output", str(out)]) == 0
    return out


def embedded_images(html: str) -> list[Image.Image]:
    found = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    return [Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB") for data in found]


def test_report_is_self_contained_and_explained(report: Path, sample_run: Path) -> None:
    html = report.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    # Nothing is fetched: no scripts, stylesheets, fonts or images from elsewhere.
    assert not re.search(r"<script|<link|@import|url\(", html)
    assert not re.search(r'(src|href)="(?!data:|#)', html)
    images = embedded_images(html)
    assert len(images) == N_PLOTS
    for picture in images:
        pixels = np.asarray(picture)
        assert picture.width >= 500 and picture.height >= 300
        assert (pixels < 200).any(axis=2).mean() > 0.02, "a plot with something drawn on it"
        assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50
    for item in EXPLANATIONS:
        assert f'id="explain-{item.anchor}"' in html
        assert item.source in html
    assert html.count("Assumes:") == len(EXPLANATIONS)
    # One row per estimates row in each of the two estimate tables.
    n_estimates = pq.read_table(sample_run / "estimates").num_rows
    assert html.count("<td>attribute=birth_date</td>") == 2 * 4  # 2 units × 2 keys × 2 tables
    assert html.count("<tr>") >= 2 * n_estimates
    # The run folder is never written.
    assert not list(sample_run.glob("*.html"))


def screenshot(page: Path, shot: Path, profile: Path) -> Image.Image:
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--screenshot={shot}",
        f"--window-size={WIDTH},{HEIGHT}",
        page.as_uri(),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert shot.is_file(), (
        f"chromium wrote no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"
    )
    return Image.open(shot).convert("RGB")


def bands(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows (start, end) that hold a differing pixel, gaps under 10 rows bridged."""
    rows = np.flatnonzero(mask.any(axis=1))
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r - out[-1][1] < 10:
            out[-1] = (out[-1][0], int(r))
        else:
            out.append((int(r), int(r)))
    return out


def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    rendered = np.asarray(screenshot(report, shot, tmp_path / "profile-a"))
    print(f"\nreport screenshot: {shot}")
    hidden_page = tmp_path / "hidden.html"
    hidden_page.write_text(
        report.read_text("utf-8").replace("</style>", "img { visibility: hidden; }</style>", 1),
        "utf-8",
    )
    blank = np.asarray(screenshot(hidden_page, tmp_path / "hidden.png", tmp_path / "profile-b"))
    assert rendered.shape == blank.shape == (HEIGHT, WIDTH, 3)
    assert (rendered < 200).any(axis=2).mean() > 0.01, "the page shows text and tables"

    drawn = (rendered != blank).any(axis=2)
    plot_bands = bands(drawn)
    assert len(plot_bands) == N_PLOTS, f"one band of plot pixels per plot, got {plot_bands}"
    for start, end in plot_bands:
        assert end - start > 250, "a plot of its full height"
        region = rendered[start : end + 1]
        cols = np.flatnonzero(drawn[start : end + 1].any(axis=0))
        assert cols[-1] - cols[0] > 450, "a plot of its full width"
        area = region[:, cols[0] : cols[-1] + 1]
        assert (area < 200).any(axis=2).mean() > 0.02, "the plot area is not blank"
        assert len(np.unique(area.reshape(-1, 3), axis=0)) > 50, "lines, markers and text"
    shutil.copy(report, ARTIFACTS / "report.html")  # beside its screenshot, for a person


def test_report_shows_the_headline_and_an_audit(sample_run: Path, tmp_path: Path) -> None:
    """The headline row and its claim lead; an audit, once labelled, gets its own section."""
    from singleton_rate.audit import read_audit
    from singleton_rate.report import build_report

    run = tmp_path / "run"
    shutil.copytree(sample_run, run)
    page = build_report(run)
    assert "Headline: scope <code>single_valued</code>" in page
    assert "calibrated (δ = 0, assumed, not measured)" in page
    assert "Extraction error in the number" not in page
    ids = read_audit(run)["id"].tolist()[:5]
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        "".join(f'{{"id": "{i}", "verdict": "correct"}}\n' for i in ids), encoding="utf-8"
    )
    assert main(["audit", str(run), "--labels", str(labels)]) == 0
    assert "Extraction error in the number" in build_report(run)


def test_halving_cell_reads_the_band_columns_and_old_runs() -> None:
    from singleton_rate.report import _halving_cell

    found = {
        "floor_halving_target": "halve",
        "floor_halving_found": True,
        "floor_halving_t_low": 1.2,
        "floor_halving_t_high": 3.4,
        "floor_halving_not_before": 1.2,
        "floor_halving_reason": "both ends of the band reach the target",
    }
    assert _halving_cell(found) == "halve at 1.20–3.40 × N"
    not_found = {
        **found,
        "floor_halving_target": "first_positive",
        "floor_halving_found": False,
        "floor_halving_t_low": float("nan"),
        "floor_halving_t_high": float("nan"),
        "floor_halving_not_before": 20.0,
        "floor_halving_reason": "neither end of the band reaches the target within 20×N",
    }
    assert _halving_cell(not_found) == (
        "first_positive: not before 20.00 × N "
        "(neither end of the band reaches the target within 20×N)"
    )
    assert _halving_cell({"floor_halving_target": None}) == "–"
    old = {"floor_halving_target": "halve", "floor_halving_found": True, "floor_halving_t": 2.5}
    assert _halving_cell(old) == "halve at 2.5 × N (old run)"
