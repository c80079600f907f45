"""`singletons questions` and `singletons grade` on a hand-made run folder (no Spark), and on
the bundled sample with a grader that answers from a known policy (Spark, flocked)."""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.cli import main
from singleton_rate.extract.catalog import CatalogError, load_catalog, parse_catalog
from singleton_rate.grade import (
    ABSTAINED,
    CORRECT,
    WRONG,
    best_policy,
    grade,
    is_abstention,
    logistic_fit,
    match_answer,
    target_score,
    thresholded,
)
from singleton_rate.questions import (
    PromptCount,
    build_questions,
    draw_strata,
    draw_weighted,
    write_questions,
)
from singleton_rate.validate import split_of

# With holdout 0.5 and seed 0 (md5 split; checked below): train and held-out documents.
TRAIN = ["d0", "d2", "d3", "d4", "d9", "d11", "d14", "d15"]
HELDOUT = ["d1", "d5", "d6"]

# (doc, attribute, entity surface, entity key, value key, precision, value surface)
MENTIONS = [
    # Ada: 3 train documents (rare) and one held-out; one train document states it twice.
    ("d0", "birth_date", "Ada Lovelace", "ada lovelace", "1815-12-10", "day", "10 December 1815"),
    ("d0", "birth_date", "Ada Lovelace", "ada lovelace", "1815-12-10", "day", "10 Dec. 1815"),
    ("d2", "birth_date", "Ada Lovelace", "ada lovelace", "1815-12-10", "day", "10 December 1815"),
    ("d3", "birth_date", "Ada Lovelace", "ada lovelace", "1815", "year", "1815"),
    ("d1", "birth_date", "Ada Lovelace", "ada lovelace", "1815-12-10", "day", "10 December 1815"),
    # Bob: one train document (singleton).
    ("d4", "birth_date", "Bob Stone", "bob stone", "1900", "year", "1900"),
    # Cy: held-out only (unseen in the counted part), two held-out documents.
    ("d1", "birth_date", "Cy Young", "cy young", "1950-05-05", "day", "5 May 1950"),
    ("d5", "birth_date", "Cy Young", "cy young", "1950", "year", "1950"),
    # Dee: an occupation in 6 train documents (common at rare_max 5), two values.
    *[
        ("d" + str(i), "occupation", "Dee Fox", "dee fox", "physicist", "text", "physicist")
        for i in (0, 2, 3, 4, 9, 11)
    ],
    ("d14", "occupation", "Dee Fox", "dee fox", "chemist", "text", "chemist"),
]


def make_run(root: Path, mentions: list[tuple[str, ...]] = MENTIONS) -> Path:
    """A complete run folder holding exactly ``mentions`` (all asserted)."""
    run = root / "run"
    by_attr: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc, attr, surface, ekey, value, precision, vsurface in mentions:
        by_attr[attr].append(
            dict(
                doc_id=doc,
                entity=ekey,
                value=value,
                value_precision=precision,
                entity_text=surface,
                value_text=vsurface,
                status="asserted",
            )
        )
    for attr, rows in by_attr.items():
        for table in ("mentions", "facts", "prompts"):
            (run / table / f"attribute={attr}").mkdir(parents=True)
        pq.write_table(
            pa.Table.from_pylist(rows), run / "mentions" / f"attribute={attr}" / "p.parquet"
        )
        facts: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            facts[(r["entity"], r["value"])].append(r)
        pq.write_table(
            pa.Table.from_pylist(
                [
                    dict(
                        entity=e,
                        value=v,
                        mention_count=len(rs),
                        doc_count=len({r["doc_id"] for r in rs}),
                        entity_text=rs[0]["entity_text"],
                        value_text=rs[0]["value_text"],
                        n_value_surfaces=1,
                        value_precision=rs[0]["value_precision"],
                    )
                    for (e, v), rs in facts.items()
                ]
            ),
            run / "facts" / f"attribute={attr}" / "p.parquet",
        )
        prompts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            prompts[r["entity"]].append(r)
        pq.write_table(
            pa.Table.from_pylist(
                [
                    dict(
                        entity=e,
                        mention_count=len(rs),
                        doc_count=len({r["doc_id"] for r in rs}),
                        n_values=len({r["value"] for r in rs}),
                        entity_text=rs[0]["entity_text"],
                    )
                    for e, rs in prompts.items()
                ]
            ),
            run / "prompts" / f"attribute={attr}" / "p.parquet",
        )
    (run / "estimates").mkdir()
    pq.write_table(
        pa.Table.from_pylist(
            [
                dict(
                    scope="single_valued",
                    unit="document",
                    key="prompt",
                    n=7,
                    n1=1,
                    singleton_rate=1 / 7,
                    missing_mass_low=0.0,
                    missing_mass_high=0.9,
                    hallucination_floor=0.0,
                )
            ]
        ),
        run / "estimates" / "p.parquet",
    )
    manifest = {"run_id": "hand", "config": {"rare_max": 5}, "catalog": load_catalog().to_dict()}
    (run / "manifest.json").write_text(json.dumps(manifest))
    return run


