"""Named word lists, and what the catalog's fingerprint and the manifest's code version cover."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from singleton_rate.extract import provenance
from singleton_rate.extract.catalog import CatalogError, load_catalog, parse_catalog
from singleton_rate.extract.provenance import code_version, source_digest
from singleton_rate.extract.words import shipped_word_lists, word_list

PACKAGE = Path(provenance.__file__).resolve().parent.parent
MINE = """
[words]
fathered = ["fathered", "sired"]

[[relation]]
name = "child"
version = 1
subject = "PERSON"
value = "entity"
  [[relation.pattern]]
  id = "fathered"
  kind = "verb_object"
  words = ["@fathered", "begat"]
  labels = ["PERSON"]

  [[relation.pattern]]
  id = "parent_of"
  kind = "copula"
  words = ["@copula", "@copular_verbs"]
  nouns = ["father", "mother"]
  take = "prep"
  preps = ["of"]
  labels = ["PERSON"]
"""


def test_user_lists_and_shipped_lists_expand_in_place(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(MINE)
    child = load_catalog([str(mine)]).relation("child")
    fathered, parent_of = child.patterns
    assert fathered.words == ("fathered", "sired", "begat")
    # core.toml's "copula", then words.toml's "copular_verbs", duplicates dropped
    copula = load_catalog().relation("occupation").patterns[0].words
    assert parent_of.words[: len(copula)] == copula
    assert set(parent_of.words) == set(copula) | word_list("copular_verbs")
    assert len(parent_of.words) == len(set(parent_of.words))


def test_core_names_its_copula_once() -> None:
    catalog = load_catalog()
    copula = ("is", "was", "been", "became", "becomes", "become", "remained")
    users = [p.name for r in catalog.relations for p in r.patterns if p.words[:7] == copula]
    assert len(users) >= 6  # nationality, occupation, employer, founder patterns
    text = (PACKAGE / "extract/relations/core.toml").read_text()
    assert text.count('"is", "was", "been", "became", "becomes", "become", "remained"') == 1


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ('["@nope"]', "unknown lexicon '@nope' or word list"),
        ('["@occupations"]', "only read in nouns"),
    ],
)
def test_bad_list_reference_is_named(words: str, message: str) -> None:
    text = MINE.replace('words = ["@fathered", "begat"]', f"words = {words}")
    with pytest.raises(CatalogError, match=message) as err:
        parse_catalog(text, "mine.toml")
    assert str(err.value).startswith("mine.toml: relation 'child': pattern 'fathered'")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('hedges = ["allegedly"]', "would shadow a shipped list"),
        ('occupations = ["x"]', "would shadow a shipped list"),
        ("empty = []", "non-empty list"),
        ('Bad = ["x"]', "lower-case identifier"),
    ],
)
def test_bad_word_table_is_named(table: str, message: str) -> None:
    text = MINE.replace('fathered = ["fathered", "sired"]', table)
    with pytest.raises(CatalogError, match=message) as err:
        parse_catalog(text, "mine.toml")
    assert str(err.value).startswith("mine.toml")


def test_interpreter_lists_are_shipped_data() -> None:
    from singleton_rate.extract import patterns, sentences, subject

    lists = shipped_word_lists()
    assert frozenset(lists["hedges"]) == patterns.HEDGES and "allegedly" in patterns.HEDGES
    assert {"not", "never", "n't"} == patterns.NEGATIONS
    assert frozenset(lists["kin_nouns"]) == subject.KIN_NOUNS and "father" in subject.KIN_NOUNS
    assert frozenset(lists["place_heads"]) == patterns.PLACE_HEAD_NOUNS
    assert frozenset(lists["abbreviations"]) == sentences.ABBREVIATIONS
    with pytest.raises(KeyError, match="no word list 'hedgez'"):
        word_list("hedgez")


def _copy_package(tmp_path: Path) -> Path:
    root = tmp_path / "singleton_rate"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_extraction_digest_covers_code_and_every_word_list(tmp_path: Path) -> None:
    root = _copy_package(tmp_path)
    parts = provenance.EXTRACTION_SOURCES
    before = source_digest(root, parts)
    assert before == source_digest(PACKAGE, parts)
    for rel in (
        "extract/relations/words.toml",
        "extract/relations/occupations.toml",
        "extract/relations/countries.toml",
        "extract/relations/core.toml",
        "extract/subject.py",
        "normalize/dates.py",
    ):
        path = root / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert source_digest(root, parts) != before, rel
        path.write_bytes(original)
    assert source_digest(root, parts) == before
    (root / "report.py").write_text("# not extraction\n")
    assert source_digest(root, parts) == before


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_code_version_is_the_commit_only_when_clean(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("no git")
    root = _copy_package(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    assert code_version.__wrapped__(root) == f"git:{_git(tmp_path, 'rev-parse', 'HEAD')}"
    (root / "extract/relations/words.toml").write_text("[words]\n")
    dirty = code_version.__wrapped__(root)
    assert dirty == f"source:{source_digest(root)}"
    shutil.rmtree(tmp_path / ".git")
    assert code_version.__wrapped__(root) == dirty  # not a checkout: the same source hash
