"""Throughput benchmark: the full pipeline over realistic corpora, per stage and end to end.

    flock /tmp/spark.lock .venv/bin/python bench/harness.py [--sizes 1,6,20]
        [--parts scaling,tax,prefilter] [--compare-size MB] [--seed 0] [--out bench/out]
        [--master local[2]] [--plain-modes pool,nprocess]

Parts (``--parts``, comma-separated; default ``scaling,tax,prefilter``):

* ``scaling``: each size of ``--sizes`` (MB; they should span at least 20×) through
  ``singletons run --prefilter sentence``; documents/s, MB/s and words/s per stage (the
  manifest's ``timings_s``) and end to end (the process's wall time, Spark's start
  included), peak memory; then a least-squares line of each stage's time against size
  (slope s/MB, intercept, R²).
* ``tax``: on ``--compare-size`` (default: the middle size), the pipeline with
  ``--prefilter off`` against ``bench/plain_spacy.py`` (the same spaCy model and
  components, ``nlp.pipe`` on both cores, no Spark) in each of ``--plain-modes``; the
  faster plain mode is the baseline. Target: pipeline throughput ≥ 0.9 × plain.
* ``prefilter``: on the same size, ``--prefilter sentence`` against ``--prefilter off``.
  Target: ≥ 5× the throughput. Also the asserted mentions each finds.
* ``real`` (not in the default): real text nobody here tuned to (:mod:`real_text`): the
  first ``--wiki-docs`` real Wikipedia articles, ``--trex-docs`` T-REx subjects (their
  evidence sentences grouped), and the synthetic mix at ``--compare-size``, each through the
  pipeline (``--prefilter sentence``, whole process) and plain spaCy ``nlp.pipe(n_process=2)``
  (parse time, model load excluded): words/s, MB/s, characters parsed, mentions found.
* ``recall`` (not in the default): Google-RE's documents through the pipeline with
  ``--prefilter sentence`` and ``off``, each scored (:func:`singleton_rate.evaluate.score`):
  recall lost to the prefilter, in points. Target: ≤ 1 point.

Every pipeline run is a subprocess (``singletons run``, a fresh Spark session, ``--master``
with default settings), and so is every plain run. Peak memory is the largest sum of the
resident sets (RSS; and PSS, which counts shared pages once) of the whole process tree (the
Python driver, the JVM, Spark's Python workers), sampled from /proc every 0.2 s. Each run
also records the load average and the CPU time other processes used meanwhile
(``other_cpu_cores``): a figure measured while something else ran is not a clean one.

Corpora come from ``bench/realistic_corpus.py`` and are cached in ``OUT/corpora``; run
folders go to ``OUT/harness_runs``; figures to ``OUT/harness.json`` and ``OUT/harness.md``
(machine, corpora, commands and every figure). Not part of the test suite's default run:
``tests/test_bench_smoke.py`` runs it on tiny sizes, in-process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_text  # sibling scripts, not a package
import realistic_corpus

ROOT = Path(__file__).resolve().parent.parent
PLAIN = Path(__file__).resolve().parent / "plain_spacy.py"
PARTS = ("scaling", "tax", "prefilter", "real", "recall")
DEFAULT_PARTS = ("scaling", "tax", "prefilter")
DEFAULT_SIZES = (1.0, 6.0, 20.0)
TAX_TARGET = 0.9
PREFILTER_TARGET = 5.0
RECALL_TARGET_POINTS = 1.0
MB = realistic_corpus.MB
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------------
# Measuring a process tree from /proc
# --------------------------------------------------------------------------------------------


def _proc_table(min_pid: int = 0) -> dict[int, tuple[int, int, int]]:
    """pid → (parent pid, CPU ticks user+system, resident pages), for processes ≥ ``min_pid``.

    A process's descendants were started after it, so they have larger pids (until the pid
    counter wraps, which a benchmark's minutes do not reach): scanning only those keeps
    the sampler cheap.
    """
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) < min_pid:
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                raw = f.read().decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        # The command name may hold spaces and parentheses: split after its last ")".
        fields = raw[raw.rfind(")") + 2 :].split()
        table[int(entry.name)] = (
            int(fields[1]),
            int(fields[11]) + int(fields[12]),
            int(fields[21]),
        )
    return table


def _descendants(root: int, table: dict[int, tuple[int, int, int]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _busy_ticks() -> int:
    """CPU ticks the whole machine spent busy (not idle, not waiting on I/O)."""
    with open("/proc/stat", encoding="ascii") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (parts + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _loadavg() -> float:
    with open("/proc/loadavg", encoding="ascii") as f:
        return float(f.read().split()[0])


class TreeSampler:
    """Peak memory and CPU of a process and all its descendants, sampled every ``interval``.

    Use as a context manager around the work; :meth:`result` gives the figures.
    """

    def __init__(self, root: int, interval: float = 0.2, pss_every: int = 5) -> None:
        self.root = root
        self.interval = interval
        self.pss_every = pss_every  # PSS costs more to read (smaps_rollup): every n-th sample
        self.peak_rss = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0
        self.samples = 0
        self._cpu: dict[int, int] = {}  # pid → largest cumulative ticks seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        table = _proc_table(self.root)
        pids = _descendants(self.root, table)
        rss = sum(table[p][2] for p in pids) * PAGE
        for p in pids:
            self._cpu[p] = max(self._cpu.get(p, 0), table[p][1])
        self.peak_rss = max(self.peak_rss, rss)
        if self.samples % self.pss_every == 0:
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in pids))
        self.peak_processes = max(self.peak_processes, len(pids))
        self.samples += 1

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> TreeSampler:
        self._busy0 = _busy_ticks()
        self._load0 = _loadavg()
        self._self0 = _self_cpu()
        self._cpu0 = {p: t for p, (_, t, _) in _proc_table(self.root).items()}
        self._t0 = time.perf_counter()
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.seconds = time.perf_counter() - self._t0
        self.busy_s = (_busy_ticks() - self._busy0) / TICKS
        self.load1 = _loadavg()
        self.self_cpu_s = _self_cpu() - self._self0

    def result(self, tree_cpu_s: float | None = None) -> dict[str, Any]:
        """Peak RSS and PSS (MB), processes, and the CPU used by the tree and by others.

        ``tree_cpu_s``: the CPU time ``getrusage`` gives for the waited-for children. It
        misses descendants nobody waited for (the JVM outlives PySpark's wait), and the
        samples miss what a process spent after its last sample: both are lower bounds, and
        the larger is used.
        """
        seen = sum(t - self._cpu0.get(p, 0) for p, t in self._cpu.items()) / TICKS
        ours = max(seen, tree_cpu_s or 0.0)
        # Whatever this process spent (the sampler itself) is not "other" either; in-process
        # runs already count it in the tree.
        mine = 0.0 if tree_cpu_s is None else self.self_cpu_s
        other = max(0.0, self.busy_s - ours - mine)
        return {
            "peak_rss_mb": round(self.peak_rss / 2**20, 1),
            "peak_pss_mb": round(self.peak_pss_kb / 1024, 1),
            "peak_processes": self.peak_processes,
            "samples": self.samples,
            "tree_cpu_s": round(ours, 2),
            "harness_cpu_s": round(self.self_cpu_s, 2),
            "other_cpu_cores": round(other / self.seconds, 3) if self.seconds else None,
            "loadavg_before": self._load0,
            "loadavg_after": self.load1,
        }


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_measured(cmd: list[str], log: Path) -> tuple[float, dict[str, Any], str]:
    """Run ``cmd`` with its tree sampled; (wall seconds, memory and CPU figures, stdout)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    cpu0 = _children_cpu()
    with log.open("w", encoding="utf-8") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT)
        with TreeSampler(proc.pid) as sampler:
            stdout, _ = proc.communicate()
        wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} failed ({proc.returncode}); see {log}")
    log.with_suffix(".out").write_text(stdout, "utf-8")
    return wall, sampler.result(_children_cpu() - cpu0), stdout


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------


