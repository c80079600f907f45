"""python bench/research/gate/ner_need.py: how much of the parsed text a second NER pass would
see if the NER ran only on sentences where some pattern finds a candidate (issue 17 item 2).

An upper bound on what "NER only where a match needs labels" could save: the candidates are
found here with the NER's labels (the full pipeline), so the share is of sentences that
*do* yield a candidate; a label-free first test would pass at least these. Same 600 seeded
Wikipedia articles as comp_time.py, the extractor's own pieces (sentence prefilter).
"""

import gzip
import json
import random

from singleton_rate.corpus import Document
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.extractor import Extractor
from singleton_rate.extract.model import resolve_model_name

CORPUS = "/work/shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz"
rows = [json.loads(line) for line in gzip.open(CORPUS, "rt")]
random.seed(3)
rows = random.sample(rows, 600)
ex = Extractor(load_catalog(), resolve_model_name(None))
docs = [Document(r["id"], r["text"], r["title"], "wikipedia", "x") for r in rows]
eager = {i: ex._pieces(d.text)[0] for i, d in enumerate(docs) if ex.could_match(d.text)}
parsed = ex._parse(eager)
sents = chars = cand_sents = cand_chars = pieces = cand_pieces = piece_chars = cand_piece_chars = 0
for i, chunks in parsed.items():
    found = ex._find(docs[i], chunks)
    hit = {(off, s.start) for _, _, _, s, off in found}
    for off, doc in chunks:
        n = len(doc.text)
        pieces += 1
        piece_chars += n
        if any(o == off for o, _ in hit):
            cand_pieces += 1
            cand_piece_chars += n
        for s in doc.sents:
            sents += 1
            chars += len(s.text)
            if (off, s.start) in hit:
                cand_sents += 1
                cand_chars += len(s.text)
print(f"sentences parsed {sents:,} ({chars:,} chars); with a candidate {cand_sents:,} "
      f"({cand_chars:,} chars, {cand_chars / chars:.1%})")
print(f"pieces parsed {pieces:,} ({piece_chars:,} chars); with a candidate {cand_pieces:,} "
      f"({cand_piece_chars:,} chars, {cand_piece_chars / piece_chars:.1%})")
