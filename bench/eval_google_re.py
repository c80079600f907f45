"""Precision and recall of a run over the Google-RE corpus (see ../shared/corpora/README.md).

    python bench/eval_google_re.py runs/google_re

Rules of the corpora README: a gold fact is (subject, relation, object ∪ aliases); recall is
the share of gold facts whose subject has an extracted value matching the object; precision
counts only extracted facts for a (subject, relation) pair that has gold, since the
paragraphs state other true facts nobody labelled. Birth dates are gold at year precision,
so an extracted date matches when its year does.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

from pipeline.normalize import entity_key, place_key

SRC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "google_re"
RELATIONS = {"place_of_birth_test.jsonl": "birth_place", "date_of_birth_test.jsonl": "birth_date"}


def value_matches(attribute: str, extracted: str, gold: set[str]) -> bool:
    if attribute == "birth_date":
        return extracted[:4] in gold
    return extracted in gold


def main(run: str) -> int:
    facts: list[tuple[frozenset[str], str, set[str]]] = []
    gold: dict[tuple[str, str], set[str]] = defaultdict(set)  # (subject key, relation) → objects
    for name, attribute in RELATIONS.items():
        for line in (SRC / name).open(encoding="utf-8"):
            fact = json.loads(line)
            objects = [fact["obj_label"], *fact.get("obj_aliases", [])]
            keys = (
                {o[:4] for o in objects}
                if attribute == "birth_date"
                else {place_key(o) for o in objects}
            )
            subjects = frozenset(
                entity_key(s) for s in [fact["sub_label"], *fact.get("sub_aliases", [])]
            )
            facts.append((subjects, attribute, keys))
            for subject in subjects:
                gold[(subject, attribute)] |= keys
    con = duckdb.connect()
    rows = con.execute(
        f"select entity, attribute, value from read_parquet('{run}/mentions/**/*.parquet', "
        "hive_partitioning = true) where status = 'asserted' "
        "and attribute in ('birth_place', 'birth_date') group by all"
    ).fetchall()
    extracted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entity, attribute, value in rows:
        extracted[(entity, attribute)].add(value)
    report = {}
    for attribute in RELATIONS.values():
        mine = [f for f in facts if f[1] == attribute]
        found = sum(
            any(
                value_matches(attribute, x, objects)
                for s in subjects
                for x in extracted.get((s, attribute), ())
            )
            for subjects, _, objects in mine
        )
        judged = [(key, x) for key in gold if key[1] == attribute for x in extracted.get(key, ())]
        correct = sum(value_matches(attribute, x, gold[key]) for key, x in judged)
        report[attribute] = {
            "gold_facts": len(mine),
            "found": found,
            "recall": round(found / len(mine), 4),
            "extracted_judged": len(judged),
            "correct": correct,
            "precision": round(correct / len(judged), 4) if judged else None,
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "runs/google_re"))
