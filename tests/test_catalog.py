"""The relation catalog: the shipped file loads, user files extend it, bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from singleton_rate.extract.catalog import CatalogError, load_catalog, parse_catalog
from singleton_rate.extract.prefilter import build_prefilter


def test_shipped_catalog() -> None:
    catalog = load_catalog()
    names = {r.name for r in catalog.relations}
    assert {"birth_date", "birth_place", "death_date", "death_place"} <= names
    assert {
        "nationality",
        "occupation",
        "employer",
        "educated_at",
        "spouse",
        "founded",
        "founder",
        "headquarters",
    } <= names
    kinds = {p.kind for r in catalog.relations for p in r.patterns}
    assert kinds == {"verb_arg", "lifespan", "copula", "verb_object", "hyphenated", "possessed"}
    assert catalog.relation("founded").subject == "ORG"
    assert catalog.relation("nationality").value == "country"
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
version = 9
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
    assert catalog.relation("birth_place").version == 9
    assert catalog.fingerprint != load_catalog().fingerprint
    assert str(extra) in catalog.sources


REL = '[[relation]]\nname = "r"\nversion = 1\nvalue = "{value}"\n'
PAT = '[[relation.pattern]]\nid = "p"\nkind = "{kind}"\n'


def rel(value: str, kind: str, body: str = "") -> str:
    """A one-relation, one-pattern file: the pattern's kind plus ``body`` fields."""
    return REL.format(value=value) + PAT.format(kind=kind) + body


BAD = [
    ("not toml [", "not valid TOML"),
    ("x = 1", "has no [[relation]]"),
    ('[[relation]]\nname = "Bad Name"\nversion = 1\nvalue = "date"', "lower-case identifier"),
    ('[[relation]]\nname = "r"\nversion = 0\nvalue = "date"', "version must be a positive integer"),
    ('[[relation]]\nname = "r"\nversion = 1\nvalue = "colour"', "value must be one of"),
    ('[[relation]]\nname = "r"\nversion = 1\nvalue = "date"', "needs at least one"),
    ('[[relation]]\nname = "r"\nversion = 1\nvalue = "date"\nsubject = "CITY"', "subject must be"),
    (rel("date", "regex"), "kind must be one of"),
    (rel("date", "verb_arg", 'words = ["born"]'), "needs preps or deps"),
    (rel("date", "verb_arg", 'preps = ["in"]'), "verb_arg needs words"),
    (rel("entity", "verb_arg", 'words = ["co-founded"]\npreps = ["by"]'), "single tokens"),
    (rel("entity", "verb_arg", 'words = ["set up"]\npreps = ["by"]'), "single tokens"),
    (rel("date", "verb_arg", 'words = ["born"]\ndeps = ["nsubjx"]'), "unknown dependency label"),
    (rel("entity", "lifespan", "part = 1"), "lifespan patterns yield"),
    (rel("date", "lifespan", "part = 3"), "part must be 1 or 2"),
    (rel("date", "lifespan", 'part = 1\nwords = ["born"]'), "unknown field(s) ['words']"),
    ('[[relation]]\nname = "r"\nversion = 1\nvalue = "date"\ncolour = 1', "unknown field"),
    (
        rel("date", "verb_arg", 'words = ["born"]\npreps = ["in"]\nvoice = "middle"'),
        "voice must be",
    ),
    (
        rel("date", "verb_arg", 'words = ["founded"]\npreps = ["in"]\nsubject_role = "object"'),
        "needs voice 'active'",
    ),
    (rel("text", "copula", 'words = ["is"]'), "copula needs nouns"),
    (rel("text", "copula", 'words = ["is"]\nnouns = ["@jobs"]'), "unknown lexicon '@jobs'"),
    (rel("place", "copula", 'words = ["is"]\nnouns = ["native"]\ntake = "prep"'), "needs preps"),
    (rel("text", "copula", 'words = ["is"]\nnouns = ["x"]\ntake = "sideways"'), "take must be"),
    (rel("date", "copula", 'words = ["is"]\nnouns = ["x"]'), "copula patterns yield"),
    (rel("place", "copula", 'words = ["is"]\nnouns = ["x"]'), "take 'noun' yields"),
    (rel("entity", "copula", 'words = ["is"]\nnouns = ["x"]\ntake = "modifier"'), "needs labels"),
    (
        rel(
            "entity",
            "copula",
            'words = ["is"]\nnouns = ["x"]\ntake = "modifier"\nlabels = ["BANK"]',
        ),
        "unknown entity label",
    ),
    (rel("text", "copula", 'words = ["is"]\nnouns = ["x"]\nappositive = "yes"'), "true or false"),
    (rel("text", "copula", 'words = ["is"]\nnouns = ["x"]\nnot_before = ["y"]'), "not_before"),
    (rel("date", "verb_object", 'words = ["married"]'), "verb_object patterns yield"),
    (rel("entity", "verb_object", 'words = ["wed"]\nvalue_role = "both"'), "value_role must"),
    (rel("date", "hyphenated", 'words = ["born"]'), "hyphenated patterns yield"),
    (rel("place", "hyphenated", 'words = ["born"]\npreps = ["in"]'), "unknown field(s) ['preps']"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m for _, m in BAD])
