"""Every docstring example of the package runs, and gives what it says.

The estimators document their formulas with worked Examples (numpy style); a wrong example is
a wrong claim, so each module's examples are a test. None needs Spark (the few that would are
marked ``+SKIP`` where they stand).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import singleton_rate

MODULES = sorted(m.name for m in pkgutil.walk_packages(singleton_rate.__path__, "singleton_rate."))


def test_the_package_has_examples() -> None:
    # Guards the walk itself: a layout change that hid the modules would pass vacuously.
    examples = sum(
        len(t.examples)
        for name in MODULES
        for t in doctest.DocTestFinder().find(importlib.import_module(name))
    )
    assert len(MODULES) > 40 and examples > 200, (len(MODULES), examples)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed"
