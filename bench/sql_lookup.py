"""Lookups of one fact and singleton rates over slices in a run of 10 million distinct facts.

    python bench/sql_lookup.py [--facts 10000000] [--lookups 200] [--cli-runs 20]
                               [--out bench/out/sql_lookup] [--report bench/out/sql_lookup.md]
                               [--reuse] [--baseline] [--row-group-rows N]

1. Builds a run folder with DuckDB (no Spark: a 10-million-fact run would take hours of
   extraction) in the layout ``singletons run`` writes: ``facts/`` and ``prompts/``
   partitioned ``attribute=…`` with several part files per attribute (the count stage's hash
   partitions; 8 here, as ``shuffle_partitions``), each file sorted by (entity, value) and cut
   into row groups of ``LOOKUP_ROW_GROUP_ROWS`` rows, as ``pipeline/singleton_rate/run.py``
   writes them
   (``sortWithinPartitions`` and ``parquet.block.row.count.limit``); Snappy; the facts
   columns and types of a real run; a manifest; ``catalog.duckdb``. Facts: 12 attributes of
   skewed size, about 3.3 million entities with three facts each (some conflicting values),
   mention counts from a power law (about half are singletons), document counts below them.
   ``--baseline`` also builds the layout before this change (unsorted, Spark's default
   128 MB row groups) and measures the Python API on it.
2. Times, in one process through the Python API (:func:`singleton_rate.query.connect`):
   ``lookup_fact`` of random facts that exist, of facts that do not (``unseen``), and
   singleton rate with its interval over slices (one attribute; an entity-prefix range
   within one attribute).
3. Times ``singletons sql RUN QUERY --timing`` as a subprocess for some of the same
   queries: the query time it reports and the whole process's wall time (Python start,
   imports, connection, query, exit).
4. Prints the figures and writes them as a markdown section to ``--report``
   (``bench/out/sql_lookup.md``) and as JSON to ``OUT/sql_lookup.json``.

The generated runs stay in ``OUT`` for ``--reuse`` (delete them when done: 1.5 GB with
``--baseline``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from singleton_rate.contract import LOOKUP_ROW_GROUP_ROWS  # noqa: E402
from singleton_rate.query import connect, write_catalog  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "out" / "sql_lookup"
DEFAULT_REPORT = ROOT / "bench" / "out" / "sql_lookup.md"  # a section for bench/RESULTS.md
FILES_PER_ATTRIBUTE = 8  # the count stage's shuffle partitions (RunConfig.shuffle_partitions)
# (attribute, value kind, share of facts): the shipped catalog's attributes, skewed.
ATTRIBUTES: tuple[tuple[str, str, float], ...] = (
    ("occupation", "text", 0.20),
    ("birth_date", "date", 0.15),
    ("birth_place", "place", 0.12),
    ("educated_at", "entity", 0.10),
    ("death_date", "date", 0.08),
    ("nationality", "country", 0.08),
    ("death_place", "place", 0.07),
    ("employer", "entity", 0.07),
    ("spouse", "entity", 0.05),
    ("founded", "date", 0.03),
    ("founder", "entity", 0.03),
    ("headquarters", "place", 0.02),
)
FIRST = ("ada", "jan", "maria", "li", "omar", "eva", "ravi", "sara", "tomas", "yuki", "ana", "ben")
LAST = ("garcía", "novak", "chen", "okafor", "silva", "kowalski", "haddad", "berg", "ito", "rossi")


def _attribute_case() -> str:
    """SQL: the attribute of fact i, drawn by hash with the shares above."""
    parts, edge = [], 0.0
    for name, _kind, share in ATTRIBUTES[:-1]:
        edge += share
        parts.append(f"when u_attr < {edge!r} then '{name}'")
    return f"case {' '.join(parts)} else '{ATTRIBUTES[-1][0]}' end"


def _value_case() -> str:
    """SQL: a value of the attribute's kind, distinct among one entity's facts (slot)."""
    kinds = {name: kind for name, kind, _ in ATTRIBUTES}
    parts = []
    for name, kind in kinds.items():
        if kind == "date":
            expr = "strftime(date '1700-01-01' + to_days((v_seed * 3 + slot)::int), '%Y-%m-%d')"
        elif kind == "place":
            expr = "'place ' || (v_seed * 3 + slot)"
        elif kind == "country":
            expr = "'country ' || (v_seed % 200 * 3 + slot)"
        elif kind == "entity":
            expr = "'organisation ' || (v_seed * 3 + slot)"
        else:
            expr = "'occupation ' || (v_seed % 3000 * 3 + slot)"
        parts.append(f"when '{name}' then {expr}")
    return f"case attribute {' '.join(parts)} end"


def build_run(
    out: Path,
    n_facts: int,
    *,
    sorted_layout: bool = True,
    row_group_rows: int = LOOKUP_ROW_GROUP_ROWS,
) -> Path:
    """A run folder of ``n_facts`` distinct facts in the pipeline's layout (see the module)."""
    run = out / ("run" if sorted_layout else "run_baseline")
    if run.exists():
        shutil.rmtree(run)
    run.mkdir(parents=True)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    first = "[" + ", ".join(f"'{x}'" for x in FIRST) + "]"
    last = "[" + ", ".join(f"'{x}'" for x in LAST) + "]"
    con.execute(
        f"""
        create table f as
        with base as (
            select i, i // 3 as entity_id, i % 3 as slot,
                   (hash(i // 3, 11) % 1000000) / 1000000.0 as u_attr0,
                   (hash(i, 13) % 1000000) / 1000000.0 as u_attr1,
                   hash(i // 3, 17) % 24000 as v_seed,
                   (hash(i, 19) % 1000000 + 0.5) / 1000000.0 as u_count,
                   (hash(i, 23) % 1000) / 1000.0 as u_docs
            from range({n_facts}) t(i)
        ), keyed as (
            select *,
                   -- one entity's facts: mostly different attributes, 1 in 10 a conflict
                   case when slot = 1 and u_attr1 < 0.1 then u_attr0
                        else (u_attr0 + slot * 0.37) % 1.0 end as u_attr,
                   {first}[(1 + hash(entity_id, 29) % {len(FIRST)})::bigint] || ' '
                     || {last}[(1 + hash(entity_id, 31) % {len(LAST)})::bigint] || ' '
                     || (hash(entity_id, 37) % 100000000) || '-' || entity_id as entity_text
            from base
        ), attributed as (
            select *, {_attribute_case()} as attribute from keyed
        )
        select lower(entity_text) as entity,
               {_value_case()} as value,
               least(100000, floor(pow(u_count, -1 / 1.1)))::bigint as mention_count,
               entity_text, attribute
        from attributed
        """
    )
    con.execute(
        """
        create table facts as
        select entity, value, mention_count,
               greatest(1, mention_count - floor((mention_count - 1) * 0.2 * random()))::bigint
                   as doc_count,
               case when attribute in ('birth_date', 'death_date', 'founded') then 'day'
                    else 'key' end as value_precision,
               entity_text, value as value_text, 1::bigint as n_value_surfaces, attribute,
               hash(entity, value) % 8 as part
        from f
        """
    )
    con.execute("drop table f")
    con.execute(
        """
        create table prompts as
        select entity, sum(mention_count)::bigint as mention_count,
               max(doc_count)::bigint as doc_count, count(*)::bigint as n_values,
               min(entity_text) as entity_text, attribute, hash(entity, attribute) % 8 as part
        from facts group by entity, attribute
        """
    )
    for table, sort in (("facts", "entity, value"), ("prompts", "entity")):
        columns = [
            r[0] for r in con.execute(f"describe {table}").fetchall() if r[0] not in ("part",)
        ]
        data = [c for c in columns if c != "attribute"]
        for name, _kind, _share in ATTRIBUTES:
            folder = run / table / f"attribute={name}"
            folder.mkdir(parents=True)
            for part in range(FILES_PER_ATTRIBUTE):
                target = folder / f"part-{part:05d}-bench.c000.snappy.parquet"
                if sorted_layout:
                    order = f"order by {sort}"
                    groups = f"row_group_size {row_group_rows}"
                else:  # Spark's default: 128 MB row groups, rows in hash order
                    order = "order by hash(entity)"
                    groups = "row_group_size 100000000, row_group_size_bytes '128MB'"
                con.execute(
                    f"copy (select {', '.join(data)} from {table} "
                    f"where attribute = '{name}' and part = {part} {order}) "
                    f"to '{target}' (format parquet, compression snappy, {groups})"
                )
    for table in ("documents", "mentions", "freq_of_freq", "estimates", "extrapolation"):
        (run / table).mkdir()
    for table in ("rejects", "audit"):
        (run / table).mkdir()
    manifest = {
        "run_id": "bench",
        "config": {"rare_max": 5, "confidence": 0.95},
        "catalog": {"relations": [{"name": f"{a}_v1", "value": kind} for a, kind, _ in ATTRIBUTES]},
        "bench": {"facts": n_facts, "sorted": sorted_layout},
    }
    (run / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    if sorted_layout:
        write_catalog(run)
    con.close()
    return run


def _samples(run: Path, n: int, seed: int) -> dict[str, list]:
    """Random existing facts, absent facts and slices to look up."""
    rng = random.Random(seed)
    con = duckdb.connect()
    facts = con.execute(
        "select entity, attribute, value from read_parquet(?, hive_partitioning = true) "
        f"using sample {n} rows (reservoir, {seed})",
        [f"{run}/facts/**/*.parquet"],
    ).fetchall()
    con.close()
    absent = [(e + " x", a, v) for e, a, v in facts]
    attrs = [a for a, _, _ in ATTRIBUTES]
    prefixes = [(rng.choice(attrs), rng.choice(FIRST) + " " + rng.choice(LAST)) for _ in range(n)]
    return {"present": facts, "absent": absent, "attributes": attrs, "prefixes": prefixes}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def lookup_sql(entity: str, attribute: str, value: str) -> str:
    return f"select * from lookup_fact({_lit(entity)}, {_lit(attribute)}, {_lit(value)})"


def attribute_slice_sql(attribute: str) -> str:
    return (
        "select singleton_rate(doc_count) as sr, missing_mass_low(doc_count) as low, "
        f"missing_mass_high(doc_count) as high from facts where attribute = {_lit(attribute)}"
    )


def prefix_slice_sql(attribute: str, prefix: str) -> str:
    # A range on the sorted key, so row groups outside it are skipped.
    return (
        "select singleton_rate(doc_count) as sr, missing_mass_low(doc_count) as low, "
        f"missing_mass_high(doc_count) as high, sum(doc_count) as n from facts "
        f"where attribute = {_lit(attribute)} and entity >= {_lit(prefix)} "
        f"and entity < {_lit(prefix + chr(0x10FFFF))}"
    )


def _stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "n": len(ms),
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


def time_python(run: Path, queries: list[str], check_rows: int | None = None) -> dict:
    """Each query once in one connection (after one warm-up query), in milliseconds."""
    start = time.perf_counter()
    con = connect(run)
    connect_ms = 1000 * (time.perf_counter() - start)
    con.execute(queries[0]).fetchall()  # warm-up: first footers, code paths
    times = []
    for sql in queries:
        begin = time.perf_counter()
        rows = con.execute(sql).fetchall()
        times.append(1000 * (time.perf_counter() - begin))
        if check_rows is not None and len(rows) != check_rows:
            raise AssertionError(f"{sql}: {len(rows)} rows, expected {check_rows}")
    con.close()
    return {**_stats(times), "connect_ms": connect_ms}


def _singletons() -> list[str]:
    script = Path(sys.executable).with_name("singletons")
    return [str(script)] if script.exists() else [sys.executable, "-m", "singleton_rate.cli"]


def time_cli(run: Path, queries: list[str]) -> dict:
    """``singletons sql RUN QUERY --format csv --timing``, one process per query."""
    query_ms, connect_ms, wall_ms = [], [], []
    for sql in queries:
        begin = time.perf_counter()
        proc = subprocess.run(
            [*_singletons(), "sql", str(run), sql, "--format", "csv", "--timing"],
            capture_output=True,
            text=True,
            check=True,
        )
        wall_ms.append(1000 * (time.perf_counter() - begin))
        connect_ms.append(float(re.search(r"connect: ([\d.]+) ms", proc.stderr).group(1)))
        query_ms.append(float(re.search(r"query: ([\d.]+) ms", proc.stderr).group(1)))
    return {"query": _stats(query_ms), "connect": _stats(connect_ms), "wall": _stats(wall_ms)}


def time_cli_startup() -> dict:
    """Wall time of ``python -c 'import singleton_rate.cli'`` and of importing only the SQL path."""
    out = {}
    for name, code in (
        ("import singleton_rate.cli", "import singleton_rate.cli"),
        ("import singleton_rate.sqlshell", "import singleton_rate.sqlshell"),
    ):
        ms = []
        for _ in range(5):
            begin = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
            ms.append(1000 * (time.perf_counter() - begin))
        out[name] = statistics.median(ms)
    return out


def time_catalog(run: Path, queries: list[str]) -> dict:
    """An outside client: ``catalog.duckdb`` opened read-only from inside the run folder."""
    cwd = os.getcwd()
    os.chdir(run)
    try:
        start = time.perf_counter()
        con = duckdb.connect("catalog.duckdb", read_only=True)
        open_ms = 1000 * (time.perf_counter() - start)
        con.execute(queries[0]).fetchall()
        times = []
        for sql in queries:
            begin = time.perf_counter()
            con.execute(sql).fetchall()
            times.append(1000 * (time.perf_counter() - begin))
        con.close()
    finally:
        os.chdir(cwd)
    return {**_stats(times), "connect_ms": open_ms}


def _row(name: str, s: dict) -> str:
    return f"| {name} | {s['n']} | {s['median']:.1f} | {s['p95']:.1f} | {s['max']:.1f} |"


def report(results: dict, args: argparse.Namespace, layout: dict) -> str:
    py, cli = results["python"], results["cli"]
    lines = [
        "## SQL lookups at 10 million facts (`bench/sql_lookup.py`)",
        "",
        f"Run folder built by `bench/sql_lookup.py` with DuckDB: {layout['facts']:,} distinct "
        f"facts ({layout['prompts']:,} prompts), 12 attributes, {FILES_PER_ATTRIBUTE} part files "
        f"per attribute, each sorted by (entity, value) in row groups of "
        f"{args.row_group_rows:,} rows (the layout `singletons run` now writes); facts "
        f"{layout['facts_mb']:.0f} MB on disk. Machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}; load average "
        f"{results['load'][0]:.1f} at the start, {results['load'][1]:.1f} at the end (other "
        "work on the machine inflates the figures). Milliseconds.",
        "",
        "Python API (`singleton_rate.query.connect`, one connection, each query timed alone):",
        "",
        "| query | n | median | p95 | max |",
        "|---|---|---|---|---|",
        _row("`lookup_fact` of a fact present", py["present"]),
        _row("`lookup_fact` of an absent fact (unseen)", py["absent"]),
        _row("singleton rate + interval, one attribute", py["attribute"]),
        _row("singleton rate + interval, entity prefix in one attribute", py["prefix"]),
        "",
        f"`connect()` itself: {py['present']['connect_ms']:.0f} ms.",
        "",
        "`singletons sql RUN QUERY --format csv --timing`, one process per query "
        "(query: as the command reports it; wall: the whole process):",
        "",
        "| query | n | median | p95 | max |",
        "|---|---|---|---|---|",
        _row("`lookup_fact`, query", cli["present"]["query"]),
        _row("`lookup_fact`, connect", cli["present"]["connect"]),
        _row("`lookup_fact`, whole process", cli["present"]["wall"]),
        _row("slice singleton rate, query", cli["prefix"]["query"]),
        _row("slice singleton rate, whole process", cli["prefix"]["wall"]),
        "",
        "Process start-up (median of 5): "
        + ", ".join(f"`{k}` {v:.0f} ms" for k, v in results["startup"].items())
        + ". The whole-process time is mostly `singleton_rate.cli`'s imports (spaCy, pandas, "
        "PySpark glue for the other commands), not the query.",
        "",
        "Outside client (`duckdb.connect('catalog.duckdb', read_only=True)` from inside the "
        "run folder):",
        "",
        "| query | n | median | p95 | max |",
        "|---|---|---|---|---|",
        _row("`lookup_fact` of a fact present", results["catalog"]),
        "",
    ]
    if "baseline" in results:
        b = results["baseline"]
        lines += [
            "Before (the same facts unsorted, in Spark's default 128 MB row groups), Python API:",
            "",
            "| query | n | median | p95 | max |",
            "|---|---|---|---|---|",
            _row("`lookup_fact` of a fact present", b["present"]),
            _row("singleton rate + interval, entity prefix in one attribute", b["prefix"]),
            "",
        ]
    lines.append(
        f"Command: `python bench/sql_lookup.py --facts {args.facts} --lookups {args.lookups} "
        f"--cli-runs {args.cli_runs}{' --baseline' if args.baseline else ''}`. Target: under "
        "100 ms per lookup."
    )
    return "\n".join(lines) + "\n"


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*.parquet")) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--lookups", type=int, default=200, help="per kind, Python API")
    parser.add_argument("--cli-runs", type=int, default=20, help="processes per kind")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the generated run")
    parser.add_argument(
        "--report", type=Path, default=DEFAULT_REPORT, help="the markdown section written"
    )
    parser.add_argument("--reuse", action="store_true", help="keep an existing OUT/run")
    parser.add_argument("--baseline", action="store_true", help="also time the old layout")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--row-group-rows",
        type=int,
        default=LOOKUP_ROW_GROUP_ROWS,
        help="rows per row group of the sorted layout (default: the pipeline's)",
    )
    args = parser.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    run = args.out / "run"
    if not (args.reuse and (run / "manifest.json").exists()):
        begin = time.perf_counter()
        build_run(args.out, args.facts, row_group_rows=args.row_group_rows)
        print(f"built {run} in {time.perf_counter() - begin:.0f} s", flush=True)
    con = duckdb.connect()
    counts = con.execute(
        "select (select count(*) from read_parquet(?)), (select count(*) from read_parquet(?))",
        [f"{run}/facts/**/*.parquet", f"{run}/prompts/**/*.parquet"],
    ).fetchone()
    con.close()
    layout = {"facts": counts[0], "prompts": counts[1], "facts_mb": _size_mb(run / "facts")}
    samples = _samples(run, args.lookups, args.seed)
    present = [lookup_sql(*f) for f in samples["present"]]
    absent = [lookup_sql(*f) for f in samples["absent"]]
    by_attribute = [attribute_slice_sql(a) for a in samples["attributes"]]
    prefix = [prefix_slice_sql(a, p) for a, p in samples["prefixes"]]

    load_start = os.getloadavg()[0]
    results: dict = {
        "python": {
            "present": time_python(run, present, check_rows=2),
            "absent": time_python(run, absent, check_rows=2),
            "attribute": time_python(run, by_attribute, check_rows=1),
            "prefix": time_python(run, prefix[: max(12, args.lookups // 4)], check_rows=1),
        }
    }
    print(json.dumps(results["python"], indent=1), flush=True)
    results["cli"] = {
        "present": time_cli(run, present[: args.cli_runs]),
        "prefix": time_cli(run, prefix[: args.cli_runs]),
    }
    results["startup"] = time_cli_startup()
    results["catalog"] = time_catalog(run, present)
    if args.baseline:
        base = args.out / "run_baseline"
        if not (args.reuse and (base / "manifest.json").exists()):
            build_run(args.out, args.facts, sorted_layout=False)
        results["baseline"] = {
            "present": time_python(base, present[:50], check_rows=2),
            "prefix": time_python(base, prefix[:12], check_rows=1),
        }
    results["load"] = (load_start, os.getloadavg()[0])
    text = report(results, args, layout)
    args.report.write_text(text, "utf-8")
    (args.out / "sql_lookup.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
