"""The Wikipedia gold scored per annotation part: tuning parts 0-2 against held-out parts 3-4.

    PYTHONPATH=pipeline .venv/bin/python bench/wikipedia_parts.py [ATTRIBUTE/KIND ...]

The parts are those of ``bench/wikipedia_gold.py sample --parts 5`` (articles dealt, longest
first, to the part with the fewest characters), rebuilt from ``docs.jsonl``; one extraction
(the run's defaults), then :func:`singleton_rate.evaluate_wikipedia.score_wikipedia` per
group. Extra arguments name more rows of the table ("occupation/title").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from singleton_rate.evaluate_wikipedia import (
    CORPUS_FILE,
    GOLD_DIR,
    key_facts,
    read_articles,
    read_gold,
    score_wikipedia,
)
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.extractor import Extractor
from singleton_rate.extract.model import resolve_model_name

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
GROUPS = (("parts 0-2", {0, 1, 2}), ("parts 3-4", {3, 4}))


def part_of(docs_file: Path, parts: int = 5) -> dict[str, int]:
    """Each article's part, dealt as ``wikipedia_gold.py sample`` deals them."""
    rows = [json.loads(line) for line in docs_file.read_text("utf-8").splitlines()]
    dealt: list[list[dict]] = [[] for _ in range(parts)]
    for s in sorted(rows, key=lambda s: -s["n_chars"]):
        min(dealt, key=lambda p: sum(x["n_chars"] for x in p)).append(s)
    return {s["doc_id"]: i for i, p in enumerate(dealt) for s in p}


def main(extra: list[str]) -> int:
    docs, raw = read_gold()
    parts = part_of(Path(GOLD_DIR) / "docs.jsonl")
    catalog = load_catalog()
    facts = key_facts(raw, catalog)
    articles = read_articles(docs, CORPORA / CORPUS_FILE)
    extractor = Extractor(catalog, resolve_model_name(), batch_size=64, prefilter="sentence")
    mentions = [
        m
        for i in range(0, len(articles), 16)
        for r in extractor.extract(articles[i : i + 16])
        for m in r.mentions
    ]
    for name, chosen in GROUPS:
        ids = {d.doc_id for d in docs if parts[d.doc_id] in chosen}
        report = score_wikipedia(
            [m for m in mentions if m.doc_id in ids],
            [d for d in docs if d.doc_id in ids],
            [f for f in facts if f.doc_id in ids],
        )
        print(f"== {name}: {len(ids)} articles")
        for key in ("all", "title", "other", "short/title", "long/title", *extra):
            r, p = report.recall.get(key), report.precision.get(key)
            print(f"  {key:18s} R {r.text() if r else '-':32s} P {p.text() if p else '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
