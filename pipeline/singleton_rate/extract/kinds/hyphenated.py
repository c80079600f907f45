"""The ``hyphenated`` kind: "a Lyon-born painter", "a Seattle-based company".

The name glued by a hyphen before an anchor in ``words`` is the value; the noun the compound
modifies names the subject. Fields: ``words``, ``labels``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from singleton_rate.extract.countries import country_key
from singleton_rate.extract.kinds import Kind, register
from singleton_rate.extract.patterns import (
    NOT_PLACE_LABELS,
    Candidate,
    SentenceView,
    _labels,
    entity_span,
)
from singleton_rate.extract.subject import COPULAR_VERBS, entity_at, predicate_subject

if TYPE_CHECKING:
    from singleton_rate.extract.catalog import Pattern, ValueType


def match_hyphenated(view: SentenceView, pattern: Pattern, value: ValueType) -> Iterator[Candidate]:
    """ "a Lyon-born painter", "the Seattle-based company": the name before the hyphen.

    The subject is the noun the compound modifies: a name itself ("Lyon-born Marie Dupont"),
    or a predicate noun that leads to one ("X is a Lyon-born painter").
    """
    doc = view.sent.doc
    for anchor in view.anchors(pattern.words):
        if anchor.i < 2 or doc[anchor.i - 1].text != "-":
            continue
        if doc[anchor.i - 2].whitespace_ or doc[anchor.i - 1].whitespace_:
            continue
        last = doc[anchor.i - 2]
        if not last.text[:1].isupper():
            continue
        ent = entity_at(last)
        if ent is not None and ent.end == last.i + 1:
            span = ent
        else:
            start = last.i
            while (
                start - 1 >= view.sent.start
                and doc[start - 1].text[:1].isupper()
                and doc[start - 1].pos_ == "PROPN"
                and doc[start - 1].whitespace_
            ):
                start -= 1
            span = doc[start : last.i + 1]
        if span.start > 0 and doc[span.start - 1].text == "-":
            continue  # "Franco-German-born"
        if (
            span.start >= 2
            and doc[span.start - 1].text == ","
            and doc[span.start - 2].ent_type_ in ("GPE", "LOC")
        ):
            # "a Seattle, Washington-based company": the place opens before the comma
            first = entity_at(doc[span.start - 2])
            if first is not None and first.start >= view.sent.start:
                span = doc[first.start : span.end]
        head = anchor.head
        if head == anchor or head.i < anchor.i:
            continue
        if head.pos_ == "PROPN" or head.ent_type_:
            subject, route = head, "modified_noun"
        else:
            pred = predicate_subject(head, COPULAR_VERBS, appositive=True)
            if pred is None:
                continue
            subject, route, _ = pred
        norm = None
        if value == "place":
            key = country_key(span.text)
            norm = key or None  # "German-born": born in Germany
            if not key and span.label_ in NOT_PLACE_LABELS:
                continue  # "Scouse-born": a people, not a place
        elif entity_span(last, _labels(pattern)) is None:
            continue
        yield Candidate(subject, route, span.text, span.start_char, span.end_char, "asserted", norm)


KIND = register(
    Kind(
        name="hyphenated",
        match=match_hyphenated,
        values=frozenset({"place", "entity"}),
        fields=frozenset({"words", "labels"}),
        coarse=True,  # "German-born" is a country, coarser than "born in Munich"
    )
)
