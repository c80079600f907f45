"""Counting one partition of mentions: facts, prompts and their (r, N_r), in DuckDB.

Pure over an Arrow table, no Spark. :mod:`singleton_rate.count` shuffles the mentions so that every
mention of a prompt (entity, attribute), and so of each of its facts, lands in one partition,
then calls :func:`tally` once per partition inside a Spark task. Each partition's facts and
prompts are therefore complete, and the partitions' (r, N_r) rows add up to the run's.

Why DuckDB inside the task: counting groups strings (keys, surfaces, document ids), which
Spark aggregates row by row and, for ``min`` of a string, by sorting; on the same mentions
that measured 6–7× slower than DuckDB over the whole table (``bench/count_scale.py``). Spark
keeps the part it is good at: moving every mention to the task that counts it, on one
machine or many.

Only ``asserted`` mentions are counted (:data:`COUNTED_STATUS`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from singleton_rate.contract import (
    COUNTED_STATUS,
    FACTS_SCHEMA,
    FOF_SCHEMA,
    JACKKNIFE_GROUPS,
    LOOKUP_ROW_GROUP_ROWS,
    PROMPTS_SCHEMA,
    group_sql,
)
from singleton_rate.sqltext import sql_literal

# Files are sorted by entity in small row groups: a lookup of one fact decodes one row group.
ROW_GROUP_ROWS = LOOKUP_ROW_GROUP_ROWS

# What counting reads of a mention, all strings.
MENTION_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "source",
    "entity",
    "attribute",
    "value",
    "value_precision",
    "entity_text",
    "value_text",
    "status",
)
MENTION_SCHEMA = pa.schema([(c, pa.string()) for c in MENTION_COLUMNS])

# Columns of the files written (``attribute`` is the folder: ``facts/attribute=X/``), in order.
FACT_FILE_COLUMNS: tuple[str, ...] = tuple(FACTS_SCHEMA.names[:-1])
PROMPT_FILE_COLUMNS: tuple[str, ...] = tuple(PROMPTS_SCHEMA.names[:-1])

# Distinct documents are counted in two steps, (key, document) then key: measured faster in
# DuckDB than count(distinct doc_id) beside the other aggregates.
# The (key, document) tables are kept: the document-group sums below read them, so the
# jackknife costs no second pass over the mentions.
_FACT_DOCS_SQL = """
create temp table fact_docs as
select attribute, entity, value, doc_id, g, m from (
    select attribute, entity, value, doc_id, count(*) as m from s
    group by attribute, entity, value, doc_id
) join doc_groups using (doc_id)
"""
_PROMPT_DOCS_SQL = """
create temp table prompt_docs as
select attribute, entity, doc_id, g, sum(m)::bigint as m from fact_docs
group by attribute, entity, doc_id, g
"""


def doc_groups_sql(groups: int = JACKKNIFE_GROUPS) -> str:
    """Each distinct document of the partition with its jackknife group ``g``
    (:func:`singleton_rate.estimate.cluster.group_sql`): one MD5 per document, not per (key,
    document) pair, which measured 3× cheaper."""
    return (
        f"create temp table doc_groups as select doc_id, {group_sql('doc_id', groups)} as g "
        "from (select distinct doc_id from s)"
    )


_FACTS_SQL = """
create temp table facts as
with per_doc as (
    select * from fact_docs
), counts as (
    select attribute, entity, value, sum(m)::bigint as mention_count,
           count(*)::bigint as doc_count
    from per_doc group by attribute, entity, value
), per_text as (
    -- the surfaces reduced to their distinct combinations first: a few per fact
    select attribute, entity, value, value_text, min(value_precision) as value_precision,
           min(entity_text) as entity_text
    from s group by attribute, entity, value, value_text
), forms as (
    select attribute, entity, value, min(value_precision) as value_precision,
           min(entity_text) as entity_text, min(value_text) as value_text,
           count(*)::bigint as n_value_surfaces
    from per_text group by attribute, entity, value
)
select attribute, entity, value, mention_count, doc_count, value_precision, entity_text,
       value_text, n_value_surfaces
