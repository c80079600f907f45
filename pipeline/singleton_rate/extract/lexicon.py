"""Word lists the catalog's patterns name with ``@``: ``nouns = ["@occupations"]``.

Lexicons are data shipped beside the catalog (``relations/occupations.toml``,
``relations/countries.toml``). A pattern that names one accepts a slot only when the words in
it are an entry; the prefilter requires one of the entry's words in the text.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from singleton_rate.extract.countries import TABLE_FILE as COUNTRIES_FILE
from singleton_rate.extract.countries import country_key

OCCUPATIONS_FILE = "relations/occupations.toml"
LEXICONS: tuple[str, ...] = ("occupations", "countries")
_WORD_SPLIT = re.compile(r"[\s\-]+")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Entries (lower-case, single-spaced) and the value each entry is keyed as."""

    name: str
    entries: frozenset[str]
    canonical: dict[str, str]  # entry → the entry whose key it shares ("actress" → "actor")
    max_words: int

    @property
    def words(self) -> frozenset[str]:
        """Every word of every entry, lower-case: a text holding an entry holds one of these."""
        return frozenset(w for e in self.entries for w in _WORD_SPLIT.split(e) if w)

    def lookup(self, text: str) -> str | None:
        """The canonical entry ``text`` is (case-insensitive), or ``None``.

        Countries are looked up by :func:`~singleton_rate.extract.countries.country_key`, which
        matches capital abbreviations ("US") only in capitals.
        """
        if self.name == "countries":
            return country_key(text) or None
        key = " ".join(text.lower().split())
        if key in self.entries:
            return self.canonical.get(key, key)
        return None


def _read(path: str) -> str:
    return resources.files("singleton_rate.extract").joinpath(path).read_text("utf-8")


@functools.cache
def load_lexicon(name: str) -> Lexicon:
    """The shipped lexicon ``name`` (one of :data:`LEXICONS`).

    Parameters
    ----------
    name : str
        ``"occupations"`` or ``"countries"``.

    Returns
    -------
    Lexicon
        For ``countries`` every name, abbreviation and demonym of the country table, each
        canonical as its country key.

    Raises
    ------
    KeyError
        For any other name.
    """
    if name == "occupations":
        data = tomllib.loads(_read(OCCUPATIONS_FILE))
        entries = frozenset(" ".join(w.lower().split()) for w in data["words"])
        canonical = {k.lower(): v.lower() for k, v in data.get("aliases", {}).items()}
    elif name == "countries":
        data = tomllib.loads(_read(COUNTRIES_FILE))["countries"]
        surfaces = [s for country, others in data.items() for s in (country, *others)]
        entries = frozenset(" ".join(s.lower().split()) for s in surfaces)
        canonical = {e: country_key(e) or e for e in entries}
    else:
        raise KeyError(name)
    max_words = max(len(e.split()) for e in entries)
    return Lexicon(name=name, entries=entries, canonical=canonical, max_words=max_words)