SIZES = {"unseen": 5, "singleton": 5, "rare": 5, "common": 5}


def test_split_of_the_fixture_documents() -> None:
    assert [split_of(d, holdout=0.5, seed=0) for d in TRAIN] == ["train"] * len(TRAIN)
    assert [split_of(d, holdout=0.5, seed=0) for d in HELDOUT] == ["heldout"] * len(HELDOUT)


def test_questions_hand_worked(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    qs = build_questions(run, SIZES, weighted=10, holdout=0.5, seed=0)
    rows = {(r["stratum"], r["entity_key"]): r for r in qs.table.to_pylist()}
    ada = rows[("rare", "ada lovelace")]
    # train: d0 (twice), d2, d3 → 4 mentions in 3 documents; d1 is held out
    assert (ada["count"], ada["prompt_mention_count"], ada["heldout_doc_count"]) == (3, 4, 1)
    assert ada["gold"] == ["1815-12-10", "1815"]  # by train documents: 2, then 1
    assert ada["gold_precision"] == ["day", "year"]
    assert ada["gold_doc_counts"] == [2, 1]
    assert ada["gold_surfaces"][0] == ["10 Dec. 1815", "10 December 1815"]
    assert ada["entity"] == "Ada Lovelace" and "Ada Lovelace" in ada["question"]
    assert ada["question"] in [
        t.replace("{entity}", "Ada Lovelace")
        for t in load_catalog().relation("birth_date").question_templates
    ]
    cy = rows[("unseen", "cy young")]
    assert (cy["count"], cy["count_class"], cy["heldout_doc_count"]) == (0, "unseen", 2)
    assert cy["gold"] == ["1950", "1950-05-05"]  # both 0 train documents: by value
    assert rows[("singleton", "bob stone")]["count"] == 1
    dee = rows[("common", "dee fox")]
    assert dee["count"] == 7 and dee["single_valued"] is False and dee["gold"][0] == "physicist"
    # weighted: held-out (document, prompt) pairs of single-valued attributes: (d1, ada),
    # (d1, cy), (d5, cy): all three, cy twice
    weighted = sorted(
        (r["entity_key"], r["doc_id"]) for r in rows.values() if r["stratum"] == "weighted"
    )
    assert len([r for r in qs.table.to_pylist() if r["stratum"] == "weighted"]) == 3
    assert weighted[0] == ("ada lovelace", "d1")
    assert qs.meta["sizes_drawn"] == {
        "unseen": 1,
        "singleton": 1,
        "rare": 1,
        "common": 1,
        "weighted": 3,
    }
    assert qs.meta["available"] == {"unseen": 1, "singleton": 1, "rare": 1, "common": 1}
    # seeded: the same set twice
    assert build_questions(run, SIZES, weighted=10, holdout=0.5, seed=0).table.equals(qs.table)


def test_sql_draw_is_the_pure_draw(tmp_path: Path) -> None:
    docs = TRAIN + HELDOUT
    mentions = [
        (docs[i % len(docs)], "birth_place", f"P{i}", f"p{i}", "lyon", "place", "Lyon")
        for i in range(60)
    ] + [("d0", "birth_place", "P0", "p0", "lyon", "place", "Lyon")]  # p0 twice in d0
    run = make_run(tmp_path, mentions)
    sizes = {"unseen": 7, "singleton": 9}
    qs = build_questions(run, sizes, weighted=5, holdout=0.5, seed=4, split_seed=0)
    prompts = []
    for i in range(60):
        doc = docs[i % len(docs)]
        train = doc in TRAIN
        n = 2 if i == 0 else 1
        prompts.append(
            PromptCount("birth_place", f"p{i}", n if train else 0, int(train), int(not train))
        )
    want = draw_strata(prompts, sizes, seed=4)
    got = qs.table.to_pylist()
    for stratum in sizes:
        assert [r["entity_key"] for r in got if r["stratum"] == stratum] == [
            p.entity for p in want[stratum]
        ]
    occ = [
        (docs[i % len(docs)], "birth_place", f"p{i}")
        for i in range(60)
        if docs[i % len(docs)] in HELDOUT
    ]
    assert [(r["doc_id"], r["entity_key"]) for r in got if r["stratum"] == "weighted"] == [
        (d, e) for d, _, e in draw_weighted(occ, 5, seed=4)
    ]
    assert qs.meta["available"]["unseen"] == len(occ) and qs.meta["weighted_occurrences"] == len(
        occ
    )


def test_draw_strata_sizes_and_seed() -> None:
    ps = [PromptCount("a", f"e{i:03d}", 1, 1, 0) for i in range(100)]
    one = draw_strata(ps, {"singleton": 10}, seed=1)["singleton"]
    assert len(one) == 10 and len({p.entity for p in one}) == 10
    assert one == draw_strata(ps, {"singleton": 10, "common": 3}, seed=1)["singleton"]
    assert one[:4] == draw_strata(ps, {"singleton": 4}, seed=1)["singleton"]  # extends
    assert one != draw_strata(ps, {"singleton": 10}, seed=2)["singleton"]
    with pytest.raises(ValueError, match="unknown strata"):
        draw_strata(ps, {"weighted": 1})


def test_catalog_templates_are_checked() -> None:
    bad = """
[[relation]]
name = "x"
version = 1
value = "date"
  [relation.questions]
  templates = ["When was {name} born?"]
  [[relation.pattern]]
  id = "l"
  kind = "lifespan"
  part = 1
"""
    with pytest.raises(CatalogError, match="exactly one"):
        parse_catalog(bad, "bad.toml")
    for rel in load_catalog().relations:
        assert len(rel.question_templates) >= 3, rel.name


def test_matching_and_abstention() -> None:
    cat = load_catalog()
    assert match_answer(cat.relation("birth_date"), "December 10, 1815", ["1815-12-10"])[0]
    assert not match_answer(cat.relation("birth_date"), "1816", ["1815-12-10"])[0]
    assert not match_answer(cat.relation("birth_date"), "1815-12-11", ["1815-12-10"])[0]
    # a month agrees with a day at the month: coarser of the two precisions
    assert match_answer(cat.relation("birth_date"), "December 1815", ["1815-12-10"])[0]
    assert match_answer(cat.relation("death_place"), "Paris, France", [], ["Paris"])[0]
    assert not is_abstention("Knowledge")  # not "no…"
    assert is_abstention("I’m not sure.")


def test_targets_hand_worked() -> None:
    outcomes = [CORRECT, CORRECT, WRONG, ABSTAINED]
    assert target_score(outcomes, 0.5) == pytest.approx((2 - 1) / 4)
    assert target_score(outcomes, 0.9) == pytest.approx((2 - 9) / 4)
    # answering only above 0.75: the 0.6-confident correct answer becomes IDK
    assert thresholded(outcomes, [0.9, 0.6, 0.8, None], 0.75) == [
        CORRECT,
        ABSTAINED,
        WRONG,
        ABSTAINED,
    ]
    assert target_score(thresholded(outcomes, [0.9, 0.6, 0.8, None], 0.75), 0.75) == pytest.approx(
        (1 - 3) / 4
    )
    policy, score = best_policy(outcomes, ["a", "a", "b", "b"], 0.75)
    assert policy == {"a": "answer", "b": "abstain"} and score == pytest.approx(2 / 4)


def test_logistic_fit_recovers_known_coefficients() -> None:
    rng = random.Random(5)
    x, y = [], []
    for _ in range(4000):
        xi = rng.uniform(0, 5)
        x.append(xi)
        y.append(int(rng.random() < 1 / (1 + math.exp(-(-2 + 1.0 * xi)))))
    fit = logistic_fit(x, y)
    assert fit.converged
    assert abs(fit.intercept + 2) < 3 * fit.se_intercept
    assert abs(fit.slope - 1) < 3 * fit.se_slope
    assert not logistic_fit([0, 1, 2, 3], [0, 0, 1, 1]).converged  # separated


def _answers(path: Path, rows: list[Any]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_grade_hand_worked(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    qs = build_questions(run, SIZES, weighted=0, holdout=0.5, seed=0)
    qfile = write_questions(qs, tmp_path / "q.csv")  # CSV: list columns as JSON text
    ids = {r["entity_key"]: r["id"] for r in qs.table.to_pylist()}
    answers = _answers(
        tmp_path / "a.jsonl",
        [
            {"id": ids["ada lovelace"], "answer": "10 December 1815", "confidence": 0.9},
            {"id": ids["bob stone"], "answer": "1901", "confidence": 0.8},
            {"id": ids["cy young"], "answer": "I don't know"},
            {"id": ids["dee fox"], "answer": "a Physicist", "confidence": 0.6},
            {"id": ids["dee fox"], "answer": "chemist"},  # duplicate: the first wins
            {"id": "nope", "answer": "x"},
            "{not json",
            {"id": ids["bob stone"] + "x", "answer": "1900"},
        ],
    )
    table, s = grade(run, answers, questions=qfile)
    assert (s.n_rows, s.n_graded, s.n_duplicate, s.n_unknown_id, s.n_malformed) == (8, 4, 1, 2, 1)
    assert s.malformed_reasons == {"malformed_json": 1}
    by = {b.bucket: b for b in s.buckets}
    assert (by["0"].abstained, by["1"].wrong, by["3-5"].correct, by["6-20"].correct) == (1, 1, 1, 1)
    assert by["2"].n == 0 and by["2"].accuracy.share is None
    assert s.overall.accuracy.share == 0.5 and s.overall.hallucination.share == 0.25
    # Wilson 95% for 1 of 4: [0.0456, 0.6994]
    assert s.overall.hallucination.low == pytest.approx(0.04558, abs=1e-4)
    assert s.overall.hallucination.high == pytest.approx(0.69936, abs=1e-4)
    t75 = next(t for t in s.targets if t.t == 0.75)
    assert t75.score_as_answered == pytest.approx((2 - 3) / 4)
    # above 0.75: ada (0.9, correct) answered, bob (0.8, wrong) answered, dee (0.6) → IDK
    assert t75.score_thresholded == pytest.approx((1 - 3) / 4)
    assert t75.best_policy == {"0": "abstain", "1": "abstain", "3-5": "answer", "6-20": "answer"}
    assert s.floor["run"]["singleton_rate"] == pytest.approx(1 / 7)
    rows = table.to_pylist()
    assert rows[3]["answer_key"] == "physicist" and rows[3]["outcome"] == CORRECT
    assert [r["status"] for r in rows] == ["graded"] * 4 + [
        "duplicate",
        "unknown_id",
        "malformed",
        "unknown_id",
    ]


def test_grade_without_question_set_uses_the_run(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    answers = _answers(
        tmp_path / "a.jsonl",
        [
            {"entity": "Ada Lovelace", "attribute": "P569", "answer": "1815"},  # an alias
            {
                "entity": "Cy Young",
                "attribute": "date of birth",
                "answer": "1951",
                "gold": ["1950"],
            },
            {"entity": "Zed Nobody", "attribute": "birth_date", "answer": "1", "gold": "1900|1901"},
            {"entity": "Ada Lovelace", "attribute": "favourite_colour", "answer": "red"},
            {
                "entity": "Ada Lovelace",
                "attribute": "birth_date",
                "answer": "idk",
                "abstained": "yes",
            },
        ],
    )
    table, s = grade(run, answers)
    rows = table.to_pylist()
    # full-run counts: ada in 4 documents, cy in 2, zed never
    assert [r["count"] for r in rows[:3]] == [4, 2, 0]
    assert [r["outcome"] for r in rows[:3]] == [CORRECT, WRONG, WRONG]
    assert rows[3]["reason"] == "unknown_attribute" and rows[4]["status"] == "duplicate"
    assert s.n_entity_in_run == 2


def test_cli_questions_and_grade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path)
    out = tmp_path / "q.parquet"
    assert (
        main(["questions", str(run), "--output", str(out), "--holdout", "0.5", "--weighted", "0"])
        == 0
    )
    assert pq.read_table(out).num_rows == 4
    assert (tmp_path / "q.meta.json").is_file()
    ans = _answers(tmp_path / "a.jsonl", [{"id": "q000000", "answer": ""}])
    assert (
        main(
            [
                "grade",
                str(run),
                str(ans),
                "--questions",
                str(out),
                "--output",
                str(tmp_path / "g.csv"),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "questions without an answer: 3" in printed
    assert main(["grade", str(run), str(tmp_path / "missing.jsonl")]) == 2


# --------------------------------------------------------------------------------------------
# Acceptance: the bundled sample, a grader with a known policy
# --------------------------------------------------------------------------------------------

A, B, ABSTAIN_BELOW = -1.0, 1.0, 0.3


def policy_p(count: int) -> float:
    return 1 / (1 + math.exp(-(A + B * math.log1p(count))))


def test_known_policy_recovered_on_the_sample(sample_run: Path, tmp_path: Path) -> None:
    sizes = {"unseen": 150, "singleton": 150, "rare": 150, "common": 150}
    qs = build_questions(sample_run, sizes, weighted=0, holdout=0.2, seed=0)
    qfile = write_questions(qs, tmp_path / "q.jsonl")
    rng = random.Random(0)
    expected: dict[str, list[float]] = defaultdict(list)
    rows = []
    from singleton_rate.grade import bucket_of

    for q in qs.table.to_pylist():
        p = policy_p(q["count"])
        if p < ABSTAIN_BELOW:
            rows.append({"id": q["id"], "answer": "I don't know", "confidence": p})
            expected[bucket_of(q["count"])].append(0.0)
            continue
        right = rng.random() < p
        rows.append(
            {
                "id": q["id"],
                "answer": q["gold_surfaces"][0][0] if right else "Atlantis",
                "confidence": p,
            }
        )
        expected[bucket_of(q["count"])].append(p)
    _, s = grade(
        sample_run, _answers(tmp_path / "a.jsonl", rows), questions=qfile, confidence=0.999
    )
    checked = 0
    for b in s.buckets:
        if b.n:
            mean = sum(expected[b.bucket]) / len(expected[b.bucket])
            assert b.accuracy.low <= mean <= b.accuracy.high, (b.bucket, mean, b.accuracy)
            checked += 1
    assert checked >= 4
    assert next(b for b in s.buckets if b.bucket == "0").abstention.share == 1.0


def test_grade_top_gold_and_empty_files(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    qs = build_questions(run, SIZES, weighted=0, holdout=0.5, seed=0)
    qfile = write_questions(qs, tmp_path / "q.jsonl")
    ids = {r["entity_key"]: r["id"] for r in qs.table.to_pylist()}
    # dee's top value is physicist (6 train documents), chemist is stated once
    answers = _answers(tmp_path / "a.jsonl", [{"id": ids["dee fox"], "answer": "chemist"}])
    assert grade(run, answers, questions=qfile)[1].overall.correct == 1
    assert grade(run, answers, questions=qfile, gold_values="top")[1].overall.wrong == 1
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ValueError, match="no answers"):
        grade(run, empty, questions=qfile)
    with pytest.raises(ValueError, match="no questions"):
        grade(run, answers, questions=empty)


def test_templates_are_not_in_the_fingerprint() -> None:
    from dataclasses import replace

    from singleton_rate.extract.catalog import Catalog

    cat = load_catalog()
    reworded = Catalog(
        cat.name,
        cat.version,
        tuple(replace(r, question_templates=("Tell me about {entity}?",)) for r in cat.relations),
        cat.sources,
    )
    assert reworded.fingerprint == cat.fingerprint


def test_questions_bad_input(tmp_path: Path) -> None:
    run = make_run(tmp_path)
    with pytest.raises(ValueError, match="unknown stratum"):
        build_questions(run, {"often": 1}, holdout=0.5)
    with pytest.raises(ValueError, match=">= 0"):
        build_questions(run, {"unseen": -1}, holdout=0.5)
    with pytest.raises(ValueError, match="not in the run's catalog"):
        build_questions(run, SIZES, holdout=0.5, attributes=["favourite_colour"])
    with pytest.raises(ValueError, match="holdout"):
        build_questions(run, SIZES, holdout=1.5)
    with pytest.raises(ValueError, match="unknown output format"):
        write_questions(build_questions(run, SIZES, holdout=0.5), tmp_path / "q.txt")
    only = build_questions(run, SIZES, holdout=0.5, attributes=["occupation"])
    assert set(only.table.column("attribute").to_pylist()) == {"occupation"}


def test_plots_are_written(tmp_path: Path) -> None:
    from singleton_rate.grade_plots import save_plots

    run = make_run(tmp_path)
    qs = build_questions(run, SIZES, holdout=0.5)
    qfile = write_questions(qs, tmp_path / "q.jsonl")
    rows = [{"id": r["id"], "answer": "1815", "confidence": 0.7} for r in qs.table.to_pylist()]
    _, s = grade(run, _answers(tmp_path / "a.jsonl", rows), questions=qfile)
    summary = json.loads(json.dumps(s.as_dict(), default=str))
    written = save_plots(summary, tmp_path / "g.png")
    assert [p.name for p in written] == ["g.png", "g-calibration.png"]
    assert all(p.stat().st_size > 5000 for p in written)


@pytest.mark.parametrize("module", ["singleton_rate.questions", "singleton_rate.grade", "singleton_rate.grade_plots"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
