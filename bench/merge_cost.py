"""What merging shards costs against extracting their union again, on the bundled sample.

    flock /tmp/spark.lock python bench/merge_cost.py [--docs 3000] [--out /tmp/merge_cost]

Splits the first ``--docs`` documents of ``data/sample/corpus.jsonl`` into two shard files
(in two folders), then, on one warm Spark session (``local[2]``, as the tests use):
runs each shard, runs both files together, merges the two shard runs
(:func:`singleton_rate.merge.merge`), checks that every table of the merged run equals the
single run's, and prints the wall time of each step. A first small run warms the session
(JVM, spaCy in the workers) so that no step pays for it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "pipeline") not in sys.path:
    sys.path.insert(0, str(ROOT / "pipeline"))

from singleton_rate.config import RunConfig  # noqa: E402
from singleton_rate.merge import merge  # noqa: E402
from singleton_rate.progress import Progress  # noqa: E402
from singleton_rate.query import connect  # noqa: E402
from singleton_rate.run import run  # noqa: E402
from singleton_rate.spark import build_session  # noqa: E402
from singleton_rate.store import TABLES  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"


def tables(path: Path) -> dict[str, list[tuple]]:
    con = connect(path)
    return {t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--out", default="/tmp/merge_cost")
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)[: args.docs]
    half = len(lines) // 2
    shard_a, shard_b = out / "a" / "shard-a.jsonl", out / "b" / "shard-b.jsonl"
    for path, part in ((shard_a, lines[:half]), (shard_b, lines[half:])):
        path.parent.mkdir(parents=True)
        path.write_text("".join(part))
    spark = build_session(
        "local[2]",
        shuffle_partitions=2,
        extra_conf={"spark.ui.enabled": "false", "spark.default.parallelism": "2"},
    )
    quiet = Progress(quiet=True)
    try:
        run(RunConfig(inputs=(str(shard_a),), out=str(out / "warm"), limit_docs=20), spark=spark,
            progress=quiet)  # fmt: skip
        seconds: dict[str, float] = {}
        for name, inputs in (("shard a", (shard_a,)), ("shard b", (shard_b,)),
                             ("union", (shard_a, shard_b))):  # fmt: skip
            start = time.perf_counter()
            folder = out / name.replace(" ", "_")
            config = RunConfig(inputs=tuple(map(str, inputs)), out=str(folder))
            run(config, spark=spark, progress=Progress(quiet=True))
            seconds[name] = time.perf_counter() - start
        start = time.perf_counter()
        merge([str(out / "shard_a"), str(out / "shard_b")], out / "merged", spark=spark,
              progress=Progress(quiet=True))  # fmt: skip
        seconds["merge"] = time.perf_counter() - start
    finally:
        spark.stop()
    equal = tables(out / "merged") == tables(out / "union")
    print(f"{args.docs} documents in two shards of {half} and {len(lines) - half}")
    for name, s in seconds.items():
        print(f"  {name:8s} {s:7.1f} s")
    print(f"merged run equals the single run in every table: {equal}")
    return 0 if equal else 1


if __name__ == "__main__":
    sys.exit(main())
