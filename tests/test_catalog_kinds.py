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
    assert set(registered) == {"verb_arg", "lifespan", "copula", "verb_object", "hyphenated"}
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