def _rates(seconds: float, docs: int, nbytes: int, words: int) -> dict[str, float]:
    s = max(seconds, 1e-9)
    return {
        "seconds": round(seconds, 3),
        "docs_per_s": round(docs / s, 2),
        "mb_per_s": round(nbytes / MB / s, 4),
        "words_per_s": round(words / s, 1),
    }


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _singletons() -> list[str]:
    script = Path(sys.executable).parent / "singletons"
    return [str(script)] if script.exists() else [sys.executable, "-m", "singleton_rate.cli"]


def pipeline_run(
    corpus: Path,
    run_dir: Path,
    prefilter: str,
    master: str,
    *,
    spark: Any | None = None,
    label: str = "",
) -> dict[str, Any]:
    """One pipeline run over ``corpus``; its figures per stage and end to end.

    Parameters
    ----------
    corpus : Path
        A JSONL corpus.
    run_dir : Path
        The run folder to write (replaced if present).
    prefilter : str
        ``sentence``, ``document`` or ``off``.
    master : str
        The Spark master of the subprocess.
    spark : SparkSession, optional
        Run in this process on this session instead (tests: no JVM start per run).
    label : str
        A name for the run in the report.

    Returns
    -------
    dict
        Input size, documents, words, stage rates, end-to-end rates, peak memory, the
        command, and the manifest's versions.
    """
    if spark is None:
        cmd = [
            *_singletons(),
            "run",
            str(corpus),
            "--out",
            str(run_dir),
            "--prefilter",
            prefilter,
            "--master",
            master,
            "--overwrite",
        ]
        wall, figures, _ = run_measured(cmd, run_dir.with_name(run_dir.name + ".log"))
        shown = ["singletons", "run", _rel(corpus), "--out", _rel(run_dir)]
        command = shlex.join(
            [".venv/bin/" + shown[0], *shown[1:], "--prefilter", prefilter, "--master", master]
        )
    else:
        from singleton_rate.config import RunConfig
        from singleton_rate.progress import Progress
        from singleton_rate.run import run

        # The caller's session as it is configured (tests: few shuffle partitions).
        partitions = int(spark.conf.get("spark.sql.shuffle.partitions", "8"))
        config = RunConfig(
            inputs=(str(corpus),),
            out=str(run_dir),
            prefilter=prefilter,
            overwrite=True,
            shuffle_partitions=partitions,
        )
        # An old root: every process is scanned, so sample less often (a test's figures).
        with TreeSampler(os.getpid(), interval=1.0, pss_every=1) as sampler:
            start = time.perf_counter()
            run(config, spark=spark, progress=Progress(quiet=True))
            wall = time.perf_counter() - start
        figures = sampler.result()
        command = (
            f"(in-process: singleton_rate.run.run on the caller's session, prefilter={prefilter})"
        )
    manifest = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    docs = manifest["documents"]
    n_docs, nbytes, words = docs["documents"], manifest["input_bytes"], docs["words"]
    timings = manifest["timings_s"]
    stages = {name: _rates(sec, n_docs, nbytes, words) for name, sec in timings.items()}
    in_pipeline = sum(timings.values())
    return {
        "label": label,
        "kind": "pipeline",
        "prefilter": prefilter,
        "corpus": _rel(corpus),
        "input_mb": round(nbytes / MB, 4),
        "documents": n_docs,
        "parsed_documents": docs["parsed"],
        "share_of_chars_parsed": _parsed_share(run_dir),
        "parsed_chars": _parsed_chars(run_dir),
        "words": words,
        "chars": docs["chars"],
        "mentions": manifest["mentions"]["by_status"],
        "stages": stages,
        "in_pipeline": _rates(in_pipeline, n_docs, nbytes, words),
        "end_to_end": _rates(wall, n_docs, nbytes, words),
        "outside_stages_s": round(wall - in_pipeline, 2),
        **figures,
        "command": command,
        "run_dir": _rel(run_dir),
        "versions": manifest.get("versions", {}),
        "spark": manifest.get("spark", {}),
    }


