"""The fixed cost of a run: a tiny input through ``singletons run``, per stage, A/B interleaved.

    python bench/fixed_cost.py [--variant NAME=ROOT[;EXTRA ARGS] ...] [--repeats 3]
        [--limit-docs 10] [--corpus data/sample/corpus.jsonl] [--out bench/out/fixed_cost]
        [--lock /tmp/spark.lock]

Each variant is a checkout of the project (``ROOT``; its ``pipeline/`` is put first on
``PYTHONPATH``); the default is this checkout alone; words after a ``;`` are added to its
``singletons run`` command (e.g. ``--conf spark.ui.enabled=false``). The runs alternate between
the variants (A, B, A, B, ...) so that the machine's load falls on all of them alike, each a
fresh ``singletons run`` process (its own Spark session) under ``flock LOCK`` for that one run.
Per variant: the median over repeats of every stage in the manifest's ``timings_s``, of the
process's wall time, and of the time outside the stages (interpreter start, imports, Spark's
stop). The input is small enough (``--limit-docs``, or a tiny ``--corpus`` with ``--limit-docs
0``) that what is measured is the cost every run pays whatever its size.
Writes ``OUT/fixed_cost.json`` and ``OUT/fixed_cost.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def median_stages(runs: Sequence[dict[str, Any]]) -> dict[str, float]:
    """The median of every timed quantity over ``runs`` (a stage missing from a run is 0).

    Parameters
    ----------
    runs : sequence of dict
        Each with ``stages`` (name → seconds), ``wall_s`` and ``outside_s``.

    Returns
    -------
    dict
        Stage name → median seconds, in the order stages first appear, then ``in stages
        (sum)``, ``outside stages`` and ``wall``.

    Examples
    --------
    >>> runs = [{"stages": {"a": 1.0, "b": 2.0}, "wall_s": 5.0, "outside_s": 2.0},
    ...         {"stages": {"a": 3.0}, "wall_s": 7.0, "outside_s": 4.0},
    ...         {"stages": {"a": 2.0, "b": 4.0}, "wall_s": 6.0, "outside_s": 0.0}]
    >>> median_stages(runs)
    {'a': 2.0, 'b': 2.0, 'in stages (sum)': 3.0, 'outside stages': 2.0, 'wall': 6.0}
    """
    if not runs:
        raise ValueError("no runs to summarise")
    names: list[str] = []
    for r in runs:
        names += [n for n in r["stages"] if n not in names]
    out = {n: statistics.median(r["stages"].get(n, 0.0) for r in runs) for n in names}
    out["in stages (sum)"] = statistics.median(sum(r["stages"].values()) for r in runs)
    out["outside stages"] = statistics.median(r["outside_s"] for r in runs)
    out["wall"] = statistics.median(r["wall_s"] for r in runs)
    return out


def one_run(
    name: str,
    root: Path,
    corpus: Path,
    out: Path,
    limit_docs: int,
    lock: str | None,
    extra: Sequence[str] = (),
) -> dict[str, Any]:
    """One ``singletons run`` of ``root``'s code; its wall time and manifest timings."""
    run_dir = out / "runs" / name
    cmd = [sys.executable, "-m", "singleton_rate.cli", "run", str(corpus), "--out", str(run_dir)]
    cmd += ["--overwrite", "--master", "local[2]", *extra]
    if limit_docs:
        cmd += ["--limit-docs", str(limit_docs)]
    # A checkout keeps the package in pipeline/: without it first on the path, the venv's
    # editable install (the main checkout) would run instead of the variant's code.
    code = root / "pipeline" if (root / "pipeline" / "singleton_rate").is_dir() else root
    env = dict(os.environ, PYTHONPATH=str(code))
    load_before = os.getloadavg()[0]
    # flock's wait is not the run's: time from when the lock is held (the child's own clock).
    stamp = out / "runs" / f"{name}.start"
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    if lock:
        inner = shlex.join(cmd)
        cmd = ["flock", lock, "sh", "-c", f"date +%s.%N > {shlex.quote(str(stamp))}; exec {inner}"]
    start = time.time()
    proc = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, check=False)
    end = time.time()
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    if stamp.exists():
        start = float(stamp.read_text().strip())
    manifest = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    stages = {k: float(v) for k, v in manifest["timings_s"].items()}
    wall = end - start
    return {
        "variant": name,
        "wall_s": round(wall, 3),
        "stages": stages,
        "outside_s": round(wall - sum(stages.values()), 3),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "documents": manifest["documents"]["documents"],
        "code": str(code),
    }


def markdown(report: dict[str, Any]) -> str:
    """The per-stage medians of every variant side by side, as a Markdown table."""
    variants = list(report["medians"])
    names: list[str] = []
    for v in variants:
        names += [n for n in report["medians"][v] if n not in names]
    lines = [
        f"Command: `{report['command']}`",
        "",
        f"Median of {report['repeats']} runs per variant, interleaved "
        f"({', '.join(variants)}, ...); {report['limit_docs'] or 'all'} documents of "
        f"`{report['corpus']}`.",
        "Load average before each run: "
        + ", ".join(f"{r['load_before']:.1f}" for r in report["runs"]),
        "",
        "| stage | " + " | ".join(f"{v} (s)" for v in variants) + " |",
        "|---|" + "---:|" * len(variants),
    ]
    for n in names:
        cells = [f"{report['medians'][v].get(n, 0.0):.2f}" for v in variants]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--variant", action="append", default=[], help="NAME=ROOT (repeatable; default: this)"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit-docs", type=int, default=10)
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "sample" / "corpus.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fixed_cost")
    parser.add_argument("--lock", default="/tmp/spark.lock", help="'' for none")
    args = parser.parse_args(argv)
    variants = [v.split("=", 1) for v in args.variant] or [["this", str(ROOT)]]
    extras = {}
    for v in variants:
        root, _, words = v[1].partition(";")
        v[1] = root
        extras[v[0]] = shlex.split(words)
    args.out.mkdir(parents=True, exist_ok=True)
    runs = []
    for i in range(args.repeats):
        for name, root in variants:
            run = one_run(
                name,
                Path(root),
                args.corpus.resolve(),
                args.out,
                args.limit_docs,
                args.lock,
                extras[name],
            )
            run["repeat"] = i
            runs.append(run)
            print(json.dumps(run), file=sys.stderr, flush=True)
    report = {
        "command": shlex.join(["python", "bench/fixed_cost.py", *(argv or sys.argv[1:])]),
        "corpus": str(args.corpus),
        "limit_docs": args.limit_docs,
        "repeats": args.repeats,
        "variants": {name: {"root": root, "extra": extras[name]} for name, root in variants},
        "runs": runs,
        "medians": {
            name: median_stages([r for r in runs if r["variant"] == name]) for name, _ in variants
        },
    }
    (args.out / "fixed_cost.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    md = markdown(report)
    (args.out / "fixed_cost.md").write_text(md, "utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
