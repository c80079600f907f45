"""Scoring against the hand-annotated Wikipedia gold (`singleton_rate.evaluate_wikipedia`).

The fixture is a two-article gold made by hand, with its precision and recall worked out
below; no spaCy, no Spark. The last test scores the real gold (``tests/data/wikipedia_gold``)
against the shared corpus and skips without ``../shared``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from singleton_rate.evaluate_wikipedia import (
    CORPUS_FILE,
    GOLD_DIR,
    key_facts,
    read_articles,
    read_gold,
    run_wikipedia,
    score_wikipedia,
)
from singleton_rate.extract.catalog import load_catalog

TEXT_A = (
    "Ann Lee (born 3 May 1950 in Leeds) is an English poet. She married Bo Lee. "
    "Her brother Carl Lee is a painter. She also taught."
)
TEXT_B = "Acme Ltd was founded in 1901 by Ann Lee. It is based in Leeds."


def _fact(doc, subject, kind, attribute, value, status="clear", **extra):
    return {
        "doc_id": doc,
        "subject": subject,
        "subject_kind": kind,
        "attribute": attribute,
        "value": value,
        "status": status,
        "subject_aliases": extra.get("subject_aliases", []),
        "value_aliases": extra.get("value_aliases", []),
        "evidence_start": 0,
        "evidence_end": 10,
    }


FACTS = [
    _fact("A", "Ann Lee", "title", "birth_date", "1950-05-03", value_aliases=["1950"]),
    _fact("A", "Ann Lee", "title", "birth_place", "Leeds"),
    _fact("A", "Ann Lee", "title", "nationality", "England"),
    _fact("A", "Ann Lee", "title", "occupation", "poet"),
    _fact("A", "Ann Lee", "title", "spouse", "Bo Lee"),
    _fact("A", "Carl Lee", "other", "occupation", "painter"),
    _fact("A", "Ann Lee", "title", "occupation", "teacher", status="borderline"),
    _fact("B", "Acme Ltd", "title", "founded", "1901"),
    _fact("B", "Acme Ltd", "title", "headquarters", "Leeds"),
    _fact("B", "Acme Ltd", "title", "founder", "Ann Lee"),
]


def _m(doc, entity, attribute, value, status="asserted"):
    return {
        "doc_id": doc,
        "entity": entity,
        "attribute": attribute,
        "value": value,
        "status": status,
        "sentence": "…",
        "pattern": "p",
    }


MENTIONS = [
    _m("A", "ann lee", "birth_date", "1950-05-03"),  # right
    _m("A", "ann lee", "birth_date", "1950"),  # right: the coarser alias
    _m("A", "ann lee", "birth_place", "leeds"),  # right
    _m("A", "ann lee", "occupation", "poet"),  # right
    _m("A", "ann lee", "occupation", "poet"),  # the same fact again: counted once
    _m("A", "bo lee", "spouse", "ann lee"),  # right: spouse is symmetric
    _m("A", "ann lee", "occupation", "teacher"),  # borderline: left out of precision
    _m("A", "carl lee", "occupation", "poet"),  # wrong, other
    _m("A", "ann lee", "nationality", "france"),  # wrong, title
    _m("A", "ann lee", "nationality", "england", status="unkeyed"),  # not asserted: ignored
    _m("B", "acme ltd", "founded", "1901"),  # right
    _m("B", "acme ltd", "headquarters", "london"),  # wrong, title
    _m("B", "zed co", "founder", "ann lee"),  # wrong, other
    _m("C", "ann lee", "occupation", "poet"),  # an article without gold: ignored
]


@pytest.fixture()
def gold_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    docs = [
        {
            "doc_id": "A",
            "title": "Ann Lee",
            "stratum": "person",
            "n_chars": len(TEXT_A),
            "sha1": hashlib.sha1(TEXT_A.encode()).hexdigest(),
        },
        {
            "doc_id": "B",
            "title": "Acme Ltd",
            "stratum": "long_org",
            "n_chars": len(TEXT_B),
            "sha1": hashlib.sha1(TEXT_B.encode()).hexdigest(),
        },
    ]
    (folder / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    (folder / "facts.jsonl").write_text("".join(json.dumps(f) + "\n" for f in FACTS))
    return folder


def _corpus(tmp_path: Path, texts: dict[str, str]) -> Path:
    path = tmp_path / "corpora" / CORPUS_FILE
    path.parent.mkdir(parents=True)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i, (doc_id, text) in enumerate(texts.items()):
            f.write(json.dumps({"id": doc_id, "title": f"T{i}", "text": text}) + "\n")
    return path


def _report(gold_folder: Path):
    docs, raw = read_gold(gold_folder)
    return score_wikipedia(MENTIONS, docs, key_facts(raw, load_catalog()))


def test_recall_by_kind_and_stratum(gold_folder: Path) -> None:
    r = _report(gold_folder).recall
    # Clear gold: A has 6 (5 title, 1 other), B 3 (title). Found: A's birth date, birth place,
    # occupation and spouse (reversed); B's founding date. England and Carl Lee's painter,
    # B's Leeds and founder are missed.
    assert (r["all"].hits, r["all"].n) == (5, 9)
    assert (r["title"].hits, r["title"].n) == (5, 8)
    assert (r["other"].hits, r["other"].n) == (0, 1)
    assert (r["short"].hits, r["short"].n) == (4, 6)
    assert (r["long"].hits, r["long"].n) == (1, 3)
    assert (r["spouse/title"].hits, r["spouse/title"].n) == (1, 1)
    assert (r["occupation/other"].hits, r["occupation/other"].n) == (0, 1)
    assert "teacher" not in {m["gold"] for m in _report(gold_folder).misses}  # borderline


def test_precision_excludes_borderline_and_keys_kinds(gold_folder: Path) -> None:
    report = _report(gold_folder)
    p = report.precision
    # Distinct extracted facts of A and B: 11; "teacher" matches only borderline gold → 10
    # judged, 6 right (two birth dates, birth place, poet, spouse; 1901).
    assert report.excluded == 1
    assert (p["all"].hits, p["all"].n) == (6, 10)
    # Title: A 5 right + France wrong; B 1901 right + London wrong. Other: Carl Lee, Zed Co.
    assert (p["title"].hits, p["title"].n) == (6, 8)
    assert (p["other"].hits, p["other"].n) == (0, 2)
    assert (p["long"].hits, p["long"].n) == (1, 3)
    # Wilson 95% for 6/10: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n) = [0.313, 0.832]
    low, high = p["all"].interval
    assert low == pytest.approx(0.3127, abs=5e-4) and high == pytest.approx(0.8318, abs=5e-4)
    wrong = {(w["entity"], w["value"]) for w in report.false_extractions}
    assert wrong == {
        ("carl lee", "poet"),
        ("ann lee", "france"),
        ("acme ltd", "london"),
        ("zed co", "ann lee"),
    }
    assert {(m["subject"], m["gold"]) for m in report.misses} == {
        ("Ann Lee", "England"),
        ("Carl Lee", "painter"),
        ("Acme Ltd", "Leeds"),
        ("Acme Ltd", "Ann Lee"),
    }


def test_precision_split_by_documents_of_a_whole_corpus_run(
    gold_folder: Path, tmp_path: Path
) -> None:
    # A run's facts table, as `singletons run` writes it (Hive-partitioned by attribute).
    import pyarrow as pa
    import pyarrow.parquet as pq

    from singleton_rate.evaluate_wikipedia import read_doc_counts

    rows = [  # (entity, attribute, value, doc_count)
        ("ann lee", "birth_date", "1950-05-03", 3),  # right, 2+
        ("ann lee", "birth_place", "leeds", 1),  # right, 1
        ("ann lee", "occupation", "poet", 1),  # right, 1
        ("carl lee", "occupation", "poet", 2),  # wrong, 2+
        ("ann lee", "nationality", "france", 1),  # wrong, 1
        ("acme ltd", "founded", "1901", 5),  # right, 2+
    ]  # the rest of the 10 judged facts are not in the run: absent
    for attribute in {r[1] for r in rows}:
        part = tmp_path / "run" / "facts" / f"attribute={attribute}"
        part.mkdir(parents=True)
        mine = [r for r in rows if r[1] == attribute]
        table = pa.table(
            {
                "entity": [r[0] for r in mine],
                "value": [r[2] for r in mine],
                "doc_count": pa.array([r[3] for r in mine], pa.int64()),
            }
        )
        pq.write_table(table, part / "part-0.parquet")
    counts = read_doc_counts(tmp_path / "run")
    assert counts[("carl lee", "occupation", "poet")] == 2 and len(counts) == 6

    docs, raw = read_gold(gold_folder)
    report = score_wikipedia(MENTIONS, docs, key_facts(raw, load_catalog()), doc_counts=counts)
    p = report.precision
    assert (p["docs:2+"].hits, p["docs:2+"].n) == (2, 3)  # 1950-05-03, 1901 right; carl lee
    assert (p["docs:1"].hits, p["docs:1"].n) == (2, 3)  # leeds, poet right; france
    # absent: 1950 (right), spouse (right), london (wrong), zed co (wrong)
    assert (p["docs:absent"].hits, p["docs:absent"].n) == (2, 4)
    assert p["all"].n == p["docs:1"].n + p["docs:2+"].n + p["docs:absent"].n
    assert "in 2+ documents" in report.table()
    # each false fact names how many of the run's documents state it
    repeated = {(r["entity"], r["documents"]) for r in report.false_extractions}
    assert ("carl lee", 2) in repeated and ("ann lee", 1) in repeated
    assert "docs:1" not in _report(gold_folder).precision  # no run given: no split
    with pytest.raises(FileNotFoundError, match="no facts/ table"):
        read_doc_counts(tmp_path / "nothing")


def test_keys_follow_the_catalog() -> None:
    raw = [
        _fact("A", "Dr. Ann Lee", "title", "occupation", "actress"),
        _fact("A", "Ann Lee", "title", "birth_place", "Leeds, England"),
    ]
    occupation, place = key_facts(raw, load_catalog())
    assert occupation.subjects == {"ann lee"} and occupation.objects == {"actor"}
    assert place.objects == {"leeds"}
    with pytest.raises(ValueError, match="not a catalog relation"):
        key_facts([_fact("A", "Ann", "title", "hair_colour", "red")], load_catalog())


def test_articles_are_checked_against_the_gold(gold_folder: Path, tmp_path: Path) -> None:
    docs, _ = read_gold(gold_folder)
    path = _corpus(tmp_path, {"X": "other", "B": TEXT_B, "A": TEXT_A})
    articles = read_articles(docs, path)
    assert [a.doc_id for a in articles] == ["A", "B"] and articles[1].text == TEXT_B
    changed = _corpus(tmp_path / "2", {"A": TEXT_A + " More.", "B": TEXT_B})
    with pytest.raises(ValueError, match="SHA-1"):
        read_articles(docs, changed)
    with pytest.raises(ValueError, match="no article B"):
        read_articles(docs, _corpus(tmp_path / "3", {"A": TEXT_A}))


def test_a_fact_of_an_unlisted_article_is_an_error(gold_folder: Path) -> None:
    with (gold_folder / "facts.jsonl").open("a") as f:
        f.write(json.dumps(_fact("Z", "Zed", "title", "occupation", "poet")) + "\n")
    with pytest.raises(ValueError, match=r"'Z' is not in docs\.jsonl"):
        read_gold(gold_folder)


HELDOUT_DIR = GOLD_DIR.parent / "wikipedia_heldout"
HELDOUT2_DIR = GOLD_DIR.parent / "wikipedia_heldout2"  # never read, scored often
HELDOUT3_DIR = GOLD_DIR.parent / "wikipedia_heldout3"  # read since 2026-12-06
HELDOUT4_DIR = GOLD_DIR.parent / "wikipedia_heldout4"  # the blind one since 2026-12-06


@pytest.mark.parametrize("gold", [GOLD_DIR, HELDOUT_DIR, HELDOUT2_DIR, HELDOUT3_DIR, HELDOUT4_DIR],
                         ids=["gold", "heldout", "heldout2", "heldout3", "heldout4"])
def test_real_gold(tmp_path: Path, gold: Path) -> None:
    from conftest import SHARED  # tests/ is on sys.path (rootdir conftest)

    corpora = SHARED / "corpora"
    if not (corpora / CORPUS_FILE).is_file():
        pytest.skip(
            f"{corpora / CORPUS_FILE} is absent: the shared Wikipedia corpus is not "
            "beside this checkout"
        )
    docs, raw = read_gold(gold)
    report = run_wikipedia(corpora, tmp_path, gold=gold)
    assert report.documents == len(docs)
    clear = sum(f["status"] == "clear" for f in raw)
    assert report.recall["all"].n == clear
    # Floors under today's numbers (page-subject recall 0.81 on the gold set, 0.58 to 0.79
    # on the held-out sets; precision 0.87 to 0.99): a regression in
    # the extractor or the keying falls through them.
    assert report.recall["title"].value > 0.55
    assert report.precision["all"].value > 0.84
    errors = (tmp_path / "wikipedia_errors.jsonl").read_text().splitlines()
    assert len(errors) == len(report.misses) + len(report.false_extractions)