def _parsed_share(run_dir: Path) -> float | None:
    """Characters the parser saw ÷ all characters (``documents.parsed_chars``), if recorded."""
    import duckdb

    pattern = str(run_dir / "documents" / "*.parquet")
    try:
        parsed, total = duckdb.sql(
            f"select sum(parsed_chars), sum(n_chars) from read_parquet('{pattern}')"
        ).fetchall()[0]
    except duckdb.Error:  # an older run folder without the column
        return None
    return round(parsed / total, 4) if total else None


def _parsed_chars(run_dir: Path) -> int | None:
    """Characters the parser saw (``documents.parsed_chars`` summed), if recorded."""
    import duckdb

    pattern = str(run_dir / "documents" / "*.parquet")
    try:
        (parsed,) = duckdb.sql(
            f"select sum(parsed_chars) from read_parquet('{pattern}')"
        ).fetchall()[0]
    except duckdb.Error:
        return None
    return int(parsed or 0)


def plain_run(corpus: Path, mode: str, log: Path, label: str = "") -> dict[str, Any]:
    """``bench/plain_spacy.py`` over ``corpus`` in ``mode``, as a measured subprocess."""
    cmd = [sys.executable, str(PLAIN), str(corpus), "--mode", mode]
    wall, figures, stdout = run_measured(cmd, log)
    record = json.loads(stdout.strip().splitlines()[-1])
    n_docs, nbytes, words = record["documents"], record["bytes"], record["words"]
    return {
        "label": label,
        "kind": "plain",
        "mode": mode,
        "corpus": _rel(corpus),
        "input_mb": round(nbytes / MB, 4),
        "documents": n_docs,
        "words": words,
        "chars": record["chars"],
        "tokens": record["tokens"],
        "sentences": record["sentences"],
        "parse": _rates(record["parse_s"], n_docs, nbytes, words),
        "model_load_s": round(record["load_s"], 3),
        "end_to_end": _rates(wall, n_docs, nbytes, words),
        **figures,
        "command": shlex.join([".venv/bin/python", _rel(PLAIN), _rel(corpus), "--mode", mode]),
    }


# --------------------------------------------------------------------------------------------
# Fits and comparisons
# --------------------------------------------------------------------------------------------


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> dict[str, float | None]:
    """Least-squares line ``y = intercept + slope·x``, its R² and largest relative residual.

    Parameters
    ----------
    xs, ys : sequence of float
        At least two points; ``xs`` not all equal.

    Returns
    -------
    dict
        ``slope``, ``intercept``, ``r2`` (``None`` when ``ys`` do not vary) and
        ``max_rel_residual`` (the largest |residual| / y).
    """
    n = len(xs)
    if n < 2 or len(set(xs)) < 2:
        raise ValueError("a line needs at least two distinct x")
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = my - slope * mx
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    ss_tot = sum((y - my) ** 2 for y in ys)
    r2 = 1 - sum(r * r for r in residuals) / ss_tot if ss_tot > 0 else None
    rel = max((abs(r) / y for r, y in zip(residuals, ys, strict=True) if y > 0), default=0.0)
    return {
        "slope": round(slope, 4),
        "intercept": round(intercept, 3),
        "r2": None if r2 is None else round(r2, 5),
        "max_rel_residual": round(rel, 4),
    }


