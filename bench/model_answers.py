"""Grade real models' answers against a run: LM-KBC 2022 (BERT, GPT-3) and EntityQuestions.

    PYTHONPATH=. python bench/model_answers.py RUN [--out DIR] [--corpora ../shared/corpora]
    PYTHONPATH=. python bench/model_answers.py --trex-docs FILE [--corpora …]

The second form writes the T-REx evidence sentences of the six relations the evaluation
uses (:func:`singleton_rate.evaluate.trex_documents`: one document per distinct sentence, title
the fact's subject) as JSON lines, a second real corpus to run (``singletons run FILE``).

1. ``model_answers/lmkbc2022_dev.jsonl``: the published first answers of bert-large-cased and
   four GPT-3 models to the LM-KBC 2022 dev questions, split per model into an answers file
   (``entity``, ``attribute`` = the LM-KBC relation, ``answer`` = the first prediction,
   ``abstained``, ``gold`` = every alias of every true object) and graded with
   ``singletons grade RUN FILE`` (counts from the run's prompts, document unit). Only three
   LM-KBC relations are in the catalog (PersonPlaceOfDeath → death_place, PersonProfession →
   occupation, PersonEmployer → employer, by the catalog's question aliases); the others are
   kept as malformed rows (``unknown_attribute``).
2. ``entityquestions/dev.jsonl``: a baseline answerer, the attribute's most frequent value in
   the run (summed document counts of its facts), graded against the set's gold answers.
3. The run's own probe set (``singletons questions RUN``, default sizes, seed 0) answered by
   the same baseline and graded with ``--questions``: the floor comparison on the
   prompt-weighted stratum.

Nothing is copied into the repository: answers files and grades go to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from singleton_rate.extract.catalog import load_catalog
from singleton_rate.grade import format_grade, grade, write_grade_summary, write_grades
from singleton_rate.query import connect

ROOT = Path(__file__).resolve().parent.parent


def lmkbc(run: Path, corpora: Path, out: Path) -> None:
    source = corpora / "model_answers" / "lmkbc2022_dev.jsonl"
    per_model: dict[str, list[dict]] = defaultdict(list)
    for line in source.open(encoding="utf-8"):
        r = json.loads(line)
        per_model[r["model"]].append(
            {
                "entity": r["entity"],
                "attribute": r["relation"],
                "answer": r["prediction"],
                "abstained": r["abstained"],
                "gold": r["gold"],
            }
        )
    for model, rows in per_model.items():
        path = out / f"lmkbc-{model}.jsonl"
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows))
        table, summary = grade(run, path)
        write_grades(table, out / f"lmkbc-{model}-grades.parquet")
        write_grade_summary(summary, out / f"lmkbc-{model}-grades.summary.json")
        print(f"\n=== LM-KBC 2022 dev, {model} (published answers) ===")
        print(format_grade(summary))


def majority_values(run: Path) -> dict[str, str]:
    """Per attribute, the value with the most (summed) documents, as the corpus writes it."""
    con = connect(run)
    top = dict(
        con.execute(
            """
            select attribute, arg_max(v, n) from (
                select attribute, value, sum(doc_count) as n,
                       arg_max(coalesce(value_text, value), doc_count) as v
                from facts group by attribute, value
            ) group by attribute
            """
        ).fetchall()
    )
    con.close()
    return top


def entityquestions(run: Path, corpora: Path, out: Path) -> None:
    top = majority_values(run)
    # The set's attribute names through the catalog's question aliases ("founded_by" → founder).
    fold = {a.casefold(): r.name for r in load_catalog().relations for a in r.question_aliases}
    rows = []
    for line in (corpora / "entityquestions" / "dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        attribute = r["attribute"]
        rows.append(
            {
                "entity": r["entity"],
                "attribute": attribute,
                "answer": top.get(fold.get(attribute.casefold(), attribute)),  # none: abstains
                "gold": r["answers"],
            }
        )
    path = out / "entityquestions-majority.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows))
    table, summary = grade(run, path)
    write_grades(table, out / "entityquestions-majority-grades.parquet")
    write_grade_summary(summary, out / "entityquestions-majority-grades.summary.json")
    print("\n=== EntityQuestions dev, baseline: the attribute's most frequent value in the run ===")
    print("answers:", {a: v for a, v in sorted(top.items())})
    print(format_grade(summary))


def own_questions(run: Path, out: Path) -> None:
    from singleton_rate.questions import build_questions, format_meta, write_questions

    sizes = {"unseen": 100, "singleton": 100, "rare": 100, "common": 100}
    qs = build_questions(run, sizes, weighted=200, holdout=0.2, seed=0)
    qfile = write_questions(qs, out / "own-questions.jsonl")
    top = majority_values(run)
    path = out / "own-questions-majority.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": q["id"], "answer": top.get(q["attribute"])}, ensure_ascii=False)
            + "\n"
            for q in qs.table.to_pylist()
        )
    )
    table, summary = grade(run, path, questions=qfile)
    write_grades(table, out / "own-questions-majority-grades.parquet")
    write_grade_summary(summary, out / "own-questions-majority-grades.summary.json")
    print("\n=== the run's own probe set, baseline: the attribute's most frequent value ===")
    print(format_meta(qs.meta))
    print(format_grade(summary))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", nargs="?")
    parser.add_argument("--trex-docs", help="write the T-REx evidence corpus here and stop")
    parser.add_argument("--out", default="runs/model_answers")
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    args = parser.parse_args(argv)
    corpora, out = Path(args.corpora), Path(args.out)
    if args.trex_docs:
        from singleton_rate.evaluate import trex_documents

        docs = trex_documents(corpora / "trex")
        with open(args.trex_docs, "w", encoding="utf-8") as fh:
            for d in docs:
                row = {"id": d.doc_id, "title": d.title, "text": d.text, "source": d.source}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{args.trex_docs}: {len(docs)} documents")
        return 0
    if not args.run:
        parser.error("RUN is required")
    if not (corpora / "model_answers").is_dir():
        print(f"{corpora}/model_answers is absent: nothing to grade", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    lmkbc(Path(args.run), corpora, out)
    entityquestions(Path(args.run), corpora, out)
    own_questions(Path(args.run), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
