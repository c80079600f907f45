"""Extraction on sentences: the real model and the shipped catalog, sentence → expected facts.

The sentences and their facts are data (``relations/core_cases.toml``, which ``singletons
catalog check`` also runs). Every pattern of the catalog is covered by them
(``test_every_pattern_is_covered`` checks it), with negatives that must produce nothing:
other people's facts, relatives, hedges, negations, movements and visits, common-noun
places, the wrong kind of main entity.
"""

from __future__ import annotations

import pytest

from singleton_rate.corpus import Document
from singleton_rate.extract.cases import shipped_cases
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.extractor import Extractor
from singleton_rate.extract.model import resolve_model_name
from singleton_rate.extract.prefilter import build_prefilter


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_catalog(), resolve_model_name())


def mentions(extractor: Extractor, text: str, title: str | None = "Marie Curie"):
    [result] = extractor.extract([Document("d1", text, title, None, "test:1")])
    return result.mentions


def facts(
    extractor: Extractor, text: str, title: str | None = "Marie Curie", status: str = "asserted"
):
    return {
        (m.entity, m.attribute, m.value)
        for m in mentions(extractor, text, title)
        if m.status == status
    }


MC = "marie curie"

# (title, text, expected asserted facts), from relations/core_cases.toml: each pattern of the
# catalog fires at least once (the file says what each case is for).
CASES: list[tuple[str | None, str, set[tuple[str, str, str]]]] = [
    (c.title, c.text, set(c.facts)) for c in shipped_cases(("relations/core_cases.toml",))
]


@pytest.mark.parametrize(("title", "text", "expected"), CASES, ids=[c[1][:60] for c in CASES])
def test_sentence_to_facts(extractor: Extractor, title, text, expected) -> None:
    assert facts(extractor, text, title) == expected


def test_every_pattern_is_covered(extractor: Extractor) -> None:
    fired = {m.pattern for title, text, _ in CASES for m in mentions(extractor, text, title)}
    every = {p.name for r in load_catalog().relations for p in r.patterns}
    assert every - fired == set()


def test_prefilter_never_rules_out_a_sentence_with_facts(extractor: Extractor) -> None:
    could_match = build_prefilter(load_catalog())
    for title, text, _ in CASES:
        if mentions(extractor, text, title):
            assert could_match(text), text


def test_prefilter_wants_whole_entries_and_readable_lifespans() -> None:
    # a restricted noun passes only as a whole entry (the matcher takes no less), its last
    # word or its head before "of" plural; a lifespan only as the lifespan kind reads one
    could_match = build_prefilter(load_catalog())
    assert could_match("He was a member of parliament.")
    assert could_match("He was one of the members of parliament.")
    assert could_match("The poets Du Fu and Fang Gan met.")
    assert could_match("She is an American singer-songwriter.")
    assert not could_match("The parliament met in the general assembly hall.")
    assert could_match("Pia Lund is a Danish wakeboarder.")  # any_noun: a country word
    assert not could_match("He was in new york.")  # no capitalised country name
    assert could_match("Ann Lee (1867–1934) was here.")
    assert could_match("Ann Lee (born 1952) was here.")
    assert not could_match("Behrens (1981) says so.")  # a citation year, not a life
    assert not could_match("The lake (12 km2) is here.")


def test_negation_and_hedge_are_kept_but_flagged(extractor: Extractor) -> None:
    assert facts(extractor, "She was not born in Berlin.", status="negated") == {
        (MC, "birth_place", "berlin")
    }
    assert facts(extractor, "She is believed to have been born in Krakow.", status="hedged") == {
        (MC, "birth_place", "krakow")
    }
    assert facts(extractor, "She was not a French citizen.", status="negated") == {
        (MC, "nationality", "france")
    }
    assert facts(extractor, "Records say she was born in 1867.", status="hedged") == {
        (MC, "birth_date", "1867")
    }


def test_country_values_share_one_key(extractor: Extractor) -> None:
    a = facts(extractor, "She was a French physicist.")
    b = facts(extractor, "She became a citizen of France.")
    c = facts(extractor, "She was a citizen of the French Republic.")
    assert (MC, "nationality", "france") in a & b & c


