"""Extraction on sentences of the kind whole Wikipedia articles hold (issue 13).

Sentence → expected facts, with the real model and the shipped catalog, one case per word or
pattern added for what the hand-annotated Wikipedia gold (``tests/data/wikipedia_gold``)
found missing or wrong. The sentences are written for the tests (shapes seen in articles,
not copied from them); each set of expected facts is exact: nothing more may come out.
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


def facts(extractor: Extractor, text: str, title: str | None) -> set[tuple[str, str, str]]:
    [result] = extractor.extract([Document("d1", text, title, None, "test:1")])
    return {(m.entity, m.attribute, m.value) for m in result.mentions if m.status == "asserted"}


AS = "ann smith"

# (title, text, expected asserted facts), from relations/wikipedia_cases.toml
CASES: list[tuple[str | None, str, set[tuple[str, str, str]]]] = [
    (c.title, c.text, set(c.facts)) for c in shipped_cases(("relations/wikipedia_cases.toml",))
]


@pytest.mark.parametrize(("title", "text", "expected"), CASES, ids=[c[1][:60] for c in CASES])
def test_sentence_facts(
    extractor: Extractor, title: str | None, text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert facts(extractor, text, title) == expected


def test_prefilter_keeps_every_sentence_with_facts() -> None:
    could_match = build_prefilter(load_catalog())
    for _, text, expected in CASES:
        if expected:
            assert could_match(text), text


def test_copula_value_role_subject_needs_take_prep(tmp_path) -> None:
    from singleton_rate.extract.catalog import CatalogError

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[relation]]\nname = "r"\nversion = 1\nsubject = "ORG"\nvalue = "text"\n'
        '[[relation.pattern]]\nid = "p"\nkind = "copula"\nwords = ["is"]\n'
        'nouns = ["founder"]\ntake = "noun"\nvalue_role = "subject"\n'
    )
    with pytest.raises(CatalogError, match="value_role 'subject' needs take 'prep'"):
        load_catalog([str(bad)])


def test_not_heads_only_on_entity_patterns_that_read_it(tmp_path) -> None:
    from singleton_rate.extract.catalog import CatalogError

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[relation]]\nname = "r"\nversion = 1\nsubject = "PERSON"\nvalue = "entity"\n'
        # possessed reads no not_heads (verb_arg, verb_object and copula do)
        '[[relation.pattern]]\nid = "p"\nkind = "possessed"\nwords = ["wife"]\n'
        'not_heads = ["party"]\n'
    )
    with pytest.raises(CatalogError, match="unknown field"):
        load_catalog([str(bad)])
