"""A corpus several times larger than the JVM's memory streams through: 1 GB for the driver
(in local mode also the executor) against about 3 GB of input. Nothing collects a whole
table to the driver; Arrow batches and Spark's shuffle spill carry the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.slow]

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
]


def make_corpus(folder: Path, files: int = 6, docs_per_file: int = 5_000) -> int:
    """About 3 GB: 30,000 documents of ~100 KB. A few state a fact; the rest state none,
    so the prefilter spares the parser and the test measures memory, not spaCy."""
    filler = " ".join(WORDS[i % len(WORDS)] for i in range(17_000)) + "."
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for f in range(files):
        with (folder / f"shard-{f:02d}.jsonl").open("w") as sink:
            for i in range(docs_per_file):
                text = filler
                if i % 1000 == 0:
                    text = "Ada Lovelace was born in London. " + filler
                sink.write(
                    json.dumps({"id": f"{f}-{i}", "title": "Ada Lovelace", "text": text}) + "\n"
                )
                n += 1
    return n


def test_three_gigabytes_through_one_gigabyte(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    n_docs = make_corpus(corpus)
    size = sum(p.stat().st_size for p in corpus.iterdir())
    assert size > 3 * 2**30 * 0.9
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "singleton_rate.cli", "run", str(corpus), "--out", str(out),
         "--master", "local[2]", "--conf", "spark.driver.memory=1g",
         "--conf", "spark.executor.memory=1g"],
        capture_output=True,
        text=True,
        timeout=1200,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"]["processed"] == n_docs
    assert manifest["input_bytes"] == size
    assert manifest["mentions"]["by_status"]["asserted"] == 30  # one per 1,000 documents
