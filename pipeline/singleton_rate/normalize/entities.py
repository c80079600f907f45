"""Entity keys: one key per person or organisation however it is written (forms of address,
peerage titles, possessives, suffixes, spaced initials)."""

from __future__ import annotations

import re
import unicodedata

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

# Forms of address: stripped whenever a name follows, so "Dr. Curie" and "Curie" agree.
HONORIFIC = re.compile(
    r"^(?:dr|mr|mrs|ms|mx|miss|prof|professor)(?:\.\s*|\s+)(?=\S)", re.IGNORECASE
)
# Peerage and knighthood titles: stripped only before a full name (two or more words).
# "Sir Isaac Newton" is "isaac newton", but "Lord Byron", "Lord Kelvin" and "Lady Gaga" are
# the names those people are known by, and stripping would leave an ambiguous single word.
_PEERAGE = re.compile(r"^(?:sir|dame|lord|lady)\s+(?=\S+\s+\S)", re.IGNORECASE)
# "the Royal Society" mid-sentence and "The Royal Society" at the start of a title are one org.
LEADING_THE = re.compile(r"^the\s+(?=\S)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=\S)'s$", re.IGNORECASE)
# "Martin Luther King, Jr." and "Martin Luther King Jr." are one person.
_SUFFIX_COMMA = re.compile(r"\s*,\s*(?=(?:jr|sr|ii|iii|iv)\b)", re.IGNORECASE)
_SUFFIX_DOT = re.compile(r"\b(jr|sr)\.", re.IGNORECASE)
# "J. R. R. Tolkien" and "J.R.R. Tolkien" are both common; join spaced initials.
_SPACED_INITIAL = re.compile(r"\b([^\W\d_])\.\s+(?=[^\W\d_]\.)")


def _entity_surface_once(text: str) -> str:
    text = clean(text.replace("_", " "))
    text = _SUFFIX_COMMA.sub(" ", text)
    previous = None
    while text != previous:
        previous = text
        text = strip_edges(text)
        text = drop_trailing_paren(text)
        text = _POSSESSIVE.sub("", text)
        for prefix in (HONORIFIC, _PEERAGE, LEADING_THE):
            match = prefix.match(text)
            if one_word_remains(text, match):
                text = text[match.end() :]
    text = _SUFFIX_DOT.sub(r"\1", text)
    text = _SPACED_INITIAL.sub(r"\1.", text)
    text = expand_abbreviations(text)
    return WS.sub(" ", text).strip()


def _entity_key_once(text: str) -> str:
    return fold(_entity_surface_once(text))


def entity_key(text: str) -> str:
    """Equality key for a person or organisation name.

    Parameters
    ----------
    text : str
        A name as it appears in text or in a page title (``"Marie_Curie"``).

    Returns
    -------
    str
        The key, or ``""`` when nothing of a name is left (callers read ``""`` as "no
        entity").

    Notes
    -----
    NFKC; curly quotes/apostrophes and Unicode dashes to ASCII; underscores to spaces; all
    whitespace collapsed; a comma before a generational suffix (Jr, Sr, II, III, IV) dropped;
    then, repeated until nothing changes: footnote markers, trailing ``.,;:!?``,
    leading/trailing quotes, unmatched or enclosing brackets, a trailing parenthesised
    disambiguation (``"John Smith (footballer)"``), a possessive ``'s``, and leading titles and
    "the". Then ``Jr.``/``Sr.`` lose their dot, spaced initials are joined ("J. R. R." ->
    "J.R.R."), ``St``/``Ste``/``Mt``/``Ft`` before a word are spelt out, and the result is
    case-folded (``str.casefold``, so "Straße" is ``"strasse"``).

    Decisions:

    * Dr, Mr, Mrs, Ms, Mx, Miss, Prof, Professor are stripped whenever a word follows, so
      "Dr. Dre" is ``"dre"`` and "Dr Pepper" is ``"pepper"`` (consistently, so counts are
      still right).
    * Sir, Dame, Lord, Lady are stripped only before two or more words: "Sir Isaac Newton" is
      ``"isaac newton"`` but "Lord Byron" stays ``"lord byron"``.
    * Saint is *not* stripped: "Saint Peter" is not any Peter. "St." is spelt out instead so
      "St. Francis of Assisi" equals "Saint Francis of Assisi".
    * A leading "the" is dropped ("the Royal Society" == "Royal Society"), so "The Who" is
      ``"who"``.
    * Diacritics are kept: "Gödel" and "Godel" are different keys.

    The result is idempotent: ``entity_key(entity_key(x)) == entity_key(x)``.
    """
    return settle(_entity_key_once, text)


def title_entity(title: str) -> str:
    """Surface name of a document's main entity, taken from its title.

    Parameters
    ----------
    title : str
        A page title, e.g. ``"John_Smith_(footballer)"``.

    Returns
    -------
    str
        ``"John Smith"``: underscores become spaces, whitespace is collapsed and trailing
        parenthesised disambiguations are dropped (unless the title is nothing else). Case
        and spelling are kept (this is a display form; use :func:`entity_key` for
        comparison). Only canonical Unicode composition (NFC) is applied, so compatibility
        characters survive for display.
    """
    text = unicodedata.normalize("NFC", title).replace("_", " ")
    return settle(drop_trailing_paren, WS.sub(" ", text).strip())
