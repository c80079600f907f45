"""Country keys: "French", "France" and "the French Republic" are one nationality value.

The table is data (``relations/countries.toml``): each country's canonical name with its
other names, abbreviations and demonyms. :func:`country_key` keys the ``country`` value type
of the catalog; a word the table does not know is not a country, and keys to ``""``.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from singleton_rate.normalize import place_surface

TABLE_FILE = "relations/countries.toml"


@functools.cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(case-folded name → key, exact all-capital abbreviation → key)."""
    text = resources.files("singleton_rate.extract").joinpath(TABLE_FILE).read_text("utf-8")
    data = tomllib.loads(text)["countries"]
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    for name, others in data.items():
        key = place_surface(name).casefold()
        for surface in (name, *others):
            clean = place_surface(surface)
            letters = [c for c in clean if c.isalpha()]
            if len(letters) <= 4 and all(c.isupper() for c in letters):
                exact[clean] = key  # "US", "UK", "U.S.": only in capitals
            else:
                folded[clean.casefold()] = key
    return folded, exact


def country_key(text: str) -> str:
    """The key of the country ``text`` names, or ``""`` when it names none the table knows.

    Parameters
    ----------
    text : str
        A country name, abbreviation or demonym as written: "France", "French", "the
        Netherlands", "Dutch", "U.S.", "United States of America".

    Returns
    -------
    str
        The canonical name, case-folded: ``"france"``, ``"netherlands"``,
        ``"united states"``. ``""`` for anything else ("Basque", "us", "Paris").

    Notes
    -----
    The text is cleaned as a place name is (:func:`singleton_rate.normalize.place_surface`: edge
    punctuation, a leading "the", only the part before a comma), then looked up whole.
    Abbreviations in capitals ("US", "UK") match only in capitals.
    """
    clean = place_surface(text)
    if not clean:
        return ""
    folded, exact = _table()
    if clean in exact:
        return exact[clean]
    return folded.get(clean.casefold(), "")


def is_country_word(text: str) -> bool:
    """Whether ``text`` names a country the table knows (see :func:`country_key`)."""
    return bool(country_key(text))
