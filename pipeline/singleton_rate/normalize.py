"""Canonical keys for fact parts, so that one fact is counted under one key.

Extractors see the same fact written many ways: "Marie Curie" and "marie  curie,",
"7 November 1867" and "November 7, 1867", "Warsaw" and "Warsaw, Poland". Counting compares
keys for equality, so every surface form of one fact must map to one key, while the surfaces
themselves are kept beside the keys elsewhere for display.

The functions here are pure and use only the standard library. They are deliberately
conservative: a rule that merges two different facts corrupts the counts silently, whereas a
rule that fails to merge two spellings only splits one count in two. Where the two risks
conflict the trade-off is stated in the docstring of the function that makes it.

Keys are not meant to be read by people: ``entity_key("Dr. Marie Curie's")`` is
``"marie curie"``, ``place_key("St. Petersburg, Russia")`` is ``"saint petersburg"``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DateValue",
    "entity_key",
    "find_dates",
    "parse_date",
    "place_key",
    "place_surface",
    "title_entity",
    "value_key",
]

# --------------------------------------------------------------------------------------------
# Shared text clean-up
# --------------------------------------------------------------------------------------------

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
_WS = re.compile(r"\s+")

# A trailing bracketed group: Wikipedia disambiguation "(footballer)" or life dates
# "(1867–1934)". Only one level of nesting is needed in practice.
_TRAILING_PAREN = re.compile(r"^(?P<head>.*?\S)\s*\((?:[^()]|\([^()]*\))*\)$")
# Footnote markers copied from rendered wiki pages: "Marie Curie[1]", "Paris[citation needed]".
_TRAILING_CITATION = re.compile(r"(?<=\S)\s*\[[^\[\]]*\]$")

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

# Passes _settle allows before giving up; real names settle in one or two.
_SETTLE_LIMIT = 8


def _clean(text: str) -> str:
    """NFKC, ASCII quotes/dashes, no invisible characters, single spaces, stripped."""
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    return _WS.sub(" ", text).strip()


def _drop_trailing_paren(text: str) -> str:
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


def _strip_edges(text: str) -> str:
    """Remove sentence debris around a name until nothing more comes off."""
    previous = None
    while text != previous:
        previous = text
        text = _TRAILING_CITATION.sub("", text)
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


def _expand_abbreviations(text: str) -> str:
    # Glued abbreviations ("St.Ste.") need a second pass: the first expansion consumed the
    # character the next one looks behind at. Expansions never create new abbreviations.
    previous = None
    while text != previous:
        previous = text
        text = _ABBREVIATION_RE.sub(_expand_abbreviation, text)
    return text


def _settle(step: Callable[[str], str], text: str) -> str:
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


def _fold(text: str) -> str:
    """Case-fold for comparison.

    NFKC is applied again afterwards because folding can leave a string that is no longer in
    normal form, which would break idempotence.
    """
    return unicodedata.normalize("NFKC", text.casefold())


def _one_word_remains(text: str, prefix: re.Match[str] | None) -> bool:
    return prefix is not None and bool(text[prefix.end() :].strip())


# --------------------------------------------------------------------------------------------
# Entities
# --------------------------------------------------------------------------------------------

# Forms of address: stripped whenever a name follows, so "Dr. Curie" and "Curie" agree.
_HONORIFIC = re.compile(
    r"^(?:dr|mr|mrs|ms|mx|miss|prof|professor)(?:\.\s*|\s+)(?=\S)", re.IGNORECASE
)
# Peerage and knighthood titles: stripped only before a full name (two or more words).
# "Sir Isaac Newton" is "isaac newton", but "Lord Byron", "Lord Kelvin" and "Lady Gaga" are
# the names those people are known by, and stripping would leave an ambiguous single word.
_PEERAGE = re.compile(r"^(?:sir|dame|lord|lady)\s+(?=\S+\s+\S)", re.IGNORECASE)
# "the Royal Society" mid-sentence and "The Royal Society" at the start of a title are one org.
_LEADING_THE = re.compile(r"^the\s+(?=\S)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=\S)'s$", re.IGNORECASE)
# "Martin Luther King, Jr." and "Martin Luther King Jr." are one person.
_SUFFIX_COMMA = re.compile(r"\s*,\s*(?=(?:jr|sr|ii|iii|iv)\b)", re.IGNORECASE)
_SUFFIX_DOT = re.compile(r"\b(jr|sr)\.", re.IGNORECASE)
# "J. R. R. Tolkien" and "J.R.R. Tolkien" are both common; join spaced initials.
_SPACED_INITIAL = re.compile(r"\b([^\W\d_])\.\s+(?=[^\W\d_]\.)")


def _entity_surface_once(text: str) -> str:
    text = _clean(text.replace("_", " "))
    text = _SUFFIX_COMMA.sub(" ", text)
    previous = None
    while text != previous:
        previous = text
        text = _strip_edges(text)
        text = _drop_trailing_paren(text)
        text = _POSSESSIVE.sub("", text)
        for prefix in (_HONORIFIC, _PEERAGE, _LEADING_THE):
            match = prefix.match(text)
            if _one_word_remains(text, match):
                text = text[match.end() :]
    text = _SUFFIX_DOT.sub(r"\1", text)
    text = _SPACED_INITIAL.sub(r"\1.", text)
    text = _expand_abbreviations(text)
    return _WS.sub(" ", text).strip()


def _entity_key_once(text: str) -> str:
    return _fold(_entity_surface_once(text))


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
    return _settle(_entity_key_once, text)


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
    return _settle(_drop_trailing_paren, _WS.sub(" ", text).strip())


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateValue:
    """A calendar date at the precision the text gave.

    Attributes
    ----------
    iso : str
        ``"1867"``, ``"1867-11"`` or ``"1867-11-07"`` (years zero-padded to four digits).
    precision : {"year", "month", "day"}
        How much of ``iso`` the text stated.
    approximate : bool
        The text hedged the date ("c. 1867", "circa", "around", "early 1867"). Not part of
        :func:`value_key`: "c. 1867" and "1867" are counted as the same fact.
    """

    iso: str
    precision: Literal["year", "month", "day"]
    approximate: bool = False


_MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_ALTERNATIVES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:tember|t)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)


def _month(group: str) -> str:
    # "Marchand" or "Mayor" must not start a month.
    return rf"\b(?P<{group}>{_MONTH_ALTERNATIVES})(?![^\W\d_])\.?"


def _day(group: str) -> str:
    # Not part of a longer number ("12.7 November") and not glued to a word.
    return rf"(?<![\w.,])(?P<{group}>[0-9]{{1,2}})(?:st|nd|rd|th)?(?!\w)"


def _year(group: str) -> str:
    # Not the start of a longer number ("1867.5", "1,8670"), a decade ("1860s", "1860's")
    # or a word ("1867th").
    return rf"(?P<{group}>[0-9]{{3,4}})(?![0-9]|[.,][0-9]|[^\W\d_]|['’]s\b)"


# Alternatives are tried in order at each position, longest form first, so "7 November 1867"
# is one day-precision match rather than a year match inside it. Era markers are uppercase
# only: "ad" and "ce" are ordinary words in lowercase.
_DATE_RE = re.compile(
    rf"""
    (?:(?P<approx>\b(?:circa|ca\.|c\.|approx\.|approximately|around|about))\s*)?
    (?:
        (?<![0-9])(?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{2}})-(?P<id>[0-9]{{2}})(?![0-9])
      | (?:\bthe\s+)?{_day("d1")}\s+(?:of\s+)?{_month("m1")},?\s+{_year("y1")}
      | {_month("m2")}\s+{_day("d2")}(?:\s*,\s*|\s+){_year("y2")}
      | {_month("m3")}(?:,|\s+of)?\s+{_year("y3")}
      | (?:(?-i:AD|A\.D\.)\s+)?(?<!\w)(?<![0-9][.,]){_year("y4")}
    )
    (?:\s*(?P<era>(?-i:B\.C\.E\.|B\.C\.|BCE|BC|A\.D\.|AD|C\.E\.|CE))(?![^\W\d_]))?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_MIN_YEAR, _MAX_YEAR = 1, 2100
