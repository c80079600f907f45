"""Counting and estimating N mentions: the pipeline on Spark against DuckDB, side by side.

    python bench/count_scale.py [--mentions 100000000] [--out bench/out/count_scale]

1. Generates a mentions table shaped like a run's ``mentions/`` (same columns, types and
   ``attribute=…`` partitioning) with DuckDB: Zipf-like fact popularity (so the
   frequency-of-frequencies has a realistic shape: N1/N about 0.25), eight attributes of two
   entity types, documents of four mentions with repeats inside them, conflicting values,
   several surface forms per value, and some negated and hedged mentions.
2. Runs, each in its own process, (a) the pipeline's own count and estimate stages
   (:func:`singleton_rate.estimate.stage.count_and_estimate`) on Spark ``local[2]`` with the
   session a real run builds, and (b) DuckDB computing the same facts, prompts and (r, N_r)
   tables, written to Parquet, followed by the same pure-Python estimates.
3. Samples the resident memory of each process tree (the Python process, the JVM and its
   Python workers) from ``/proc``, checks that both give identical (r, N_r) tables, and writes
   a markdown section to ``OUT/count_scale.md``.

The generated data (4.8 GB at 100M) is deleted at the end unless ``--keep``; a kept
``OUT/mentions`` of the same size is used again with ``--reuse``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "bench"):  # the package, and the sibling harness script
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

DEFAULT_OUT = ROOT / "bench" / "out" / "count_scale"
# Zipf-like popularity: rank k drawn from a power law with this exponent over as many facts
# as mentions; gives N1/N about 0.25 and distinct facts about 0.4 N at any N.
ZIPF_EXPONENT = 0.8
MENTIONS_PER_DOC = 4
REPEAT_SHARE = 0.15  # a mention repeats the previous one's fact in the same document
CONFLICT_SHARE = 0.05  # a mention states a conflicting value of its prompt
# (attribute, entity type, value kind): both entity types, every value kind of the catalog.
ATTRIBUTES: tuple[tuple[str, str, str], ...] = (
    ("birth_date", "PERSON", "date"),
    ("birth_place", "PERSON", "place"),
    ("death_date", "PERSON", "date"),
    ("death_place", "PERSON", "place"),
    ("occupation", "PERSON", "text"),
    ("educated_at", "PERSON", "entity"),
    ("founded", "ORG", "date"),
    ("headquarters", "ORG", "place"),
)
SYLLABLES = ["ka", "lo", "mi", "ra", "te", "su", "vi", "no", "de", "ba", "zo", "pe", "li", "fu"]
SYLLABLES += ["ge", "ho"]  # 16: one per hex digit, so a name encodes its number exactly


def _name(expr: str, digits: int) -> str:
    """SQL: a pronounceable name that encodes the integer ``expr`` (one syllable per 4 bits)."""
    syl = "[" + ", ".join(f"'{s}'" for s in SYLLABLES) + "]"
    parts = [f"{syl}[((({expr}) >> {4 * d}) % 16)::bigint + 1]" for d in range(digits)]
    return " || ".join(parts)


def _u(expr: str, salt: int) -> str:
    """SQL: a uniform number in [0, 1) from a hash of ``expr`` and ``salt`` (seeded, stable)."""
    return f"(hash(({expr}) * 16 + {salt}) / 18446744073709551616.0)"


def generation_sql(n: int, target: str) -> str:
    """The DuckDB ``COPY`` statement that writes ``n`` mentions to ``target`` by attribute."""
    s = ZIPF_EXPONENT
    attrs = "[" + ", ".join(f"'{a}'" for a, _, _ in ATTRIBUTES) + "]"
    kinds = "[" + ", ".join(f"'{k}'" for _, _, k in ATTRIBUTES) + "]"
    types = "[" + ", ".join(f"'{t}'" for _, t, _ in ATTRIBUTES) + "]"
    n_attr = len(ATTRIBUTES)
    zipf = f"floor(pow(1 - u * (1 - pow({max(n, 2)}::double, {1 - s})), {1 / (1 - s)}))::bigint"
    return f"""
    copy (
    with draws as (
        select i, i // {MENTIONS_PER_DOC} as doc,
            -- a repeat inside a document reuses the previous mention's draw
            case when i % {MENTIONS_PER_DOC} <> 0 and {_u("i", 2)} < {REPEAT_SHARE}
                 then {_u("i - 1", 1)} else {_u("i", 1)} end as u,
            {_u("i", 3)} as u_status, {_u("i", 4)} as u_surface, {_u("i", 5)} as u_conflict
        from range({n}) t(i)
    ), ranked as (
        select *, {zipf} - 1 as p from draws
    ), keyed as (
        select *, p // {n_attr} as e, {attrs}[p % {n_attr} + 1] as attribute,
            {kinds}[p % {n_attr} + 1] as kind, {types}[p % {n_attr} + 1] as etype,
            (hash(p * 2 + (u_conflict < {CONFLICT_SHARE})::int) >> 2)::bigint as v
        from ranked
    ), valued as (
        select *,
            {_name("e", 6)} || case when etype = 'ORG' then ' inc' else '' end as entity,
            case kind
                when 'date' then make_date(1700 + (v % 300)::int, 1 + (v // 300 % 12)::int,
                                           1 + (v // 3600 % 28)::int)::varchar
                when 'place' then {_name("v % 50000", 4)} || ' city'
                when 'text' then {_name("v % 300", 2)} || 'ist'
                else 'university of ' || {_name("v % 20000", 4)} end as value0,
            case when kind = 'date' and v % 10 = 0 then 'year' when kind = 'date' then 'day'
                 else kind end as value_precision
        from keyed
    ), surfaced as (
        select *,
            case when value_precision = 'year' then value0[1:4] else value0 end as value,
            upper(entity[1]) || entity[2:] as entity_text,
            case when kind = 'date' and value_precision = 'year' then value0[1:4]
                 when kind = 'date' and u_surface < 0.6 then strftime(value0::date, '%-d %B %Y')
                 when kind = 'date' then strftime(value0::date, '%B %-d, %Y')
                 when u_surface < 0.8 then upper(value0[1]) || value0[2:]
                 when u_surface < 0.95 then value0
                 else upper(value0) end as value_text
        from valued
    )
    select
        'doc-' || lpad(doc::varchar, 10, '0') as doc_id,
        ['wiki', 'news', 'books', 'web'][(hash(doc) % 4)::bigint + 1] as source,
        'shard-' || lpad((doc // 100000)::varchar, 5, '0') || '.jsonl' as file,
        'shard-' || lpad((doc // 100000)::varchar, 5, '0') || '.jsonl:'
            || (doc % 100000 + 1)::varchar as location,
        entity, value, value_precision, entity_text,
        case when i % {MENTIONS_PER_DOC} = 0 then entity_text else 'They' end as subject_text,
        case when i % {MENTIONS_PER_DOC} = 0 then 'name' else 'pronoun' end as resolution,
        value_text,
        entity_text || ' ' || replace(attribute, '_', ' ') || ': ' || value_text || '.'
            as sentence,
        (i % {MENTIONS_PER_DOC}) * 120 as sentence_start,
        (i % {MENTIONS_PER_DOC}) * 120 + length(entity_text) + length(attribute) + 3 as start,
        (i % {MENTIONS_PER_DOC}) * 120 + length(entity_text) + length(attribute) + 3
            + length(value_text) as "end",
        attribute || '_v2/bench' as pattern,
        case when u_status < 0.92 then 'asserted' when u_status < 0.97 then 'negated'
             else 'hedged' end as status,
        attribute
    from surfaced
    ) to '{target}' (format parquet, compression snappy, partition_by (attribute),
                     filename_pattern 'part-{{i}}', file_size_bytes '256MB')
    """


def generate(n: int, target: Path, threads: int = 2) -> float:
    """Write ``n`` generated mentions to ``target`` (replaced); return the seconds it took."""
    import duckdb

    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"set threads = {threads}")
    con.execute("set enable_progress_bar = false")
    con.execute(f"set temp_directory = '{target.parent / 'duckdb_tmp'}'")
    con.execute(generation_sql(n, str(target)))
    con.close()
    (target / "_SUCCESS").write_text("")
    (target / "_ROWS").write_text(f"{n}\n")
    return time.perf_counter() - start


# --- the two sides, each run in its own process ---------------------------------------------


def spark_side(mentions: Path, work: Path, conf: dict[str, str]) -> dict[str, Any]:
    """The pipeline's own count and estimate stages, in a session built as a run builds it."""
    from singleton_rate import store
    from singleton_rate.config import RunConfig
    from singleton_rate.estimate.stage import count_and_estimate
    from singleton_rate.extract.catalog import load_catalog
    from singleton_rate.progress import Progress
    from singleton_rate.spark import build_session

    config = RunConfig(
        inputs=(str(mentions),), out=str(work / "spark"), master="local[2]", spark_conf=conf
    )
    start = time.perf_counter()
    spark = build_session(
        config.master,
        shuffle_partitions=config.shuffle_partitions,
        arrow_batch_rows=config.arrow_batch_rows,
        extra_conf=config.spark_conf,
    )
    session_s = time.perf_counter() - start
    folder = store.RunFolder(config.out, overwrite=True)
    progress = Progress(spark.sparkContext, quiet=True)
    start = time.perf_counter()
    counts = count_and_estimate(
        spark, spark.read.parquet(str(mentions)), folder, config, load_catalog(), progress
    )
    seconds = time.perf_counter() - start
    conf_used = {
        k: spark.sparkContext.getConf().get(k, "default")
        for k in ("spark.master", "spark.driver.memory", "spark.sql.shuffle.partitions")
    }
    spark.stop()
    return {
        "seconds": seconds,
        "session_s": session_s,
        "stages_s": dict(progress.timings),
        "tables": str(folder.path),
        "statuses": counts.statuses,
        "conf": conf_used,
        "spark_version": spark.version,
    }


def duckdb_sql(mentions: Path, out: Path) -> list[tuple[str, str]]:
    """DuckDB statements writing the same facts and prompts as the pipeline, by attribute.

    Distinct documents are counted in two steps ((key, document), then key), which measured
    faster in DuckDB than ``count(distinct doc_id)`` beside the other aggregates.
    """
    src = f"read_parquet('{mentions}/**/*.parquet', hive_partitioning = true)"
    facts_out, prompts_out = out / "facts", out / "prompts"
    facts = f"""
    copy (
    with s as (select attribute, entity, value, doc_id, value_text, entity_text,
                      value_precision from {src} where status = 'asserted'),
    per_doc as (select attribute, entity, value, count(*) as m from s
                group by attribute, entity, value, doc_id),
    counts as (select attribute, entity, value, sum(m)::bigint as mention_count,
                      count(*) as doc_count from per_doc group by all),
    per_text as (select attribute, entity, value, value_text,
                        min(value_precision) as value_precision,
                        min(entity_text) as entity_text from s group by all),
    forms as (select attribute, entity, value, min(value_precision) as value_precision,
                     min(entity_text) as entity_text, min(value_text) as value_text,
                     count(*) as n_value_surfaces from per_text group by all)
    select entity, value, mention_count, doc_count, value_precision, entity_text, value_text,
           n_value_surfaces, attribute
    from counts join forms using (attribute, entity, value)
    ) to '{facts_out}' (format parquet, partition_by (attribute))"""
    prompts = f"""
    copy (
    with s as (select attribute, entity, doc_id from {src} where status = 'asserted'),
    per_doc as (select attribute, entity, count(*) as m from s
                group by attribute, entity, doc_id),
    counts as (select attribute, entity, sum(m)::bigint as mention_count,
                      count(*) as doc_count from per_doc group by all),
    spread as (select attribute, entity, count(*) as n_values, min(entity_text) as entity_text
               from read_parquet('{facts_out}/**/*.parquet', hive_partitioning = true)
               group by all)
    select entity, mention_count, doc_count, n_values, entity_text, attribute
    from counts join spread using (attribute, entity)
    ) to '{prompts_out}' (format parquet, partition_by (attribute))"""
    return [("facts", facts), ("prompts", prompts)]


def duckdb_fof_sql(out: Path, groups: dict[str, list[str]]) -> str:
    """(scope, unit, key, r, n_r) per attribute and for each union of attributes."""
    union_rows = ", ".join(f"('{scope}', '{a}')" for scope, attrs in groups.items() for a in attrs)
    parts = []
    for key, table in (("fact", "facts"), ("prompt", "prompts")):
        src = f"read_parquet('{out / table}/**/*.parquet', hive_partitioning = true)"
        for unit, col in (("mention", "mention_count"), ("document", "doc_count")):
            parts.append(
                f"select attribute, '{unit}' as unit, '{key}' as key, {col} as r,"
                f" count(*) as n_r from {src} group by all"
            )
    per_attribute = " union all ".join(parts)
    return f"""
    with a as ({per_attribute}),
    u(scope, attribute) as (values {union_rows})
    select 'attribute=' || attribute as scope, unit, key, r, n_r from a
    union all
    select u.scope, unit, key, r, sum(n_r)::bigint from a join u using (attribute) group by all
    """


def duckdb_side(mentions: Path, work: Path, threads: int) -> dict[str, Any]:
    """DuckDB computing the same tables, then the same pure-Python estimates."""
    import duckdb

    from singleton_rate.config import RunConfig
    from singleton_rate.estimate.stage import error_sets
    from singleton_rate.estimate.table import (
        Relations,
        estimates_frame,
        scope_attributes,
        union_scopes,
    )
    from singleton_rate.extract.catalog import load_catalog

    out = work / "duckdb"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    config, catalog = RunConfig(), load_catalog()
    relations = Relations.of(catalog.relations)
    stages: dict[str, float] = {}
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"set threads = {threads}")
    con.execute("set enable_progress_bar = false")
    con.execute("set preserve_insertion_order = false")
    con.execute(f"set temp_directory = '{work / 'duckdb_tmp'}'")
    for name, sql in duckdb_sql(mentions, out):
        t = time.perf_counter()
        con.execute(sql)
        stages[name] = time.perf_counter() - t
    t = time.perf_counter()
    facts = f"read_parquet('{out / 'facts'}/**/*.parquet', hive_partitioning = true)"
    values = con.sql(
        f"select attribute, value, count(*)::bigint as prompts from {facts} group by all"
    ).to_arrow_table()
    attributes = sorted(set(values.column("attribute").to_pylist()))
    groups = union_scopes(attributes, relations)
    fof = con.execute(duckdb_fof_sql(out, groups)).df()
    fof = fof.astype({"r": "int64", "n_r": "int64"})
    fof = fof.sort_values(["key", "scope", "unit", "r"], ignore_index=True)
    src = f"read_parquet('{mentions}/**/*.parquet', hive_partitioning = true)"
    statuses = dict(con.execute(f"select status, count(*) from {src} group by all").fetchall())
    stages["count"] = time.perf_counter() - t
    t = time.perf_counter()
    sizes = error_sets(config, catalog, values)
    spans = scope_attributes(sorted(fof["scope"].unique()), sizes, relations)
    estimates, extrapolation = estimates_frame(
        fof,
        sizes=sizes,
        spans=spans,
        relations=relations,
        confidence=config.confidence,
        theorem_confidence=config.theorem_confidence,
        calibration_error=config.calibration_error,
    )
    tables = (("freq_of_freq", fof), ("estimates", estimates), ("extrapolation", extrapolation))
    for name, frame in tables:
        (out / name).mkdir()
        frame.to_parquet(out / name / "part-0.parquet", index=False)
    stages["estimate"] = time.perf_counter() - t
    return {
        "seconds": time.perf_counter() - start,
        "stages_s": stages,
        "tables": str(out),
        "statuses": statuses,
        "duckdb_version": duckdb.__version__,
    }


# --- measuring a process tree ---------------------------------------------------------------


@dataclass
class Measured:
    """One side's process: its own report, wall time and peak resident memory."""

    report: dict[str, Any]
    wall_s: float
    peak_rss: int
    load: tuple[float, float]  # 1-minute load average before and after: other work competing


def measure(argv: list[str], interval: float = 0.2) -> Measured:
    """Run ``argv`` (which prints one JSON line last) and sample its tree's memory."""
    from harness import TreeSampler  # the throughput harness's /proc sampler

    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    with TreeSampler(proc.pid, interval=interval) as sampler:
        stdout, _ = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv} failed with exit status {proc.returncode}")
    report = json.loads(stdout.strip().splitlines()[-1])
    return Measured(report, wall, sampler.peak_rss, (load_before, os.getloadavg()[0]))


# --- comparing and reporting ----------------------------------------------------------------


def compare(spark_tables: str, duck_tables: str) -> dict[str, Any]:
    """Whether both sides' (r, N_r) tables are identical, and their facts' counts too."""
    import duckdb

    con = duckdb.connect()
    con.execute("set threads = 2")
    fof = "select scope, unit, key, r, n_r from read_parquet('{}/freq_of_freq/*.parquet')"
    order = " order by all"
    a = con.execute(fof.format(spark_tables) + order).fetchall()
    b = con.execute(fof.format(duck_tables) + order).fetchall()
    facts = "read_parquet('{}/facts/**/*.parquet', hive_partitioning = true)"
    cols = "attribute, entity, value, mention_count, doc_count, value_precision, entity_text, "
    cols += "value_text, n_value_surfaces"
    [(differing,)] = con.execute(
        f"select count(*) from ((select {cols} from {facts.format(spark_tables)} except all "
        f"select {cols} from {facts.format(duck_tables)}) union all (select {cols} from "
        f"{facts.format(duck_tables)} except all select {cols} from "
        f"{facts.format(spark_tables)}))"
    ).fetchall()
    prompts = "read_parquet('{}/prompts/**/*.parquet', hive_partitioning = true)"
    pcols = "attribute, entity, mention_count, doc_count, n_values, entity_text"
    [(differing_prompts,)] = con.execute(
        f"select count(*) from ((select {pcols} from {prompts.format(spark_tables)} except all "
        f"select {pcols} from {prompts.format(duck_tables)}) union all (select {pcols} from "
        f"{prompts.format(duck_tables)} except all select {pcols} from "
        f"{prompts.format(spark_tables)}))"
    ).fetchall()
    shape = con.execute(
        f"select count(*), sum(mention_count), sum((mention_count = 1)::int) "
        f"from {facts.format(spark_tables)}"
    ).fetchone()
    return {
        "fof_identical": a == b,
        "fof_rows": len(a),
        "facts_rows_differing": int(differing),
        "prompts_rows_differing": int(differing_prompts),
        "distinct_facts": int(shape[0]),
        "counted_mentions": int(shape[1]),
        "singletons": int(shape[2]),
    }


def machine() -> str:
    """One line about this machine: CPU, cores, memory, OS."""
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_kb / 2**20:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def _load(m: Measured) -> str:
    return f"{m.load[0]:.1f} → {m.load[1]:.1f}"


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def markdown(
    n: int, gen_s: float, spark: Measured, duck: Measured, check: dict[str, Any], argv: list[str]
) -> str:
    """The results as a section of bench/RESULTS.md."""
    s, d = spark.report, duck.report
    ratio = s["seconds"] / d["seconds"]
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in s["stages_s"].items())
    dstages = ", ".join(f"{k} {v:.1f} s" for k, v in d["stages_s"].items())
    sr = check["singletons"] / max(check["counted_mentions"], 1)
    command = " ".join(["flock /tmp/spark.lock .venv/bin/python bench/count_scale.py", *argv])
    return f"""## Counting and estimating {n:,} mentions: Spark against DuckDB

Machine: {machine()}; Spark {s["spark_version"]} (`{s["conf"]["spark.master"]}`, driver memory
{s["conf"]["spark.driver.memory"]}), DuckDB {d["duckdb_version"]} (2 threads).

```
{command}
```

The mentions (generated by DuckDB in {gen_s:.0f} s, or reused): {n:,} rows in a run's
`mentions/` layout, {check["counted_mentions"]:,} asserted, {check["distinct_facts"]:,}
distinct facts, N1/N = {sr:.3f} (mention unit, fact key). Both sides compute facts (mention
and document counts, representative surfaces), prompts, the (r, N_r) table of every scope,
unit and key ({check["fof_rows"]:,} rows) and the estimates, and write them to Parquet.

| | Spark (the pipeline's `count_and_estimate`) | DuckDB |
|---|---|---|
| count + estimate | **{s["seconds"]:.1f} s** ({stages}) | **{d["seconds"]:.1f} s** ({dstages}) |
| session start | {s["session_s"]:.1f} s (not counted above) | — |
| process wall time | {spark.wall_s:.1f} s | {duck.wall_s:.1f} s |
| peak RSS, process tree | {_gib(spark.peak_rss)} (Python + JVM + workers) | {_gib(duck.peak_rss)} |
| load average before → after | {_load(spark)} | {_load(duck)} |

Spark / DuckDB: **{ratio:.2f}×** on count + estimate. Identical (r, N_r) tables:
**{"yes" if check["fof_identical"] else "NO"}**; facts rows that differ:
{check["facts_rows_differing"]}; prompts rows that differ: {check["prompts_rows_differing"]}.
"""


# --- entry points -----------------------------------------------------------------------------


@dataclass
class Result:
    """What :func:`run_benchmark` measured, and the markdown it wrote."""

    spark: Measured
    duckdb: Measured
    check: dict[str, Any]
    markdown: str


def run_benchmark(
    n: int,
    out: Path = DEFAULT_OUT,
    *,
    reuse: bool = False,
    keep: bool = False,
    conf: dict[str, str] | None = None,
    argv: list[str] | None = None,
) -> Result:
    """Generate (or reuse) ``n`` mentions, run both sides, compare, write ``count_scale.md``."""
    out = out.absolute()
    mentions = out / "mentions"
    rows = mentions / "_ROWS"
    gen_s = 0.0
    if not (reuse and rows.exists() and int(rows.read_text()) == n):
        gen_s = generate(n, mentions)
    me = [sys.executable, str(Path(__file__).resolve())]
    side = ["--mentions-path", str(mentions), "--work", str(out)]
    conf_args = [a for k, v in (conf or {}).items() for a in ("--conf", f"{k}={v}")]
    spark = measure([*me, "_side", "spark", *side, *conf_args])
    duck = measure([*me, "_side", "duckdb", *side])
    try:
        check = compare(spark.report["tables"], duck.report["tables"])
    finally:
        shutil.rmtree(spark.report["tables"], ignore_errors=True)
        shutil.rmtree(duck.report["tables"], ignore_errors=True)
        shutil.rmtree(out / "duckdb_tmp", ignore_errors=True)
    text = markdown(n, gen_s, spark, duck, check, argv if argv is not None else [])
    (out / "count_scale.md").write_text(text)
    if not keep:
        shutil.rmtree(mentions, ignore_errors=True)
    return Result(spark, duck, check, text)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_side"]:
        return _side(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=100_000_000, help="rows to generate")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--reuse", action="store_true", help="reuse OUT/mentions of this size")
    parser.add_argument("--keep", action="store_true", help="keep OUT/mentions afterwards")
    parser.add_argument("--conf", action="append", default=[], help="extra Spark KEY=VALUE")
    args = parser.parse_args(argv)
    conf = dict(c.split("=", 1) for c in args.conf)
    result = run_benchmark(
        args.mentions, args.out, reuse=args.reuse, keep=args.keep, conf=conf, argv=argv
    )
    print(result.markdown)
    print(f"written to {args.out / 'count_scale.md'}")
    return 0 if result.check["fof_identical"] else 1


def _side(argv: list[str]) -> int:
    """One side in this process; prints its report as the last line of JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("side", choices=["spark", "duckdb"])
    parser.add_argument("--mentions-path", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--conf", action="append", default=[])
    args = parser.parse_args(argv)
    if args.side == "spark":
        report = spark_side(args.mentions_path, args.work, dict(c.split("=", 1) for c in args.conf))
    else:
        report = duckdb_side(args.mentions_path, args.work, threads=2)
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
