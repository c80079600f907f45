"""Input → key tables for :mod:`singleton_rate.normalize`, with the negatives that must stay apart."""

from __future__ import annotations

import dataclasses
import itertools
import unicodedata

import pytest

from singleton_rate.normalize import (
    DateValue,
    entity_key,
    find_dates,
    parse_date,
    place_key,
    place_surface,
    title_entity,
    value_key,
)

NBSP = "\u00a0"
GODEL_NFC = unicodedata.normalize("NFC", "Gödel")
GODEL_NFD = unicodedata.normalize("NFD", "Gödel")

# --------------------------------------------------------------------------------------------
# entity_key
# --------------------------------------------------------------------------------------------

ENTITY_CASES = [
    # case, whitespace, trailing punctuation
    ("Marie Curie", "marie curie"),
    ("marie  curie,", "marie curie"),
    ("MARIE CURIE.", "marie curie"),
    (f"Marie{NBSP}Curie", "marie curie"),
    ("Marie\n\tCurie ", "marie curie"),
    ("Marie Curie;:!?", "marie curie"),
    # Wikipedia titles and disambiguation
    ("Marie_Curie", "marie curie"),
    ("John Smith (footballer)", "john smith"),
    ("John_Smith_(footballer, born 1950)", "john smith"),
    ("Marie Curie (1867–1934)", "marie curie"),
    ("Marie Curie[1]", "marie curie"),
    ("Marie Curie [citation needed]", "marie curie"),
    # honorifics and titles
    ("Dr. Marie Curie", "marie curie"),
    ("Dr Marie Curie", "marie curie"),
    ("dr. marie curie", "marie curie"),
    ("Mrs. Curie", "curie"),
    ("Ms Curie", "curie"),
    ("Miss Marple", "marple"),
    ("Prof. Dr. Albert Einstein", "albert einstein"),
    ("Professor Albert Einstein", "albert einstein"),
    ("Sir Isaac Newton", "isaac newton"),
    ("Dame Judi Dench", "judi dench"),
    ("Lady Ada Lovelace", "ada lovelace"),
    ("Lord Byron", "lord byron"),
    ("Lady Gaga", "lady gaga"),
    ("Dr.", "dr"),
    ("Drew Barrymore", "drew barrymore"),
    ("Missy Elliott", "missy elliott"),
    ("Mr", "mr"),
    # Saint is spelt out, never stripped
    ("St. Francis of Assisi", "saint francis of assisi"),
    ("Saint Francis of Assisi", "saint francis of assisi"),
    ("Saint Peter", "saint peter"),
    # possessives, quotes, brackets
    ("Marie Curie's", "marie curie"),
    ("Marie Curie’s", "marie curie"),
    ("Dr. Marie Curie's.", "marie curie"),
    ("“Marie Curie”", "marie curie"),
    ('"Marie Curie",', "marie curie"),
    ("'Marie Curie'", "marie curie"),
    ("Marie Curie)", "marie curie"),
    ("(Marie Curie", "marie curie"),
    ("(Marie Curie)", "marie curie"),
    ('Ernesto "Che" Guevara', 'ernesto "che" guevara'),
    ("O’Brien", "o'brien"),
    ("O'Brien", "o'brien"),
    ("O‘Brien's", "o'brien"),
    # dashes
    ("Jean–Paul Sartre", "jean-paul sartre"),
    ("Jean—Paul Sartre", "jean-paul sartre"),
    # generational suffixes
    ("Martin Luther King, Jr.", "martin luther king jr"),
    ("Martin Luther King Jr.", "martin luther king jr"),
    ("Martin Luther King Jr.'s", "martin luther king jr"),
    ("Henry VIII", "henry viii"),
    ("Pope John Paul II", "pope john paul ii"),
    ("Ken Griffey, Sr.", "ken griffey sr"),
    # initials
    ("J. R. R. Tolkien", "j.r.r. tolkien"),
    ("J.R.R. Tolkien", "j.r.r. tolkien"),
    ("Franklin D. Roosevelt", "franklin d. roosevelt"),
    # organisations
    ("the Royal Society", "royal society"),
    ("The Royal Society", "royal society"),
    ("Washington D.C.", "washington d.c."),
    # Unicode
    (GODEL_NFC, "gödel"),
    (GODEL_NFD, "gödel"),
    ("Straße", "strasse"),
    ("Ｍａｒｉｅ Ｃｕｒｉｅ", "marie curie"),
    ("Marie\u200bCurie", "mariecurie"),
    # nothing left
    ("", ""),
    ("   ", ""),
    ("...", ""),
    ("''", ""),
]


