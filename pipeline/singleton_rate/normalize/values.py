"""Value keys by value type: dates, places, countries and text, as the catalog types them."""

from __future__ import annotations

import re

from singleton_rate.normalize.dates import parse_date
from singleton_rate.normalize.entities import entity_key
from singleton_rate.normalize.places import place_key
from singleton_rate.normalize.text import clean, fold, settle, strip_edges

LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+(?=\S)", re.IGNORECASE)


def text_key_once(text: str) -> str:
    return fold(LEADING_ARTICLE.sub("", strip_edges(clean(text))))


VALUE_TYPES = ("date", "place", "entity", "text")


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
        key = settle(text_key_once, text)
    else:
        raise ValueError(f"unknown value_type {value_type!r}; expected one of {VALUE_TYPES}")
    return (key, value_type) if key else None
