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

The rooms: :mod:`.text` (shared clean-up), :mod:`.entities`, :mod:`.dates`, :mod:`.places`,
:mod:`.values` (keys by value type).
"""

from singleton_rate.normalize.dates import DateValue, find_dates, parse_date
from singleton_rate.normalize.entities import entity_key, title_entity
from singleton_rate.normalize.places import place_key, place_surface
from singleton_rate.normalize.values import value_key

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
