"""Extraction on sentences: the real model and the shipped catalog, sentence → expected facts.

Every pattern of the catalog is covered here, with negatives that must produce nothing.
"""

from __future__ import annotations

import pytest

from pipeline.corpus import Document
from pipeline.extract.catalog import load_catalog
from pipeline.extract.extractor import Extractor
from pipeline.extract.model import resolve_model_name


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_catalog(), resolve_model_name())


def facts(
    extractor: Extractor, text: str, title: str | None = "Marie Curie", status: str = "asserted"
):
    [result] = extractor.extract([Document("d1", text, title, None, "test:1")])
    return {(m.entity, m.attribute, m.value) for m in result.mentions if m.status == status}


MC = "marie curie"

# (title, text, expected asserted facts). Each pattern of the catalog appears at least once.
CASES: list[tuple[str | None, str, set[tuple[str, str, str]]]] = [
    # birth_place_v1/born and birth_date_v1/born, with every subject form
    ("Marie Curie", "Marie Curie was born in Warsaw.", {(MC, "birth_place", "warsaw")}),
    ("Marie Curie", "She was born in Warsaw, Poland.", {(MC, "birth_place", "warsaw")}),
    ("Marie Curie", "Curie was born in Warsaw.", {(MC, "birth_place", "warsaw")}),
    ("Marie Curie", "She was born on 7 November 1867.", {(MC, "birth_date", "1867-11-07")}),
    ("Marie Curie", "She was born on November 7, 1867.", {(MC, "birth_date", "1867-11-07")}),
    ("Marie Curie", "She was born on 7 Nov. 1867.", {(MC, "birth_date", "1867-11-07")}),
    ("Marie Curie", "She was born in November 1867.", {(MC, "birth_date", "1867-11")}),
    ("Marie Curie", "She was born in 1867.", {(MC, "birth_date", "1867")}),
    (
        "Marie Curie",
        "She was born in Warsaw on 7 November 1867.",
        {(MC, "birth_place", "warsaw"), (MC, "birth_date", "1867-11-07")},
    ),
    (
        "Marie Curie",
        "She was born on 7 November 1867 in Warsaw.",
        {(MC, "birth_place", "warsaw"), (MC, "birth_date", "1867-11-07")},
    ),
    (
        "Marie Curie",
        "Marie Curie (born 7 November 1867) was a physicist.",
        {(MC, "birth_date", "1867-11-07")},
    ),
    (
        "Marie Curie",
        "Marie Curie, born in Warsaw, was a physicist.",
        {(MC, "birth_place", "warsaw")},
    ),
    # parenthetical leads, however the parser attaches them
    (
        "Étienne Mendoza",
        "Étienne Mendoza (born 27 Feb. 1801) was a critic.",
        {("étienne mendoza", "birth_date", "1801-02-27")},
    ),
    (
        "Lucia Quispe",
        "Lucia Quispe (born 15 July 1960) was a printer.",
        {("lucia quispe", "birth_date", "1960-07-15")},
    ),
    (
        "Lin Esposito",
        "Lin Esposito (born March 1868 in Belo Horizonte) was a banker.",
        {
            ("lin esposito", "birth_date", "1868-03"),
            ("lin esposito", "birth_place", "belo horizonte"),
        },
    ),
    (
        "Hugo Rousseau",
        "Hugo Rousseau (born June 15, 1874 in Kumasi) was a photographer.",
        {("hugo rousseau", "birth_date", "1874-06-15"), ("hugo rousseau", "birth_place", "kumasi")},
    ),
    (
        "Hans Achebe",
        "Hans Achebe (born 23 Sept. 1904) was a sailor.",
        {("hans achebe", "birth_date", "1904-09-23")},
    ),
    (
        "Oskar Von Arnim",
        "Oskar Von Arnim (born 24 March 1806) was a lawyer.",
        {("oskar von arnim", "birth_date", "1806-03-24")},
    ),
    # a surname the tagger calls a common noun still refers back to the title
    (
        "Aiko Hargreaves",
        "Hargreaves was born in Guadalajara.",
        {("aiko hargreaves", "birth_place", "guadalajara")},
    ),
    (
        "Aiko Hargreaves",
        "She died in Bristol on 4 May 1900.",
        {
            ("aiko hargreaves", "death_place", "bristol"),
            ("aiko hargreaves", "death_date", "1900-05-04"),
        },
    ),
    # a city the model labels PERSON is still a place in this slot
    ("Ama Caldwell", "Ama Caldwell died in Dakar.", {("ama caldwell", "death_place", "dakar")}),
    # death_place_v1/died and death_date_v1/died
    ("Marie Curie", "Curie died in Passy.", {(MC, "death_place", "passy")}),
    ("Marie Curie", "She died on 4 July 1934.", {(MC, "death_date", "1934-07-04")}),
    (
        "Marie Curie",
        "She died at Sancellemoz on 4 July 1934.",
        {(MC, "death_place", "sancellemoz"), (MC, "death_date", "1934-07-04")},
    ),
    # birth_date_v1/lifespan and death_date_v1/lifespan
    (
        "Marie Curie",
        "Marie Curie (7 November 1867 – 4 July 1934) was a physicist.",
        {(MC, "birth_date", "1867-11-07"), (MC, "death_date", "1934-07-04")},
    ),
    # another named person keeps their own name
    (
        "Marie Curie",
        "Pierre Curie was born in Paris.",
        {("pierre curie", "birth_place", "paris")},
    ),
    # no title: the first person the document names is its main entity
    (
        None,
        "Alan Turing was a mathematician. He was born in London.",
        {("alan turing", "birth_place", "london")},
    ),
    # negatives: nothing about anyone we can name
    ("Marie Curie", "Her father was born in Lublin.", set()),
    (
        "Marie Curie",
        "She was born in Warsaw, where she later taught in 1891.",
        {(MC, "birth_place", "warsaw")},
    ),
    ("Marie Curie", "She moved to Paris in 1891.", set()),
    ("Marie Curie", "She visited Lyon on 3 May 1900.", set()),
    ("Marie Curie", "The museum in Warsaw was founded in 1867.", set()),
    ("Marie Curie", "She studied physics at the University of Paris.", set()),
    ("Marie Curie", "She was born in a small village.", set()),
    ("Marie Curie", "She died in a car accident.", set()),
    ("Marie Curie", "She was not born in Berlin.", set()),
    ("Marie Curie", "She is believed to have been born in Krakow.", set()),
]


