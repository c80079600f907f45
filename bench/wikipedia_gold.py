"""The annotated real-article set: draw its seeded sample, check and pack hand annotations.

The shared corpus `../shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz` has no gold.
This script draws a fixed, seeded sample of its articles for a person to annotate, and turns
the annotator's files into the committed gold set `tests/data/wikipedia_gold/`, which holds
facts and character offsets only, never the articles' text (CC BY-SA; the text stays in
`../shared`). The rules annotators follow are in `tests/data/wikipedia_gold/README.md`.

    python bench/wikipedia_gold.py sample --out DIR     # DIR/sample.jsonl, DIR/part-K.ids
    python bench/wikipedia_gold.py pack DIR/gold/*.jsonl  # checks, then writes the gold set
    python bench/wikipedia_gold.py pack FACTS.jsonl --docs DOCS.jsonl --append
        # adds (or re-packs) these articles, keeping every other article's lines as they are
    python bench/wikipedia_gold.py sample --seed 2027 --scale 0.2 --exclude-gold --out DIR
    python bench/wikipedia_gold.py pack FACTS.jsonl --docs DOCS.jsonl --seed 2027 --scale 0.2 \
        --exclude-gold --gold-dir tests/data/wikipedia_heldout
        # a held-out set: another seed, strata scaled, the gold set's articles never drawn
        # (check and pack take the same --seed/--scale/--exclude-gold to redraw that sample)
    python bench/wikipedia_gold.py sample --seed 2028 --scale 0.2 --exclude-gold \
        --exclude tests/data/wikipedia_heldout --out DIR
        # a second held-out set, drawn from neither of the packed sets

Strata (seed 2026; a document is drawn once, in the first stratum it falls in):
  random       50 articles drawn uniformly (the corpus as it is: many with no fact at all)
  person       30 articles whose lead reads as a biography (a birth parenthesis or "was born")
  organisation 15 articles whose lead names an organisation (company, school, club, band …)
  long_person  15 biographies of 5,000–30,000 characters (the corpus's longest, best-known)
  long_org     10 organisations of 5,000–30,000 characters
`--scale F` draws round(F × size) of each stratum (at least 1); `--exclude-gold` leaves the
articles of `tests/data/wikipedia_gold/docs.jsonl` out of every pool.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import sys
from pathlib import Path

SHARED = Path(os.environ.get("SINGLETONS_SHARED",
                             Path(__file__).resolve().parents[1] / "../shared"))
CORPUS = SHARED / "corpora/wikipedia/enwiki_2018_articles.jsonl.gz"
GOLD = Path(__file__).resolve().parents[1] / "tests/data/wikipedia_gold"
SEED = 2026

BIO = re.compile(r"\((born|b\.|c\. \d|\d{3,4}\s*[–-])|\bwas born\b")
# "X is a … company": the lead's predicate names a kind of organisation.
ORG = re.compile(
    r"\b(is|was|are|were)\s+(a|an|the)\b[^.]{0,80}?\b(company|organi[sz]ation|corporation|"
    r"university|college|school|club|band|party|association|society|firm|brand|institute|"
    r"agency|foundation|airline|manufacturer|publisher|newspaper|charity|non-profit|"
    r"nonprofit|group|label|bank|retailer|chain|studio|network|federation|union|league)s?\b",
    re.IGNORECASE,
)
STRATA = (  # name, size, predicate on (lead, length)
    ("random", 50, lambda lead, n: True),
    ("person", 30, lambda lead, n: bool(BIO.search(lead))),
    ("organisation", 15, lambda lead, n: not BIO.search(lead) and bool(ORG.search(lead))),
    ("long_person", 15, lambda lead, n: 5000 <= n <= 30000 and bool(BIO.search(lead))),
    ("long_org", 10,
     lambda lead, n: 5000 <= n <= 30000 and not BIO.search(lead) and bool(ORG.search(lead))),
)
ATTRIBUTES = (
    "birth_date", "birth_place", "death_date", "death_place", "nationality", "occupation",
    "employer", "educated_at", "spouse", "founded", "founder", "headquarters",
)


def read_corpus(path: Path = CORPUS) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def gold_ids(gold: Path = GOLD) -> set[str]:
    """The doc_ids of a packed gold set (its `docs.jsonl`)."""
    lines = (gold / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["doc_id"] for line in lines if line.strip()}


def draw(rows: list[dict], seed: int = SEED, scale: float = 1.0,
         exclude: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """The sample: per stratum, a seeded shuffle of the eligible articles, first k taken.

    Each stratum takes round(scale × its size) articles, at least 1; the `exclude` ids are in
    no pool. The defaults draw the gold set's sample."""
    rng = random.Random(seed)
    taken: set[str] = set(exclude)
    out = []
    for name, size, eligible in STRATA:
        k = size if scale == 1.0 else max(1, round(size * scale))
        pool = [r for r in rows
                if r["id"] not in taken and eligible(r["text"][:300], len(r["text"]))]
        rng.shuffle(pool)
        for r in pool[:k]:
            taken.add(r["id"])
            out.append({"doc_id": r["id"], "title": r["title"], "stratum": name,
                        "n_chars": len(r["text"]),
                        "sha1": hashlib.sha1(r["text"].encode()).hexdigest()})
    return out