def scaling_fits(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Time against input MB for every stage, the stages' sum and the wall time."""
    xs = [r["input_mb"] for r in runs]
    series: dict[str, list[float]] = {}
    for name in runs[0]["stages"]:
        series[name] = [r["stages"].get(name, {}).get("seconds", 0.0) for r in runs]
    series["in pipeline (sum of stages)"] = [r["in_pipeline"]["seconds"] for r in runs]
    series["end to end (wall)"] = [r["end_to_end"]["seconds"] for r in runs]
    return {
        name: {
            **linear_fit(xs, ys),
            "seconds_per_mb_at_each_size": [round(y / x, 3) for x, y in zip(xs, ys, strict=True)],
        }
        for name, ys in series.items()
    }


def _ratio(a: float, b: float) -> float:
    return round(a / b, 4) if b else float("nan")


def tax_comparison(pipeline: dict[str, Any], plains: list[dict[str, Any]]) -> dict[str, Any]:
    """Pipeline (prefilter off) against the faster plain mode, end to end and steady state."""
    best = min(plains, key=lambda p: p["end_to_end"]["seconds"])
    extract = pipeline["stages"].get("read + extract", pipeline["in_pipeline"])
    return {
        "size_mb": pipeline["input_mb"],
        "baseline_mode": best["mode"],
        "plain_wall_s": {p["mode"]: p["end_to_end"]["seconds"] for p in plains},
        "pipeline_wall_s": pipeline["end_to_end"]["seconds"],
        # Throughput ratio on the same documents = inverse ratio of wall times.
        "ratio_end_to_end": _ratio(
            best["end_to_end"]["seconds"], pipeline["end_to_end"]["seconds"]
        ),
        "target": TAX_TARGET,
        "meets_target": best["end_to_end"]["seconds"]
        >= TAX_TARGET * pipeline["end_to_end"]["seconds"],
        # Without fixed costs: Spark's read + extract stage against plain nlp.pipe alone.
        "ratio_extract_vs_parse": _ratio(best["parse"]["seconds"], extract["seconds"]),
        "pipeline_fixed_s": round(pipeline["end_to_end"]["seconds"] - extract["seconds"], 2),
    }


def prefilter_comparison(sentence: dict[str, Any], off: dict[str, Any]) -> dict[str, Any]:
    """``--prefilter sentence`` against ``off`` on the same corpus."""
    kept = sentence["mentions"].get("asserted", 0)
    base = off["mentions"].get("asserted", 0)
    ext_s = sentence["stages"].get("read + extract", sentence["in_pipeline"])["seconds"]
    ext_o = off["stages"].get("read + extract", off["in_pipeline"])["seconds"]
    speedup = _ratio(off["end_to_end"]["seconds"], sentence["end_to_end"]["seconds"])
    return {
        "size_mb": sentence["input_mb"],
        "speedup_end_to_end": speedup,
        "speedup_extract": _ratio(ext_o, ext_s),
        "target": PREFILTER_TARGET,
        "meets_target": speedup >= PREFILTER_TARGET,
        "parsed_documents": {
            "sentence": sentence["parsed_documents"],
            "off": off["parsed_documents"],
        },
        "asserted_mentions": {"sentence": kept, "off": base},
        "share_of_mentions_kept": _ratio(kept, base),
    }


def recall_runs(
    corpora: Path, out: Path, master: str, spark: Any | None, note: Callable[[str], None]
) -> dict[str, Any]:
    """Google-RE recall with the sentence prefilter and without it, per attribute."""
    import duckdb

    from singleton_rate.evaluate import google_re_documents, google_re_gold, score, write_documents

    docs_path = out / "corpora" / "google_re.jsonl"
    if not docs_path.exists():
        write_documents(google_re_documents(corpora / "google_re"), docs_path)
    gold = google_re_gold(corpora / "google_re")
    runs, recall = {}, {}
    for mode in ("sentence", "off"):
        note(f"recall: Google-RE, --prefilter {mode}")
        run_dir = out / "harness_runs" / f"google_re-{mode}"
        runs[mode] = pipeline_run(docs_path, run_dir, mode, master, spark=spark, label=mode)
        pattern = str(run_dir / "mentions" / "**" / "*.parquet")
        rows = duckdb.sql(
            "select doc_id, entity, attribute, value, status, sentence "
            f"from read_parquet('{pattern}', hive_partitioning = true) "
            "where status = 'asserted'"
        ).fetchall()
        report = score(rows, gold, sample=0)
        recall[mode] = {a: s.recall for a, s in report.relations.items()}
    lost = {
        a: round(100 * ((recall["off"][a] or 0) - (recall["sentence"][a] or 0)), 2)
        for a in recall["off"]
    }
    return {
        "runs": runs,
        "recall": recall,
        "points_lost": lost,
        "target_points": RECALL_TARGET_POINTS,
        "meets_target": all(v <= RECALL_TARGET_POINTS for v in lost.values()),
    }


# --------------------------------------------------------------------------------------------
# Machine and report
# --------------------------------------------------------------------------------------------


def machine(versions: dict[str, Any]) -> dict[str, Any]:
    """Cores, memory, CPU model, OS and the software versions of the runs."""
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="ascii") as f:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "absent"

    java = versions.get("java", {})
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 2**20, 1),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "java": java.get("version", "unknown") if isinstance(java, dict) else str(java),
        "spark": versions.get("spark", version("pyspark")),
        "spacy": versions.get("spacy", version("spacy")),
        "model": versions.get("model", {}).get("package", "unknown"),
        "model_version": versions.get("model", {}).get("version", "unknown"),
        "singletons": version("singleton-rate"),
    }


