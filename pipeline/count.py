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


def count_facts(mentions: DataFrame, by: tuple[str, ...] = ()) -> DataFrame:
    """One row per (entity, attribute, value): its mention and document counts.

    ``by`` adds stratum columns (e.g. ``("source",)``): a fact is then counted within each
    stratum separately. The surface columns keep one representative form (the smallest, so
    reruns agree) and how many forms were seen, so normalization can be audited.
    """
    return (
        counted(mentions)
        .groupBy(*by, *FACT_COLUMNS)
        .agg(
            F.count(F.lit(1)).alias("mention_count"),
            F.countDistinct("doc_id").alias("doc_count"),
            F.min("value_precision").alias("value_precision"),
            F.min("entity_text").alias("entity_text"),
            F.min("value_text").alias("value_text"),
            F.countDistinct("value_text").alias("n_value_surfaces"),
        )
    )


def count_prompts(mentions: DataFrame, by: tuple[str, ...] = ()) -> DataFrame:
    """One row per (entity, attribute), the question a fact answers: counts and value spread."""
    return (
        counted(mentions)
        .groupBy(*by, *PROMPT_COLUMNS)
        .agg(
            F.count(F.lit(1)).alias("mention_count"),
            F.countDistinct("doc_id").alias("doc_count"),
            F.countDistinct("value").alias("n_values"),
            F.min("entity_text").alias("entity_text"),
        )
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