_MIN_BARE_YEAR = 1000

# A bare number right after one of these is an amount or a reference, not a year.
_NUMBER_SIGNS = ("$", "£", "€", "¥", "₹", "#", "№", "§")
_NUMBER_WORDS = frozenset(
    {"page", "pages", "p.", "pp.", "no.", "nos.", "number", "vol.", "volume", "chapter", "ch."}
)
# A bare number right before one of these is a quantity. Symbols are case-sensitive ("M." is an
# initial, "m" is metres); words are compared case-folded.
_UNIT_SYMBOLS = frozenset({"m", "km", "cm", "mm", "ft", "mi", "kg", "lb", "lbs", "%", "m²", "km²"})
_UNIT_WORDS = frozenset(
    {
        "metre",
        "metres",
        "meter",
        "meters",
        "kilometre",
        "kilometres",
        "kilometer",
        "kilometers",
        "foot",
        "feet",
        "mile",
        "miles",
        "people",
        "persons",
        "inhabitants",
        "residents",
        "men",
        "soldiers",
        "troops",
        "votes",
        "members",
        "students",
        "employees",
        "copies",
        "tonnes",
        "tons",
        "percent",
        "per",
        "years",
        "hours",
        "times",
    }
)
_CONTEXT_WINDOW = 24
_LAST_TOKEN = re.compile(r"(\S+)$")
_NEXT_TOKEN = re.compile(r"\s*(%|[^\W\d_]+)")

