"""Progress you can plan with: the line's numbers and ETA, the meter's counting over chunks,
where the lines go (log, notebook, quiet), and a real run's log (Spark, in a subprocess)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from singleton_rate.progress import (
    ExtractMeter,
    Progress,
    Tally,
    eta_seconds,
    format_line,
)

# --- the line ---------------------------------------------------------------------------------


def test_line_shows_docs_mb_rates_and_eta_from_bytes() -> None:
    line = format_line(1000, 4000, 5_000_000, 10_000_000, 20.0)
    # Bytes say half done in 20 s: 20 s left, though the documents say three quarters left.
    assert line == "1,000/4,000 docs · 5.0/10.0 MB · 50 docs/s · 0.25 MB/s · ETA 20s"


def test_zero_done_has_no_rate_and_no_eta() -> None:
    assert format_line(0, 4000, 0, 10_000_000, 3.0) == "0/4,000 docs · 0.0/10.0 MB · ETA ?"
    assert format_line(0, None, None, None, 0.0) == "0 docs · ETA ?"


def test_unknown_total_shows_no_total_and_eta_from_bytes_if_known() -> None:
    assert format_line(300, None, None, None, 10.0) == "300 docs · 30 docs/s · ETA ?"
    line = format_line(300, None, 2_000_000, 8_000_000, 10.0)
    assert line.startswith("300 docs · 2.0/8.0 MB") and line.endswith("ETA 30s")


def test_done_beyond_an_estimate_gives_no_eta() -> None:
    line = format_line(3100, 3000, None, None, 10.0, docs_total_estimated=True)
    assert "3,100/~3,000 docs" in line and line.endswith("ETA ?")
    assert eta_seconds(3100, 3000, 10.0) is None
    assert eta_seconds(3000, 3000, 10.0) == 0.0


def test_failed_tasks_only_when_any() -> None:
    assert "failed" not in format_line(10, 20, None, None, 1.0, 0)
    assert format_line(10, 20, None, None, 1.0, 1).endswith("1 failed task")
    assert format_line(10, 20, None, None, 1.0, 3).endswith("3 failed tasks")


def test_estimated_numbers_are_marked() -> None:
    line = format_line(
        10, 200, 1_000_000, 9_000_000, 1.0, docs_total_estimated=True, bytes_done_estimated=True
    )
    assert line.startswith("10/~200 docs · ~1.0/9.0 MB")


# --- the meter --------------------------------------------------------------------------------


class FakeTally:
    """Accumulator totals a test sets by hand."""

    def __init__(self) -> None:
        self.now = Tally()

    def __call__(self) -> Tally:
        return self.now

    def add(self, units: int = 0, read: int = 0, extracted: int = 0) -> None:
        n = self.now
        self.now = Tally(n.units_read + units, n.docs_read + read, n.docs_extracted + extracted)


def test_one_chunk_exact_once_read_and_bytes_apportioned() -> None:
    tally = FakeTally()
    meter = ExtractMeter([(8_000_000, 2)], tally=tally)
    meter.begin()
    c = meter.counts()
    assert (c.docs_done, c.docs_total, c.bytes_done, c.bytes_total) == (0, None, 0, 8_000_000)
    tally.add(units=1, read=300)  # one of two units read: the total is not known yet
    assert meter.counts().docs_total is None
    tally.add(units=1, read=100)
    c = meter.counts()
    assert (c.docs_total, c.docs_total_estimated) == (400, False)
    tally.add(extracted=100)
    c = meter.counts()
    assert (c.docs_done, c.bytes_done, c.bytes_done_estimated) == (100, 2_000_000, True)
    tally.add(extracted=300)
    meter.end()
    c = meter.counts()
    assert (c.docs_done, c.docs_total, c.bytes_done, c.bytes_done_estimated) == (
        400,
        400,
        8_000_000,
        False,
    )


def test_later_chunks_are_extrapolated_from_documents_per_byte() -> None:
    tally = FakeTally()
    meter = ExtractMeter([(1_000_000, 1), (3_000_000, 2)], tally=tally)
    meter.begin()
    tally.add(units=1, read=50, extracted=50)
    meter.end()
    c = meter.counts()
    # 50 documents in 1 MB; 3 MB unread: ~150 more.
    assert (c.docs_total, c.docs_total_estimated) == (200, True)
    assert (c.bytes_done, c.bytes_done_estimated) == (1_000_000, False)
    meter.begin()
    tally.add(units=2, read=160, extracted=80)
    c = meter.counts()
    assert (c.docs_total, c.docs_total_estimated, c.docs_done) == (210, False, 130)
    assert c.bytes_done == 1_000_000 + 1_500_000


def test_retried_tasks_counted_twice_never_exceed_a_chunk_in_bytes() -> None:
    tally = FakeTally()
    meter = ExtractMeter([(1_000_000, 1)], tally=tally)
    meter.begin()
    tally.add(units=1, read=10, extracted=12)  # a retried task's documents added again
    c = meter.counts()
    assert c.bytes_done == 1_000_000 and c.docs_done == 12 and c.docs_total == 10
    assert not c.bytes_done_estimated


def test_nothing_extracted_yet_is_zero_bytes_not_an_estimate() -> None:
    tally = FakeTally()
    meter = ExtractMeter([(1_000_000, 1)], tally=tally)
    meter.begin()
    tally.add(units=1, read=10)
    c = meter.counts()
    assert (c.bytes_done, c.bytes_done_estimated, c.docs_total) == (0, False, 10)


def test_limit_docs_total_is_the_limit_until_read_and_bytes_unknown() -> None:
    tally = FakeTally()
    meter = ExtractMeter([(50_000_000, 1)], limit=3000, tally=tally)
    meter.begin()
    c = meter.counts()
    assert (c.docs_total, c.docs_total_estimated, c.bytes_done, c.bytes_total) == (
        3000,
        True,
        None,
        None,
    )
    tally.add(units=1, read=1200)  # the input holds fewer documents than the limit
    assert meter.counts().docs_total == 1200
    line = format_line(0, 3000, None, None, 1.0, docs_total_estimated=True)
    assert "MB" not in line


# --- where the lines go -----------------------------------------------------------------------


class FakeTracker:
    def __init__(self) -> None:
        self.polled = threading.Event()

    def getActiveStageIds(self) -> list[int]:
        self.polled.set()
        return [7]

    def getStageInfo(self, stage_id: int) -> Any:
        return SimpleNamespace(numCompletedTasks=3, numTasks=8, numFailedTasks=1)


class FakeContext:
    def __init__(self, ui: str | None = "http://127.0.0.1:4040") -> None:
        self.uiWebUrl = ui
        self.tracker = FakeTracker()

    def statusTracker(self) -> FakeTracker:
        return self.tracker


def wait_for(predicate: Any, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def meter_half_done() -> ExtractMeter:
    tally = FakeTally()
    meter = ExtractMeter([(4_000_000, 1)], tally=tally)
    meter.begin()
    tally.add(units=1, read=200, extracted=100)
    return meter


def test_log_lines_show_docs_mb_failed_tasks_and_the_ui_once() -> None:
    out = io.StringIO()
    progress = Progress(stream=out, interval_log=0, notebook=False)
    progress.sc = FakeContext()
    progress.sc = FakeContext()  # a second session: the address is not repeated
    with progress.step("read + extract"):
        progress.measure(meter_half_done())
        assert wait_for(lambda: "docs/s" in out.getvalue())
    text = out.getvalue()
    assert text.count("Spark UI: http://127.0.0.1:4040") == 1
    assert "» read + extract" in text
    assert "100/200 docs · ~2.0/4.0 MB" in text
    assert "1 failed task" in text and "tasks 3/8" in text
    assert "read + extract: done in" in text and "100 docs · 4.0 MB" in text
    assert "read + extract" in progress.timings


def test_no_ui_line_when_the_ui_is_off() -> None:
    out = io.StringIO()
    Progress(FakeContext(ui=None), stream=out)
    assert out.getvalue() == ""


def test_quiet_writes_nothing_but_times_the_steps() -> None:
    out = io.StringIO()
    progress = Progress(FakeContext(), stream=out, quiet=True, interval_log=0)
    with progress.step("read + extract"):
        progress.measure(meter_half_done())
    with progress.step("tables"):
        pass
    assert out.getvalue() == ""
    assert set(progress.timings) == {"read + extract", "tables"}


def test_notebook_draws_one_tqdm_line() -> None:
    out = io.StringIO()
    progress = Progress(FakeContext(ui=None), stream=out, notebook=True)
    with progress.step("read + extract"):
        progress.measure(meter_half_done())
        assert wait_for(lambda: "docs/s" in out.getvalue())
    text = out.getvalue()
    assert "%|" in text  # tqdm's bar, not a line per poll
    assert "\r" in text and text.count("» read + extract") == 1
    assert "read + extract: done in" in text


def test_cli_quiet_prints_no_progress_but_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--quiet reaches run(); its steps write nothing, the error still does (no Spark)."""
    import singleton_rate.run as run_module
    from singleton_rate.cli import main
    from singleton_rate.corpus import InputError

    seen: dict[str, Any] = {}

    def fake_run(config: Any, *, progress: Progress, resume: bool) -> Any:
        seen["quiet"] = progress.quiet
        progress.sc = FakeContext()
        with progress.step("read + extract"):
            progress.measure(meter_half_done())
        raise InputError("the corpus went away")

    monkeypatch.setattr(run_module, "run", fake_run)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "x"}\n')
    code = main(["run", str(corpus), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and seen["quiet"] is True
    assert err == "singletons: error: the corpus went away\n"
    code = main(["run", str(corpus), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert seen["quiet"] is False and "» read + extract" in err and "Spark UI:" in err


def test_merge_takes_quiet(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import singleton_rate.merge as merge_module
    from singleton_rate.cli import main
    from singleton_rate.merge import MergeError

    seen: dict[str, Any] = {}

    def fake_merge(runs: Any, out: Any, *, progress: Progress, **_: Any) -> Any:
        seen["quiet"] = progress.quiet
        with progress.step("copy"):
            pass
        raise MergeError("the runs share a document")

    monkeypatch.setattr(merge_module, "merge", fake_merge)
    assert main(["merge", "a", "b", "--out", "c", "-q"]) == 2
    assert seen["quiet"] is True
    assert capsys.readouterr().err == "singletons: error: the runs share a document\n"


# --- a real run -------------------------------------------------------------------------------


@pytest.mark.spark
def test_real_run_log_shows_documents_mb_and_the_ui(tmp_path: Path) -> None:
    """The CLI in a fresh process (its own session, UI on), its stderr a pipe: a log."""
    sample = Path(__file__).resolve().parents[1] / "data" / "sample" / "corpus.jsonl"
    corpus = tmp_path / "small.jsonl"
    with sample.open() as src, corpus.open("w") as dst:
        for _, line in zip(range(60), src, strict=False):
            dst.write(line)
    size = corpus.stat().st_size
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "pipeline")}
    args = [sys.executable, "-m", "singleton_rate.cli", "run", str(corpus)]
    args += ["--out", str(tmp_path / "run"), "--master", "local[2]"]
    args += ["--conf", "spark.ui.port=0"]  # any free port: others' sessions hold 4040
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "Spark UI: http://" in err
    done = next(line for line in err.splitlines() if "read + extract: done in" in line)
    docs = json.loads((tmp_path / "run" / "manifest.json").read_text())["documents"]
    assert f"{docs['processed']:,} docs" in done
    assert f"{size / 1e6:.1f} MB" in done


NOTEBOOK_CELL = """
import time
from singleton_rate.progress import ExtractMeter, Progress, Tally
now = [Tally()]
meter = ExtractMeter([(4_000_000, 1)], tally=lambda: now[0])
meter.begin()
now[0] = Tally(1, 200, 100)
progress = Progress()
print("notebook mode:", progress.notebook)
with progress.step("read + extract"):
    progress.measure(meter)
    time.sleep(1.5)
"""


def test_a_jupyter_kernel_gets_the_tqdm_line() -> None:
    """In a real kernel (stderr no terminal), Progress() picks tqdm by itself."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CELL)])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    stdout = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "notebook mode: True" in stdout
    assert "50%|" in stderr and "100/200 docs · ~2.0/4.0 MB" in stderr
    assert "read + extract: done in" in stderr