@pytest.mark.parametrize(("title", "text", "expected"), CASES, ids=[c[1][:50] for c in CASES])
def test_sentence_to_facts(extractor: Extractor, title, text, expected) -> None:
    assert facts(extractor, text, title) == expected


def test_negation_and_hedge_are_kept_but_flagged(extractor: Extractor) -> None:
    assert facts(extractor, "She was not born in Berlin.", status="negated") == {
        (MC, "birth_place", "berlin")
    }
    assert facts(extractor, "She is believed to have been born in Krakow.", status="hedged") == {
        (MC, "birth_place", "krakow")
    }


def test_mention_provenance(extractor: Extractor) -> None:
    text = "Marie Curie was a physicist. She was born in Warsaw on 7 November 1867."
    [result] = extractor.extract([Document("doc-9", text, "Marie Curie", "wiki", "f.jsonl:3")])
    by_attr = {m.attribute: m for m in result.mentions}
    place = by_attr["birth_place"]
    assert text[place.start : place.end] == "Warsaw" == place.value_text
    assert place.sentence == "She was born in Warsaw on 7 November 1867."
    assert text[place.sentence_start :].startswith(place.sentence)
    assert place.pattern == "birth_place_v1/born"
    assert place.subject_text == "She" and place.resolution == "pronoun"
    assert place.entity_text == "Marie Curie" and place.doc_id == "doc-9" and place.source == "wiki"
    date = by_attr["birth_date"]
    assert text[date.start : date.end] == "7 November 1867"
    assert (date.value, date.value_precision) == ("1867-11-07", "day")


def test_every_document_gets_one_result(extractor: Extractor) -> None:
    docs = [
        Document("a", "Nothing to see here.", None, None, "f:1"),
        Document("b", "Ada Lovelace was born in London.", "Ada Lovelace", None, "f:2"),
        Document("c", "", None, None, "f:3"),
    ]
    results = extractor.extract(docs)
    assert [r.doc_id for r in results] == ["a", "b", "c"]
    assert [r.parsed for r in results] == [False, True, False]  # the prefilter skipped a and c
    assert [len(r.mentions) for r in results] == [0, 1, 0]


def test_long_document_is_split_not_truncated(extractor: Extractor) -> None:
    filler = "Nothing happened that year. " * 200
    text = filler + "Ada Lovelace was born in London. " + filler + "She died in Marylebone."
    small = Extractor(
        load_catalog(), resolve_model_name(), max_chunk_chars=2_000, nlp=extractor.nlp
    )
    [result] = small.extract([Document("x", text, "Ada Lovelace", None, "f:1")])
    assert result.n_chunks > 3
    got = {(m.attribute, m.value) for m in result.mentions}
    assert got == {("birth_place", "london"), ("death_place", "marylebone")}
    for m in result.mentions:
        assert text[m.start : m.end] == m.value_text