_APPROX_WORDS = frozenset(
    {"c", "ca", "circa", "about", "around", "approx", "approximately", "roughly"}
    | {"early", "mid", "late"}
)
# Words a date value may carry without changing its meaning. "before", "after", "until",
# "since", "by", "or", "and" are deliberately absent: "before 1867" is not 1867.
_FILLER_WORDS = frozenset({"on", "in", "the", "of", "year", "during", "at", "sometime"})
_FILLER_PUNCT = frozenset(".,;:()[]-'\"")
_RESIDUE_TOKEN = re.compile(r"[^\W\d_]+|[0-9]+|\S")


def _month_number(name: str) -> int:
    # Every accepted spelling starts with its three-letter abbreviation ("Sept" -> "sep").
    return _MONTH_NUMBERS[name[:3].casefold()]


def _bare_year_in_context(text: str, match: re.Match[str]) -> bool:
    """Whether a lone number reads as a year given the words around it."""
    # A bounded window: slicing everything before the match would make a long text
    # quadratic, and the longest reference word is far shorter.
    before = text[max(0, match.start() - _CONTEXT_WINDOW) : match.start()].rstrip()
    if before.endswith(_NUMBER_SIGNS):
        return False
    last = _LAST_TOKEN.search(before)
    if last and last.group(1).casefold() in _NUMBER_WORDS:
        return False
    following = _NEXT_TOKEN.match(text, match.end())
    if following:
        word = following.group(1)
        if word in _UNIT_SYMBOLS or word.casefold() in _UNIT_WORDS:
            return False
    return True


def _date_value(text: str, match: re.Match[str], *, whole_value: bool) -> DateValue | None:
    era = match.group("era")
    if era and era.startswith("B"):
        # Proleptic negative years have no agreed ISO spelling yet in this pipeline.
        return None
    approximate = match.group("approx") is not None
    groups = match.groupdict()
    month: int | None
    day: int | None
    if groups["iy"]:
        year, month, day = int(groups["iy"]), int(groups["im"]), int(groups["id"])
    elif groups["d1"]:
        year, month, day = int(groups["y1"]), _month_number(groups["m1"]), int(groups["d1"])
    elif groups["d2"]:
        year, month, day = int(groups["y2"]), _month_number(groups["m2"]), int(groups["d2"])
    elif groups["m3"]:
        year, month, day = int(groups["y3"]), _month_number(groups["m3"]), None
    else:
        digits = groups["y4"]
        year, month, day = int(digits), None, None
        if not whole_value and (
            len(digits) != 4 or year < _MIN_BARE_YEAR or not _bare_year_in_context(text, match)
        ):
            return None

    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    if month is None:
        return DateValue(f"{year:04d}", "year", approximate)
    if day is None:
        if not 1 <= month <= 12:
            return None
        return DateValue(f"{year:04d}-{month:02d}", "month", approximate)
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    return DateValue(date.isoformat(), "day", approximate)


def _scan_dates(text: str, *, whole_value: bool) -> list[tuple[int, int, DateValue]]:
    found = []
    for match in _DATE_RE.finditer(text):
        value = _date_value(text, match, whole_value=whole_value)
        if value is not None:
            found.append((match.start(), match.end(), value))
    return found


def find_dates(text: str) -> list[tuple[int, int, DateValue]]:
    """Every date expression in a longer text, with its character span.

    Parameters
    ----------
    text : str
        Any text, e.g. a clause an extractor is looking at. Not normalised first, so spans
        index into ``text`` exactly.

    Returns
    -------
    list of (int, int, DateValue)
        ``(start, end, value)`` left to right, non-overlapping. At each position the longest
        form wins: day-month-year, then month-year, then year. A hedging word ("c.", "circa",
        "around", "about", "approximately") directly before a date is part of its span and
        sets ``approximate``.

    Notes
    -----
    A bare number is taken as a year only when it has four ASCII digits, lies in 1000..2100,
    is not part of a longer number or a decade ("1860s"), is not preceded by a currency or
    reference sign or word ("$", "£", "€", "#", "page", "p.", "No.", "vol.") and is not
    followed by a unit or count word ("km", "m", "feet", "%", "people", "votes", "years", ...).

    Known limits:

    * Any other count is still read as a year: "he had 1867 books" yields 1867, and "about
      1848" in "a book about 1848" is marked approximate. Only the word lists above filter.
    * A year with a month attached may have three digits ("25 December 800"), so "on 7 May
      120 soldiers" reads as a date in the year 120.
    * An invalid date ("31 February 1900") is consumed and yields nothing, rather than falling
      back to "February 1900".
    * BC/BCE dates are skipped. Years below 100, day ranges ("7–8 November 1867" gives only
      the year), numeric dates other than ISO ("07/11/1867" is ambiguous between day-first
      and month-first), "1867-11" (reads as a season range) and non-ASCII digits are not
      recognised.
    * Dates are taken as written; Julian/Gregorian (Old/New Style) are not reconciled.
    """
    return _scan_dates(text, whole_value=False)


