"""Real text nobody here wrote, for ``bench/harness.py --parts real``: the corpora and the table.

Three rows, each the pipeline (``singletons run --prefilter sentence``, the whole process)
against plain spaCy (``bench/plain_spacy.py --mode nprocess``: ``en_core_web_sm``
``nlp.pipe(n_process=2)`` over the same documents, its parse time alone, model load
excluded), measured one after the other in one invocation:

* ``wikipedia``: the first ``--wiki-docs`` full articles of the shared real English Wikipedia
  corpus (``wikipedia/enwiki_2018_articles.jsonl.gz``), as they are in the file;
* ``trex``: T-REx evidence sentences of the relations :mod:`singleton_rate.evaluate` maps,
grouped by
  subject into one document each (sentences in file order, the subject's label as title), the
  first ``--trex-docs`` subjects: text where almost every sentence states a relation;
* ``synthetic``: the benchmark's own generated mix (``bench/realistic_corpus.py``) at
  ``--compare-size``.

Figures per row: words/s and MB/s of each side, characters the parser saw (the pipeline:
``documents.parsed_chars``; plain spaCy parses every character), and mentions found. The
corpora are written under ``OUT/corpora`` (never into the repository).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

WIKIPEDIA = Path("wikipedia") / "enwiki_2018_articles.jsonl.gz"
PLAIN_MODE = "nprocess"  # spaCy's own nlp.pipe(n_process=2), as issue 17 defines the baseline


def first_articles(lines: Iterable[str], n: int) -> Iterator[dict[str, str]]:
    """The first ``n`` articles with a non-blank text, as ``{id, title, text}`` records.

    Examples
    --------
    >>> rows = ['{"id": "a", "title": "A", "text": "x"}', '', '{"id": "b", "title": "B", '
    ...         '"text": " "}', '{"id": "c", "title": "C", "text": "y z", "url": "u"}']
    >>> list(first_articles(rows, 2))
    [{'id': 'a', 'title': 'A', 'text': 'x'}, {'id': 'c', 'title': 'C', 'text': 'y z'}]
    """
    taken = 0
    for line in lines:
        if taken >= n:
            return
        if not line.strip():
            continue
        record = json.loads(line)
        if not str(record.get("text", "")).strip():
            continue
        taken += 1
        yield {"id": record["id"], "title": record["title"], "text": record["text"]}


def group_by_subject(docs: Iterable[Any], n: int) -> list[dict[str, str]]:
    """Sentence documents (``title``, ``text``) joined per title, the first ``n`` titles.

    Titles keep the order in which they first appear, sentences their order within a title;
    sentences are joined by one space.

    Examples
    --------
    >>> from types import SimpleNamespace as D
    >>> docs = [D(title="Ann", text="Ann was born in Rome."), D(title="Bo", text="Bo sang."),
    ...         D(title="Ann", text="She died in Oslo."), D(title="Cy", text="Cy ran.")]
    >>> group_by_subject(docs, 2)  # doctest: +NORMALIZE_WHITESPACE
    [{'id': 'trex-subject-1', 'title': 'Ann', 'text': 'Ann was born in Rome. She died in Oslo.'},
     {'id': 'trex-subject-2', 'title': 'Bo', 'text': 'Bo sang.'}]
    """
    grouped: dict[str, list[str]] = {}
    for d in docs:
        if d.title not in grouped:
            if len(grouped) >= n:
                continue
            grouped[d.title] = []
        grouped[d.title].append(d.text)
    return [
        {"id": f"trex-subject-{i}", "title": title, "text": " ".join(texts)}
        for i, (title, texts) in enumerate(grouped.items(), start=1)
    ]


def _write(records: Iterable[dict[str, str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as sink:
        for r in records:
            sink.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.rename(path)
    return path


def wikipedia_corpus(corpora: Path, n: int, out: Path) -> Path:
    """The first ``n`` Wikipedia articles as ``out/wikipedia-first<n>.jsonl`` (cached)."""
    path = out / f"wikipedia-first{n}.jsonl"
    if path.exists():
        return path
    with gzip.open(corpora / WIKIPEDIA, "rt", encoding="utf-8") as lines:
        return _write(first_articles(lines, n), path)


def trex_corpus(corpora: Path, n: int, out: Path) -> Path:
    """T-REx sentences grouped by subject, ``n`` subjects, as ``out/trex-subjects<n>.jsonl``."""
    from singleton_rate.evaluate import trex_documents

    path = out / f"trex-subjects{n}.jsonl"
    if path.exists():
        return path
    return _write(group_by_subject(trex_documents(corpora / "trex"), n), path)


def real_row(name: str, pipeline: dict[str, Any], plain: dict[str, Any]) -> dict[str, Any]:
    """One row of the table: the pipeline's whole process against plain spaCy's parse.

    ``ratio`` is the pipeline's throughput over plain spaCy's on the same documents, that is
    plain parse seconds ÷ pipeline wall seconds.

    Examples
    --------
    >>> pipe = {"input_mb": 2.0, "documents": 10, "words": 1000, "chars": 6000,
    ...         "parsed_chars": 1500, "mentions": {"asserted": 7, "negated": 1},
    ...         "end_to_end": {"seconds": 20.0}, "stages": {"read + extract": {"seconds": 8.0}},
    ...         "command": "p"}
    >>> plain = {"documents": 10, "words": 1000, "chars": 6000, "parse": {"seconds": 50.0},
    ...          "model_load_s": 1.0, "command": "q"}
    >>> row = real_row("wiki", pipe, plain)
    >>> row["ratio"], row["pipeline"]["words_per_s"], row["plain"]["mb_per_s"]
    (2.5, 50.0, 0.04)
    >>> row["pipeline"]["parsed_share"], row["pipeline"]["mentions"], row["fixed_s"]
    (0.25, 8, 12.0)
    """
    if pipeline["documents"] != plain["documents"] or pipeline["words"] != plain["words"]:
        raise ValueError(
            f"{name}: the two sides read different documents ({pipeline['documents']} and "
            f"{plain['documents']} documents, {pipeline['words']} and {plain['words']} words)"
        )
    mb, words, chars = pipeline["input_mb"], pipeline["words"], pipeline["chars"]
    wall = pipeline["end_to_end"]["seconds"]
    parse = plain["parse"]["seconds"]
    extract = pipeline["stages"].get("read + extract", {}).get("seconds", wall)
    parsed = pipeline.get("parsed_chars")
    return {
        "corpus": name,
        "documents": pipeline["documents"],
        "mb": mb,
        "words": words,
        "chars": chars,
        "pipeline": {
            "seconds": wall,
            "read_extract_s": extract,
            "words_per_s": round(words / wall, 1),
            "mb_per_s": round(mb / wall, 4),
            "parsed_chars": parsed,
            "parsed_share": round(parsed / chars, 4) if parsed is not None and chars else None,
            "mentions": sum(pipeline["mentions"].values()),
            "asserted": pipeline["mentions"].get("asserted", 0),
            "command": pipeline["command"],
        },
        "plain": {
            "seconds": parse,
            "model_load_s": plain["model_load_s"],
            "words_per_s": round(words / parse, 1),
            "mb_per_s": round(mb / parse, 4),
            "parsed_chars": plain["chars"],
            "command": plain["command"],
        },
        "ratio": round(parse / wall, 4),
        "fixed_s": round(wall - extract, 2),
    }


def markdown(rows: list[dict[str, Any]]) -> list[str]:
    """The real-text table and the commands of its runs."""
    out = [
        "## Real text: the pipeline against plain spaCy (`nlp.pipe(n_process=2)`)",
        "",
        "Pipeline: the whole `singletons run --prefilter sentence` process. Plain spaCy: the "
        "same model and components over the same documents, parse time alone (model load "
        "excluded). Ratio = pipeline throughput ÷ plain throughput.",
        "",
        "| corpus | documents | MB | words | pipeline s | pipeline words/s | pipeline MB/s "
        "| characters parsed | mentions (asserted) | plain s | plain words/s | plain MB/s "
        "| ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        p, q = r["pipeline"], r["plain"]
        share = "–" if p["parsed_share"] is None else f"{p['parsed_share']:.1%}"
        parsed = "–" if p["parsed_chars"] is None else f"{p['parsed_chars']:,} ({share})"
        out.append(
            f"| {r['corpus']} | {r['documents']:,} | {r['mb']:.2f} | {r['words']:,} | "
            f"{p['seconds']:.1f} | {p['words_per_s']:,.0f} | {p['mb_per_s']:.3f} | {parsed} | "
            f"{p['mentions']:,} ({p['asserted']:,}) | {q['seconds']:.1f} | "
            f"{q['words_per_s']:,.0f} | {q['mb_per_s']:.3f} | **{r['ratio']:.2f}×** |"
        )
    out += [
        "",
        "Plain spaCy parses every character ("
        + ", ".join(f"{r['corpus']} {r['plain']['parsed_chars']:,}" for r in rows)
        + "). The pipeline's time outside its read + extract stage (session, small stages, "
        "start and stop): " + ", ".join(f"{r['corpus']} {r['fixed_s']:.1f} s" for r in rows) + ".",
        "",
        "Commands:",
        "",
    ]
    for r in rows:
        out += [f"    {r['pipeline']['command']}", f"    {r['plain']['command']}"]
    return [*out, ""]