def test_value_reference_resolves_to_the_main_entity(extractor: Extractor) -> None:
    [m] = [
        m
        for m in mentions(
            extractor, "Jobs was an American businessman. He founded Apple.", "Steve Jobs"
        )
        if m.attribute == "founder"
    ]
    assert (m.entity, m.value, m.value_text) == ("apple", "steve jobs", "He")


def test_mention_provenance(extractor: Extractor) -> None:
    text = "Marie Curie was a physicist. She was born in Warsaw on 7 November 1867."
    [result] = extractor.extract([Document("doc-9", text, "Marie Curie", "wiki", "f.jsonl:3")])
    by_attr = {m.attribute: m for m in result.mentions}
    place = by_attr["birth_place"]
    assert text[place.start : place.end] == "Warsaw" == place.value_text
    assert place.sentence == "She was born in Warsaw on 7 November 1867."
    assert text[place.sentence_start :].startswith(place.sentence)
    assert place.pattern == "birth_place_v2/born"
    assert place.subject_text == "She" and place.resolution == "pronoun"
    assert place.entity_text == "Marie Curie" and place.doc_id == "doc-9" and place.source == "wiki"
    date = by_attr["birth_date"]
    assert text[date.start : date.end] == "7 November 1867"
    assert (date.value, date.value_precision) == ("1867-11-07", "day")
    job = by_attr["occupation"]
    assert (job.value, job.value_precision, job.value_text) == ("physicist", "text", "physicist")
    for m in result.mentions:
        assert text[m.start : m.end] == m.value_text


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
    # Sentence prefilter: the opening sentence, the birth and the death are all that is parsed.
    assert result.n_chunks == 3
    assert result.parsed_chars == len("Nothing happened that year. ") + len(
        "Ada Lovelace was born in London. "
    ) + len("She died in Marylebone.")
    got = {(m.attribute, m.value) for m in result.mentions}
    assert got == {("birth_place", "london"), ("death_place", "marylebone")}
    for m in result.mentions:
        assert text[m.start : m.end] == m.value_text
    whole = Extractor(
        load_catalog(),
        resolve_model_name(),
        max_chunk_chars=2_000,
        nlp=extractor.nlp,
        prefilter="off",
    )
    [everything] = whole.extract([Document("x", text, "Ada Lovelace", None, "f:1")])
    assert everything.n_chunks > 3 and everything.parsed_chars == len(text)
    assert everything.mentions == result.mentions


@pytest.mark.parametrize("mode", ["off", "document"])
def test_sentence_prefilter_finds_what_parsing_everything_finds(
    extractor: Extractor, mode: str
) -> None:
    """The table's cases as one multi-sentence document per title, with filler between
    statements: parsing only the sentences that can hold a fact loses none of them."""
    other = Extractor(load_catalog(), resolve_model_name(), nlp=extractor.nlp, prefilter=mode)
    by_title: dict[str | None, list[str]] = {}
    for title, text, _ in CASES:
        by_title.setdefault(title, []).append(text)
    filler = " The weather was mild that spring, and the harvest was good. "
    docs = [
        Document(f"d{i}", filler.join(texts), title, None, f"f:{i}")
        for i, (title, texts) in enumerate(by_title.items())
    ]
    filtered = extractor.extract(docs)
    unfiltered = other.extract(docs)
    stated = {(t, a, v) for t, _, expected in CASES for _, a, v in expected}
    for doc, a, b in zip(docs, filtered, unfiltered, strict=True):
        got = {(m.attribute, m.entity, m.value, m.start, m.status) for m in a.mentions}
        full = {(m.attribute, m.entity, m.value, m.start, m.status) for m in b.mentions}
        assert full - got == set(), doc.doc_id  # nothing lost
        # A sentence parsed on its own may come out better than inside the long text; any
        # extra find must be one of the table's expected facts.
        for attribute, _, value, _, _ in got - full:
            assert (doc.title, attribute, value) in stated, (doc.doc_id, attribute, value)
    assert sum(r.parsed_chars for r in filtered) < sum(r.parsed_chars for r in unfiltered)
