"""A run killed at any moment leaves the previous complete output or none, never a partial
folder that looks complete; the next run clears what the killed one left."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from singleton_rate.resume import cache_folder
from singleton_rate.store import RunFolder, is_complete_run, remove_stale

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "corpus.jsonl"


def start_run(out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "singleton_rate.cli", "run", str(SAMPLE), "--out", str(out), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the JVM and Python workers die with it
    )


def kill_when(proc: subprocess.Popen[bytes], ready, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "the run never reached the point to kill it at"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def temporaries(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.tmp-*"))


def extracting(out: Path) -> bool:
    """Extraction is under way: a chunk is being written (pipeline/singleton_rate/resume.py)."""
    return (cache_folder(out) / "_pending").exists() and bool(temporaries(out))


def test_killed_first_run_leaves_nothing_that_looks_complete(tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = start_run(out, "--limit-docs", "400")
    # kill in mid-extraction: the scratch dataset is being written
    kill_when(proc, lambda: extracting(out))
    assert not out.exists()
    [leftover] = temporaries(out)
    assert not is_complete_run(leftover)
    assert remove_stale(out) == [leftover]
    # what --resume would reuse stays beside, under a name no reader takes for a run
    assert cache_folder(out).is_dir() and not is_complete_run(cache_folder(out))


def test_killed_overwrite_keeps_the_previous_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = subprocess.run(
        [
            sys.executable,
            "-m",
            "singleton_rate.cli",
            "run",
            str(SAMPLE),
            "--out",
            str(out),
            "--limit-docs",
            "50",
        ],
        capture_output=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr.decode()[-2000:]
    manifest = (out / "manifest.json").read_text()
    proc = start_run(out, "--limit-docs", "400", "--overwrite")
    kill_when(proc, lambda: extracting(out))
    assert (out / "manifest.json").read_text() == manifest
    assert json.loads(manifest)["documents"]["records_read"] == 50
    # a new run clears the killed one's temporary folder and replaces the old run
    RunFolder(out, overwrite=True).abort()
    assert temporaries(out) == []
