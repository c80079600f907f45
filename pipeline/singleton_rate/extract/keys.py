"""Value keys by the catalog's value type, shared by the extractor and question scoring.

The extractor keys a value it found in a sentence; :mod:`singleton_rate.score` keys a value written
in a question (a benchmark's answer). Both must give the same key for the same value, or a
question about a fact the corpus states would be scored as unseen. Plain Python, no spaCy.
"""

from __future__ import annotations

import datetime
import re

from singleton_rate.extract.catalog import Relation
from singleton_rate.extract.countries import country_key
from singleton_rate.normalize import value_key

# A date key as the run writes it: "1867", "1867-11", "1867-11-07".
_DATE_KEY = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_DATE_PRECISION = {4: "year", 7: "month", 10: "day"}


def _is_date_key(text: str) -> bool:
    if not _DATE_KEY.match(text):
        return False
    if len(text) == 10:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return False  # 1867-02-30
    return True


def key_value(value_type: str, text: str) -> tuple[str, str] | None:
    """The key and precision of a value of ``value_type`` as written, or ``None``.

    Parameters
    ----------
    value_type : {"date", "place", "entity", "text", "country"}
        A catalog relation's value type.
    text : str
        The value as written (for ``text`` values from a lexicon, its canonical entry).

    Returns
    -------
    tuple of (str, str) or None
        ``(key, precision)``: for dates the ISO key at the text's precision
        (:func:`singleton_rate.normalize.value_key`), for countries ``(country key, "country")``
        (:func:`singleton_rate.extract.countries.country_key`), otherwise ``(key, value_type)``.
        ``None`` when the text does not make a value of that type.
    """
    if value_type == "country":
        key = country_key(text)
        return (key, "country") if key else None
    return value_key(value_type, text)


def written_value_key(relation: Relation, text: str) -> tuple[str, str] | None:
    """Key a value written outside a sentence (a question's answer) as a mention of it is keyed.

    A ``text`` value the extractor finds is a lexicon entry, keyed by its canonical entry
    ("actress" is keyed ``actor``); a written value is looked up the same way, as written and
    without a leading article, through the relation's patterns' ``nouns``. A date already
    written as a run's date key ("1867-11", which running text never states that way) is its
    own key. Other values are keyed as written (:func:`key_value`).

    Parameters
    ----------
    relation : Relation
        The catalog relation the value belongs to (its value type and patterns).
    text : str
        The value as written.

    Returns
    -------
    tuple of (str, str) or None
        As :func:`key_value`.
    """
    if relation.value == "date" and _is_date_key(text.strip()):
        return text.strip(), _DATE_PRECISION[len(text.strip())]
    if relation.value == "text":
        cleaned = value_key("text", text)
        for candidate in (text, cleaned[0] if cleaned else None):
            if not candidate:
                continue
            for pattern in relation.patterns:
                if pattern.nouns:
                    canonical = pattern.accepts_noun(candidate)
                    if canonical is not None:
                        return key_value("text", canonical)
    return key_value(relation.value, text)
