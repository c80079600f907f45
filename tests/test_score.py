"""Question-set scoring (pipeline/singleton_rate/score.py, `singletons score`) against the sample run.

The expected counts and classes come from the run's Parquet files read here with pyarrow
alone (not through DuckDB or singleton_rate.query), and the risk rule is restated from its
documentation, so the test checks the documented behaviour, not the code against itself.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from singleton_rate.cli import main
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.keys import key_value, written_value_key
from singleton_rate.score import (
    INVALID_UTF8,
    MALFORMED_JSON,
    MISSING_ATTRIBUTE,
    MISSING_ENTITY,
    NOT_AN_OBJECT,
    OUTPUT_SCHEMA,
    UNKEYABLE_VALUE,
    UNKNOWN_ATTRIBUTE,
    WRONG_FIELD_COUNT,
    WRONG_TYPE,
    ScoreError,
    format_summary,
    score,
    summarize_scores,
    wilson_interval,
)

UNKNOWN_ENTITY = "Zyqx Vorbelthwaite"


# --- pure helpers (no run needed) ------------------------------------------------------------


def test_wilson_interval_matches_hand_values() -> None:
    # Worked out by hand from Wilson's (1927) formula; 81/263 is Newcombe's (1998) example.
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    low, high = wilson_interval(81, 263)
    assert (low, high) == (pytest.approx(0.2553, abs=1e-4), pytest.approx(0.3662, abs=1e-4))
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_question_values_are_keyed_as_mentions_are() -> None:
    catalog = load_catalog()
    occupation = catalog.relation("occupation")
    # The extractor keys an occupation by its lexicon entry's canonical form.
    assert written_value_key(occupation, "an Actress") == ("actor", "text")
    assert written_value_key(occupation, "Film Director") == ("film director", "text")
    assert written_value_key(catalog.relation("nationality"), "French") == ("france", "country")
    assert key_value("country", "French") == ("france", "country")
    assert written_value_key(catalog.relation("birth_date"), "7 Nov. 1867") == (
        "1867-11-07",
        "day",
    )
    assert written_value_key(catalog.relation("birth_date"), "1867") == ("1867", "year")
    assert written_value_key(catalog.relation("birth_place"), "Warsaw, Poland") == (
        "warsaw",
        "place",
    )
    assert written_value_key(catalog.relation("birth_date"), "sometime") is None
    # A run's own date keys are accepted as written (text never states "1867-11").
    assert written_value_key(catalog.relation("birth_date"), "1867-11") == ("1867-11", "month")
    assert written_value_key(catalog.relation("birth_date"), "1867-02-30") is None


def test_summary_prompt_unseen_and_risk_share_by_hand() -> None:
    # Ten scored questions and one malformed row:
    #   q1 fact, value never given (prompt seen)      mention 0   doc 0   unseen / unseen
    #   q2 fact, entity the run never names            0           0       unseen / unseen
    #   q3 prompt, attribute never given (unseen)      0           0       unseen / unseen
    #   q4, q5 fact                                    1           1       singleton / singleton
    #   q6 fact, three mentions in one document        3           1       rare / singleton
    #   q7 fact                                        2           2       rare / rare
    #   q8, q9 fact                                    10          7       common / common
    #   q10 prompt                                     1           1       singleton / singleton
    def q(key: str, mentions: int, docs: int, prompt_seen: bool = True) -> dict[str, Any]:
        return {
            "status": "scored",
            "key": key,
            "entity_seen": True,
            "prompt_seen": prompt_seen,
            "mention_count": mentions,
            "doc_count": docs,
            "risk_mention": documented_class(mentions, 5),
            "risk_document": documented_class(docs, 5),
        }

    rows = [
        q("fact", 0, 0),
        {**q("fact", 0, 0, prompt_seen=False), "entity_seen": False},
        q("prompt", 0, 0, prompt_seen=False),
        q("fact", 1, 1),
        q("fact", 1, 1),
        q("fact", 3, 1),
        q("fact", 2, 2),
        q("fact", 10, 7),
        q("fact", 10, 7),
        q("prompt", 1, 1),
        {"status": "malformed", "reason": MISSING_ENTITY, "detail": "no entity"},
    ]
    table = pa.Table.from_pylist(rows, schema=OUTPUT_SCHEMA)
    got = summarize_scores(table, run="r", questions="q.csv", rare_max=5)
    assert (got.n_questions, got.n_scored, got.n_malformed) == (11, 10, 1)
    assert got.n_by_key == {"fact": 8, "prompt": 2} and got.n_unknown_entities == 1
    # Prompt unseen: q2, q3 → 2/10 = 0.2; Wilson 95%: z² = 3.841459, centre
    # (0.2 + z²/20)/(1 + z²/10) = 0.283262, half-width z·√(0.016 + z²/400)/(1 + z²/10)
    # = 0.226573 → [0.0567, 0.5098]. q1 is unseen at its fact key but its prompt is seen.
    pu = got.prompt_unseen
    assert (pu.k, pu.n, pu.share) == (2, 10, 0.2)
    assert (pu.low, pu.high) == (pytest.approx(0.0567, abs=1e-4), pytest.approx(0.5098, abs=1e-4))
    mention, document = got.units["mention"], got.units["document"]
    assert mention.counts == {"unseen": 3, "singleton": 3, "rare": 2, "common": 2}
    assert document.counts == {"unseen": 3, "singleton": 4, "rare": 1, "common": 2}
    # Unseen or singleton (the risk share): 6/10 at the mention unit, Wilson [0.3127, 0.8318];
    # 7/10 at the document unit, [0.3968, 0.8922].
    assert mention.unseen_or_singleton.k == 6 and document.unseen_or_singleton.k == 7
    low, high = mention.unseen_or_singleton.low, mention.unseen_or_singleton.high
    assert (low, high) == (pytest.approx(0.3127, abs=1e-4), pytest.approx(0.8318, abs=1e-4))
    low, high = document.unseen_or_singleton.low, document.unseen_or_singleton.high
    assert (low, high) == (pytest.approx(0.3968, abs=1e-4), pytest.approx(0.8922, abs=1e-4))
    assert mention.unseen.k == 3 and document.singleton.k == 4

    text = format_summary(got)
    assert "prompt (entity, attribute) unseen in the corpus: 2 of 10 = 0.2000 [0.0567, 0.5098]" in (
        text
    )
    assert "the question as the unit" in text
    assert (
        "empirical risk share" in text and "Kandpal et al. 2023" in text and "not a floor" in text
    )
    assert "common means often repeated in the corpus, not correct" in text
    assert "predicted floor" not in text
    row = next(line for line in text.splitlines() if line.startswith("document"))
    assert row.split()[1:5] == ["3", "4", "1", "2"] and "0.7000 [0.3968, 0.8922]" in row
    record = got.as_dict()
    assert record["prompt_unseen"]["k"] == 2
    assert set(record["meaning"]) == {"prompt_unseen", "unseen_or_singleton", "common"}

    # No scored question: shares are undefined, printed as "-".
    empty = summarize_scores(table.slice(10), run="r", questions="q.csv", rare_max=5)
    assert empty.prompt_unseen.share is None
    assert "unseen in the corpus: 0 of 0 = -" in format_summary(empty)


# --- the run's own tables, read independently -------------------------------------------------


def read_table(run: Path, name: str) -> list[dict[str, Any]]:
    dataset = ds.dataset(run / name, format="parquet", partitioning="hive")
    return dataset.to_table().to_pylist()


def documented_class(count: int, rare_max: int) -> str:
    """README / singleton_rate.risk: 0 unseen, 1 singleton, 2..rare_max rare, more common."""
    if count == 0:
        return "unseen"
    if count == 1:
        return "singleton"
    return "rare" if count <= rare_max else "common"


def date_surface(iso: str) -> str | None:
    """'1844-02-22' written as '22 February 1844' (None unless a full date)."""
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return None
    return f"{day.day} {day:%B} {day.year}"


@pytest.fixture(scope="module")
def known(sample_run: Path) -> dict[str, Any]:
    """Questions with known answers, built from the run's facts and prompts."""
    facts = read_table(sample_run, "facts")
    prompts = read_table(sample_run, "prompts")
    manifest = json.loads((sample_run / "manifest.json").read_text())
    rare_max = int(manifest["config"].get("rare_max") or 5)
    by_fact = {(f["entity"], f["attribute"], f["value"]): f for f in facts}
    by_prompt = {(p["entity"], p["attribute"]): p for p in prompts}
    facts.sort(key=lambda f: (f["attribute"], f["entity"], f["value"]))
    questions: list[dict[str, Any]] = []
    expected: list[dict[str, Any]] = []

    def add(
        q: dict[str, Any],
        mentions: int,
        docs: int,
        key: str,
        seen: bool = True,
        prompt: tuple[str, str] | None = None,
    ) -> None:
        # prompt: the question's (entity key, attribute), looked up in the run's prompts.
        hit = by_prompt.get(prompt) if prompt else None
        questions.append(q)
        expected.append(
            {
                "mention_count": mentions,
                "doc_count": docs,
                "risk_mention": documented_class(mentions, rare_max),
                "risk_document": documented_class(docs, rare_max),
                "key": key,
                "entity_seen": seen,
                "prompt_mention_count": hit["mention_count"] if hit else 0,
                "prompt_doc_count": hit["doc_count"] if hit else 0,
                "prompt_seen": hit is not None,
            }
        )

    # Facts of every class, at their keys (keys are their own keys).
    singles = [f for f in facts if f["mention_count"] == 1][:6]
    rares = [f for f in facts if 2 <= f["mention_count"] <= rare_max][:6]
    commons = [f for f in facts if f["mention_count"] > rare_max][:6]
    assert singles and rares and commons, "the sample run holds every class"
    for f in singles + rares + commons:
        q = {"entity": f["entity"], "attribute": f["attribute"], "value": f["value"]}
        add(q, f["mention_count"], f["doc_count"], "fact", prompt=(f["entity"], f["attribute"]))
    # Surface forms of full birth dates: title-cased names, dates written out.
    dated = [f for f in facts if f["attribute"] == "birth_date" and date_surface(f["value"])][:5]
    for f in dated:
        q = {
            "entity": f"Dr. {f['entity'].title()}",
            "attribute": "birth date",
            "value": date_surface(f["value"]),
        }
        add(q, f["mention_count"], f["doc_count"], "fact", prompt=(f["entity"], f["attribute"]))
    # Places with a country after a comma key to the place.
    places = [f for f in facts if f["attribute"] == "birth_place" and " " not in f["value"]][:3]
    for f in places:
        q = {
            "entity": f["entity"].title(),
            "attribute": "birth_place",
            "value": f"{f['value'].title()}, Somewhere",
        }
        add(q, f["mention_count"], f["doc_count"], "fact", prompt=(f["entity"], f["attribute"]))
    # Prompt-key questions (no value).
    for p in sorted(prompts, key=lambda p: (p["attribute"], p["entity"]))[:5]:
        add(
            {"entity": p["entity"], "attribute": p["attribute"], "value": None},
            p["mention_count"],
            p["doc_count"],
            "prompt",
            prompt=(p["entity"], p["attribute"]),
        )
    # Unseen facts of known entities: a value the corpus never gives them. Their prompt is
    # seen (the corpus gives another value), so they are not in the prompt-unseen share.
    plain = ("birth_date", "death_date", "birth_place", "death_place", "occupation")
    for f in [f for f in singles if f["attribute"] in plain][:3]:
        value = "1 January 1066" if f["attribute"].endswith("date") else "Xanadu Qqq"
        assert (f["entity"], f["attribute"], "1066-01-01") not in by_fact
        assert (f["entity"], f["attribute"], "xanadu qqq") not in by_fact
        assert (f["entity"], f["attribute"]) in by_prompt
        add(
            {"entity": f["entity"], "attribute": f["attribute"], "value": value},
            0,
            0,
            "fact",
            prompt=(f["entity"], f["attribute"]),
        )
    # A known entity asked about an attribute it has no fact for (prompt key: unseen).
    entity = singles[0]["entity"]
    missing = next(
        a
        for a in ("spouse", "founder", "headquarters", "employer", "nationality")
        if (entity, a) not in by_prompt
    )
    add({"entity": entity, "attribute": missing, "value": None}, 0, 0, "prompt", prompt=None)
    # Unknown entities count as unseen.
    add(
        {"entity": UNKNOWN_ENTITY, "attribute": "birth_date", "value": "3 May 1901"},
        0,
        0,
        "fact",
        False,
    )
    add({"entity": UNKNOWN_ENTITY, "attribute": "occupation", "value": None}, 0, 0, "prompt", False)
    return {"questions": questions, "expected": expected, "rare_max": rare_max}


