"""Date values and keys: a written date parsed to ISO at its precision (year, month, day), and
the dates found in a text, with the context rules that tell a year from an amount."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from singleton_rate.normalize.text import clean


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
    cleaned = clean(text)
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