def parse_date(text: str) -> DateValue | None:
    """The single date a value text states, at the precision it states it.

    Parameters
    ----------
    text : str
        A date value: "7 November 1867", "November 7th, 1867", "the 7th of November 1867",
        "Nov. 1867", "in 1867", "1867-11-07", "c. 1867", ...

    Returns
    -------
    DateValue or None
        ``None`` when the text holds no date, an invalid one ("31 February 1900"), a year
        outside 1..2100, a decade ("1860s"), a BC/BCE date (not supported yet: the pipeline
        has no negative-year key), two different dates ("1867–1934"), or words other than
        harmless ones around the date ("before 1867" is not 1867).

    Notes
    -----
    The text is NFKC-normalised first, so full-width digits and odd spaces are fine. Words
    tolerated around the date: "on", "in", "the", "of", "year", "during", "at", "sometime";
    hedges ("c.", "ca.", "circa", "about", "around", "approximately", "roughly", "early",
    "mid", "late") are tolerated and set ``approximate``. Unlike :func:`find_dates`, a whole
    value may be a three-digit year ("867" is year 867). The same date stated twice is fine;
    the same date at two precisions ("1867 (7 November 1867)") counts as two dates.
    """
    cleaned = _clean(text)
    found = _scan_dates(cleaned, whole_value=True)
    if not found:
        return None
    if len({(value.iso, value.precision) for _, _, value in found}) != 1:
        return None

    approximate = any(value.approximate for _, _, value in found)
    residue: list[str] = []
    position = 0
    for start, end, _ in found:
        residue.append(cleaned[position:start])
        position = end
    residue.append(cleaned[position:])
    for token in _RESIDUE_TOKEN.findall(" ".join(residue)):
        word = token.casefold()
        if word in _APPROX_WORDS:
            approximate = True
        elif word not in _FILLER_WORDS and word not in _FILLER_PUNCT:
            return None

    value = found[0][2]
    return DateValue(value.iso, value.precision, approximate)


# --------------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------------


def _place_surface_once(text: str) -> str:
    previous = None
    surface = _clean(text.replace("_", " "))
    while surface != previous:
        previous = surface
        surface = _strip_edges(surface)
        surface = _drop_trailing_paren(surface)
        surface = surface.split(",", 1)[0].strip()
        match = _LEADING_THE.match(surface)
        if _one_word_remains(surface, match):
            surface = surface[match.end() :]
    surface = _expand_abbreviations(surface)
    return _WS.sub(" ", surface).strip()


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
    return _settle(_place_surface_once, text)


def _place_key_once(text: str) -> str:
    return _fold(_place_surface_once(text))


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
    return _settle(_place_key_once, text)


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+(?=\S)", re.IGNORECASE)


def _text_key_once(text: str) -> str:
    return _fold(_LEADING_ARTICLE.sub("", _strip_edges(_clean(text))))


_VALUE_TYPES = ("date", "place", "entity", "text")


def value_key(value_type: str, text: str) -> tuple[str, str] | None:
    """Key for the value of a fact, by the kind of value the attribute takes.

    Parameters
    ----------
    value_type : {"date", "place", "entity", "text"}
        ``"entity"`` is a person or organisation; ``"text"`` is free text such as an
        occupation.
    text : str
        The value as written.

    Returns
    -------
    tuple of (str, str) or None
        ``(iso, precision)`` for dates (``approximate`` is dropped), ``(key, "place")``,
        ``(key, "entity")`` or ``(key, "text")``; ``None`` when the text does not make a
        valid value (no date, an empty key).

    Raises
    ------
    ValueError
        For any other ``value_type``.

    Notes
    -----
    A text key is NFKC, ASCII quotes and dashes, whitespace collapsed, trailing punctuation,
    edge quotes and footnote markers removed, leading articles "a", "an", "the" removed, then
    case-folded: "a Physicist." and "physicist" are one key.
    """
    if value_type == "date":
        date = parse_date(text)
        return None if date is None else (date.iso, date.precision)
    if value_type == "place":
        key = place_key(text)
    elif value_type == "entity":
        key = entity_key(text)
    elif value_type == "text":
        key = _settle(_text_key_once, text)
    else:
        raise ValueError(f"unknown value_type {value_type!r}; expected one of {_VALUE_TYPES}")
    return (key, value_type) if key else None
