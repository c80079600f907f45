"""Counting in Spark: facts and prompts by mention and by document, and their fingerprints.

Only ``asserted`` mentions are counted: negated, hedged and unkeyed ones stay in
``mentions/`` for inspection. Only the frequency-of-frequencies rows (a few hundred at most)
reach the driver.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

COUNTED_STATUS = "asserted"
# Count unit → the column of a facts/prompts row that counts it.
UNITS: dict[str, str] = {"mention": "mention_count", "document": "doc_count"}
KEYS: tuple[str, ...] = ("fact", "prompt")
ALL = "all"


def counted(mentions: DataFrame) -> DataFrame:
    """The mentions that count as fact occurrences."""
    return mentions.where(F.col("status") == COUNTED_STATUS)


FACT_COLUMNS: tuple[str, ...] = ("entity", "attribute", "value")
PROMPT_COLUMNS: tuple[str, ...] = ("entity", "attribute")
# The same keys in the order facts and prompts are sorted in when written (by attribute, then
# entity): grouping and joining in this order leaves Spark nothing to sort again.
FACT_ORDER: tuple[str, ...] = ("attribute", "entity", "value")
PROMPT_ORDER: tuple[str, ...] = ("attribute", "entity")


# What counting reads of a mention beyond its keys: the document (for the document unit) and
# the surface forms facts keep a representative of.
SURFACE_COLUMNS: tuple[str, ...] = ("value_precision", "entity_text", "value_text")


def keyed_mentions(
    mentions: DataFrame,
    by: tuple[str, ...] = (),
    *,
    surfaces: bool = True,
    partitions: int | None = None,
) -> DataFrame:
    """The counted mentions, only the columns counting reads, hash-partitioned by prompt.

    One shuffle by ``(*by, attribute, entity)`` puts every mention of a prompt, and so of
    each of its facts, in one partition: every aggregation that follows groups by a superset
    of those columns and runs inside its partition, with no further shuffle. ``surfaces``
    keeps the surface columns (facts need them; prompts and the per-source counts do not).
    ``partitions`` defaults to the session's ``spark.sql.shuffle.partitions``.
    """
    columns = [*by, *FACT_COLUMNS, "doc_id", *(SURFACE_COLUMNS if surfaces else ())]
    if partitions is None:
        partitions = int(mentions.sparkSession.conf.get("spark.sql.shuffle.partitions"))
    return counted(mentions).select(*columns).repartition(partitions, *by, *PROMPT_ORDER)


def count_keys(keyed: DataFrame, keys: tuple[str, ...]) -> DataFrame:
    """``mention_count`` and ``doc_count`` per value of ``keys``, from :func:`keyed_mentions`.

    Distinct documents are counted in two steps, (keys, document) then keys, each a hash
    aggregation: Spark's ``countDistinct`` beside other aggregates expands every row once
    per distinct column and sorts the lot, many times slower on large tables.
    """
    one = F.lit(1)
    per_doc = keyed.groupBy(*keys, "doc_id").agg(F.count(one).alias("_mentions"))
    return per_doc.groupBy(*keys).agg(
        F.sum("_mentions").alias("mention_count"), F.count(one).alias("doc_count")
    )


def count_facts(keyed: DataFrame, by: tuple[str, ...] = ()) -> DataFrame:
    """One row per (entity, attribute, value): its mention and document counts.

    ``keyed`` comes from :func:`keyed_mentions` with the same ``by``, which adds stratum
    columns (e.g. ``("source",)``): a fact is then counted within each stratum separately.
    The surface columns keep one representative form (the smallest, so reruns agree) and how
    many forms were seen, so normalization can be audited.

    Minimum of a string forces Spark into sort-based aggregation, so the surfaces are
    reduced first by a hash aggregation to their distinct combinations per fact (a few per
    fact, against one row per mention), and only those are sorted. Output rows come sorted
    by ``(*by, attribute, entity, value)`` within each partition.
    """
    keys = (*by, *FACT_ORDER)
    one = F.lit(1)
    forms = keyed.groupBy(*keys, *SURFACE_COLUMNS).agg(F.count(one).alias("_n"))
    # ``_n`` only keeps Spark from merging the reduction above into the sort-based one below.
    seen = F.col("_n") > 0
    per_text = forms.groupBy(*keys, "value_text").agg(
        F.min(F.when(seen, F.col("value_precision"))).alias("value_precision"),
        F.min(F.when(seen, F.col("entity_text"))).alias("entity_text"),
    )
    surfaces = per_text.groupBy(*keys).agg(
        F.min("value_precision").alias("value_precision"),
        F.min("entity_text").alias("entity_text"),
        F.min("value_text").alias("value_text"),
        F.count(one).alias("n_value_surfaces"),
    )
    # Both sides are partitioned by prompt: the join needs no shuffle (count_and_estimate
    # lets Spark see that). Counted mentions always have entity and value keys.
    return (
        count_keys(keyed, keys)
        .join(surfaces, list(keys))
        .select(
            *by,
            *FACT_COLUMNS,
            "mention_count",
            "doc_count",
            "value_precision",
            "entity_text",
            "value_text",
            "n_value_surfaces",
        )
    )


def count_prompts(keyed: DataFrame, facts: DataFrame, by: tuple[str, ...] = ()) -> DataFrame:
    """One row per (entity, attribute), the question a fact answers: counts and value spread.

    ``keyed`` comes from :func:`keyed_mentions` (surfaces not needed); ``facts`` is the
    :func:`count_facts` table of the same ``by``: a prompt's distinct values are its facts,
    and its smallest entity surface the smallest of theirs. Output rows come sorted by
    ``(*by, attribute, entity)`` within each partition.
    """
    keys = (*by, *PROMPT_ORDER)
    spread = facts.groupBy(*keys).agg(
        F.count(F.lit(1)).alias("n_values"), F.min("entity_text").alias("entity_text")
    )
    return (
        count_keys(keyed, keys)
        .join(spread, list(keys))
        .select(*by, *PROMPT_COLUMNS, "mention_count", "doc_count", "n_values", "entity_text")
    )


def freq_of_freq(table: DataFrame, key: str, by: str = "attribute") -> pd.DataFrame:
    """(scope, unit, key, r, n_r) of a counted table, one scope per value of ``by``.

    Scopes are named ``by=value`` (``attribute=birth_date``, ``source=news``); rows whose
    ``by`` is null are left out (documents without a source belong to no source stratum).
    """
    per_unit = [
        table.where(F.col(by).isNotNull()).select(
            F.col(by).alias("stratum"), F.lit(unit).alias("unit"), F.col(col).alias("r")
        )
        for unit, col in UNITS.items()
    ]
    stacked = per_unit[0].unionByName(per_unit[1])
    rows = stacked.groupBy("stratum", "unit", "r").agg(F.count(F.lit(1)).alias("n_r")).collect()
    frame = pd.DataFrame(
        [(f"{by}={r['stratum']}", r["unit"], key, int(r["r"]), int(r["n_r"])) for r in rows],
        columns=["scope", "unit", "key", "r", "n_r"],
    )
    return frame.astype({"r": "int64", "n_r": "int64"})


def combine_scopes(by_attribute: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Scopes that are unions of attributes, summed from the per-attribute tables.

    A key belongs to exactly one attribute, so the table of a union of attributes (``all``,
    or ``entity_type=PERSON``) is the sum of their tables: no second Spark aggregation.
    ``groups`` maps a scope name to its attributes.
    """
    parts = []
    for scope, attributes in groups.items():
        wanted = by_attribute["scope"].isin([f"attribute={a}" for a in attributes])
        summed = by_attribute[wanted].groupby(["key", "unit", "r"], as_index=False)["n_r"].sum()
        summed.insert(0, "scope", scope)
        parts.append(summed[["scope", "unit", "key", "r", "n_r"]])
    return pd.concat(parts, ignore_index=True) if parts else by_attribute.iloc[0:0]


