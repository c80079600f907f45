"""Scoring extraction against gold: numbers worked out by hand, corpus loaders on tiny files.

The last test runs the real extractor over a few hundred Google-RE documents (slow; skipped
without ``../shared/corpora``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from singleton_rate.evaluate import (
    Gold,
    GoldFact,
    MentionRow,
    google_re_documents,
    google_re_gold,
    mention_rows,
    score,
    title_from_url,
    trex_documents,
    trex_gold,
    unmask,
)


def fact(fid: str, subjects: set[str], attribute: str, objects: set[str], **kw) -> GoldFact:
    return GoldFact(
        fact_id=fid,
        corpus="hand",
        source_relation=attribute,
        attribute=attribute,
        subject=sorted(subjects)[0],
        obj=sorted(objects)[0],
        subjects=frozenset(subjects),
        objects=frozenset(objects),
        **kw,
    )


GOLD = Gold(
    (
        fact("f1", {"ada lovelace", "augusta ada king"}, "birth_place", {"london"}),
        fact("f2", {"alan turing"}, "birth_place", {"london", "maida vale"}),
        fact("f3", {"alan turing"}, "birth_date", {"1912"}, year_only=True),
        fact("f4", {"grace hopper"}, "birth_place", {"new york city"}, evidence=("She was …",)),
    )
)

MENTIONS = [
    MentionRow("d1", "ada lovelace", "birth_place", "london", "asserted", "s1"),
    MentionRow("d2", "augusta ada king", "birth_place", "london", "asserted", "s2"),  # alias
    MentionRow("d3", "alan turing", "birth_place", "wilmslow", "asserted", "s3"),  # wrong
    MentionRow("d3", "alan turing", "birth_place", "maida vale", "asserted", "s3"),  # alias
    MentionRow("d3", "alan turing", "birth_date", "1912-06-23", "asserted", "s4"),  # year
    MentionRow("d4", "alan turing", "birth_date", "1912-06-23", "asserted", "s5"),  # again
    MentionRow("d5", "grace hopper", "birth_place", "arlington", "negated", "s6"),  # not counted
    MentionRow("d6", "marie curie", "birth_place", "warsaw", "asserted", "s7"),  # no gold pair
    MentionRow("d7", "alan turing", "birth_date", "1913", "asserted", "s8"),  # wrong year
    MentionRow("d7", "alan turing", "death_place", "wilmslow", "asserted", "s8"),  # no gold
]


def test_scores_worked_out_by_hand() -> None:
    report = score(MENTIONS, GOLD)
    assert list(report.relations) == ["birth_place", "birth_date"]
    place = report.relations["birth_place"]
    # gold f1, f2 found (f2 through its alias "maida vale"), f4 not (its one mention is negated)
    assert (place.gold_facts, place.found, place.recall) == (3, 2, pytest.approx(2 / 3, abs=1e-4))
    # judged distinct facts: ada/london, augusta ada king/london, turing/wilmslow, turing/maida vale
    assert (place.extracted_judged, place.correct, place.precision) == (4, 3, 0.75)
    assert place.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3), abs=1e-4)  # 0.7059
    assert (place.mentions_judged, place.mentions_correct, place.mention_precision) == (4, 3, 0.75)
    assert place.extracted_unjudged == 1  # marie curie: no gold to judge by
    [fp] = place.false_positives
    assert (fp["subject"], fp["value"], fp["sentence"], fp["gold"]) == (
        "alan turing",
        "wilmslow",
        "s3",
        ["london"],
    )
    [fn] = place.false_negatives
    assert (fn["subject"], fn["gold"], fn["extracted"], fn["evidence"]) == (
        "grace hopper",
        "new york city",
        [],
        ["She was …"],
    )
    date = report.relations["birth_date"]
    assert (date.gold_facts, date.found, date.recall) == (1, 1, 1.0)
    assert (date.extracted_judged, date.correct, date.precision) == (2, 1, 0.5)
    assert date.f1 == pytest.approx(2 / 3, abs=1e-4)
    # mentions: 1912-06-23 twice (right), 1913 once (wrong)
    assert (date.mentions_judged, date.mentions_correct) == (3, 2)
    assert date.mention_precision == pytest.approx(2 / 3, abs=1e-4)


def test_score_edge_cases() -> None:
    empty = score([], GOLD)
    place = empty.relations["birth_place"]
    assert (place.recall, place.precision, place.f1) == (0.0, None, None)
    chosen = score(MENTIONS, GOLD, attributes=["death_place"], sample=0)
    death = chosen.relations["death_place"]
    assert (death.gold_facts, death.recall, death.extracted_unjudged) == (0, None, 1)
    assert score(MENTIONS, GOLD, sample=0).relations["birth_place"].false_positives == ()
    assert "birth_place" in score(MENTIONS, GOLD).table()
    json.dumps(score(MENTIONS, GOLD).to_dict())  # JSON-ready


def test_rows_from_any_six_field_sequence() -> None:
    as_tuples = [tuple(m) for m in MENTIONS]
    assert score(as_tuples, GOLD) == score(MENTIONS, GOLD)


# --------------------------------------------------------------------------------------------
# loaders on tiny files
# --------------------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture()
def google_re(tmp_path: Path) -> Path:
    url = "http://en.wikipedia.org/wiki/Santiago_I%C3%B1iguez"
    snippet = "Santiago Iñiguez (born 1962 in Madrid) is a dean."
    write_jsonl(
        tmp_path / "place_of_birth_test.jsonl",
        [
            {
                "uuid": "p1",
                "sub_label": "Santiago I%C3%B1iguez",
                "sub_aliases": [],
                "obj_label": "Madrid",
                "obj_aliases": ["Madrid, Spain"],
                "evidences": [
                    {"url": url, "snippet": snippet, "considered_sentences": ["born in Madrid"]}
                ],
            }
        ],
    )
    write_jsonl(
        tmp_path / "date_of_birth_test.jsonl",
        [
            {
                "uuid": "d1",
                "sub_label": "Santiago Iñiguez",
                "obj_label": "1962",
                "evidences": [{"url": url, "snippet": snippet}],  # the same paragraph
            }
        ],
    )
    return tmp_path


def test_google_re_documents_and_gold(google_re: Path) -> None:
    docs = google_re_documents(google_re)
    assert [(d.doc_id, d.title, d.source) for d in docs] == [
        ("p1", "Santiago Iñiguez", "place_of_birth")  # the repeated paragraph is kept once
    ]
    assert title_from_url("http://en.wikipedia.org/wiki/Marie_Curie") == "Marie Curie"
    gold = google_re_gold(google_re)
    place, date = gold.facts
    assert place.subjects == {"santiago iñiguez"}  # percent-encoded label decoded
    assert place.objects == {"madrid"} and place.evidence == ("born in Madrid",)
    assert date.year_only and date.objects == {"1962"}
    rows = [MentionRow("p1", "santiago iñiguez", "birth_date", "1962", "asserted", "s")]
    assert score(rows, gold).relations["birth_date"].recall == 1.0


def test_trex_documents_and_gold(tmp_path: Path) -> None:
    sentence = "Tue West (born 1977) is a [MASK] composer."
    write_jsonl(
        tmp_path / "P27.jsonl",
        [
            {
                "uuid": "u1",
                "sub_label": "Tue West",
                "obj_label": "Denmark",
                "evidences": [
                    {
                        "sub_surface": "Tue West",
                        "obj_surface": "Danish",
                        "masked_sentence": sentence,
                    },
                    {
                        "sub_surface": "Tue West",
                        "obj_surface": "Danish",
                        "masked_sentence": sentence,
                    },
                ],
            }
        ],
    )
    write_jsonl(
        tmp_path / "P106.jsonl",
        [
            {
                "uuid": "u2",
                "sub_label": "Tue West",
                "obj_label": "composer",
                "evidences": [
                    {
                        "sub_surface": "Tue West",
                        "obj_surface": "composer",
                        "masked_sentence": "Tue West (born 1977) is a Danish [MASK].",
                    },
                ],
            }
        ],
    )
    docs = trex_documents(tmp_path, ["P27", "P106"])
    # one sentence, evidence twice for P27 and once (unmasked identically) for P106: kept once
    assert [(d.doc_id, d.title, d.text) for d in docs] == [
        ("P27:u1:0", "Tue West", "Tue West (born 1977) is a Danish composer.")
    ]
    assert unmask({"masked_sentence": "a [MASK] b", "obj_surface": "x"}) == "a x b"
    gold = trex_gold(tmp_path, ["P27", "P106"])
    nationality, occupation = gold.facts
    assert (nationality.attribute, nationality.objects) == ("nationality", {"denmark"})
    assert (occupation.attribute, occupation.objects) == ("occupation", {"composer"})
    rows = [
        MentionRow("P27:u1:0", "tue west", "nationality", "denmark", "asserted", "s"),
        MentionRow("P27:u1:0", "tue west", "occupation", "composer", "asserted", "s"),
    ]
    report = score(rows, gold)
    assert [s.recall for s in report.relations.values()] == [1.0, 1.0]


def test_unknown_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no Google-RE files"):
        google_re_documents(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"P19\.jsonl"):
        trex_documents(tmp_path, ["P19"])


# --------------------------------------------------------------------------------------------
# the real extractor on real text
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_google_re_quality(shared_corpora: Path) -> None:
    from singleton_rate.extract.catalog import load_catalog
    from singleton_rate.extract.extractor import Extractor
    from singleton_rate.extract.model import resolve_model_name

    src = shared_corpora / "google_re"
    docs = google_re_documents(src, limit=150)  # about 300 paragraphs
    extractor = Extractor(load_catalog(), resolve_model_name())
    results = [r for i in range(0, len(docs), 256) for r in extractor.extract(docs[i : i + 256])]
    report = score(mention_rows(results), google_re_gold(src, limit=150))
    place, date = report.relations["birth_place"], report.relations["birth_date"]
    # the targets, with the full-corpus figures in bench/eval_extract.py's report
    assert place.precision >= 0.90 and place.recall >= 0.70, place
    assert date.precision >= 0.95 and date.recall >= 0.80, date
