"""Shared text clean-up for every key: NFKC and typographic variants, whitespace, edge
punctuation and quotes, trailing brackets and citations, abbreviations, case folding."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# Typographic variants that NFKC leaves alone but that writers use interchangeably; ASCII is
# the canonical form so that "O’Brien" typed on a phone equals "O'Brien" typed on a keyboard.
# The ʻokina and modifier apostrophe are included because "Hawaiʻi" is routinely typed "Hawai'i".
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bb": "'",
        "\u02bc": "'",
        "\u2039": '"',
        "\u203a": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        # Invisible characters that survive copy-paste from web pages and would otherwise make
        # two visually identical names unequal. ZWJ/ZWNJ are kept: they change meaning in some
        # scripts.
        "\u00ad": None,
        "\u200b": None,
        "\u2060": None,
        "\ufeff": None,
    }
)

# In str patterns \s already covers NBSP, thin spaces, line/paragraph separators etc.
WS = re.compile(r"\s+")

# A trailing bracketed group: Wikipedia disambiguation "(footballer)" or life dates
# "(1867–1934)". Only one level of nesting is needed in practice.
_TRAILING_PAREN = re.compile(r"^(?P<head>.*?\S)\s*\((?:[^()]|\([^()]*\))*\)$")
# Footnote markers copied from rendered wiki pages: "Marie Curie[1]", "Paris[citation needed]".
_TRAILING_CITATION = re.compile(r"(?<=\S)\s*\[[^\[\]]*\]$")

# A wiki markup tag the dump left glued to a name: "Naudero.<ref name=x>", "Lyon<br />".
_TRAILING_MARKUP = re.compile(r"(?<=\S)\s*</?[A-Za-z][^<>]*>?$")
_TRAILING_PUNCT = re.compile(r"[\s.,;:!?]+$")
_LEADING_PUNCT = re.compile(r"^[\s,;:]+")
_EDGE_QUOTES = "\"'`"
# "D.C" after its final dot was taken as sentence punctuation: the dot is part of the name.
_OPEN_INITIALISM = re.compile(r"(?<!\S)(?:[^\W\d_]\.)+[^\W\d_]$")

# Abbreviations that are unambiguous before a following word. "St." before a word is Saint in
# names and places ("St. Louis", "St Helens", "St. Francis of Assisi"); the Street reading
# only occurs after a name ("Baker St."), where nothing follows.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
# The abbreviation must start a word after a space, bracket, quote, slash or hyphen: a plain
# \b would also fire after a combining mark, which case folding can create ("İ" -> "i̇"),
# and then a second pass would expand what the first did not.
_ABBREVIATION_RE = re.compile(
    r"(?<![^\s(\[\"'/-])(?P<abbr>st|ste|mt|ft)\b\.?\s*(?=[^\W\d_])", re.IGNORECASE
)

# Passes settle allows before giving up; real names settle in one or two.
_SETTLE_LIMIT = 8


def clean(text: str) -> str:
    """NFKC, ASCII quotes/dashes, no invisible characters, single spaces, stripped."""
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    return WS.sub(" ", text).strip()


def drop_trailing_paren(text: str) -> str:
    """Drop one trailing ``(...)`` group, unless it is all there is."""
    match = _TRAILING_PAREN.match(text)
    return match.group("head") if match else text


def _strip_trailing_punct(text: str) -> str:
    stripped = _TRAILING_PUNCT.sub("", text)
    if stripped != text and _OPEN_INITIALISM.search(stripped):
        stripped += "."
    return stripped


def _strip_unmatched_brackets(text: str) -> str:
    for opening, closing in ("()", "[]", "{}"):
        if text.endswith(closing) and text.count(opening) < text.count(closing):
            text = text[:-1]
        if text.startswith(opening) and text.count(opening) > text.count(closing):
            text = text[1:]
    return text


def _enclosed(text: str, opening: str, closing: str) -> bool:
    """Whether the first character's bracket is closed by the last character."""
    if len(text) < 2 or text[0] != opening or text[-1] != closing:
        return False
    depth = 0
    for index, char in enumerate(text):
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index == len(text) - 1
    return False


def strip_edges(text: str) -> str:
    """Remove sentence debris around a name until nothing more comes off."""
    previous = None
    while text != previous:
        previous = text
        text = _TRAILING_CITATION.sub("", text)
        text = _TRAILING_MARKUP.sub("", text)
        text = _strip_trailing_punct(text)
        text = _LEADING_PUNCT.sub("", text)
        text = text.strip(_EDGE_QUOTES + " ")
        text = _strip_unmatched_brackets(text).strip()
        # A whole name in brackets is an aside around a name, not a disambiguation.
        for opening, closing in ("()", "[]", "{}"):
            if _enclosed(text, opening, closing):
                text = text[1:-1].strip()
    return text


def _expand_abbreviation(match: re.Match[str]) -> str:
    abbr = match.group("abbr")
    full = _ABBREVIATIONS[abbr.casefold()]
    if abbr.isupper() and len(abbr) > 1:
        full = full.upper()
    elif abbr[0].isupper():
        full = full.capitalize()
    return full + " "


def expand_abbreviations(text: str) -> str:
    # Glued abbreviations ("St.Ste.") need a second pass: the first expansion consumed the
    # character the next one looks behind at. Expansions never create new abbreviations.
    previous = None
    while text != previous:
        previous = text
        text = _ABBREVIATION_RE.sub(_expand_abbreviation, text)
    return text


def settle(step: Callable[[str], str], text: str) -> str:
    """Apply ``step`` until the text stops changing, which makes the result idempotent.

    One application almost always suffices; the rest exist for interactions between rules,
    e.g. case folding "İ" to "i" plus a combining dot, which opens a word boundary that a
    rule then sees on the next pass. The bound only guards against a rule pair that would
    oscillate; none is known.
    """
    for _ in range(_SETTLE_LIMIT):
        again = step(text)
        if again == text:
            break
        text = again
    return text


def fold(text: str) -> str:
    """Case-fold for comparison.

    NFKC is applied again afterwards because folding can leave a string that is no longer in
    normal form, which would break idempotence.
    """
    return unicodedata.normalize("NFKC", text.casefold())


def one_word_remains(text: str, prefix: re.Match[str] | None) -> bool:
    return prefix is not None and bool(text[prefix.end() :].strip())
