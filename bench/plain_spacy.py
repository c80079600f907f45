"""The "plain script" baseline: the pipeline's spaCy model over the same documents, no Spark.

    .venv/bin/python bench/plain_spacy.py CORPUS.jsonl [--mode pool|nprocess] [--processes 2]
                                                       [--batch-size 64]

Loads the model exactly as the pipeline does
(:func:`singleton_rate.extract.model.load_model` of
:func:`~singleton_rate.extract.model.resolve_model_name`:
the same components, lemmatizer excluded) and runs ``nlp.pipe`` over every document's text,
on both cores:

* ``pool`` (default): 2 worker processes, each loading the model once and running
  ``nlp.pipe`` over its share (batches of ``--chunk-docs`` documents handed out as workers
  free up, so neither core idles at the end); only counts come back.
* ``nprocess``: spaCy's own ``nlp.pipe(..., n_process=2)``, which sends every parsed ``Doc``
  back to the parent (serialization the pipeline does not pay).

No relation patterns run: this is the cost of spaCy alone, the floor the pipeline's
extraction is compared against. Prints one JSON object: documents, words (``str.split``, as
the pipeline counts them), characters, input bytes, tokens, sentences, entities, the model
load time (in the workers, the slowest), the parse time and the script's wall time from
its first line on (``bench/harness.py`` also times the whole process from outside).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Timed from the first line: the baseline pays its imports as the pipeline does.
STARTED = time.perf_counter()


def read_texts(path: Path, text_field: str = "text") -> list[str]:
    """Every record's text, in file order (the records the pipeline reads)."""
    texts = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                texts.append(json.loads(line)[text_field])
    return texts


def _load() -> tuple[Any, float]:
    from singleton_rate.extract.model import load_model, resolve_model_name

    start = time.perf_counter()
    nlp = load_model(resolve_model_name())
    return nlp, time.perf_counter() - start


_NLP: Any = None
_LOAD_S = 0.0


def _init_worker() -> None:
    global _NLP, _LOAD_S
    _NLP, _LOAD_S = _load()


def _count(docs: Iterator[Any]) -> dict[str, int]:
    tokens = sentences = ents = n = 0
    for doc in docs:
        n += 1
        tokens += len(doc)
        sentences += sum(1 for _ in doc.sents)
        ents += len(doc.ents)
    return {"docs": n, "tokens": tokens, "sentences": sentences, "ents": ents}


def _work(job: tuple[list[str], int]) -> tuple[dict[str, int], float, float]:
    texts, batch_size = job
    start = time.perf_counter()
    counts = _count(_NLP.pipe(texts, batch_size=batch_size))
    return counts, time.perf_counter() - start, _LOAD_S


def run_pool(texts: list[str], processes: int, batch_size: int, chunk_docs: int) -> dict[str, Any]:
    """Parse ``texts`` in ``processes`` workers; counts and timings."""
    jobs = [(texts[i : i + chunk_docs], batch_size) for i in range(0, len(texts), chunk_docs)]
    total = {"docs": 0, "tokens": 0, "sentences": 0, "ents": 0}
    load_s = busy_s = 0.0
    # fork: the workers start from this interpreter (imports done), as Spark's daemon forks.
    with mp.get_context("fork").Pool(processes, initializer=_init_worker) as pool:
        start = time.perf_counter()
        for counts, seconds, load in pool.imap_unordered(_work, jobs):
            for k in total:
                total[k] += counts[k]
            busy_s += seconds
            load_s = max(load_s, load)
        parse_s = time.perf_counter() - start
    return {**total, "load_s": load_s, "parse_s": parse_s, "worker_busy_s": busy_s}


def run_nprocess(texts: list[str], processes: int, batch_size: int) -> dict[str, Any]:
    """Parse ``texts`` with spaCy's ``n_process``; counts and timings."""
    nlp, load_s = _load()
    start = time.perf_counter()
    counts = _count(nlp.pipe(texts, batch_size=batch_size, n_process=processes))
    return {**counts, "load_s": load_s, "parse_s": time.perf_counter() - start}


def measure(
    corpus: Path,
    mode: str = "pool",
    *,
    processes: int = 2,
    batch_size: int = 64,
    chunk_docs: int = 16,
) -> dict[str, Any]:
    """Run the baseline over ``corpus`` in this process; one record of figures.

    Parameters
    ----------
    corpus : Path
        JSONL with a ``text`` field (the corpus the pipeline reads).
    mode : {"pool", "nprocess"}
        Worker processes of our own, or spaCy's ``n_process``.
    processes : int
        Worker processes (the machine's cores).
    batch_size : int
        ``nlp.pipe`` batch size (the pipeline's ``spacy_batch_size``).
    chunk_docs : int
        ``pool``: documents per job handed to a worker.

    Returns
    -------
    dict
        Mode, documents, words, chars, bytes, tokens, sentences, entities, ``load_s``,
        ``parse_s``, ``wall_s`` (since interpreter start) and words per second.
    """
    texts = read_texts(corpus)
    if mode == "pool":
        result = run_pool(texts, processes, batch_size, chunk_docs)
    elif mode == "nprocess":
        result = run_nprocess(texts, processes, batch_size)
    else:
        raise ValueError(f"mode must be pool or nprocess, got {mode!r}")
    wall = time.perf_counter() - STARTED
    words = sum(len(t.split()) for t in texts)
    return {
        "mode": mode,
        "processes": processes,
        "batch_size": batch_size,
        "corpus": str(corpus),
        "bytes": corpus.stat().st_size,
        "documents": len(texts),
        "words": words,
        "chars": sum(map(len, texts)),
        **result,
        "wall_s": wall,
        "words_per_s_wall": words / wall,
        "words_per_s_parse": words / result["parse_s"],
        "pid": os.getpid(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--mode", choices=("pool", "nprocess"), default="pool")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--chunk-docs", type=int, default=16)
    args = parser.parse_args()
    record = measure(
        args.corpus,
        args.mode,
        processes=args.processes,
        batch_size=args.batch_size,
        chunk_docs=args.chunk_docs,
    )
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
