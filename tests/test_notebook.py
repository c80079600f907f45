"""The exploration notebook runs top to bottom on a real run (executed, not parsed)."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"


def test_committed_notebook_has_no_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert 'os.environ.get("SINGLETONS_RUN"' in code[0].source, "the run is a parameter on top"


def test_explore_notebook_executes(sample_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = sample_run
    monkeypatch.setenv("SINGLETONS_RUN", str(out))
    monkeypatch.delenv("SINGLETONS_GRADES", raising=False)  # the optional section skips
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    # Frequency of frequencies, singleton rate per attribute, extrapolation curve.
    assert len(images) == 3, "all three plots rendered"
    for image in images:
        picture = Image.open(io.BytesIO(base64.b64decode(image["data"]["image/png"])))
        assert picture.width > 300 and picture.height > 200
        assert len(picture.convert("RGB").getcolors(maxcolors=1 << 16) or range(1 << 16)) > 20
    tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("n_values" in t for t in tables), "conflicting values shown"
    assert any("sentence" in t for t in tables), "singleton examples with their sentences"
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "no GRADES set" in printed
    assert os.environ["SINGLETONS_RUN"] == str(out)


def test_explore_notebook_shows_a_grading(
    sample_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_grades_report import make_grading

    grades = make_grading(sample_run, tmp_path, "policy")
    monkeypatch.setenv("SINGLETONS_RUN", str(sample_run))
    monkeypatch.setenv("SINGLETONS_GRADES", str(grades))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3 + 2, "the run's three plots, the rates by count and calibration"
    tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("hallucination.share" in t for t in tables), "the per-bucket rates"
    assert any("mean_n_values" in t for t in tables), "grades joined to prompts"