def _draw_args(args: argparse.Namespace, rows: list[dict]) -> list[dict]:
    """The sample the command line names (--seed, --scale, --exclude-gold, --exclude)."""
    excluded = gold_ids() if args.exclude_gold else set()
    for folder in args.exclude or ():
        excluded |= gold_ids(Path(folder))
    return draw(rows, args.seed, args.scale, excluded)


def cmd_sample(args: argparse.Namespace) -> None:
    rows = read_corpus()
    by_id = {r["id"]: r for r in rows}
    sample = _draw_args(args, rows)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "sample.jsonl", "w", encoding="utf-8") as f:
        for s in sample:
            f.write(json.dumps({**s, "text": by_id[s["doc_id"]]["text"]}, ensure_ascii=False)
                    + "\n")
    # Parts of about equal characters, for several annotators.
    parts: list[list[dict]] = [[] for _ in range(args.parts)]
    for s in sorted(sample, key=lambda s: -s["n_chars"]):
        min(parts, key=lambda p: sum(x["n_chars"] for x in p)).append(s)
    for i, p in enumerate(parts):
        (out / f"part-{i}.ids").write_text("".join(s["doc_id"] + "\n" for s in p))
        print(f"part {i}: {len(p)} articles, {sum(s['n_chars'] for s in p)} characters")


def check(fact: dict, text: str) -> list[str]:
    """Problems with one annotated fact (empty when it is well formed)."""
    problems = []
    for field in ("doc_id", "subject", "subject_kind", "attribute", "value", "evidence"):
        if not isinstance(fact.get(field), str) or not fact[field].strip():
            problems.append(f"missing {field}")
    if fact.get("attribute") not in ATTRIBUTES:
        problems.append(f"unknown attribute {fact.get('attribute')!r}")
    if fact.get("subject_kind") not in ("title", "other"):
        problems.append("subject_kind must be title or other")
    if fact.get("status", "clear") not in ("clear", "borderline"):
        problems.append("status must be clear or borderline")
    ev = fact.get("evidence") or ""
    if ev and ev not in text:
        problems.append("evidence is not an exact substring of the article")
    vt = fact.get("value_text")
    if vt and ev and vt not in ev:
        problems.append("value_text is not inside evidence")
    return problems


