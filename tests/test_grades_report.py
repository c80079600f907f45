"""A grading shown beside its run: `singletons report RUN --grades FILE` and the view `grades` of
`singletons sql RUN --grades FILE` (hand-made run, no Spark; the report on the sample run,
Spark, flocked)."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import random
import re
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from PIL import Image
from test_questions_grade import SIZES, _answers, make_run, policy_p

from singleton_rate.cli import main
from singleton_rate.grade import (
    MEANING,
    grade,
    grades_label,
    read_grades,
    read_grades_table,
    write_grade_summary,
    write_grades,
)
from singleton_rate.query import connect
from singleton_rate.questions import build_questions, write_questions
from singleton_rate.report import GRADE_TERMS, grades_section


def write_grading(run: Path, answers: Path, out: Path, questions: Path | None = None) -> Path:
    """Grade ``answers`` and write the per-answer file ``out`` with its summary beside it."""
    table, summary = grade(run, answers, questions=questions)
    write_grades(table, out)
    write_grade_summary(summary, out.with_name(out.stem + ".summary.json"))
    return out


def make_grading(
    run: Path, folder: Path, name: str, *, confidences: bool = True, suffix: str = ".parquet"
) -> Path:
    """A grading of a known policy on ``run``'s own probe set: correct with probability
    σ(−1 + log(1 + count)) (seeded), abstaining below 0.3, with or without confidences."""
    qs = build_questions(
        run, {"unseen": 40, "singleton": 40, "rare": 40, "common": 40}, weighted=60, holdout=0.2
    )
    qfile = write_questions(qs, folder / f"{name}-questions.jsonl")
    rng = random.Random(0)
    rows = []
    for q in qs.table.to_pylist():
        p = policy_p(q["count"])
        right = rng.random() < p
        answer = "I don't know" if p < 0.3 else q["gold_surfaces"][0][0] if right else "Atlantis"
        rows.append({"id": q["id"], "answer": answer, **({"confidence": p} if confidences else {})})
    answers = _answers(folder / f"{name}-answers.jsonl", rows)
    return write_grading(run, answers, folder / f"{name}-grades{suffix}", qfile)


@pytest.fixture
def hand(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """The hand-made run, its question set and an answers file to it (see the rows)."""
    run = make_run(tmp_path)
    qs = build_questions(run, SIZES, weighted=0, holdout=0.5, seed=0)
    qfile = write_questions(qs, tmp_path / "q.jsonl")
    ids = {r["entity_key"]: r["id"] for r in qs.table.to_pylist()}
    answers = _answers(
        tmp_path / "a.jsonl",
        [
            {"id": ids["ada lovelace"], "answer": "10 December 1815", "confidence": 0.9},
            {"id": ids["bob stone"], "answer": "1901", "confidence": 0.8},
            {"id": ids["cy young"], "answer": "I don't know"},
            {"id": ids["dee fox"], "answer": "a Physicist", "confidence": 0.6},
            "{not json",
        ],
    )
    return run, write_grading(run, answers, tmp_path / "bert-grades.parquet", qfile), ids


def _sql_csv(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    assert main(["sql", *args, "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_grades_view_joins_prompts_and_facts(
    hand: tuple[Path, Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run, grades, _ = hand
    rows = _sql_csv(
        capsys,
        str(run),
        "select g.model, entity, g.entity_text, attribute, g.outcome, p.doc_count, p.n_values "
        "from grades g join prompts p using (entity, attribute) order by entity",
        "--grades",
        str(grades),
    )
    # Whole-run prompt counts (train and held-out documents): ada d0 d1 d2 d3, bob d4,
    # cy d1 d5, dee d0 d2 d3 d4 d9 d11 d14; the malformed row has no entity and joins nothing.
    assert [
        (r["model"], r["entity"], r["entity_text"], r["outcome"], r["doc_count"], r["n_values"])
        for r in rows
    ] == [
        ("bert", "ada lovelace", "Ada Lovelace", "correct", "4", "2"),
        ("bert", "bob stone", "Bob Stone", "wrong", "1", "1"),
        ("bert", "cy young", "Cy Young", "abstained", "2", "2"),
        ("bert", "dee fox", "Dee Fox", "correct", "7", "2"),
    ]
    # The matched gold value joins facts: 1815-12-10 is in d0, d1, d2; physicist in 6.
    facts = _sql_csv(
        capsys,
        str(run),
        "select entity, f.value, f.doc_count from grades g join facts f using (entity, attribute)"
        " where f.value = g.matched_gold order by entity",
        "--grades",
        str(grades),
    )
    assert [(r["entity"], r["value"], r["doc_count"]) for r in facts] == [
        ("ada lovelace", "1815-12-10", "3"),
        ("dee fox", "physicist", "6"),
    ]
    # Two gradings (one as CSV, found from its summary): one view, told apart by model.
    table = read_grades_table(grades)
    other = tmp_path / "gpt-grades.csv"
    write_grades(table, other)
    (tmp_path / "gpt-grades.summary.json").write_text("{}")
    both = _sql_csv(
        capsys,
        str(run),
        "select model, status, count(*) as n from grades group by all order by all",
        "--grades",
        str(grades),
        "--grades",
        str(tmp_path / "gpt-grades.summary.json"),
    )
    assert [(r["model"], r["status"], r["n"]) for r in both] == [
        ("bert", "graded", "4"),
        ("bert", "malformed", "1"),
        ("gpt", "graded", "4"),
        ("gpt", "malformed", "1"),
    ]
    con = connect(run, grades=[other])
    assert con.execute("select count(*) from grades where outcome = 'correct'").fetchall() == [(2,)]
    con.close()


def test_grades_files_that_cannot_be_used(
    hand: tuple[Path, Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run, grades, _ = hand
    query = "select count(*) from grades"
    copy = tmp_path / "x" / "bert-grades.csv"
    copy.parent.mkdir()
    write_grades(read_grades_table(grades), copy)
    cases = [
        (["sql", str(run), query, "--grades", str(tmp_path / "none.parquet")], "no such"),
        (["sql", str(run), query, "--grades", str(tmp_path / "q.jsonl")], "not a grades file"),
        (["sql", str(run), query, "--grades", str(grades), "--grades", str(copy)], "rename"),
        # the report needs the summary, and this copy has none beside it
        (["report", str(run), "--grades", str(copy)], "no summary beside it"),
    ]
    for args, message in cases:
        assert main(args) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, (args, err)
    assert grades_label(copy) == "bert"


def test_grades_section_hand_worked(hand: tuple[Path, Path, dict[str, str]]) -> None:
    run, grades, _ = hand
    text = grades_section([read_grades(grades, table=False)], run)
    assert "A model's answers against the corpus" in text and 'id="grades-bert"' in text
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", text)
    # bucket 0: cy abstained; 1: bob wrong; 3-5: ada correct; 6-20: dee correct
    row = cells.index("3-5")
    assert cells[row : row + 6] == ["3-5", "1", "1", "0", "0", "1.000 [0.207, 1.000]"]
    row = cells.index("all")
    # Wilson 95% for 2 of 4: [0.150, 0.850]; 1 of 4: [0.046, 0.699]
    assert cells[row : row + 8] == [
        "all",
        "4",
        "2",
        "1",
        "1",
        "0.500 [0.150, 0.850]",
        "0.250 [0.046, 0.699]",
        "0.250 [0.046, 0.699]",
    ]
    # the run's singleton rate 1/7 beside the observed rate; t = 0.75: (2 − 3·1)/4 as answered
    assert "0.1429 [0.0000, 0.9000]" in text
    assert "<td class='num'>0.75</td><td class='num'>3.00</td><td class='num'>-0.2500</td>" in text
    assert "ECE" in text and len(re.findall(r"data:image/png;base64,", text)) == 2
    for _, key in GRADE_TERMS:
        assert html.escape(MEANING[key]) in text
    links = set(re.findall(r'href="#(grade-[^"]+)"', text))
    assert "grade-wrong-answered" in links and all(f'id="{a}"' in text for a in links)
    assert "not this one" not in text
    elsewhere = read_grades(grades, table=False)
    moved = type(elsewhere)(
        elsewhere.label,
        elsewhere.table_path,
        elsewhere.summary_path,
        None,
        {**(elsewhere.summary or {}), "run": "/somewhere/else"},
    )
    assert "not this one" in grades_section([moved], run)


def embedded_images(text: str) -> list[Image.Image]:
    found = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    return [Image.open(io.BytesIO(base64.b64decode(d))).convert("RGB") for d in found]


def test_report_with_grades_on_the_sample(sample_run: Path, tmp_path: Path) -> None:
    with_conf = make_grading(sample_run, tmp_path, "policy")
    without = make_grading(sample_run, tmp_path, "noconf", confidences=False, suffix=".csv")
    out = tmp_path / "report.html"
    summary_of_without = without.with_name(without.stem + ".summary.json")
    assert (
        main(
            [
                "report",
                str(sample_run),
                "--output",
                str(out),
                "--grades",
                str(with_conf),
                "--grades",
                str(summary_of_without),
            ]
        )
        == 0
    )
    text = out.read_text("utf-8")
    assert not re.search(r"<script|<link|@import|url\(", text)
    assert not re.search(r'(src|href)="(?!data:|#)', text)
    # the run's three plots, then rates + calibration for one model, rates for the other
    images = embedded_images(text)
    assert len(images) == 3 + 2 + 1
    for picture in images:
        pixels = np.asarray(picture)
        assert picture.width >= 400 and picture.height >= 300
        assert (pixels < 200).any(axis=2).mean() > 0.02
    assert 'id="grades-policy"' in text and 'id="grades-noconf"' in text
    assert '<a href="#grades-policy">policy</a>' in text  # the side-by-side table
    for path in (with_conf, without):
        summary = json.loads(path.with_name(path.stem + ".summary.json").read_text())
        for b in summary["buckets"]:
            if b["n"]:
                a = b["accuracy"]
                assert f"{a['share']:.3f} [{a['low']:.3f}, {a['high']:.3f}]" in text
        sr = summary["floor"]["run"]["singleton_rate"]
        assert f"{sr:.4f} [" in text
    assert text.count("<h4>Calibration</h4>") == 1
    # accuracy rises with count (the policy's slope is 1; abstaining on all of bucket 0, where
    # σ(−1) < 0.3, makes the fitted one steeper), and the fit is in the report as computed
    fit = json.loads(with_conf.with_name("policy-grades.summary.json").read_text())["logistic"]
    assert fit["converged"] and fit["slope"] > 2 * fit["se_slope"] > 0
    assert f"b = {fit['slope']:.3f} ± {fit['se_slope']:.3f}" in text
    assert pq.read_table(with_conf).num_rows > 0