@pytest.mark.parametrize(("text", "expected"), ENTITY_CASES)
def test_entity_key(text: str, expected: str) -> None:
    assert entity_key(text) == expected


SAME_ENTITY = [
    ("Marie Curie", "marie  curie,"),
    ("Marie_Curie", "Dr. Marie Curie's"),
    (GODEL_NFC, GODEL_NFD),
    ("O’Brien", "O'Brien"),
    ("Martin Luther King, Jr.", "Martin Luther King Jr."),
    ("J. R. R. Tolkien", "J.R.R. Tolkien"),
    ("St. Francis of Assisi", "Saint Francis of Assisi"),
    (f"Marie{NBSP}Curie", "Marie Curie"),
]


@pytest.mark.parametrize(("left", "right"), SAME_ENTITY)
def test_entity_spellings_collapse(left: str, right: str) -> None:
    assert entity_key(left) == entity_key(right)


DIFFERENT_ENTITY = [
    ("Marie Curie", "Pierre Curie"),
    ("Saint Peter", "Peter"),
    ("Lord Byron", "Byron"),
    ("Gödel", "Godel"),
    ("Martin Luther King Jr.", "Martin Luther King Sr."),
    ("Henry VIII", "Henry VII"),
    ("John Smith", "John Smithson"),
]


@pytest.mark.parametrize(("left", "right"), DIFFERENT_ENTITY)
def test_entity_keys_stay_apart(left: str, right: str) -> None:
    assert entity_key(left) != entity_key(right)


# --------------------------------------------------------------------------------------------
# title_entity
# --------------------------------------------------------------------------------------------

TITLE_CASES = [
    ("Marie_Curie", "Marie Curie"),
    ("John_Smith_(footballer)", "John Smith"),
    ("  New   York_City ", "New York City"),
    ("Mercury (planet)", "Mercury"),
    ("(disambiguation)", "(disambiguation)"),
    (GODEL_NFD, GODEL_NFC),
    ("The_Beatles", "The Beatles"),
]


@pytest.mark.parametrize(("title", "expected"), TITLE_CASES)
def test_title_entity(title: str, expected: str) -> None:
    assert title_entity(title) == expected


# --------------------------------------------------------------------------------------------
# parse_date
# --------------------------------------------------------------------------------------------

DAY = DateValue("1867-11-07", "day")
MONTH = DateValue("1867-11", "month")
YEAR = DateValue("1867", "year")
YEAR_APPROX = DateValue("1867", "year", approximate=True)