def read_annotations(files: list[str], rows: dict, sample: dict) -> tuple[list[dict], int]:
    """Every well-formed annotated fact of the files, and how many were malformed (printed)."""
    facts, bad = [], 0
    for name in files:
        for n, line in enumerate(Path(name).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            fact = json.loads(line)
            doc = rows.get(fact.get("doc_id", ""))
            problems = ["doc_id not in the sample"] if fact.get("doc_id") not in sample else (
                check(fact, doc["text"]))
            if problems:
                bad += 1
                print(f"{name}:{n}: {'; '.join(problems)}", file=sys.stderr)
                continue
            facts.append(fact)
    return facts, bad


def _corpus_and_sample(args: argparse.Namespace) -> tuple[dict[str, dict], dict[str, dict]]:
    """The corpus by id, and the drawn sample by id."""
    rows = {r["id"]: r for r in read_corpus()}
    return rows, {s["doc_id"]: s for s in _draw_args(args, list(rows.values()))}


def cmd_check(args: argparse.Namespace) -> None:
    rows, sample = _corpus_and_sample(args)
    facts, bad = read_annotations(args.files, rows, sample)
    print(f"{len(facts)} well-formed facts, {bad} malformed")
    sys.exit(1 if bad else 0)


def cmd_pack(args: argparse.Namespace) -> None:
    rows, sample = _corpus_and_sample(args)
    full, order = dict(sample), list(sample)  # the whole sample, in draw order
    if args.docs:  # only the articles an annotator finished (their *.docs.jsonl lines)
        done = {}
        for name in args.docs:
            for line in Path(name).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    d = json.loads(line)
                    done[d["doc_id"]] = d.get("page_kind")
        sample = {k: {**v, "page_kind": done[k]} for k, v in sample.items() if k in done}
    annotated, bad = read_annotations(args.files, rows, sample)
    facts = []
    for fact in annotated:
        text = rows[fact["doc_id"]]["text"]
        start = text.index(fact["evidence"])
        vstart = (start + fact["evidence"].index(fact["value_text"])
                  if fact.get("value_text") else None)
        facts.append({
            "doc_id": fact["doc_id"], "subject": fact["subject"],
            "subject_kind": fact["subject_kind"], "attribute": fact["attribute"],
            "value": fact["value"], "value_aliases": fact.get("value_aliases", []),
            "subject_aliases": fact.get("subject_aliases", []),
            "status": fact.get("status", "clear"),
            "evidence_start": start, "evidence_end": start + len(fact["evidence"]),
            "value_start": vstart,
            "value_end": vstart + len(fact["value_text"]) if vstart is not None else None,
            "note": fact.get("note", ""),
        })
    if bad and not args.force:
        sys.exit(f"{bad} malformed facts; fix them or pass --force to drop them")
    doc_lines = [json.dumps(s, ensure_ascii=False) + "\n" for s in sample.values()]
    facts.sort(key=_fact_key)
    fact_lines = [json.dumps(x, ensure_ascii=False) + "\n" for x in facts]
    gold = Path(args.gold_dir)
    if args.append:
        old_docs = (gold / "docs.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        old_facts = (gold / "facts.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        changed = [d["doc_id"] for d in map(json.loads, filter(str.strip, old_docs))
                   if d["doc_id"] in full and full[d["doc_id"]]["sha1"] != d["sha1"]]
        if changed:
            sys.exit(f"the corpus text changed for packed articles: {', '.join(changed)}")
        doc_lines, fact_lines = merge_gold(old_docs, old_facts, doc_lines, fact_lines, order)
        print(f"kept {len(doc_lines) - len(sample)} packed articles as they were")
    gold.mkdir(parents=True, exist_ok=True)
    (gold / "docs.jsonl").write_text("".join(doc_lines), encoding="utf-8")
    (gold / "facts.jsonl").write_text("".join(fact_lines), encoding="utf-8")
    n_facts = sum(1 for line in fact_lines if line.strip())
    print(f"{n_facts} facts over {len(doc_lines)} documents → {gold}")


def _fact_key(fact: dict) -> tuple[str, int, str]:
    """The gold set's fact order: by article, then evidence offset, then attribute."""
    return fact["doc_id"], fact["evidence_start"], fact["attribute"]


def merge_gold(old_docs: list[str], old_facts: list[str], new_docs: list[str],
               new_facts: list[str], order: list[str]) -> tuple[list[str], list[str]]:
    r"""Add newly packed articles to a packed gold set, keeping the other lines byte for byte.

    An article in `new_docs` replaces its old lines (its docs line and all its facts); every
    other old line is kept exactly as written. Docs lines are ordered by `order` (the
    sample's draw order), facts by (doc_id, evidence_start, attribute), ties in input order
    (old before new).

    Parameters
    ----------
    old_docs, old_facts : list of str
        The packed `docs.jsonl` and `facts.jsonl` lines (with their newlines).
    new_docs, new_facts : list of str
        The lines `pack` wrote for the articles being added.
    order : list of str
        Every sampled doc_id in draw order.

    Returns
    -------
    tuple of (list of str, list of str)
        The merged docs and facts lines.

    Raises
    ------
    ValueError
        When a docs line names an article the sample does not hold, or a new fact's article
        has no new docs line.

    Examples
    --------
    >>> old_d = ['{"doc_id": "b"}\n', '{"doc_id": "c"}\n']
    >>> old_f = ['{"doc_id":"b","evidence_start":5,"attribute":"spouse"}\n',
    ...          '{"doc_id":"c","evidence_start":0,"attribute":"founded"}\n']
    >>> new_d = ['{"doc_id": "a"}\n', '{"doc_id": "c"}\n']
    >>> new_f = ['{"doc_id": "a", "evidence_start": 3, "attribute": "founder"}\n']
    >>> d, f = merge_gold(old_d, old_f, new_d, new_f, ["c", "a", "b"])
    >>> [json.loads(x)["doc_id"] for x in d]
    ['c', 'a', 'b']
    >>> f == [new_f[0], old_f[0]]  # c re-packed without facts: its old fact is gone
    True
    """
    rank = {doc_id: i for i, doc_id in enumerate(order)}

    def keyed(lines: list[str]) -> list[tuple[str, str]]:
        pairs = [(json.loads(line)["doc_id"], line) for line in lines if line.strip()]
        unknown = [d for d, _ in pairs if d not in rank]
        if unknown:
            raise ValueError(f"articles not in the sample: {', '.join(unknown)}")
        return pairs

    new = keyed(new_docs)
    new_ids = {d for d, _ in new}
    stray = {json.loads(x)["doc_id"] for x in new_facts if x.strip()} - new_ids
    if stray:
        raise ValueError(f"facts of articles without a docs line: {', '.join(sorted(stray))}")
    docs = [(d, line) for d, line in keyed(old_docs) if d not in new_ids] + new
    docs.sort(key=lambda pair: rank[pair[0]])
    facts = [(json.loads(x), x) for x in old_facts if x.strip()]
    facts = [(f, x) for f, x in facts if f["doc_id"] not in new_ids]
    facts += [(json.loads(x), x) for x in new_facts if x.strip()]
    facts.sort(key=lambda pair: _fact_key(pair[0]))
    return [line for _, line in docs], [line for _, line in facts]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--out", required=True)
    s.add_argument("--parts", type=int, default=4)
    c = sub.add_parser("check")
    c.add_argument("files", nargs="+")
    k = sub.add_parser("pack")
    for q in (s, c, k):  # which sample: the gold set's unless told
        q.add_argument("--seed", type=int, default=SEED)
        q.add_argument("--scale", type=float, default=1.0,
                       help="draw round(F × size) of each stratum, at least 1")
        q.add_argument("--exclude-gold", action="store_true",
                       help=f"leave the articles of {GOLD.name}/docs.jsonl out of every pool")
        q.add_argument("--exclude", action="append", metavar="DIR",
                       help="also leave out the articles of DIR/docs.jsonl (repeatable)")
    k.add_argument("files", nargs="+")
    k.add_argument("--force", action="store_true")
    k.add_argument("--docs", nargs="+", help="annotators' *.docs.jsonl: pack only these articles")
    k.add_argument("--append", action="store_true",
                   help="keep the packed articles not packed now, their lines byte for byte")
    k.add_argument("--gold-dir", default=str(GOLD),
                   help="the folder to write docs.jsonl and facts.jsonl into")
    args = p.parse_args(argv)
    {"sample": cmd_sample, "check": cmd_check, "pack": cmd_pack}[args.cmd](args)


if __name__ == "__main__":
    main()
