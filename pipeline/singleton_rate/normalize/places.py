"""Place keys and surfaces: "St. Petersburg, Russia" and "Saint Petersburg" agree."""

from __future__ import annotations

from singleton_rate.normalize.entities import LEADING_THE
from singleton_rate.normalize.text import (
    WS,
    clean,
    drop_trailing_paren,
    expand_abbreviations,
    fold,
    one_word_remains,
    settle,
    strip_edges,
)


def place_surface_once(text: str) -> str:
    previous = None
    surface = clean(text.replace("_", " "))
    while surface != previous:
        previous = surface
        surface = strip_edges(surface)
        surface = drop_trailing_paren(surface)
        surface = surface.split(",", 1)[0].strip()
        match = LEADING_THE.match(surface)
        if one_word_remains(surface, match):
            surface = surface[match.end() :]
    surface = expand_abbreviations(surface)
    return WS.sub(" ", surface).strip()


def place_surface(text: str) -> str:
    """Canonical display form of a place name.

    Parameters
    ----------
    text : str
        A place as written: "Warsaw, Poland", "St. Petersburg", "the Netherlands".

    Returns
    -------
    str
        ``"Warsaw"``, ``"Saint Petersburg"``, ``"Netherlands"``; ``""`` if nothing is left.
        Same rules as :func:`place_key` but not case-folded: for ordinary names
        ``place_key(x) == place_surface(x).casefold()``. (Folding can itself change a key,
        e.g. "İ" gains a combining dot, so the key is settled separately.)

    Notes
    -----
    Only the most specific part, before the first comma, is kept, because "Warsaw" and
    "Warsaw, Poland" must be one key and text mostly qualifies a place only the first time it
    names it. Without a gazetteer there is no way to tell a qualifier that disambiguates from
    one that merely informs, so "Paris, Texas" collapses with "Paris" and "Washington, D.C."
    with the state. Merging the rare same-name places was judged cheaper than splitting
    every well-known place into as many keys as it has qualifiers.

    A trailing parenthesised disambiguation is dropped for the same reason ("Georgia
    (country)" is "Georgia"). A leading "the" is dropped whatever its case, so "the
    Netherlands" is "Netherlands" and "The Hague" is "Hague": checking for a capitalised
    remainder would make already-lowercase input disagree with itself. "St."/"St", "Ste.",
    "Mt."/"Mt" and "Ft."/"Ft" before a word become "Saint", "Sainte", "Mount", "Fort".
    No other expansion: "New York City" and "New York" stay different, and diacritics are
    kept ("Kraków" is not "Krakow").
    """
    return settle(place_surface_once, text)


def _place_key_once(text: str) -> str:
    return fold(place_surface_once(text))


def place_key(text: str) -> str:
    """Equality key for a place: :func:`place_surface`, case-folded.

    Parameters
    ----------
    text : str
        A place as written.

    Returns
    -------
    str
        E.g. ``"warsaw"`` for "Warsaw, Poland"; ``""`` when nothing is left. See
        :func:`place_surface` for the rules and the comma trade-off.
    """
    return settle(_place_key_once, text)
