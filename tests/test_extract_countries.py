"""Country keys: one key per country, whatever word the text uses; nothing for non-countries."""

from __future__ import annotations

import pytest

from singleton_rate.extract.countries import country_key, is_country_word
from singleton_rate.extract.lexicon import load_lexicon


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("France", "france"),
        ("French", "france"),
        ("the French Republic", "france"),
        ("Dutch", "netherlands"),
        ("the Netherlands", "netherlands"),
        ("American", "united states"),
        ("United States of America", "united states"),
        ("U.S.", "united states"),
        ("US", "united states"),
        ("British", "united kingdom"),
        ("English", "england"),  # constituent countries keep their own key
        ("Scots", "scotland"),
        ("Soviet", "soviet union"),  # a dissolved state is not its successor
        ("Persian", "iran"),  # a renamed state keeps one key
        ("South Korean", "south korea"),
        ("St. Lucia", "saint lucia"),
        ("FRENCH", "france"),
    ],
)
def test_country_key(text: str, key: str) -> None:
    assert country_key(text) == key
    assert is_country_word(text)


@pytest.mark.parametrize("text", ["us", "Basque", "Jewish", "African", "Paris", "Congolese", ""])
def test_not_a_country(text: str) -> None:
    assert country_key(text) == ""


def test_every_table_entry_keys_to_its_country() -> None:
    countries = load_lexicon("countries")
    assert len(countries.entries) > 300
    for entry in countries.entries:
        assert countries.canonical[entry], entry


def test_occupation_lexicon() -> None:
    jobs = load_lexicon("occupations")
    assert jobs.lookup("Actress") == "actor" and jobs.lookup("actor") == "actor"
    assert jobs.lookup("civil  servant") == "civil servant"
    # kinship and role nouns are no occupations; offices held as work are (issue 13's gold)
    assert jobs.lookup("son") is None and jobs.lookup("member") is None
    assert jobs.lookup("President") == "president" and jobs.lookup("MP") == "member of parliament"
    for alias, canonical in jobs.canonical.items():
        assert alias in jobs.entries and canonical in jobs.entries, alias
