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


def count_facts(mentions: DataFrame) -> DataFrame:
    """One row per (entity, attribute, value): its mention and document counts.

    The surface columns keep one representative form (the smallest, so reruns agree) and
    how many forms were seen, so normalization can be audited.
    """
    return (
        counted(mentions)
        .groupBy("entity", "attribute", "value")
        .agg(
            F.count(F.lit(1)).alias("mention_count"),
            F.countDistinct("doc_id").alias("doc_count"),
            F.min("value_precision").alias("value_precision"),
            F.min("entity_text").alias("entity_text"),
            F.min("value_text").alias("value_text"),
            F.countDistinct("value_text").alias("n_value_surfaces"),
        )
    )


def count_prompts(mentions: DataFrame) -> DataFrame:
    """One row per (entity, attribute), the question a fact answers: counts and value spread."""
    return (
        counted(mentions)
        .groupBy("entity", "attribute")
        .agg(
            F.count(F.lit(1)).alias("mention_count"),
            F.countDistinct("doc_id").alias("doc_count"),
            F.countDistinct("value").alias("n_values"),
            F.min("entity_text").alias("entity_text"),
        )
    )


def freq_of_freq(table: DataFrame, key: str) -> pd.DataFrame:
    """(scope, unit, key, r, n_r) for one counted table, every attribute and ``all``.

    A key belongs to exactly one attribute, so the ``all`` scope is the sum of the
    per-attribute tables: one Spark aggregation serves both.
    """
    per_unit = [
        table.select("attribute", F.lit(unit).alias("unit"), F.col(col).alias("r"))
        for unit, col in UNITS.items()
    ]
    stacked = per_unit[0].unionByName(per_unit[1])
    rows = stacked.groupBy("attribute", "unit", "r").agg(F.count(F.lit(1)).alias("n_r")).collect()
    by_attr = pd.DataFrame(
        [(f"attribute={r['attribute']}", r["unit"], key, int(r["r"]), int(r["n_r"])) for r in rows],
        columns=["scope", "unit", "key", "r", "n_r"],
    )
    if by_attr.empty:
        return by_attr.astype({"r": "int64", "n_r": "int64"})
    overall = by_attr.groupby(["unit", "r"], as_index=False)["n_r"].sum()
    overall.insert(0, "scope", ALL)
    overall.insert(2, "key", key)
    out = pd.concat([overall, by_attr], ignore_index=True)
    return out.sort_values(["key", "scope", "unit", "r"], ignore_index=True)


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
