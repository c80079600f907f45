"""Precision, recall and F1 of extraction on Google-RE and T-REx, without Spark.

    .venv/bin/python bench/eval_extract.py [--corpora ../shared/corpora] [--out bench/out/eval]
                                           [--limit N] [--sample 20]

Builds the evaluation documents (:func:`singleton_rate.evaluate.google_re_documents`,
:func:`singleton_rate.evaluate.trex_documents`), runs
:class:`singleton_rate.extract.extractor.Extractor`
over them in batches of 256 (the same code Spark runs in its workers), scores the mentions
under the rules of ``../shared/corpora/README.md`` (:func:`singleton_rate.evaluate.score`) and
writes ``report.json`` (scores and samples of both kinds of error) and ``report.txt`` (the
tables) to ``--out``. The corpora are read from ``../shared/corpora`` and never copied; the
script says so and exits 0 when they are absent.

About 4 minutes on 2 cores (nearly all of it spaCy: about 26,000 documents).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from singleton_rate.corpus import Document
from singleton_rate.evaluate import (
    TREX_RELATIONS,
    Report,
    google_re_documents,
    google_re_gold,
    mention_rows,
    score,
    trex_documents,
    trex_gold,
)
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.extractor import Extractor
from singleton_rate.extract.model import resolve_model_name

DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
BATCH = 256


def extract(extractor: Extractor, docs: list[Document]) -> list:
    """Every document's result, batch by batch, with progress on stderr."""
    results = []
    start = time.time()
    for i in range(0, len(docs), BATCH):
        results.extend(extractor.extract(docs[i : i + BATCH]))
        done = min(i + BATCH, len(docs))
        print(f"  {done}/{len(docs)} documents, {time.time() - start:.0f}s", file=sys.stderr)
    return results


def run(
    corpora: Path,
    limit: int | None,
    sample: int,
    prefilter: str = "sentence",
    only: tuple[str, ...] = ("google_re", "trex"),
) -> dict[str, tuple[Report, dict]]:
    """Score the corpora; returns {corpus: (report, run facts)}."""
    extractor = Extractor(load_catalog(), resolve_model_name(), batch_size=64, prefilter=prefilter)
    out: dict[str, tuple[Report, dict]] = {}
    jobs = [
        (
            "google_re",
            lambda: google_re_documents(corpora / "google_re", limit),
            lambda: google_re_gold(corpora / "google_re", limit),
        ),
        (
            "trex",
            lambda: trex_documents(corpora / "trex", tuple(TREX_RELATIONS), limit),
            lambda: trex_gold(corpora / "trex", tuple(TREX_RELATIONS), limit),
        ),
    ]
    for name, make_docs, make_gold in jobs:
        if name not in only:
            continue
        docs = make_docs()
        print(f"{name}: {len(docs)} documents", file=sys.stderr)
        start = time.time()
        results = extract(extractor, docs)
        seconds = time.time() - start
        report = score(mention_rows(results), make_gold(), sample=sample)
        facts = {
            "documents": len(docs),
            "parsed": sum(r.parsed for r in results),
            "chars": sum(r.n_chars for r in results),
            "parsed_chars": sum(r.parsed_chars for r in results),
            "failed": sum(r.error is not None for r in results),
            "seconds": round(seconds, 1),
        }
        out[name] = (report, facts)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--out", type=Path, default=Path("bench/out/eval"))
    parser.add_argument("--limit", type=int, default=None, help="facts per relation file")
    parser.add_argument("--sample", type=int, default=20, help="errors kept per kind")
    parser.add_argument("--prefilter", choices=("sentence", "document", "off"), default="sentence")
    parser.add_argument(
        "--corpus", action="append", choices=("google_re", "trex"), help="default: both"
    )
    args = parser.parse_args()
    if not (args.corpora / "google_re").is_dir() or not (args.corpora / "trex").is_dir():
        print(
            f"{args.corpora} is absent: the shared evaluation corpora are not beside this "
            "checkout; nothing to evaluate"
        )
        return 0
    reports = run(
        args.corpora,
        args.limit,
        args.sample,
        args.prefilter,
        tuple(args.corpus or ("google_re", "trex")),
    )
    args.out.mkdir(parents=True, exist_ok=True)
    text = []
    payload = {"catalog": load_catalog().label, "limit": args.limit, "prefilter": args.prefilter}
    for name, (report, facts) in reports.items():
        text.append(
            f"{name} ({facts['documents']} documents, {facts['seconds']}s, prefilter "
            f"{args.prefilter}: {facts['parsed_chars']:,} of {facts['chars']:,} chars parsed)"
        )
        text.append(report.table())
        text.append("")
        payload[name] = {"run": facts, "relations": report.to_dict()}
    table = "\n".join(text)
    print(table)
    (args.out / "report.txt").write_text(table + "\n", encoding="utf-8")
    (args.out / "report.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out / 'report.json'} and {args.out / 'report.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