DATE_CASES = [
    ("7 November 1867", DAY),
    ("November 7, 1867", DAY),
    ("7 Nov. 1867", DAY),
    ("7 Nov 1867", DAY),
    ("Nov 7 1867", DAY),
    ("Nov. 7, 1867", DAY),
    ("7th November 1867", DAY),
    ("November 7th, 1867", DAY),
    ("the 7th of November 1867", DAY),
    ("The 7th of November, 1867", DAY),
    ("on 7 November 1867", DAY),
    ("7 NOVEMBER 1867", DAY),
    ("7 november 1867.", DAY),
    (f"7{NBSP}November{NBSP}1867", DAY),
    ("１８６７-１１-０７", DAY),
    ("1867-11-07", DAY),
    ("(7 November 1867)", DAY),
    ("November 1867", MONTH),
    ("Nov. 1867", MONTH),
    ("in November 1867", MONTH),
    ("November of 1867", MONTH),
    ("1867", YEAR),
    ("in 1867", YEAR),
    ("in the year 1867", YEAR),
    ("1867 AD", YEAR),
    ("AD 1867", YEAR),
    ("c. 1867", YEAR_APPROX),
    ("c.1867", YEAR_APPROX),
    ("ca. 1867", YEAR_APPROX),
    ("circa 1867", YEAR_APPROX),
    ("Circa 1867", YEAR_APPROX),
    ("around 1867", YEAR_APPROX),
    ("early 1867", YEAR_APPROX),
    ("around 7 November 1867", DateValue("1867-11-07", "day", approximate=True)),
    ("Sept. 1867", DateValue("1867-09", "month")),
    ("Sept 3, 1867", DateValue("1867-09-03", "day")),
    ("Sep 3 1867", DateValue("1867-09-03", "day")),
    ("September 3rd, 1867", DateValue("1867-09-03", "day")),
    ("1st May 1867", DateValue("1867-05-01", "day")),
    ("22nd June 1867", DateValue("1867-06-22", "day")),
    ("May 1867", DateValue("1867-05", "month")),
    ("29 February 2000", DateValue("2000-02-29", "day")),
    ("25 December 800", DateValue("0800-12-25", "day")),
    ("867", DateValue("0867", "year")),
    ("2100", DateValue("2100", "year")),
    ("1867, 1867", YEAR),
    # negatives
    ("1860s", None),
    ("the 1860's", None),
    ("500 BC", None),
    ("7 November 1867 BC", None),
    ("44 BCE", None),
    ("31 February 1900", None),
    ("29 February 1900", None),
    ("31 April 1867", None),
    ("0 November 1867", None),
    ("2101", None),
    ("9999", None),
    ("0", None),
    ("12", None),
    ("1867–1934", None),
    ("1867 or 1868", None),
    ("7 November 1867 and 8 November 1867", None),
    ("1867 (7 November 1867)", None),
    ("before 1867", None),
    ("after 1867", None),
    ("1867 km", None),
    ("$1867", None),
    ("November 7", None),
    ("7 November", None),
    ("November", None),
    ("Novembre 1867", None),
    ("1867.5", None),
    ("18670", None),
    ("07/11/1867", None),
    ("", None),
    ("yesterday", None),
]


@pytest.mark.parametrize(("text", "expected"), DATE_CASES)
def test_parse_date(text: str, expected: DateValue | None) -> None:
    assert parse_date(text) == expected


SAME_DATE = [
    "7 November 1867",
    "November 7, 1867",
    "7 Nov. 1867",
    "Nov 7 1867",
    "on 7 November 1867",
    "7th November 1867",
    "November 7th, 1867",
    "the 7th of November 1867",
    "1867-11-07",
]


def test_day_spellings_are_one_key() -> None:
    assert {value_key("date", text) for text in SAME_DATE} == {("1867-11-07", "day")}


def test_date_value_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        YEAR.iso = "1868"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# find_dates
# --------------------------------------------------------------------------------------------


def _found(text: str) -> list[tuple[str, str, str]]:
    """Matched substrings with their keys: readable, and checks the spans at the same time."""
    return [(text[start:end], value.iso, value.precision) for start, end, value in find_dates(text)]