# Malformed rows every format can hold: (entity, attribute, value) → reason.
MALFORMED_COMMON = [
    ({"entity": None, "attribute": "birth_date", "value": "1900"}, MISSING_ENTITY),
    ({"entity": "Ada Lovelace", "attribute": None, "value": "1815"}, MISSING_ATTRIBUTE),
    (
        {"entity": "Ada Lovelace", "attribute": "favourite_colour", "value": "blue"},
        UNKNOWN_ATTRIBUTE,
    ),
    ({"entity": "Ada Lovelace", "attribute": "birth_date", "value": "sometime"}, UNKEYABLE_VALUE),
]


def check(table: pa.Table, known: dict[str, Any], extra_malformed: list[str]) -> None:
    """The first rows are ``known``'s questions, then the common malformed rows, then extras."""
    rows = table.to_pylist()
    n_known = len(known["expected"])
    assert table.schema.equals(OUTPUT_SCHEMA)
    assert [r["index"] for r in rows] == list(range(len(rows)))
    for row, want, q in zip(rows[:n_known], known["expected"], known["questions"], strict=True):
        assert row["status"] == "scored", (q, row)
        got = {k: row[k] for k in want}
        assert got == want, q
    malformed = rows[n_known:]
    reasons = [r for _, r in MALFORMED_COMMON] + extra_malformed
    assert [r["reason"] for r in malformed] == reasons
    for r in malformed:
        assert r["status"] == "malformed" and r["detail"]
        assert r["mention_count"] is None and r["risk_mention"] is None


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    lines = ["id,entity,attribute,value"]
    for i, r in enumerate(rows):
        cells = [str(i)] + [r[k] or "" for k in ("entity", "attribute", "value")]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_score_csv_known_unseen_and_malformed(
    sample_run: Path, known: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "questions.csv"
    write_csv(path, known["questions"] + [q for q, _ in MALFORMED_COMMON])
    with path.open("ab") as fh:
        fh.write(b'"x","Ada Lovelace","birth_date"\n')  # a field short
        fh.write(b"\n")  # a blank line is skipped, not a question
        fh.write(b'"y","Ad\xff Lovelace","birth_date","1815"\n')  # undecodable bytes
    table, summary = score(sample_run, path)
    check(table, known, [WRONG_FIELD_COUNT, INVALID_UTF8])
    rows = table.to_pylist()
    assert rows[0]["location"] == "line 2" and rows[0]["id"] == "0"
    assert rows[-2]["location"].startswith("line ")

    # The summary: shares over scored questions, malformed counted apart.
    n_known = len(known["expected"])
    assert summary.n_questions == n_known + len(MALFORMED_COMMON) + 2
    assert summary.n_scored == n_known
    assert summary.n_malformed == len(MALFORMED_COMMON) + 2
    assert summary.malformed_reasons == {
        MISSING_ENTITY: 1,
        MISSING_ATTRIBUTE: 1,
        UNKNOWN_ATTRIBUTE: 1,
        UNKEYABLE_VALUE: 1,
        WRONG_FIELD_COUNT: 1,
        INVALID_UTF8: 1,
    }
    assert summary.n_unknown_entities == 2
    assert summary.n_by_key["prompt"] == sum(e["key"] == "prompt" for e in known["expected"])
    assert summary.rare_max == known["rare_max"] and summary.interval == "wilson"
    for unit in ("mention", "document"):
        classes = [e[f"risk_{unit}"] for e in known["expected"]]
        u = summary.units[unit]
        assert u.counts == {c: classes.count(c) for c in ("unseen", "singleton", "rare", "common")}
        k = classes.count("unseen") + classes.count("singleton")
        assert u.unseen_or_singleton.k == k and u.unseen_or_singleton.n == n_known
        assert u.unseen_or_singleton.share == pytest.approx(k / n_known)
        assert (u.unseen_or_singleton.low, u.unseen_or_singleton.high) == wilson_interval(
            k, n_known
        )
        assert u.unseen.k == classes.count("unseen")
        assert u.singleton.k == classes.count("singleton")
    # The predicted-floor analogue: questions whose prompt is unseen (the missing attribute of
    # a known entity and the two unknown-entity questions), not the unseen facts of known
    # entities, whose prompts the corpus states with other values.
    k = sum(not e["prompt_seen"] for e in known["expected"])
    assert k == 3
    assert summary.prompt_unseen.k == k and summary.prompt_unseen.n == n_known
    assert (summary.prompt_unseen.low, summary.prompt_unseen.high) == wilson_interval(k, n_known)
    assert summary.prompt_unseen.k < summary.units["document"].unseen.k


def test_score_jsonl(sample_run: Path, known: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    lines = [json.dumps(q) for q in known["questions"] + [q for q, _ in MALFORMED_COMMON]]
    lines += [
        '{"entity": "Ada Lovelace", "attribute": ',  # cut off
        '["not", "an", "object"]',
        '{"entity": ["Ada"], "attribute": "birth_date"}',
        "",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table, summary = score(sample_run, path)
    check(table, known, [MALFORMED_JSON, NOT_AN_OBJECT, WRONG_TYPE])
    assert summary.n_malformed == len(MALFORMED_COMMON) + 3


def test_score_parquet_with_other_column_names(
    sample_run: Path, known: dict[str, Any], tmp_path: Path
) -> None:
    from singleton_rate.score import Fields

    rows = known["questions"] + [q for q, _ in MALFORMED_COMMON]
    path = tmp_path / "questions.parquet"
    pq.write_table(
        pa.table(
            {
                "subj": [r["entity"] for r in rows],
                "prop": [r["attribute"] for r in rows],
                "obj": [r["value"] for r in rows],
            }
        ),
        path,
    )
    table, _ = score(sample_run, path, fields=Fields(entity="subj", attribute="prop", value="obj"))
    check(table, known, [])
    assert table.column("location")[0].as_py() == "row 0"
    with pytest.raises(ScoreError, match="no 'entity' or 'attribute' column"):
        score(sample_run, path)


def test_score_cli_writes_output_and_summary(
    sample_run: Path, known: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "questions.csv"
    write_csv(path, known["questions"] + [q for q, _ in MALFORMED_COMMON])
    out = tmp_path / "out" / "scores.csv"
    assert main(["score", str(sample_run), str(path), "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "unseen or singleton" in printed and "malformed" in printed
    assert "prompt (entity, attribute) unseen in the corpus: 3 of" in printed
    assert "not correct" in printed and "predicted floor" not in printed
    written = pacsv.read_csv(out)
    assert written.num_rows == len(known["questions"]) + len(MALFORMED_COMMON)
    summary = json.loads((tmp_path / "out" / "scores.summary.json").read_text())
    assert summary["n_malformed"] == len(MALFORMED_COMMON)
    assert summary["prompt_unseen"]["k"] == 3
    assert "not correct" in summary["meaning"]["common"]
    assert "not a floor" in summary["meaning"]["unseen_or_singleton"]
    assert {"prompt_mention_count", "prompt_doc_count", "prompt_seen"} <= set(written.column_names)
    assert set(summary["units"]) == {"mention", "document"}

    jsonl = tmp_path / "scores.jsonl"
    assert (
        main(["score", str(sample_run), str(path), "--output", str(jsonl), "--format", "json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["n_scored"] == len(known["questions"])
    assert len(jsonl.read_text().splitlines()) == written.num_rows

    assert main(["score", str(sample_run), str(path), "--output", str(tmp_path / "x.xlsx")]) == 2
    assert "unknown output format" in capsys.readouterr().err
    assert main(["score", str(sample_run), str(tmp_path / "none.csv"), "--output", str(out)]) == 2
    assert "no such question file" in capsys.readouterr().err
    assert main(["score", str(tmp_path), str(path), "--output", str(out)]) == 2
    assert "not a complete run folder" in capsys.readouterr().err


def test_wikidata_ids_as_entities_are_warned_about(
    sample_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "qids.csv"
    path.write_text(
        "entity,attribute\nQ7186,birth_place\nQ937,birth_date\nAda Lovelace,birth_place\n"
    )
    _, summary = score(sample_run, path)
    (note,) = [n for n in summary.notes if "Wikidata" in n]
    assert note.startswith("2 of 3 question entities look like Wikidata ids (e.g. 'Q7186')")
    assert main(["score", str(sample_run), str(path), "--output", str(tmp_path / "o.csv")]) == 0
    assert "note: 2 of 3 question entities look like Wikidata ids" in capsys.readouterr().out
    path.write_text("entity,attribute\nAda Lovelace,birth_place\n")
    assert not [n for n in score(sample_run, path)[1].notes if "Wikidata" in n]
