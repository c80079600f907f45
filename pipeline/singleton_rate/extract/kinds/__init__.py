"""Pattern kinds: one module each, registered by name (a kind is one module).

A kind module in this package declares a :class:`Kind`, with the fields of a pattern it
reads, the value types it can yield, its own checks of a pattern, and its interpreter, and
registers it with :func:`register`. Nothing else names the kind: the catalog's validation
(:mod:`singleton_rate.extract.catalog`), the extractor and the prefilter look it up here, so
adding a kind means adding a module (and documenting its fields in ``relations/core.toml``).
A field only the new kind reads needs no change elsewhere either: it is listed in the kind's
``fields``, kept in :attr:`Pattern.options <singleton_rate.extract.catalog.Pattern.options>`,
checked by the kind's ``check`` and read with ``pattern.option(name)``.

The modules are imported on first use (:func:`kinds`), so that loading the catalog, which
does not parse text, does not depend on import order; they import spaCy only for types.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from singleton_rate.extract.catalog import Pattern
    from singleton_rate.extract.patterns import Candidate, SentenceView

# The interpreter: a sentence, a pattern of the kind and the relation's value type in,
# the values found (with their subjects and statuses) out.
Matcher = Callable[["SentenceView", "Pattern", str], Iterator["Candidate"]]
# A kind's own checks of a parsed pattern: call ``fail(problem)`` (it raises) on a mistake.
Check = Callable[["Pattern", str, Callable[[str], Exception]], None]


def _no_check(pattern: Pattern, value_type: str, fail: Callable[[str], Exception]) -> None:
    return None


# A kind's own trigger groups for a pattern (word sets a sentence must each share a word
# with), or ``None`` to keep the catalog's (anchor words, and the nouns' last words).
Triggers = Callable[["Pattern"], "tuple[frozenset[str], ...] | None"]


def _no_triggers(pattern: Pattern) -> tuple[frozenset[str], ...] | None:
    return None


@dataclass(frozen=True, slots=True)
class Kind:
    """One pattern kind.

    ``fields`` are the pattern fields it reads besides ``id`` and ``kind`` (any other is an
    error); ``values`` the relation value types it can yield. An ``anchored`` kind fires on
    a sentence holding one of its ``words`` (which it then needs); one that is not fires on
    a parenthesis holding a digit (the lifespan), and the prefilter tests that instead. A
    ``coarse`` kind's place values may be a country read from a demonym ("Azerbaijani-born"):
    the extractor drops them when the sentence gives the same subject a named place.
    ``triggers`` may replace the catalog's trigger groups for a pattern whose own fields say
    what a sentence must hold (a copula with ``any_noun``: a country word, not a noun).
    """

    name: str
    match: Matcher
    values: frozenset[str]
    fields: frozenset[str]
    check: Check = _no_check
    anchored: bool = True
    coarse: bool = False
    triggers: Triggers = _no_triggers


_KINDS: dict[str, Kind] = {}
_loaded = False


def register(kind: Kind) -> Kind:
    """Add ``kind`` to the registry (a second kind of the same name is an error)."""
    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        raise ValueError(f"pattern kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, Kind]:
    """Every kind of this package, by name (its modules are imported on the first call)."""
    global _loaded
    if not _loaded:
        for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return _KINDS


def kind(name: str) -> Kind:
    """The registered kind ``name``; ``KeyError`` for an unknown one."""
    return kinds()[name]
