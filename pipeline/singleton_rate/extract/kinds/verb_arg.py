"""The ``verb_arg`` kind: an anchor word whose value hangs off it in the parse.

Through a preposition in ``preps`` ("born in Lyon", "founded by Jobs": ``by`` is the passive
agent) or directly through a dependency in ``deps`` ("born 7 May 1900"); the subject is the
anchor's grammatical subject, the noun it modifies, or the name before a parenthesis it opens.
Fields: ``words``, ``preps``, ``deps``, ``voice``, ``subject_role``, ``nouns``, ``labels``
(documented in ``relations/core.toml``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from singleton_rate.extract.catalog import KNOWN_DEPS, VALUE_TYPES
from singleton_rate.extract.kinds import Kind, register
from singleton_rate.extract.patterns import (
    NOT_PLACE_LABELS,
    Candidate,
    SentenceView,
    _pobj,
    _regions,
    _value_candidates,
    doc_text,
    is_passive,
    place_span,
    statement_status,
)
from singleton_rate.extract.subject import entity_at, paren_open, subject_token
from singleton_rate.extract.words import word_list
from singleton_rate.normalize import DateValue

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from singleton_rate.extract.catalog import Pattern, ValueType


def _bare_place(window: Span, dates: list[tuple[int, int, DateValue]], base: int) -> Span | None:
    """A place beside the window's first date without a preposition.

    "(born 1974, Gloucester)", "(b. June 1972, London)": the name right after the date; or
    "(b. Baghdad 1938)": a place the NER labels as one right before it (a bare name there is
    more often a birth name: "(born Kevin Marvelli; 1961)").
    """
    doc = window.doc
    for start, end, _ in dates:
        s, e = start + base, end + base
        if not window.start_char <= s < window.end_char:
            continue
        first = window[0]
        if first.ent_iob_ == "B" and first.idx < s:
            ent = entity_at(first)
            if ent is not None and ent.label_ in ("GPE", "LOC", "FAC") and ent.end_char <= s:
                gap = doc_text(doc)[ent.end_char : s]
                if not gap.strip(" ,"):
                    return ent
        i = next((t.i for t in window if t.idx >= e), None)
        while i is not None and i < window.end and doc[i].text == ",":
            i += 1
        if i is None or i >= window.end:
            return None
        tok = doc[i]
        if tok.ent_iob_ == "B":
            ent = entity_at(tok)
            if ent is not None and ent.label_ not in NOT_PLACE_LABELS and ent.end <= window.end:
                return ent
        if tok.pos_ == "PROPN" and tok.is_title:
            j = i
            while j + 1 < window.end and doc[j + 1].pos_ == "PROPN" and doc[j + 1].is_title:
                j += 1
            return doc[i : j + 1]
        return None
    return None


def _where_place(anchor: Token) -> Span | None:
    """ "Canning, Ontario, where Gretzky was born": the place the relative clause hangs on."""
    where = next((c for c in anchor.children if c.lower_ == "where" and c.dep_ == "advmod"), None)
    if anchor.dep_ != "relcl" or where is None:
        return None
    head = anchor.head
    if head.pos_ != "PROPN" and head.ent_iob_ == "O":
        return None
    last = head
    while (
        nxt := next((c for c in last.children if c.dep_ == "conj" and c.i < where.i), None)
    ) is not None:
        last = nxt  # not past the clause: "Massachusetts, where Jacobs was born, and Ohio"
    if any(t.dep_ == "cc" for t in anchor.doc[head.i : last.i]):
        # "lived in Bellingham, Washington and Skagit County, where he died": the relative
        # clause follows the last of places joined by "and", and is its
        head = last
    return place_span(head)


# Verbs of study that, given a direct object, say the subject taught or trained others.
TEACHING_WITH_OBJECT: frozenset[str] = word_list("teaching_with_object")


def _determined_object(anchor: Token) -> bool:
    """Whether the anchor's direct object is a determined phrase with an "of" ("studied the
    effects of X"), not a bare field ("studied law", "studied acting"); for a verb that with
    an object says the subject taught someone ("trained school teams in X", "educated his
    children at home"), any object."""
    for obj in anchor.children:
        if obj.dep_ != "dobj":
            continue
        if anchor.lower_ in TEACHING_WITH_OBJECT:
            return True
        det = any(c.dep_ in ("det", "poss") for c in obj.children)
        of = any(c.dep_ == "prep" and c.lower_ == "of" for c in obj.children)
        if det and of:
            return True
    return False


def _short_anchor(anchor: Token) -> bool:
    """Abbreviations and symbols ("b.", "*") only anchor right inside a parenthesis."""
    return not anchor.text.isalpha()


def match_verb_arg(view: SentenceView, pattern: Pattern, value: ValueType) -> Iterator[Candidate]:
    """An anchor word with its value in a preposition's object or a direct dependent."""
    sent = view.sent
    base = sent.start_char
    for anchor in view.anchors(pattern.words):
        in_paren = paren_open(anchor) is not None
        if _short_anchor(anchor) and not in_paren:
            continue
        if anchor.pos_ in ("NOUN", "PROPN") and not in_paren:
            continue
        if pattern.voice != "any" and is_passive(anchor) != (pattern.voice == "passive"):
            continue
        if pattern.option("bare_object", False) and _determined_object(anchor):
            continue  # "studied the trends of bias at Wikipedia": research, not a course
        if pattern.subject_role == "object":
            obj = next((c for c in anchor.children if c.dep_ == "dobj"), None)
            if obj is None:
                continue
            subject, route = obj, "object"
        else:
            subject, route = subject_token(anchor)
        regions = _regions(anchor, pattern)
        status = statement_status(anchor)
        anchor_end = anchor.idx + len(anchor.text)
        if value == "date":
            if not regions.roots:
                continue
            for start, end, _ in view.dates():
                s, e = start + base, end + base
                span = sent.doc.char_span(s, e, alignment_mode="expand")
                if (
                    (s >= anchor_end or regions.fronted)
                    and span is not None
                    and any(t.i in regions.tokens for t in span)
                ):
                    yield Candidate(subject, route, doc_text(sent.doc)[s:e], s, e, status)
                    break
        elif value == "place":
            found = None
            # "born on Tower Hill in the city of London": a place after "on" (an island, a
            # hill, an estate) only when no "in" or "at" names one
            for child in sorted(regions.roots, key=lambda c: c.lower_ == "on"):
                if child.dep_ not in ("prep", "agent"):
                    continue
                pobj = _pobj(child)
                if pobj is None:
                    continue
                if any(s + base <= pobj.idx < e + base for s, e, _ in view.dates()):
                    continue  # "born in 1867": a date, not a place
                found = place_span(pobj)
                if found is not None and child.lower_ == "on" and any(
                    t.tag_ == "POS" for t in found
                ):
                    found = None  # "born on Auckland's North Shore": a part of a place
                if found is not None:
                    break
            if found is None and regions.window is not None:
                found = _bare_place(regions.window, view.dates(), base)
            if found is None and not regions.roots:
                found = _where_place(anchor)
            if found is not None:
                yield Candidate(
                    subject, route, found.text, found.start_char, found.end_char, status
                )
        else:
            for child in regions.roots:
                target = child
                if child.dep_ in ("prep", "agent"):
                    target = _pobj(child)
                    if target is None:
                        continue
                cands = list(_value_candidates(target, value, pattern, subject, route, status))
                if cands and child.dep_ == "prep":
                    # "first at UCSF and later at Stanford University": a preposition
                    # coordinated with this one states a second body
                    for conj in child.children:
                        obj = _pobj(conj) if conj.dep_ == "conj" and conj.pos_ == "ADP" else None
                        if obj is not None and conj.lower_ in pattern.preps:
                            cands += _value_candidates(obj, value, pattern, subject, route, status)
                if cands:
                    yield from cands
                    if value != "text":
                        break  # one body per statement; posts may be several ("served as
                        # the attaché and later as the third secretary")


def check(pattern: Pattern, value_type: str, fail: Callable[[str], Exception]) -> None:
    """A value must hang off the anchor somehow; known labels; an object needs the active."""
    if not pattern.preps and not pattern.deps:
        raise fail("verb_arg needs preps or deps")
    bad = sorted(set(pattern.deps) - KNOWN_DEPS)
    if bad:
        raise fail(f"unknown dependency label(s) {bad}")
    if pattern.subject_role == "object" and pattern.voice != "active":
        raise fail("subject_role 'object' needs voice 'active' (a passive has no object)")


KIND = register(
    Kind(
        name="verb_arg",
        match=match_verb_arg,
        values=frozenset(VALUE_TYPES),
        fields=frozenset(
            {
                "words",
                "preps",
                "deps",
                "voice",
                "subject_role",
                "nouns",
                "labels",
                "not_heads",
                "bare_object",
            }
        ),
        check=check,
    )
)
