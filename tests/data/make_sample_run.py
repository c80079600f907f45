"""Regenerate ``tests/data/sample_run``, the run folder the analysis-side tests read.

    flock /tmp/spark.lock .venv/bin/python tests/data/make_sample_run.py

Run it when ``tests/test_sample_run_fixture.py`` says the committed folder differs from a
fresh run (the extraction, the counts or the run folder's contract changed on purpose), then
commit the folder. Starts Spark (local mode).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: conftest

from conftest import SAMPLE_RUN, build_sample_run

if __name__ == "__main__":
    print(f"sample run: {build_sample_run(SAMPLE_RUN)}")
