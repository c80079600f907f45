"""Write a shared annotated corpus as a JSONL corpus the analyzer can run on.

    python bench/corpus_docs.py google_re          # bench/out/google_re/docs.jsonl
    python bench/corpus_docs.py trex --all         # every T-REx relation, 138,678 documents

Google-RE: each evidence paragraph is a document (title from its Wikipedia URL). T-REx: each
evidence sentence, its ``[MASK]`` filled with the object's surface form, is a document titled
with the subject's label; repeated sentences are kept, which gives the corpus its natural,
skewed counts. The documents are the ones :mod:`singleton_rate.evaluate` scores
(``singletons evaluate``); the data is read from ``../shared/corpora`` and never copied into
the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from singleton_rate.evaluate import (
    TREX_RELATIONS,
    google_re_documents,
    trex_documents,
    write_documents,
)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", choices=("google_re", "trex"))
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument(
        "--all", action="store_true", help="T-REx: every relation, not only the mapped ones"
    )
    parser.add_argument("--out", type=Path, help="default: bench/out/<corpus>/docs.jsonl")
    args = parser.parse_args()
    src = args.corpora / args.corpus
    if not src.is_dir():
        print(f"{src} is absent: the shared corpora are not beside this checkout")
        return 1
    if args.corpus == "google_re":
        docs = google_re_documents(src)
    else:
        relations = (
            sorted(p.stem for p in src.glob("P*.jsonl")) if args.all else tuple(TREX_RELATIONS)
        )
        docs = trex_documents(src, relations)
    out = args.out or Path("bench/out") / args.corpus / "docs.jsonl"
    write_documents(docs, out)
    print(json.dumps({"documents": len(docs), "out": str(out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