def test_malformed_file_names_file_relation_and_problem(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        parse_catalog(text, "mine.toml")
    assert str(err.value).startswith("mine.toml")
    assert message in str(err.value)
    if "relation" in text and "has no" not in message and "TOML" not in message:
        assert "relation 'r'" in str(err.value) or "relation 'Bad Name'" in str(err.value)
    if "[[relation.pattern]]" in text and "kind must" not in message:
        assert "pattern 'p'" in str(err.value)


def test_missing_user_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"nope\.toml: cannot read"):
        load_catalog([str(tmp_path / "nope.toml")])


@pytest.mark.parametrize(
    ("text", "could"),
    [
        ("She was born in Warsaw.", True),
        ("He DIED young.", True),
        ("Marie Curie (7 November 1867 – 4 July 1934) was a physicist.", True),
        ("Tom Hanks (9 July 1956 – ) is an actor.", True),
        ("The stillborn plan was shelved.", False),  # a word boundary, not a substring
        ("Nothing to see (really).", False),
        ("She was a famous person.", False),  # a copula, but no predicate noun of a pattern
        ("", False),
    ],
)
def test_prefilter(text: str, could: bool) -> None:
    assert build_prefilter(load_catalog())(text) is could


# One sentence per pattern kind that the kind's interpreter matches (tests/test_extract.py
# checks the facts): the prefilter must let each through, and each pattern's trigger groups
# must be satisfied by the sentence's words.
KIND_EXAMPLES = {
    "verb_arg": ("born", "She was born in Warsaw."),
    "lifespan": ("lifespan", "Marie Curie (7 November 1867 – 4 July 1934) was a physicist."),
    "copula": ("copula", "She was a French physicist."),
    "verb_object": ("married", "He married Rita Wilson in 1988."),
    "hyphenated": ("hyphen_born", "He is a Concord-born actor."),
}


@pytest.mark.parametrize("kind", sorted(KIND_EXAMPLES))
def test_prefilter_lets_every_kind_through(kind: str) -> None:
    pid, text = KIND_EXAMPLES[kind]
    catalog = load_catalog()
    pattern = next(p for r in catalog.relations for p in r.patterns if p.name.endswith("/" + pid))
    assert pattern.kind == kind
    assert build_prefilter(catalog)(text)
    words = {w.strip(".,()").lower() for w in text.split()} | {"born"}
    for group in pattern.trigger_groups:
        assert group & words, (pattern.name, sorted(group)[:5])


def test_prefilter_of_a_lexicon_pattern_needs_a_lexicon_word(tmp_path: Path) -> None:
    mine = tmp_path / "jobs.toml"
    mine.write_text(
        rel("text", "copula", 'words = ["was"]\nnouns = ["@occupations"]').replace(
            'name = "r"', 'name = "job_only"'
        )
    )
    catalog = load_catalog([str(mine)])
    only = catalog.relation("job_only")
    could = build_prefilter(type(catalog)(name="x", version=1, relations=(only,), sources=("x",)))
    assert could("He was a singer-songwriter.")
    assert not could("He was a famous man.")


def test_pattern_accepts_lexicon_nouns() -> None:
    pattern = load_catalog().relation("occupation").patterns[0]
    assert pattern.accepts_noun("Actress") == "actor"
    assert pattern.accepts_noun("film director") == "film director"
    assert pattern.accepts_noun("son") is None
    assert "songwriter" in pattern.noun_heads and "singer" in pattern.noun_words
