"""Extraction throughput of the current catalog against the foundation's, side by side.

    python bench/throughput_catalog.py [--base REF] [--docs data/sample/corpus.jsonl]

Both versions of the `pipeline` package (the base exported from git, the current one from
this checkout) extract the same documents in fresh single-process interpreters, alternating
A, B, A, B … so machine noise hits both alike. Only the extraction differs between them; the
Spark stages around it are the same code, so this ratio is the pipeline's change. Prints
documents and words per second per round and the median ratio current/base.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The foundation's extractor (issue 2's catalog: the four date and place relations).
FOUNDATION = "bb23f95fbea3855687d37cc37ea2bac1f24dfeee"

PROBE = r"""
import json, sys, time
from pipeline.corpus import Document
from pipeline.extract.catalog import load_catalog
from pipeline.extract.extractor import Extractor
from pipeline.extract.model import resolve_model_name
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
docs = [
    Document(str(d["id"]), d["text"], d.get("title"), d.get("source"), f"f:{i}")
    for i, d in enumerate(lines)
]
ex = Extractor(load_catalog(), resolve_model_name())
ex.extract(docs[:64])  # warm-up: model caches, first-batch allocations
start = time.perf_counter()
mentions = 0
for i in range(0, len(docs), 256):
    mentions += sum(len(r.mentions) for r in ex.extract(docs[i : i + 256]))
seconds = time.perf_counter() - start
words = sum(len(d.text.split()) for d in docs)
print(json.dumps({"docs": len(docs), "words": words, "seconds": seconds, "mentions": mentions}))
"""


def export(ref: str, dest: Path) -> Path:
    """The `pipeline` package as it was at ``ref``."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "pipeline"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def measure(package_root: Path, docs: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-P", "-c", PROBE, str(docs)],  # -P: not the cwd's package
        env={"PYTHONPATH": str(package_root), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=FOUNDATION, help="git ref of the base version")
    parser.add_argument("--docs", type=Path, default=ROOT / "data" / "sample" / "corpus.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = export(args.base, Path(tmp))
        ratios = []
        for round_ in range(args.rounds):
            a = measure(base, args.docs)
            b = measure(ROOT, args.docs)
            ratio = (b["docs"] / b["seconds"]) / (a["docs"] / a["seconds"])
            ratios.append(ratio)
            for name, m in (("base", a), ("current", b)):
                print(
                    f"round {round_ + 1} {name:<8} {m['docs'] / m['seconds']:8.1f} docs/s "
                    f"{m['words'] / m['seconds']:9.0f} words/s  {m['mentions']:6d} mentions"
                )
        median = statistics.median(ratios)
        print(f"median throughput ratio current/base: {median:.3f} ({args.rounds} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