from counts join forms using (attribute, entity, value)
"""

# A prompt's distinct values are its facts, and its smallest entity surface theirs.
_PROMPTS_SQL = """
create temp table prompts as
with per_doc as (
    select * from prompt_docs
), counts as (
    select attribute, entity, sum(m)::bigint as mention_count, count(*)::bigint as doc_count
    from per_doc group by attribute, entity
), spread as (
    select attribute, entity, count(*)::bigint as n_values, min(entity_text) as entity_text
    from facts group by attribute, entity
)
select attribute, entity, mention_count, doc_count, n_values, entity_text
from counts join spread using (attribute, entity)
"""

# "Wrong together": per attribute, the prompts stated with more than one value and, summed
# over those, their mentions and the mentions of each one's most-stated value. Integer sums,
# so the partitions add up exactly, in any order (a prompt lives in one partition).
_CONFLICTS_SQL = """
select attribute, count(*)::bigint as prompts,
       count(*) filter (where n_values > 1)::bigint as conflicting,
       coalesce(sum(top) filter (where n_values > 1), 0)::bigint as majority_mentions,
       coalesce(sum(m) filter (where n_values > 1), 0)::bigint as conflicting_mentions
from (
    select attribute, entity, count(*) as n_values, sum(mention_count) as m,
           max(mention_count) as top
    from facts group by attribute, entity
) group by attribute
"""

# (r, N_r) per attribute, unit and key; "scope" as the estimates name it.
_FOF_SQL = """
select 'attribute=' || attribute as scope, unit, key, r, count(*)::bigint as n_r from (
    select attribute, 'mention' as unit, 'fact' as key, mention_count as r from facts
    union all select attribute, 'document', 'fact', doc_count from facts
    union all select attribute, 'mention', 'prompt', mention_count from prompts
    union all select attribute, 'document', 'prompt', doc_count from prompts
) group by all
"""

# The same per source: a fact is counted within each source separately; mentions of
# documents without a source belong to no source scope.
_SOURCE_FOF_SQL = """
with per_doc as (
    select source, attribute, entity, value, doc_id, count(*) as m from s
    where source is not null group by source, attribute, entity, value, doc_id
), fact_counts as (
    select source, sum(m) as mentions, count(*) as docs from per_doc
    group by source, attribute, entity, value
), prompt_docs as (
    select source, attribute, entity, doc_id, sum(m) as m from per_doc
    group by source, attribute, entity, doc_id
), prompt_counts as (
    select source, sum(m) as mentions, count(*) as docs from prompt_docs
    group by source, attribute, entity
)
select 'source=' || source as scope, unit, key, r, count(*)::bigint as n_r from (
    select source, 'mention' as unit, 'fact' as key, mentions::bigint as r from fact_counts
    union all select source, 'document', 'fact', docs from fact_counts
    union all select source, 'mention', 'prompt', mentions::bigint from prompt_counts
    union all select source, 'document', 'prompt', docs from prompt_counts
) group by all
"""


GROUPS_SCHEMA = pa.schema(
    [
        ("scope", pa.string()),
        ("unit", pa.string()),
        ("key", pa.string()),
        ("group", pa.int64()),
        ("n_g", pa.int64()),
        ("lodo_delta", pa.int64()),
    ]
)
"""Per (scope, unit, key, document group g): ``n_g``, the occurrences in g's documents, and
``lodo_delta = Y^(−g) − Y``, the change in the leave-one-document-out numerator when g is
deleted (:mod:`singleton_rate.estimate.cluster`). Both add up across partitions."""
LODO_SCHEMA = pa.schema(
    [
        ("scope", pa.string()),
        ("unit", pa.string()),
        ("key", pa.string()),
        ("lodo", pa.int64()),
    ]
)
"""Per (scope, unit, key): ``Y``, the occurrences whose key occurs in one document only."""


def groups_sql(key: str) -> str:
    """The document-group sums of one key kind (``fact`` or ``prompt``), per attribute.

    Reads the (key, document) table (``fact_docs`` or ``prompt_docs``: key columns,
    ``doc_id``, the document's group ``g`` and its mention count ``m``) and the keys' table
    (``facts`` or ``prompts``: ``mention_count``, ``doc_count``).

    With ``a_k`` the key's document count, ``w_k`` its occurrences in the unit (mentions, or
    documents at the document unit), and ``a_kg``, ``w_kg`` the same inside group ``g``:
    deleting ``g`` leaves ``w_k − w_kg`` occurrences of ``k`` over ``a_k − a_kg`` documents,
    so ``k`` enters ``Y^(−g)`` when ``a_k − a_kg = 1`` and leaves it when ``a_k = 1`` (then
    all of it is in ``g``). Only keys present in ``g`` change, so

    ``n_g = Σ_k w_kg``,
    ``Y^(−g) − Y = Σ_k [a_k − a_kg = 1]·(w_k − w_kg) − [a_k = 1]·w_k``,

    one ``GROUP BY`` of the (key, document) table by (key, group), joined to the keys. Every
    mention of a key is in one partition, so each key's terms are complete there and the
    per-group sums add up across partitions.
    """
    table, docs, cols = {
        "fact": ("facts", "fact_docs", "attribute, entity, value"),
        "prompt": ("prompts", "prompt_docs", "attribute, entity"),
    }[key]
    return f"""
    with kg as (
        select {cols}, g, count(*)::bigint as a_kg,
               sum(m)::bigint as w_kg
        from {docs} group by all
    ), per_group as (
        select attribute, g,
            sum(w_kg) as n_mention,
            sum(a_kg) as n_document,
            sum(case when k.doc_count - a_kg = 1 then k.mention_count - w_kg else 0 end)
              - sum(case when k.doc_count = 1 then k.mention_count else 0 end) as d_mention,
            count(*) filter (where k.doc_count - a_kg = 1)
              - count(*) filter (where k.doc_count = 1) as d_document
        from kg join {table} as k using ({cols})
        group by attribute, g
    )
    select 'attribute=' || attribute as scope, 'mention' as unit, '{key}' as key, g as "group",
           n_mention::bigint as n_g, d_mention::bigint as lodo_delta from per_group
    union all
    select 'attribute=' || attribute, 'document', '{key}', g, n_document::bigint,
           d_document::bigint from per_group
    """


_LODO_SQL = """
select 'attribute=' || attribute as scope, unit, key, sum(y)::bigint as lodo from (
    select attribute, 'mention' as unit, 'fact' as key,
           case when doc_count = 1 then mention_count else 0 end as y from facts
    union all select attribute, 'document', 'fact', (doc_count = 1)::int from facts
    union all select attribute, 'mention', 'prompt',
           case when doc_count = 1 then mention_count else 0 end from prompts
    union all select attribute, 'document', 'prompt', (doc_count = 1)::int from prompts
) group by all
"""


@dataclass(frozen=True, slots=True)
class PartTally:
    """What one partition's counting found; its facts and prompts are already on disk."""

    rows: int  # mentions given, any status
    counted: int  # of which asserted
    facts: int
    prompts: int
    fof: pa.Table  # FOF_SCHEMA: per attribute (and per source, if asked)
    values: pa.Table  # (attribute, value, prompts): how many of the partition's prompts state it
    conflicts: pa.Table  # (attribute, prompts, conflicting, majority/conflicting_mentions)
    groups: pa.Table | None = None  # GROUPS_SCHEMA: document-group sums, per attribute
    lodo: pa.Table | None = None  # LODO_SCHEMA, per attribute