def _f(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.1%}"


def _stage_table(run: dict[str, Any]) -> list[str]:
    lines = [
        "| stage | seconds | documents/s | MB/s | words/s |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = [*run["stages"].items(), ("in pipeline (sum)", run["in_pipeline"])]
    rows.append(("end to end (process wall)", run["end_to_end"]))
    for name, r in rows:
        lines.append(
            f"| {name} | {_f(r['seconds'], 2)} | {_f(r['docs_per_s'])} | "
            f"{_f(r['mb_per_s'], 3)} | {_f(r['words_per_s'], 0)} |"
        )
    return lines


def _memory_line(run: dict[str, Any]) -> str:
    return (
        f"peak memory of the process tree: RSS {_f(run['peak_rss_mb'], 0)} MB, "
        f"PSS {_f(run['peak_pss_mb'], 0)} MB ({run['peak_processes']} processes); "
        f"other processes used {_f(run['other_cpu_cores'], 2)} cores meanwhile "
        f"(load average {run['loadavg_before']:.2f} before, {run['loadavg_after']:.2f} after)"
    )


NOISY_CORES = 0.25


def _noise(report: dict[str, Any]) -> list[str]:
    """A warning when other processes took CPU during some run: its figures are not clean."""
    runs = [*_all_pipeline_runs(report), *report.get("tax", {}).get("plain", [])]
    runs += list(report.get("real", {}).get("plain", {}).values())
    worst = max((r.get("other_cpu_cores") or 0.0 for r in runs), default=0.0)
    if worst <= NOISY_CORES:
        return [f"Other processes used at most {worst:.2f} cores during any run.", ""]
    return [
        f"**Warning: other processes used up to {worst:.2f} of the {os.cpu_count()} cores "
        "during these runs (`other` in the tables and memory lines); the figures are not "
        "clean. Re-run on an idle machine.**",
        "",
    ]


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: machine, commands, corpora, every figure."""
    m = report["machine"]
    out = [
        "# Throughput benchmark",
        "",
        f"Measured {report['started_at']} by `bench/harness.py`, in "
        f"{report['seconds'] / 60:.1f} minutes. Re-run with:",
        "",
        "```",
        report["command"],
        "```",
        "",
        "## Machine",
        "",
        "| cores | memory | CPU | OS | Python | Java | Spark | spaCy | model |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {m['cores']} | {m['memory_gb']} GB | {m['cpu']} | {m['os']} | {m['python']} | "
        f"{m['java']} | {m['spark']} | {m['spacy']} | {m['model']} {m['model_version']} |",
        "",
        f"Spark master `{report['master']}`, default settings otherwise; a fresh session per run."
        if not report["in_process"]
        else "In-process runs on the caller's Spark session (a smoke test; not comparable).",
        "",
        *_noise(report),
        f"## Corpora (`bench/realistic_corpus.py`, seed {report['seed']})",
        "",
        "| size | documents | MB | words | sentences | pass the prefilter | hold a fact "
        "| documents passing | file |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size, c in report["corpora"].items():
        s = c["stats"]
        out.append(
            f"| {size} MB | {_f(s['documents'])} | {s['mb']:.2f} | {_f(s['words'])} | "
            f"{_f(s['sentences'])} | {s['share_passing_prefilter']:.2%} | "
            f"{s['share_holding_fact']:.2%} | {s['share_documents_passing_prefilter']:.1%} | "
            f"`{c['path']}` |"
        )
    out += [
        "",
        "Sentences passing: `build_prefilter(load_catalog())` on each sentence the generator "
        "wrote (real paragraphs split by a regex). Per source and per kind of sentence: each "
        "corpus's `.stats.json`. Made (and cached) by:",
        "",
        *(f"    {c['command']}" for c in report["corpora"].values()),
        "",
    ]
    if "scaling" in report:
        sc = report["scaling"]
        sizes = [f"{r['input_mb']:.2f}" for r in sc["runs"]]
        out += ["## Scaling (`--prefilter sentence`)", ""]
        for run in sc["runs"]:
            out += [
                f"### {run['label']}: {run['input_mb']:.2f} MB, {_f(run['documents'])} documents, "
                f"{_f(run['words'])} words; parsed: {_f(run['parsed_documents'])} documents, "
                f"{_pct(run.get('share_of_chars_parsed'))} of the characters",
                "",
                f"`{run['command']}`",
                "",
                *_stage_table(run),
                "",
                _memory_line(run) + ".",
                "",
            ]
        out += [
            "### Time against size (least squares over the sizes)",
            "",
            "| series | slope (s/MB) | intercept (s) | R² | largest relative residual "
            "| s/MB at each size |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for name, fit in sc["fits"].items():
            per = ", ".join(f"{v:.2f}" for v in fit["seconds_per_mb_at_each_size"])
            out.append(
                f"| {name} | {fit['slope']:.3f} | {fit['intercept']:.2f} | "
                f"{_f(fit['r2'], 4)} | {fit['max_rel_residual']:.1%} | {per} |"
            )
        out += [
            "",
            f"Sizes span {sc['span']:.0f}× ({', '.join(sizes)} MB).",
            "",
        ]
    if "tax" in report:
        t = report["tax"]
        c = t["comparison"]
        out += [
            "## No Spark tax: pipeline `--prefilter off` against plain spaCy "
            f"({c['size_mb']:.2f} MB)",
            "",
            "| run | wall s | documents/s | MB/s | words/s | parse-only words/s | peak RSS MB "
            "| other CPU (cores) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in [t["pipeline"], *t["plain"]]:
            e = run["end_to_end"]
            parse = run.get("parse") or run["stages"].get("read + extract")
            name = "pipeline, off" if run["kind"] == "pipeline" else f"plain, {run['mode']}"
            out.append(
                f"| {name} | {e['seconds']:.1f} | {_f(e['docs_per_s'])} | {e['mb_per_s']:.3f} | "
                f"{_f(e['words_per_s'], 0)} | {_f(parse['words_per_s'], 0)} | "
                f"{_f(run['peak_rss_mb'], 0)} | {_f(run['other_cpu_cores'], 2)} |"
            )
        out += [
            "",
            f"Baseline: the faster plain mode, `{c['baseline_mode']}`. Pipeline throughput ÷ "
            f"plain throughput, end to end: **{c['ratio_end_to_end']:.3f}** (target ≥ "
            f"{c['target']}: {'met' if c['meets_target'] else 'NOT met'}). Read + extract "
            "stage against plain parsing alone (fixed costs left out): "
            f"{c['ratio_extract_vs_parse']:.3f}; the pipeline's time outside that stage: "
            f"{c['pipeline_fixed_s']:.1f} s.",
            "",
            "Commands:",
            "",
            *(f"    {run['command']}" for run in [t["pipeline"], *t["plain"]]),
            "",
        ]
    if "prefilter" in report:
        p = report["prefilter"]
        c = p["comparison"]
        out += [
            f"## Prefilter: `--prefilter sentence` against `off` ({c['size_mb']:.2f} MB)",
            "",
            "| prefilter | wall s | words/s | read + extract s | parsed documents "
            "| characters parsed | asserted mentions | peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in (p["sentence"], p["off"]):
            ext = run["stages"].get("read + extract", run["in_pipeline"])
            out.append(
                f"| {run['prefilter']} | {run['end_to_end']['seconds']:.1f} | "
                f"{_f(run['end_to_end']['words_per_s'], 0)} | {ext['seconds']:.1f} | "
                f"{_f(run['parsed_documents'])} | {_pct(run.get('share_of_chars_parsed'))} | "
                f"{_f(run['mentions'].get('asserted', 0))} | "
                f"{_f(run['peak_rss_mb'], 0)} |"
            )
        out += [
            "",
            f"Speed-up end to end: **{c['speedup_end_to_end']:.2f}×** (target ≥ {c['target']:g}×:"
            f" {'met' if c['meets_target'] else 'NOT met'}); read + extract stage: "
            f"{c['speedup_extract']:.2f}×. Asserted mentions kept: "
            f"{c['share_of_mentions_kept']:.2%} of the unfiltered run's.",
            "",
        ]
    if "real" in report:
        out += real_text.markdown(report["real"]["rows"])
    if "recall" in report:
        r = report["recall"]
        out += [
            "## Google-RE recall with and without the prefilter",
            "",
            "| attribute | recall, sentence | recall, off | points lost |",
            "|---|---:|---:|---:|",
        ]
        for a, lost in r["points_lost"].items():
            out.append(
                f"| {a} | {_f(r['recall']['sentence'][a], 4)} | {_f(r['recall']['off'][a], 4)} | "
                f"{lost:.2f} |"
            )
        out += [
            "",
            f"Target: at most {r['target_points']:g} point lost: "
            f"{'met' if r['meets_target'] else 'NOT met'}. Wall: "
            + ", ".join(f"{m} {run['end_to_end']['seconds']:.0f} s" for m, run in r["runs"].items())
            + ".",
            "",
        ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# The harness
# --------------------------------------------------------------------------------------------


def run_harness(
    sizes: Sequence[float] = DEFAULT_SIZES,
    *,
    parts: Sequence[str] = DEFAULT_PARTS,
    compare_size: float | None = None,
    seed: int = 0,
    out: Path = ROOT / "bench" / "out",
    master: str = "local[2]",
    plain_modes: Sequence[str] = ("pool", "nprocess"),
    corpora: Path = realistic_corpus.CORPORA,
    wiki_docs: int = 2000,
    trex_docs: int = 3000,
    spark: Any | None = None,
    command: str = "",
    note: Callable[[str], None] = lambda s: print(s, file=sys.stderr, flush=True),
) -> dict[str, Any]:
    """Run the chosen parts and write ``out/harness.json`` and ``out/harness.md``.

    Parameters
    ----------
    sizes : sequence of float
        Corpus sizes in MB for ``scaling`` (at least two; 20× apart or more is the aim).
    parts : sequence of str
        Any of :data:`PARTS`.
    compare_size : float, optional
        The size of the ``tax`` and ``prefilter`` comparisons; default the middle size.
    seed : int
        The corpus generator's seed.
    out : Path
        Where corpora (``corpora/``), runs (``harness_runs/``) and the report go.
    master : str
        Spark master of the pipeline subprocesses.
    plain_modes : sequence of str
        Modes of ``bench/plain_spacy.py`` to measure; the faster is the baseline.
    corpora : Path
        The shared corpora (real paragraphs for the generator; Google-RE for ``recall``;
        Wikipedia and T-REx for ``real``).
    wiki_docs, trex_docs : int
        ``real``: Wikipedia articles and T-REx subjects.
    spark : SparkSession, optional
        Run the pipeline in this process on this session (tests), not as subprocesses.
    command : str
        The command line to print in the report.
    note : callable
        Progress messages.

    Returns
    -------
    dict
        Everything written to ``harness.json``.
    """
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s) {sorted(unknown)}; known: {', '.join(PARTS)}")
    sizes = sorted(sizes)
    if "scaling" in parts and len(set(sizes)) < 2:
        raise ValueError("scaling needs at least two distinct sizes")
    compare = compare_size if compare_size is not None else sizes[len(sizes) // 2]
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    runs_dir = out / "harness_runs"
    needed = set(sizes) if "scaling" in parts else set()
    if {"tax", "prefilter", "real"} & set(parts):
        needed.add(compare)
    corpus_paths: dict[float, Path] = {}
    report: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": command or "(called from Python)",
        "master": master,
        "seed": seed,
        "sizes_mb": list(sizes),
        "compare_size_mb": compare,
        "parts": list(parts),
        "in_process": spark is not None,
        "corpora": {},
    }
    for size in sorted(needed):
        note(f"corpus: {size:g} MB")
        path = realistic_corpus.cached(size, out / "corpora", seed=seed, corpora=corpora)
        corpus_paths[size] = path
        stats = json.loads(realistic_corpus.stats_path(path).read_text("utf-8"))
        generate = [".venv/bin/python", "bench/realistic_corpus.py", "--size-mb", f"{size:g}"]
        generate += ["--seed", str(seed), "--out", _rel(path)]
        report["corpora"][f"{size:g}"] = {
            "path": _rel(path),
            "stats": stats,
            "command": shlex.join(generate),
        }

    def pipe(size: float, prefilter: str, label: str) -> dict[str, Any]:
        note(f"pipeline: {size:g} MB, --prefilter {prefilter}")
        run_dir = runs_dir / f"{size:g}mb-{prefilter}"
        return pipeline_run(
            corpus_paths[size], run_dir, prefilter, master, spark=spark, label=label
        )

    sentence_runs: dict[float, dict[str, Any]] = {}
    if "scaling" in parts:
        for size in sizes:
            sentence_runs[size] = pipe(size, "sentence", f"{size:g} MB")
        runs = [sentence_runs[s] for s in sizes]
        report["scaling"] = {
            "runs": runs,
            "fits": scaling_fits(runs),
            "span": runs[-1]["input_mb"] / runs[0]["input_mb"],
        }
    off = None
    if "tax" in parts or "prefilter" in parts:
        off = pipe(compare, "off", f"{compare:g} MB, off")
    if "tax" in parts:
        plains = []
        for mode in plain_modes:
            note(f"plain spaCy: {compare:g} MB, {mode}")
            log = runs_dir / f"{compare:g}mb-plain-{mode}.log"
            plains.append(plain_run(corpus_paths[compare], mode, log, f"plain {mode}"))
        report["tax"] = {
            "pipeline": off,
            "plain": plains,
            "comparison": tax_comparison(off, plains),
        }
    if "prefilter" in parts:
        sentence = sentence_runs.get(compare) or pipe(compare, "sentence", f"{compare:g} MB")
        report["prefilter"] = {
            "sentence": sentence,
            "off": off,
            "comparison": prefilter_comparison(sentence, off),
        }
    if "real" in parts:
        report["real"] = real_runs(
            corpora,
            out,
            master,
            spark,
            note,
            wiki_docs=wiki_docs,
            trex_docs=trex_docs,
            synthetic=(
                corpus_paths[compare],
                sentence_runs.get(compare) or report.get("prefilter", {}).get("sentence"),
                next(
                    (
                        p
                        for p in report.get("tax", {}).get("plain", [])
                        if p["mode"] == real_text.PLAIN_MODE
                    ),
                    None,
                ),
            ),
        )
    if "recall" in parts:
        report["recall"] = recall_runs(corpora, out, master, spark, note)
    versions = next((r["versions"] for r in _all_pipeline_runs(report) if r.get("versions")), {})
    report["machine"] = machine(versions)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    (out / "harness.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    (out / "harness.md").write_text(markdown(report), "utf-8")
    return report


def real_runs(
    corpora: Path,
    out: Path,
    master: str,
    spark: Any | None,
    note: Callable[[str], None],
    *,
    wiki_docs: int,
    trex_docs: int,
    synthetic: tuple[Path, dict[str, Any] | None, dict[str, Any] | None],
) -> dict[str, Any]:
    """The ``real`` part: Wikipedia, T-REx and the synthetic mix, pipeline against plain.

    ``synthetic`` is the generated corpus with its sentence run and plain ``nprocess`` run
    when other parts made them already (else they are run here).
    """
    runs_dir = out / "harness_runs"
    corpus_dir = out / "corpora"
    note(f"real text: {wiki_docs} Wikipedia articles, {trex_docs} T-REx subjects")
    corpora_paths = {
        "wikipedia": real_text.wikipedia_corpus(corpora, wiki_docs, corpus_dir),
        "trex": real_text.trex_corpus(corpora, trex_docs, corpus_dir),
    }
    rows, pipelines, plains = [], {}, {}
    for name, path in corpora_paths.items():
        note(f"pipeline: {name}, --prefilter sentence")
        pipelines[name] = pipeline_run(
            path, runs_dir / f"real-{name}", "sentence", master, spark=spark, label=name
        )
        note(f"plain spaCy: {name}, {real_text.PLAIN_MODE}")
        log = runs_dir / f"real-{name}-plain-{real_text.PLAIN_MODE}.log"
        plains[name] = plain_run(path, real_text.PLAIN_MODE, log, f"plain {name}")
        rows.append(real_text.real_row(name, pipelines[name], plains[name]))
    path, sentence, plain = synthetic
    if sentence is None:
        note("pipeline: synthetic, --prefilter sentence")
        sentence = pipeline_run(
            path, runs_dir / "real-synthetic", "sentence", master, spark=spark, label="synthetic"
        )
    if plain is None:
        note(f"plain spaCy: synthetic, {real_text.PLAIN_MODE}")
        log = runs_dir / f"real-synthetic-plain-{real_text.PLAIN_MODE}.log"
        plain = plain_run(path, real_text.PLAIN_MODE, log, "plain synthetic")
    pipelines["synthetic"], plains["synthetic"] = sentence, plain
    rows.append(real_text.real_row("synthetic", sentence, plain))
    return {"rows": rows, "pipelines": pipelines, "plain": plains}


def _all_pipeline_runs(report: dict[str, Any]) -> list[dict[str, Any]]:
    runs = list(report.get("scaling", {}).get("runs", []))
    for key in ("tax", "prefilter"):
        part = report.get(key, {})
        runs += [v for v in part.values() if isinstance(v, dict) and v.get("kind") == "pipeline"]
    runs += list(report.get("real", {}).get("pipelines", {}).values())
    runs += list(report.get("recall", {}).get("runs", {}).values())
    return runs


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=_floats, default=list(DEFAULT_SIZES), help="MB (default: 1,6,20)"
    )
    parser.add_argument(
        "--parts", default=",".join(DEFAULT_PARTS), help=f"comma-separated: {', '.join(PARTS)}"
    )
    parser.add_argument(
        "--compare-size",
        type=float,
        help="MB of the tax and prefilter comparisons (default: middle size)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--plain-modes", default="pool,nprocess")
    parser.add_argument("--corpora", type=Path, default=realistic_corpus.CORPORA)
    parser.add_argument("--wiki-docs", type=int, default=2000, help="real: Wikipedia articles")
    parser.add_argument("--trex-docs", type=int, default=3000, help="real: T-REx subjects")
    args = parser.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"{args.corpora} is absent: the shared corpora are not beside this checkout")
        return 1
    shown = ["flock", "/tmp/spark.lock", ".venv/bin/python", "bench/harness.py"]
    shown += ["--sizes", ",".join(f"{s:g}" for s in args.sizes), "--parts", args.parts]
    if args.compare_size is not None:
        shown += ["--compare-size", f"{args.compare_size:g}"]
    shown += ["--seed", str(args.seed), "--out", _rel(args.out), "--master", args.master]
    shown += ["--plain-modes", args.plain_modes]
    if "real" in args.parts:
        shown += ["--wiki-docs", str(args.wiki_docs), "--trex-docs", str(args.trex_docs)]
    report = run_harness(
        args.sizes,
        parts=[p.strip() for p in args.parts.split(",") if p.strip()],
        compare_size=args.compare_size,
        seed=args.seed,
        out=args.out,
        master=args.master,
        plain_modes=[m.strip() for m in args.plain_modes.split(",") if m.strip()],
        corpora=args.corpora,
        wiki_docs=args.wiki_docs,
        trex_docs=args.trex_docs,
        command=shlex.join(shown),
    )
    print(f"wrote {args.out / 'harness.md'} and harness.json in {report['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