def distinct_values(facts: DataFrame) -> dict[str, int]:
    """Distinct values observed per attribute (the default |E_c| is this minus one)."""
    rows = facts.groupBy("attribute").agg(F.countDistinct("value").alias("n")).collect()
    return {r["attribute"]: int(r["n"]) for r in rows}


def accounting(extracted: DataFrame) -> list[dict[str, Any]]:
    """Per input file: documents read, processed, parsed, failed; records rejected at read."""
    docs = extracted.where(F.col("kind") == "doc")
    per_doc = docs.groupBy("file").agg(
        F.count(F.lit(1)).alias("documents"),
        F.sum(F.when(F.col("reason").isNull(), 1).otherwise(0)).alias("processed"),
        F.sum(F.when(F.col("parsed"), 1).otherwise(0)).alias("parsed"),
        F.sum(F.when(F.col("reason").isNotNull(), 1).otherwise(0)).alias("failed"),
        F.sum("n_words").alias("words"),
        F.sum("n_chars").alias("chars"),
    )
    rejected = (
        extracted.where(F.col("kind") == "reject")
        .groupBy("file")
        .agg(F.count(F.lit(1)).alias("rejected_at_read"))
    )
    rows = per_doc.join(rejected, "file", "full_outer").collect()
    out = []
    for r in sorted(rows, key=lambda r: r["file"] or ""):
        d = {
            k: int(r[k] or 0)
            for k in (
                "documents",
                "processed",
                "parsed",
                "failed",
                "words",
                "chars",
                "rejected_at_read",
            )
        }
        d["file"] = r["file"]
        d["records_read"] = d["documents"] + d["rejected_at_read"]
        out.append(d)
    return out
