"""`singletons audit`: labels against a real (tiny) run, the audit_estimates table, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from singleton_rate.audit import (
    AuditError,
    Labels,
    parse_labels,
    parse_recall,
    read_audit,
    scope_members,
)
from singleton_rate.cli import main
from singleton_rate.estimate.extraction import precision_corrected_rate, thinning_correction


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


# ----- pure parts: no run needed ------------------------------------------------------------


def test_parse_labels_counts_and_blank_rows(tmp_path):
    f = _write_jsonl(
        tmp_path / "l.jsonl",
        [
            {"id": "a", "verdict": "correct"},
            {"id": "b", "verdict": " Wrong ", "note": "value is the death year"},
            {"id": "c", "verdict": "unsure"},
            {"id": "d", "verdict": ""},
        ],
    )
    labels = parse_labels(f, ["a", "b", "c", "d", "e"])
    assert isinstance(labels, Labels)
    assert labels.labelled == 3 and labels.blank == 1 and labels.audit_rows == 5
    assert labels.counts == {"correct": 1, "wrong": 1, "unsure": 1}
    assert labels.by_id["b"].note == "value is the death year"
    assert "labelled 3 of 5 audit rows" in labels.describe()
    assert "2 judged" in labels.describe()


def test_parse_labels_errors_name_every_line(tmp_path):
    f = _write_jsonl(
        tmp_path / "l.jsonl",
        [
            {"id": "a", "verdict": "correct"},
            {"id": "zzz", "verdict": "correct"},
            {"id": "a", "verdict": "wrong"},
            {"id": "b", "verdict": "maybe"},
            {"verdict": "correct"},
        ],
    )
    with pytest.raises(AuditError) as err:
        parse_labels(f, ["a", "b"])
    text = str(err.value)
    assert "1 ids not in the run's audit table: line 2: zzz" in text
    assert "line 3: a (first on line 1)" in text
    assert "line 4: verdict 'maybe' is not one of correct, wrong, unsure" in text
    assert "line 5: no id" in text


def test_parse_labels_csv_and_bad_files(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text('id,verdict,note\na,correct,\nb,wrong,"a, b"\n', "utf-8")
    labels = parse_labels(f, ["a", "b"])
    assert labels.counts["wrong"] == 1 and labels.by_id["b"].note == "a, b"
    g = tmp_path / "l2.csv"
    g.write_text("id,label\na,correct\n", "utf-8")
    with pytest.raises(AuditError, match="no verdict column"):
        parse_labels(g, ["a"])
    h = tmp_path / "l.jsonl"
    h.write_text('{"id": "a", "verdict": "correct"}\nnot json\n', "utf-8")
    with pytest.raises(AuditError, match=r"l\.jsonl:2: not a JSON object"):
        parse_labels(h, ["a"])
    with pytest.raises(AuditError, match="must end in"):
        parse_labels(tmp_path / "l.xlsx", ["a"])


def test_parse_recall(tmp_path):
    r = parse_recall(["birth_date=0.9", "0.3"])
    assert r.of("birth_date") == 0.9 and r.of("employer") == 0.3 and r.given
    assert not parse_recall([]).given
    for bad in (["1.5"], ["x=0"], ["0.2", "0.3"], ["=0.3"], ["abc"]):
        with pytest.raises(AuditError):
            parse_recall(bad)
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "google_re": {"birth_date": {"recall": 0.8}, "birth_place": {"recall": 0.5}},
                "trex": {"employer": {"recall": 0.2}},
            }
        )
    )
    with pytest.raises(AuditError, match="name one"):
        parse_recall([], str(report))
    r = parse_recall(["birth_place=0.6"], f"{report}:google_re")
    assert r.by_attribute == {"birth_date": 0.8, "birth_place": 0.6}
    assert "evaluate report" in r.source and "--recall birth_place=0.6" in r.source


def test_scope_members():
    attrs = ["birth_date", "employer", "founded"]
    subjects = {"birth_date": "PERSON", "employer": "PERSON", "founded": "ORG"}
    assert scope_members("all", attrs, subjects, None) == (attrs, None)
    assert scope_members("attribute=employer", attrs, subjects, None) == (["employer"], None)
    assert scope_members("entity_type=ORG", attrs, subjects, None) == (["founded"], None)
    assert scope_members("source=web", attrs, subjects, None) == (attrs, "web")
    assert scope_members("single_valued", attrs, subjects, None) == (
        ["birth_date", "founded"],
        None,
    )
    assert scope_members("single_valued", attrs, subjects, {"founded"}) == (["founded"], None)
    assert scope_members("mystery=x", attrs, subjects, None) == (None, None)


# ----- against a real run (the committed sample run, tests/data/sample_run) -------------------


@pytest.fixture
def run_copy(sample_run: Path, tmp_path: Path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(sample_run, out)
    return out


def _fof_counts(run: Path, scope: str, unit: str, key: str) -> tuple[list[int], list[int]]:
    fof = pd.read_parquet(run / "freq_of_freq")
    g = fof[(fof.scope == scope) & (fof.unit == unit) & (fof.key == key)]
    return list(g.r), list(g.n_r)


def test_audit_cli_end_to_end(run_copy: Path, tmp_path: Path, capsys):
    template = tmp_path / "template.jsonl"
    assert main(["audit", str(run_copy), "--template", str(template)]) == 0
    rows = [json.loads(x) for x in template.read_text("utf-8").splitlines()]
    audit = read_audit(run_copy)
    assert len(rows) == len(audit) >= 12
    assert {r["id"] for r in rows} == set(audit["id"])
    assert all(r["verdict"] == "" and r["sentence"] for r in rows)

    # Label 12 rows: 9 correct, 2 wrong, 1 unsure; leave the rest blank.
    verdicts = ["correct"] * 9 + ["wrong"] * 2 + ["unsure"]
    for row, verdict in zip(rows, verdicts, strict=False):
        row["verdict"] = verdict
    labels = _write_jsonl(tmp_path / "labels.jsonl", rows)
    estimates_before = pd.read_parquet(run_copy / "estimates")

    capsys.readouterr()
    assert main(["audit", str(run_copy), "--labels", str(labels), "--recall", "0.5"]) == 0
    out = capsys.readouterr().out
    assert f"labelled 12 of {len(audit)} audit rows: 9 correct, 2 wrong, 1 unsure" in out
    assert "table:" in out

    table = pd.read_parquet(run_copy / "audit_estimates")
    pd.testing.assert_frame_equal(pd.read_parquet(run_copy / "estimates"), estimates_before)
    keyed = set(zip(table.scope, table.unit, table.key, strict=True))
    expected = set(
        zip(estimates_before.scope, estimates_before.unit, estimates_before.key, strict=True)
    )
    # Every estimates row (the run has its single-valued scope; an older run without it gets
    # one summed from the attribute tables, as test_scope_members covers).
    assert keyed == expected
    assert {
        ("single_valued", u, k) for u in ("mention", "document") for k in ("fact", "prompt")
    } <= keyed
    fof = pd.read_parquet(run_copy / "freq_of_freq")
    single = fof[
        fof.scope.isin(
            [
                f"attribute={a}"
                for a in ("birth_date", "birth_place", "death_date", "death_place", "founded")
            ]
        )
        & (fof.unit == "document")
        & (fof.key == "prompt")
    ]
    sv = table[
        (table.scope == "single_valued") & (table.unit == "document") & (table.key == "prompt")
    ].iloc[0]
    assert sv.n == (single.r * single.n_r).sum() and sv.n1 == single[single.r == 1].n_r.sum()

    row = table[(table.scope == "all") & (table.unit == "mention") & (table.key == "fact")].iloc[0]
    r, n_r = _fof_counts(run_copy, "all", "mention", "fact")
    n = sum(a * b for a, b in zip(r, n_r, strict=True))
    n1 = dict(zip(r, n_r, strict=True))[1]
    assert (row.n, row.n1) == (n, n1) and row.raw_rate == pytest.approx(n1 / n)
    assert (row.correct, row.wrong, row.unsure) == (9, 2, 1)
    assert row.precision == pytest.approx(9 / 11)
    assert row.corrected_rate == pytest.approx(precision_corrected_rate(n1, n, 9 / 11))
    assert row.n1_corrected == pytest.approx(n1 * 9 / 11)
    assert row.corrected_rate_low < row.corrected_rate < row.corrected_rate_high
    assert row.thinning_t == pytest.approx(2.0)
    assert row.thinning_rate == pytest.approx(thinning_correction(r, n_r, 0.5).rate)
    assert row.combined_rate < row.thinning_rate  # precision then thinning: lower still

    # Prompt key: only rows whose prompt is itself a singleton judge it.
    p = table[(table.scope == "all") & (table.unit == "mention") & (table.key == "prompt")]
    assert p.iloc[0].correct + p.iloc[0].wrong <= 11

    # The table is queryable with singletons sql.
    from singleton_rate.query import connect

    con = connect(run_copy)
    assert con.execute("select count(*) from audit_estimates").fetchone()[0] == len(table)
    con.close()

    # Per-attribute recall without an overall figure: attributes lacking one get a reason.
    attrs = sorted(s.removeprefix("attribute=") for s in table.scope if s.startswith("attribute="))
    capsys.readouterr()
    assert (
        main(
            [
                "audit",
                str(run_copy),
                "--labels",
                str(labels),
                "--recall",
                f"{attrs[0]}=0.4",
                "--format",
                "json",
                "--dry-run",
            ]
        )
        == 0
    )
    records = json.loads(capsys.readouterr().out)
    by_scope = {(x["scope"], x["unit"], x["key"]): x for x in records}
    one = by_scope[(f"attribute={attrs[0]}", "mention", "fact")]
    assert one["recall"] == pytest.approx(0.4) and one["thinning_rate"] is not None
    if len(attrs) > 1:
        assert by_scope[("all", "mention", "fact")]["thinning_note"].startswith("no recall for")


def test_audit_cli_errors(run_copy: Path, tmp_path: Path, capsys):
    audit = read_audit(run_copy)
    first = audit["id"].iloc[0]
    bad = _write_jsonl(
        tmp_path / "bad.jsonl",
        [{"id": first, "verdict": "correct"}, {"id": first, "verdict": "nope"}],
    )
    assert main(["audit", str(run_copy), "--labels", str(bad)]) == 2
    assert "labelled twice" in capsys.readouterr().err
    assert main(["audit", str(run_copy)]) == 2
    assert "--labels FILE is required" in capsys.readouterr().err
    empty = _write_jsonl(tmp_path / "empty.jsonl", [{"id": first, "verdict": ""}])
    assert main(["audit", str(run_copy), "--labels", str(empty)]) == 2
    assert "no audit row has a verdict" in capsys.readouterr().err
    assert main(["audit", str(tmp_path), "--labels", str(empty)]) == 2
    assert "not a complete run" in capsys.readouterr().err
    assert not (run_copy / "audit_estimates").exists()


def test_template_round_trip_csv_and_jsonl(tmp_path):
    from singleton_rate.audit import audit_id, write_template

    audit = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "entity": ["marie curie", "acme"],
            "attribute": ["birth_date", "founded"],
            "value": ["1867-11-07", "1901"],
            "sentence": ["Marie Curie (born 7 November 1867) was…", "Acme, founded 1901, …"],
        }
    )
    audit.insert(0, "id", [audit_id(*r[1:5]) for r in audit.itertuples(index=False)])
    for name in ("t.csv", "t.tsv", "t.jsonl"):
        out = write_template(audit, tmp_path / name)
        labels = parse_labels(out, audit["id"])
        assert labels.labelled == 0 and labels.blank == 2
    # Fill the CSV in and read it back.
    frame = pd.read_csv(tmp_path / "t.csv", dtype=str, keep_default_na=False)
    frame["verdict"] = ["correct", "WRONG"]
    frame.to_csv(tmp_path / "filled.csv", index=False)
    labels = parse_labels(tmp_path / "filled.csv", audit["id"])
    assert labels.counts == {"correct": 1, "wrong": 1, "unsure": 0}
