"""Precision and recall of a *run* (Spark) over Google-RE or T-REx documents.

    python bench/corpus_docs.py google_re      # bench/out/google_re/docs.jsonl
    singletons run bench/out/google_re/docs.jsonl --out runs/google_re --source-field source
    python bench/eval_google_re.py runs/google_re [--corpus google_re|trex] [--json FILE]

The run's asserted mentions are read with DuckDB and scored by :func:`singleton_rate.evaluate.score`
under the rules of ``../shared/corpora/README.md``, exactly as ``bench/eval_extract.py``
scores the extractor run in plain Python: recall over gold facts; precision over extracted
facts whose (subject, relation) pair has gold; Google-RE birth dates at year precision.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from singleton_rate.evaluate import (
    GOOGLE_RE_RELATIONS,
    TREX_RELATIONS,
    google_re_gold,
    score,
    trex_gold,
)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def run_mentions(run: Path, attributes: list[str]) -> list[tuple]:
    """(doc_id, entity, attribute, value, status, sentence) of the run's asserted mentions."""
    listed = ", ".join(f"'{a}'" for a in attributes)
    con = duckdb.connect()
    return con.execute(
        "select doc_id, entity, attribute, value, status, sentence from read_parquet("
        f"'{run}/mentions/**/*.parquet', hive_partitioning = true) "
        f"where status = 'asserted' and attribute in ({listed})"
    ).fetchall()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path, nargs="?", default=Path("runs/google_re"))
    parser.add_argument("--corpus", choices=("google_re", "trex"), default="google_re")
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--json", type=Path, default=None, help="also write the full report")
    args = parser.parse_args()
    src = args.corpora / args.corpus
    if not src.is_dir():
        print(f"{src} is absent: the shared corpora are not beside this checkout")
        return 0
    if args.corpus == "google_re":
        gold, attributes = google_re_gold(src), list(GOOGLE_RE_RELATIONS.values())
    else:
        gold, attributes = trex_gold(src), list(TREX_RELATIONS.values())
    report = score(run_mentions(args.run, attributes), gold)
    print(report.table())
    if args.json is not None:
        args.json.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