def partition_folder(attribute: str) -> str:
    """``attribute=X``, the folder name Spark and DuckDB read back as a column."""
    if not attribute or any(c in attribute for c in '/\\=%:*?"<>|\n') or attribute[0] == ".":
        raise ValueError(f"attribute {attribute!r} cannot name a folder")
    return f"attribute={attribute}"


def _publish(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> None:
    """Write a query's result to ``target`` atomically: a retried or speculative task
    replaces the file with the same content, never leaves a half-written one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        con.execute(
            f"copy ({sql}) to {sql_literal(str(tmp))} "
            f"(format parquet, compression snappy, row_group_size {ROW_GROUP_ROWS})"
        )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def tally(
    mentions: pa.Table,
    facts_dir: str | Path,
    prompts_dir: str | Path,
    part: str,
    *,
    by_source: bool = False,
    memory_limit: str | None = None,
    temp_dir: str | None = None,
    jackknife_groups: int = JACKKNIFE_GROUPS,
) -> PartTally:
    """Count one partition's mentions and write its facts and prompts.

    Parameters
    ----------
    mentions : pyarrow.Table
        Columns :data:`MENTION_COLUMNS`. Every mention of a prompt must be in this table
        (the caller partitions by ``(attribute, entity)``), or its counts come out split.
    facts_dir, prompts_dir : path
        Where ``attribute=X/{part}.parquet`` files go, one per attribute present, each
        sorted by ``(entity, value)`` / ``entity`` in row groups of :data:`ROW_GROUP_ROWS`.
    part : str
        The file name stem, unique per partition (``part-00003``).
    by_source : bool
        Also count each source separately (scopes ``source=S``).
    memory_limit, temp_dir : str, optional
        DuckDB's memory limit and where it spills beyond it.
    jackknife_groups : int
        ``G``, the number of document groups of the delete-a-group jackknife
        (:func:`groups_sql`); every partition of a run must use the same.

    Returns
    -------
    PartTally
        Row counts, the partition's (r, N_r) rows (``N_r`` = number of facts, or prompts,
        with count ``r`` in the unit, over this partition's keys), its distinct
        ``(attribute, value)`` pairs, its document-group sums (:func:`groups_sql`) and
        leave-one-document-out numerators ``Y`` (:data:`LODO_SCHEMA`), per attribute.

    Notes
    -----
    Fact counts: ``mention_count`` = number of counted mentions of the fact;
    ``doc_count`` = number of distinct documents holding one. The representative surfaces
    are the smallest (byte order) seen, so reruns agree; ``n_value_surfaces`` is the number
    of distinct value surfaces.
    """
    config: dict[str, str | int] = {"threads": 1}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_dir:
        config["temp_directory"] = temp_dir
    con = duckdb.connect(config=config)
    try:
        con.register("m", mentions)
        con.execute(
            "create temp view s as select * from m where status = " + sql_literal(COUNTED_STATUS)
        )
        con.execute(doc_groups_sql(jackknife_groups))
        con.execute(_FACT_DOCS_SQL)
        con.execute(_PROMPT_DOCS_SQL)
        con.execute(_FACTS_SQL)
        con.execute(_PROMPTS_SQL)
        attributes = [r[0] for r in con.execute("select distinct attribute from facts").fetchall()]
        for attribute in sorted(attributes):
            folder = partition_folder(attribute)
            where = f"where attribute = {sql_literal(attribute)}"
            _publish(
                con,
                f"select {', '.join(FACT_FILE_COLUMNS)} from facts {where} order by entity, value",
                Path(facts_dir) / folder / f"{part}.parquet",
            )
            _publish(
                con,
                f"select {', '.join(PROMPT_FILE_COLUMNS)} from prompts {where} order by entity",
                Path(prompts_dir) / folder / f"{part}.parquet",
            )
        fof = con.sql(_FOF_SQL).to_arrow_table()
        if by_source:
            fof = pa.concat_tables([fof, con.sql(_SOURCE_FOF_SQL).to_arrow_table()])
        counts = con.execute(
            "select (select count(*) from m), (select count(*) from s), "
            "(select count(*) from facts), (select count(*) from prompts)"
        ).fetchall()[0]
        return PartTally(
            rows=int(counts[0]),
            counted=int(counts[1]),
            facts=int(counts[2]),
            prompts=int(counts[3]),
            fof=fof.cast(FOF_SCHEMA),
            # A prompt lives in one partition (the shuffle is by prompt), so these add up
            # exactly across partitions: the value distribution |E_c| is estimated from.
            values=con.sql(
                "select attribute, value, count(*)::bigint as prompts from facts group by all"
            ).to_arrow_table(),
            conflicts=con.sql(_CONFLICTS_SQL).to_arrow_table(),
            groups=con.sql(
                f"select * from ({groups_sql('fact')}) union all "
                f"select * from ({groups_sql('prompt')})"
            )
            .to_arrow_table()
            .cast(GROUPS_SCHEMA),
            lodo=con.sql(_LODO_SQL).to_arrow_table().cast(LODO_SCHEMA),
        )
    finally:
        con.close()


def as_table(batches: Iterable[pa.RecordBatch]) -> pa.Table:
    """A partition's Arrow batches as one table of :data:`MENTION_SCHEMA` (empty if none)."""
    return pa.Table.from_batches(list(batches), schema=MENTION_SCHEMA)


def write_stats(result: PartTally, folder: str | Path, part: str) -> None:
    """A partition's (r, N_r) and distinct values as two small files under ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = [("fof", result.fof), ("values", result.values), ("conflicts", result.conflicts)]
    tables += [
        (k, t) for k, t in (("groups", result.groups), ("lodo", result.lodo)) if t is not None
    ]
    for kind, table in tables:
        target = folder / f"{part}.{kind}.parquet"
        tmp = folder / f".{target.name}.{uuid.uuid4().hex}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, target)


@dataclass(frozen=True, slots=True)
class Totals:
    """Every partition's stats added up."""

    fof: pa.Table  # FOF_SCHEMA, per attribute (and source), summed over partitions
    distinct_values: dict[str, int]  # per attribute
    values: pa.Table  # (attribute, value, prompts): prompts stating each value, summed
    conflicts: pa.Table  # (attribute, prompts, conflicting, …_mentions), summed
    groups: pa.Table | None = None  # GROUPS_SCHEMA, per attribute, summed over partitions
    lodo: pa.Table | None = None  # LODO_SCHEMA, per attribute, summed over partitions


def read_stats(folder: str | Path) -> Totals:
    """Add up the files :func:`write_stats` left in ``folder`` (one set per partition)."""
    folder = Path(folder)
    con = duckdb.connect(config={"threads": 2})
    try:

        def files(kind: str) -> str | None:
            found = sorted(str(p) for p in folder.glob(f"*.{kind}.parquet"))
            return "[" + ", ".join(map(sql_literal, found)) + "]" if found else None

        fof_files, value_files = files("fof"), files("values")
        conflict_files = files("conflicts")
        conflicts = (
            con.sql(
                "select attribute, sum(prompts)::bigint as prompts, "
                "sum(conflicting)::bigint as conflicting, "
                "sum(majority_mentions)::bigint as majority_mentions, "
                "sum(conflicting_mentions)::bigint as conflicting_mentions "
                f"from read_parquet({conflict_files}) group by all order by all"
            ).to_arrow_table()
            if conflict_files
            else pa.table(
                {
                    "attribute": pa.array([], pa.string()),
                    "prompts": pa.array([], pa.int64()),
                    "conflicting": pa.array([], pa.int64()),
                    "majority_mentions": pa.array([], pa.int64()),
                    "conflicting_mentions": pa.array([], pa.int64()),
                }
            )
        )
        if fof_files is None:
            fof = FOF_SCHEMA.empty_table()
        else:
            fof = con.sql(
                "select scope, unit, key, r, sum(n_r)::bigint as n_r "
                f"from read_parquet({fof_files}) group by all order by all"
            ).to_arrow_table()
        group_files, lodo_files = files("groups"), files("lodo")
        groups = (
            con.sql(
                'select scope, unit, key, "group", sum(n_g)::bigint as n_g, '
                "sum(lodo_delta)::bigint as lodo_delta "
                f"from read_parquet({group_files}) group by all order by all"
            ).to_arrow_table()
            if group_files
            else GROUPS_SCHEMA.empty_table()
        )
        lodo = (
            con.sql(
                "select scope, unit, key, sum(lodo)::bigint as lodo "
                f"from read_parquet({lodo_files}) group by all order by all"
            ).to_arrow_table()
            if lodo_files
            else LODO_SCHEMA.empty_table()
        )
        value_table = (
            con.sql(
                "select attribute, value, sum(prompts)::bigint as prompts "
                f"from read_parquet({value_files}) group by all order by all"
            ).to_arrow_table()
            if value_files
            else pa.table(
                {
                    "attribute": pa.array([], pa.string()),
                    "value": pa.array([], pa.string()),
                    "prompts": pa.array([], pa.int64()),
                }
            )
        )
    finally:
        con.close()
    attributes = value_table.column("attribute").to_pylist()
    distinct: dict[str, int] = {}
    for attribute in attributes:
        distinct[str(attribute)] = distinct.get(str(attribute), 0) + 1
    return Totals(
        fof=fof.cast(FOF_SCHEMA),
        distinct_values=distinct,
        values=value_table,
        conflicts=conflicts,
        groups=groups.cast(GROUPS_SCHEMA),
        lodo=lodo.cast(LODO_SCHEMA),
    )
