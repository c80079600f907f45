"""What `--resume` saves on a run killed at 70 % of its extraction, on the bundled sample.

    flock /tmp/spark.lock python bench/resume_cost.py [--files 30] [--kill-at 0.7]

Splits ``data/sample/corpus.jsonl`` (3,000 documents) into ``--files`` files, one extraction
chunk each (``extract_chunk_bytes = 1``), and times, each as the CLI in a fresh process
(``singletons run … --master local[2]``, JVM start included):

1. an uninterrupted run;
2. a run killed (SIGKILL to its process group: driver, JVM, Python workers) once
   ``--kill-at`` of its chunks are done;
3. the same command with ``--resume``, which extracts only the remaining chunks;
4. an uninterrupted run with the default chunking (one chunk on a corpus this small), to
   show what chunking itself costs.

Checks that the resumed run's tables equal the uninterrupted run's, and prints the times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "pipeline") not in sys.path:
    sys.path.insert(0, str(ROOT / "pipeline"))

from singleton_rate.query import connect  # noqa: E402
from singleton_rate.resume import cache_folder  # noqa: E402
from singleton_rate.store import TABLES  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"


def command(corpus: Path, out: Path, config: Path | None, *extra: str) -> list[str]:
    cmd = [sys.executable, "-m", "singleton_rate.cli", "run", str(corpus), "--out", str(out),
           "--master", "local[2]", "--conf", "spark.ui.enabled=false", *extra]  # fmt: skip
    return [*cmd, "--config", str(config)] if config else cmd


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def killed(cmd: list[str], cache: Path, chunks: int) -> tuple[float, int]:
    """Run ``cmd`` until ``chunks`` chunks are done, then kill it: (seconds, chunks kept)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        while len(list(cache.glob("chunk=*"))) < chunks:
            if proc.poll() is not None:
                raise RuntimeError("the run ended before it could be killed")
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return time.perf_counter() - start, len(list(cache.glob("chunk=*")))


def tables(path: Path) -> dict[str, list[tuple]]:
    con = connect(path)
    return {t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--kill-at", type=float, default=0.7)
    parser.add_argument("--out", default="/tmp/resume_cost")
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    corpus = out / "corpus"
    corpus.mkdir(parents=True)
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)
    per = -(-len(lines) // args.files)
    for i in range(args.files):
        (corpus / f"part-{i:03d}.jsonl").write_text("".join(lines[i * per : (i + 1) * per]))
    config = out / "chunked.toml"
    config.write_text("extract_chunk_bytes = 1\n")

    whole = timed(command(corpus, out / "whole", config))
    target = round(args.kill_at * args.files)
    until_kill, kept = killed(
        command(corpus, out / "resumed", config), cache_folder(out / "resumed"), target
    )
    resumed = timed(command(corpus, out / "resumed", config, "--resume"))
    default = timed(command(corpus, out / "one-chunk", None))
    equal = tables(out / "resumed") == tables(out / "whole")

    print(f"{len(lines)} documents in {args.files} files, one chunk each; 2 cores (shared)")
    print(f"  uninterrupted run            {whole:6.1f} s")
    print(f"  killed after {kept}/{args.files} chunks        {until_kill:6.1f} s")
    print(f"  --resume                     {resumed:6.1f} s  (saves {whole - resumed:.1f} s)")
    print(f"  default chunking (1 chunk)   {default:6.1f} s")
    print(f"resumed run equals the uninterrupted run in every table: {equal}")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