FIND_CASES = [
    (
        "Born on 7 November 1867 in Warsaw, she moved in 1891.",
        [("7 November 1867", "1867-11-07", "day"), ("1891", "1891", "year")],
    ),
    (
        "Curie (7 November 1867 – 4 July 1934) was a physicist.",
        [("7 November 1867", "1867-11-07", "day"), ("4 July 1934", "1934-07-04", "day")],
    ),
    ("In November 1867 it snowed.", [("November 1867", "1867-11", "month")]),
    ("on November 7, 1867, at noon", [("November 7, 1867", "1867-11-07", "day")]),
    ("on the 7th of November 1867", [("the 7th of November 1867", "1867-11-07", "day")]),
    ("published c. 1867 in Paris", [("c. 1867", "1867", "year")]),
    ("between 1867 and 1871", [("1867", "1867", "year"), ("1871", "1871", "year")]),
    ("from 1867–1934", [("1867", "1867", "year"), ("1934", "1934", "year")]),
    ("dated 1867-11-07.", [("1867-11-07", "1867-11-07", "day")]),
    # bare numbers that are not years
    ("a road of 1867 km", []),
    ("a height of 1867 m above sea level", []),
    ("rising 1867 feet", []),
    ("a town of 1867 people", []),
    ("turnout was 1867%", []),
    ("it cost $1867", []),
    ("it cost £1867 or €1900", []),
    ("see page 1867", []),
    ("locomotive No. 1867", []),
    ("a population of 18670", []),
    ("pi is 3.1415 or 1867.5", []),
    ("in the 1860s", []),
    ("in 867 they sailed", []),
    ("in 2500 it ends", []),
    ("founded 500 BC", []),
    ("it was 31 February 1900", []),
    ("November 7 was cold", []),
    # a count or an initial that is not a unit word is still a year
    ("in 1867 M. Dupont arrived", [("1867", "1867", "year")]),
    ("on 7 May 1867 people gathered", [("7 May 1867", "1867-05-07", "day")]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_dates(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _found(text) == expected


def test_find_dates_spans_are_in_the_original_text() -> None:
    text = f"Curie’s birthday:{NBSP}7{NBSP}Nov.{NBSP}1867; died 1934."
    spans = [(start, end) for start, end, _ in find_dates(text)]
    assert [text[start:end] for start, end in spans] == [f"7{NBSP}Nov.{NBSP}1867", "1934"]
    assert spans == sorted(spans)
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


ROUND_TRIP_TEXTS = [text for text, _ in FIND_CASES] + [
    "born c. 1867, approx. 1870, ca. 1871 and A.D. 1900; on the 1st of May, 1867",
    "from about 1867 to around 7 Nov. 1934 AD",
]


@pytest.mark.parametrize("text", ROUND_TRIP_TEXTS)
def test_found_spans_parse_to_the_same_value(text: str) -> None:
    # Extractors key the span find_dates gave them with parse_date (via value_key).
    for start, end, value in find_dates(text):
        assert parse_date(text[start:end]) == value


def test_find_dates_marks_hedged_dates_approximate() -> None:
    [(_, _, hedged), (_, _, plain)] = find_dates("born circa 1867, died 1934")
    assert hedged == YEAR_APPROX
    assert plain == DateValue("1934", "year")


# --------------------------------------------------------------------------------------------
# place_key / place_surface
# --------------------------------------------------------------------------------------------

PLACE_CASES = [
    ("Warsaw", "Warsaw", "warsaw"),
    ("Warsaw, Poland", "Warsaw", "warsaw"),
    ("warsaw,poland", "warsaw", "warsaw"),
    ("Paris, France", "Paris", "paris"),
    ("Paris, Texas", "Paris", "paris"),
    ("Paris.", "Paris", "paris"),
    ("“Paris”", "Paris", "paris"),
    ("St. Petersburg", "Saint Petersburg", "saint petersburg"),
    ("St Petersburg, Russia", "Saint Petersburg", "saint petersburg"),
    ("Saint Petersburg", "Saint Petersburg", "saint petersburg"),
    ("st. louis", "saint louis", "saint louis"),
    ("Sault Ste. Marie", "Sault Sainte Marie", "sault sainte marie"),
    ("Mt. Everest", "Mount Everest", "mount everest"),
    ("Mt Everest", "Mount Everest", "mount everest"),
    ("Ft. Worth, Texas", "Fort Worth", "fort worth"),
    ("the Netherlands", "Netherlands", "netherlands"),
    ("The Netherlands", "Netherlands", "netherlands"),
    ("The Hague", "Hague", "hague"),
    ("New York City", "New York City", "new york city"),
    ("New York", "New York", "new york"),
    ("Georgia (country)", "Georgia", "georgia"),
    ("Washington, D.C.", "Washington", "washington"),
    ("Rio_de_Janeiro", "Rio de Janeiro", "rio de janeiro"),
    (f"Kraków{NBSP}", "Kraków", "kraków"),
    (unicodedata.normalize("NFD", "Kraków"), "Kraków", "kraków"),
    ("Baker St.", "Baker St", "baker st"),
    ("Naudero.<ref name=x>", "Naudero", "naudero"),  # markup the dump left glued on
    ("Lyon<br />", "Lyon", "lyon"),
    ("", "", ""),
    (", Poland", "Poland", "poland"),
    (" , ", "", ""),
]


@pytest.mark.parametrize(("text", "surface", "key"), PLACE_CASES)
def test_place(text: str, surface: str, key: str) -> None:
    assert place_surface(text) == surface
    assert place_key(text) == key


DIFFERENT_PLACE = [
    ("New York City", "New York"),
    ("Kraków", "Krakow"),
    ("Saint Petersburg", "Petersburg"),
    ("Mount Vernon", "Vernon"),
]


@pytest.mark.parametrize(("left", "right"), DIFFERENT_PLACE)
def test_place_keys_stay_apart(left: str, right: str) -> None:
    assert place_key(left) != place_key(right)


# --------------------------------------------------------------------------------------------
# value_key
# --------------------------------------------------------------------------------------------

VALUE_CASES = [
    ("date", "7 November 1867", ("1867-11-07", "day")),
    ("date", "c. 1867", ("1867", "year")),
    ("date", "November 1867", ("1867-11", "month")),
    ("date", "1860s", None),
    ("date", "Warsaw", None),
    ("place", "Warsaw, Poland", ("warsaw", "place")),
    ("place", "  ", None),
    ("entity", "Dr. Marie Curie's", ("marie curie", "entity")),
    ("entity", "the University of Paris", ("university of paris", "entity")),
    ("entity", "...", None),
    ("text", "a physicist", ("physicist", "text")),
    ("text", "A  Physicist.", ("physicist", "text")),
    ("text", "an   engineer", ("engineer", "text")),
    ("text", "the chemist", ("chemist", "text")),
    ("text", f"Nobel{NBSP}laureate", ("nobel laureate", "text")),
    ("text", "theoretical physicist", ("theoretical physicist", "text")),
    ("text", "anthropologist", ("anthropologist", "text")),
    ("text", "a", ("a", "text")),
    ("text", "", None),
]


@pytest.mark.parametrize(("value_type", "text", "expected"), VALUE_CASES)
def test_value_key(value_type: str, text: str, expected: tuple[str, str] | None) -> None:
    assert value_key(value_type, text) == expected


def test_value_key_rejects_unknown_type() -> None:
    with pytest.raises(ValueError, match="'colour'"):
        value_key("colour", "red")


# --------------------------------------------------------------------------------------------
# Idempotence: a key normalises to itself
# --------------------------------------------------------------------------------------------

ENTITY_INPUTS = [text for text, _ in ENTITY_CASES] + [text for pair in SAME_ENTITY for text in pair]
PLACE_INPUTS = [text for text, _, _ in PLACE_CASES]


@pytest.mark.parametrize("text", ENTITY_INPUTS)
def test_entity_key_is_idempotent(text: str) -> None:
    key = entity_key(text)
    assert entity_key(key) == key


@pytest.mark.parametrize("text", PLACE_INPUTS)
def test_place_functions_are_idempotent(text: str) -> None:
    key = place_key(text)
    surface = place_surface(text)
    assert place_key(key) == key
    assert place_surface(surface) == surface
    assert place_key(surface) == key


@pytest.mark.parametrize("text", [text for text, _ in TITLE_CASES])
def test_title_entity_is_idempotent(text: str) -> None:
    surface = title_entity(text)
    # "(disambiguation)" alone stays, so a second pass does not eat a real name.
    assert title_entity(surface) == surface


@pytest.mark.parametrize(("value_type", "text", "expected"), VALUE_CASES)
def test_text_and_name_value_keys_are_idempotent(
    value_type: str, text: str, expected: tuple[str, str] | None
) -> None:
    if expected is None or value_type == "date":
        return
    assert value_key(value_type, expected[0]) == expected


@pytest.mark.parametrize("text", SAME_DATE)
def test_date_iso_reparses_to_itself(text: str) -> None:
    value = parse_date(text)
    assert value is not None
    assert parse_date(value.iso) == value
