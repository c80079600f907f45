"""Step 1: the sentence-level gate's decisions on every pre-parse sentence of the corpus.

Reproduces Extractor._pieces (prefilter = "sentence", the run's setting): sentence_spans(text)
cuts the raw text by punctuation; each span is kept when could_match(span) is true; the first
span is also kept when the second is (the opening joins a run next to it). Writes
out/spans.parquet, one row per span.

PYTHONPATH=src_e8c3997/pipeline:. /work/main/.venv/bin/python spans.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gatelib import ExplainingGate, read_corpus
from singleton_rate.extract.sentences import sentence_spans

OUT = Path(__file__).parent / "out"
OUT.mkdir(exist_ok=True)


def main(limit: int | None = None) -> None:
    gate = ExplainingGate()
    cols = {k: [] for k in (
        "doc_id", "i", "n_spans", "start", "end", "passes", "kept", "lifespan",
        "patterns", "words", "critical", "pat_words",
    )}
    t0 = time.time()
    mismatch = 0
    for n, (doc_id, _title, text) in enumerate(read_corpus()):
        if limit and n >= limit:
            break
        spans = sentence_spans(text)
        rows = []
        for a, b in spans:
            s = text[a:b]
            passes, pats, sat, life, crit = gate.explain(s)
            if passes != gate.could_match(s):
                mismatch += 1
            rows.append((a, b, passes, pats, sat, life, crit))
        keep = [r[2] for r in rows]
        if keep and not keep[0] and len(keep) > 1 and keep[1]:
            keep[0] = True
        for i, ((a, b, passes, pats, sat, life, crit), k) in enumerate(zip(rows, keep)):
            cols["doc_id"].append(doc_id)
            cols["i"].append(i)
            cols["n_spans"].append(len(rows))
            cols["start"].append(a)
            cols["end"].append(b)
            cols["passes"].append(passes)
            cols["kept"].append(k)
            cols["lifespan"].append(life)
            cols["patterns"].append(pats)
            cols["words"].append(sorted({w for ws in sat.values() for w in ws}))
            cols["critical"].append(crit)
            cols["pat_words"].append([f"{p}={w}" for p, ws in sat.items() for w in ws])
        if n % 5000 == 0:
            print(n, f"{time.time() - t0:.0f}s", file=sys.stderr)
    print("mismatches vs could_match:", mismatch, file=sys.stderr)
    pq.write_table(pa.table(cols), OUT / "spans.parquet")
    print(f"done {time.time() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
