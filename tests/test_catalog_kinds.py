"""Pattern kinds are registered modules: the catalog, prefilter and extractor name none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from singleton_rate.extract import kinds as kinds_pkg
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.kinds import Kind, kinds, register

EXTRACT = Path(kinds_pkg.__file__).resolve().parent.parent


def test_one_module_per_kind() -> None:
    registered = kinds()
    modules = {p.stem for p in (EXTRACT / "kinds").glob("*.py") if p.stem != "__init__"}
    assert set(registered) == modules
    assert set(registered) == {
        "verb_arg",
        "lifespan",
        "copula",
        "verb_object",
        "hyphenated",
        "possessed",
    }
    for name, kind in registered.items():
        assert kind.match.__module__ == f"singleton_rate.extract.kinds.{name}"
    used = {p.kind for r in load_catalog().relations for p in r.patterns}
    assert used == set(registered)


def test_no_module_outside_kinds_names_a_kind() -> None:
    # Adding a kind must not mean editing the catalog, the prefilter or the extractor.
    for module in ("catalog.py", "prefilter.py", "extractor.py", "patterns.py"):
        text = (EXTRACT / module).read_text()
        for name in ("verb_arg", "lifespan", "verb_object", "hyphenated"):
            assert f'"{name}"' not in text, (module, name)


def test_a_kind_is_registered_once() -> None:
    copula = kinds()["copula"]
    assert register(copula) is copula
    with pytest.raises(ValueError, match="registered twice"):
        register(Kind("copula", copula.match, copula.values, copula.fields))


def test_loading_the_catalog_does_not_import_spacy() -> None:
    code = (
        "import sys\n"
        "from singleton_rate.extract.catalog import load_catalog\n"
        "load_catalog().fingerprint\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_new_kind_is_one_module_with_fields_of_its_own(tmp_path: Path) -> None:
    """A kind defined outside the shipped ones (as a new module would) works end to end:
    its own field is validated and read, the prefilter and extractor find it by name."""
    from singleton_rate.corpus import Document
    from singleton_rate.extract import kinds as registry
    from singleton_rate.extract.extractor import Extractor
    from singleton_rate.extract.model import resolve_model_name
    from singleton_rate.extract.patterns import Candidate, statement_status
    from singleton_rate.extract.subject import subject_token

    def match(view, pattern, value):
        # "X chose a motto: Y": the word ``skip`` tokens after the anchor is the value, the
        # subject the governing verb's
        for anchor in view.anchors(pattern.words):
            i = anchor.i + pattern.option("skip", 1)
            if i < view.sent.end:
                tok = view.sent.doc[i]
                verb = anchor
                while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
                    verb = verb.head
                subject, route = subject_token(verb)
                end = tok.idx + len(tok.text)
                status = statement_status(verb)
                yield Candidate(subject, route, tok.text, tok.idx, end, status, tok.lower_)

    def check(pattern, value_type, fail):
        if not isinstance(pattern.option("skip", 1), int):
            raise fail("skip must be an integer")

    kind = Kind("next_word", match, frozenset({"text"}), frozenset({"words", "skip"}), check)
    register(kind)
    try:
        mine = tmp_path / "mine.toml"
        mine.write_text(
            '[[relation]]\nname = "motto"\nversion = 1\nvalue = "text"\n'
            '[[relation.pattern]]\nid = "p"\nkind = "next_word"\nwords = ["motto"]\nskip = 2\n'
        )
        catalog = load_catalog([str(mine)])
        assert catalog.relation("motto").patterns[0].option("skip") == 2
        extractor = Extractor(catalog, resolve_model_name())
        doc = Document("d", "Ada Lovelace chose a motto: courage.", "Ada Lovelace", None, "t:1")
        [result] = extractor.extract([doc])
        got = {(m.entity, m.attribute, m.value) for m in result.mentions}
        assert ("ada lovelace", "motto", "courage") in got
        mine.write_text(mine.read_text().replace("skip = 2", 'skip = "two"'))
        from singleton_rate.extract.catalog import CatalogError

        with pytest.raises(CatalogError, match="pattern 'p': skip must be an integer"):
            load_catalog([str(mine)])
    finally:
        registry._KINDS.pop("next_word")
