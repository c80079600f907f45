"""The relation catalog: the shipped file loads, user files extend it, bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.catalog import CatalogError, load_catalog, parse_catalog
from pipeline.extract.prefilter import build_prefilter


def test_shipped_catalog() -> None:
    catalog = load_catalog()
    names = {r.name for r in catalog.relations}
    assert {"birth_date", "birth_place", "death_date", "death_place"} <= names
    for relation in catalog.relations:
        assert relation.versioned_name == f"{relation.name}_v{relation.version}"
        for pattern in relation.patterns:
            assert pattern.name.startswith(relation.versioned_name + "/")
    assert len(catalog.fingerprint) == 16
    assert load_catalog().fingerprint == catalog.fingerprint  # stable across loads


def test_user_file_adds_and_replaces(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        """
[[relation]]
name = "birth_place"
version = 2
subject = "PERSON"
value = "place"
  [[relation.pattern]]
  id = "born"
  kind = "verb_arg"
  words = ["born"]
  preps = ["in"]
"""
    )
    catalog = load_catalog([str(extra)])
    assert catalog.relation("birth_place").version == 2
    assert catalog.fingerprint != load_catalog().fingerprint
    assert str(extra) in catalog.sources


BAD = [
    ("not toml [", "not valid TOML"),
    ("x = 1", "has no [[relation]]"),
    ('[[relation]]\nname = "Bad Name"\nversion = 1\nvalue = "date"', "lower-case identifier"),
    ('[[relation]]\nname = "r"\nversion = 0\nvalue = "date"', "version must be a positive integer"),
    ('[[relation]]\nname = "r"\nversion = 1\nvalue = "colour"', "value must be one of"),
    ('[[relation]]\nname = "r"\nversion = 1\nvalue = "date"', "needs at least one"),
    (
        '[[relation]]\nname = "r"\nversion = 1\nvalue = "date"\n[[relation.pattern]]\nid = "p"\nkind = "regex"',
        "kind must be one of",
    ),
    (
        '[[relation]]\nname = "r"\nversion = 1\nvalue = "date"\n[[relation.pattern]]\nid = "p"\nkind = "verb_arg"\nwords = ["born"]',
        "needs preps or deps",
    ),
    (
        '[[relation]]\nname = "r"\nversion = 1\nvalue = "date"\n[[relation.pattern]]\nid = "p"\nkind = "verb_arg"\nwords = ["born"]\ndeps = ["nsubjx"]',
        "unknown dependency label",
    ),
    (
        '[[relation]]\nname = "r"\nversion = 1\nvalue = "place"\n[[relation.pattern]]\nid = "p"\nkind = "lifespan"\npart = 1',
        "lifespan patterns only yield dates",
    ),
    ('[[relation]]\nname = "r"\nversion = 1\nvalue = "date"\ncolour = 1', "unknown field"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_malformed_file_names_file_relation_and_problem(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        parse_catalog(text, "mine.toml")
    assert str(err.value).startswith("mine.toml")
    assert message in str(err.value)
    if "relation" in text and "has no" not in message and "TOML" not in message:
        assert "relation 'r'" in str(err.value) or "relation 'Bad Name'" in str(err.value)


def test_missing_user_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"nope\.toml: cannot read"):
        load_catalog([str(tmp_path / "nope.toml")])


@pytest.mark.parametrize(
    ("text", "could"),
    [
        ("She was born in Warsaw.", True),
        ("He DIED young.", True),
        ("Marie Curie (7 November 1867 – 4 July 1934) was a physicist.", True),
        ("The stillborn plan was shelved.", False),  # a word boundary, not a substring
        ("Nothing to see (really).", False),
        ("", False),
    ],
)
def test_prefilter(text: str, could: bool) -> None:
    assert build_prefilter(load_catalog())(text) is could
