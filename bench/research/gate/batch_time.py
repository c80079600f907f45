"""python bench/research/gate/batch_time.py [ROUNDS]: spaCy time on the pieces the prefilter
passes (600 seeded real Wikipedia articles, as comp_time.py) by ``nlp.pipe`` batch size, and
whether the parses are the same (issue 17 item 2: batch sizes for sentence-sized inputs).

The sizes are timed in turns, round after round (a shared machine's load falls on all alike);
the best round of each is printed, with its ratio to the extractor's batch of 64.
"""

import gzip
import json
import random
import sys
import time

import spacy

from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.model import resolve_model_name
from singleton_rate.extract.prefilter import build_prefilter
from singleton_rate.extract.sentences import sentence_spans

CORPUS = "/work/shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz"
SIZES = (16, 64, 256, 1000)

rows = [json.loads(line) for line in gzip.open(CORPUS, "rt")]
random.seed(3)
rows = random.sample(rows, 600)
could_match = build_prefilter(load_catalog())
pieces = [r["text"][a:b] for r in rows for a, b in sentence_spans(r["text"]) if could_match(r["text"][a:b])]
print(len(pieces), "pieces,", sum(map(len, pieces)), "chars")
nlp = spacy.load(resolve_model_name(None), exclude=["lemmatizer"])


def run(size: int) -> tuple[float, list]:
    t = time.perf_counter()
    out = [
        (tuple(d.to_array(["HEAD", "DEP", "TAG"]).ravel().tolist()), tuple((e.start, e.end, e.label_) for e in d.ents))
        for d in nlp.pipe(pieces, batch_size=size)
    ]
    return time.perf_counter() - t, out


run(64)  # warm-up
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
best = {s: float("inf") for s in SIZES}
ref = None
same = {}
for _ in range(rounds):
    for s in SIZES:
        t, out = run(s)
        best[s] = min(best[s], t)
        if ref is None:
            ref = out
        same[s] = out == ref
for s in SIZES:
    print(f"batch {s:5d}: {best[s]:.2f} s  ({best[64] / best[s]:.2f}x of batch 64)  same parses: {same[s]}")
