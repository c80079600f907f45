"""Interpreters for the catalog's pattern kinds, over one parsed sentence.

Each interpreter turns a sentence and a :class:`~pipeline.extract.catalog.Pattern` into
:class:`Candidate` values: where the value is, which token names the subject, and whether
the statement is negated or hedged. Keys are made later (:mod:`pipeline.normalize`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from pipeline.extract.catalog import Pattern, ValueType
from pipeline.extract.subject import subject_token
from pipeline.normalize import find_dates

# Words that make a statement a negation or a hedge: such statements are kept, flagged, and
# left out of counts ("was not born in", "is believed to have been born").
NEGATIONS: frozenset[str] = frozenset({"not", "never", "n't"})
HEDGES: frozenset[str] = frozenset(
    {
        "believed",
        "thought",
        "said",
        "claimed",
        "reported",
        "rumored",
        "rumoured",
        "supposed",
        "alleged",
        "presumed",
        "assumed",
        "may",
        "might",
        "possibly",
        "probably",
        "perhaps",
        "reportedly",
        "allegedly",
        "likely",
        "unlikely",
        "apparently",
        "could",
        "maybe",
    }
)
# Entity labels that can never be a place value. PERSON is not among them: the small model
# often labels a city after "born in" as a person ("died in Dakar" → PERSON), and the
# syntactic slot is the stronger evidence.
NOT_PLACE_LABELS: frozenset[str] = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
)
# "in the village of Kolo": the named place hangs off a common noun through "of".
PLACE_HEAD_NOUNS: frozenset[str] = frozenset(
    {
        "village",
        "town",
        "city",
        "hamlet",
        "borough",
        "county",
        "province",
        "region",
        "district",
        "parish",
        "suburb",
        "municipality",
        "commune",
        "state",
        "island",
        "capital",
        "neighbourhood",
        "neighborhood",
    }
)
_NOT_NAME_POS = frozenset({"ADP", "PUNCT", "CCONJ", "SCONJ", "PART", "VERB", "AUX"})
LIFESPAN_DASH = re.compile(r"\s*(?:–|—|-|to)\s*")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value found by a pattern, before keys are made.

    Offsets are characters in the document (``value_start``/``value_end``).
    """

    subject: Token | None
    route: str
    value_text: str
    value_start: int
    value_end: int
    status: str  # "asserted", "negated" or "hedged"


def statement_status(anchor: Token) -> str:
    """``negated`` / ``hedged`` / ``asserted`` from the anchor's own modifiers and governors."""
    node: Token | None = anchor
    for depth in range(4):
        if node is None:
            break
        for child in node.children:
            low = child.lower_
            if child.dep_ == "neg" or (depth == 0 and low in NEGATIONS):
                return "negated"
            if child.dep_ in ("aux", "advmod", "auxpass") and low in HEDGES:
                return "hedged"
        if depth > 0 and node.lower_ in HEDGES:
            return "hedged"
        if node.dep_ not in ("xcomp", "ccomp", "conj") or node.head is node:
            break
        node = node.head
        if node.lower_ in HEDGES:
            return "hedged"
    return "asserted"


# Dependencies that stay inside the anchor's own clause: a value may hang below these
# ("born on 7 May 1900 in Lyon" attaches "in Lyon" to the date), but not below a new clause
# ("born in Lyon, where she later taught in 1950").
_WITHIN_CLAUSE = frozenset(
    {"prep", "pobj", "npadvmod", "nmod", "nummod", "appos", "compound", "tmod"}
)
_CLAUSAL = frozenset(
    {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "parataxis", "csubj"}
)


@dataclass(frozen=True, slots=True)
class Regions:
    """Where an anchor's value may be: the dependents that introduce it, and their tokens."""

    roots: tuple[Token, ...]
    tokens: frozenset[int]  # token indices reachable from a root without entering a new clause


def _within(root: Token) -> set[int]:
    seen = {root.i}
    stack = [root]
    while stack:
        for child in stack.pop().children:
            if child.dep_ not in _CLAUSAL and child.i not in seen:
                seen.add(child.i)
                stack.append(child)
    return seen


def _parenthetical_window(anchor: Token) -> Span | None:
    """The words after an anchor that opens a parenthesis ("(born …)"), up to its close."""
    if anchor.i == 0 or anchor.nbor(-1).text != "(":
        return None
    doc = anchor.doc
    end = anchor.i + 1
    while end < len(doc) and doc[end].text not in (")", "(") and end - anchor.i < 40:
        end += 1
    if end >= len(doc) or doc[end].text != ")" or end == anchor.i + 1:
        return None
    return doc[anchor.i + 1 : end]


def _regions(anchor: Token, pattern: Pattern) -> Regions:
    """The anchor's dependents that may hold the value.

    Only dependents to the right of the anchor count: in English statements of these
    relations the value follows the verb, and this keeps the subject's own words out.
    Prepositions are also found below other in-clause dependents (see ``_WITHIN_CLAUSE``).
    """
    window = _parenthetical_window(anchor)
    if window is not None:
        # "Curie (born 7 November 1867 in Warsaw)": the parser often hangs these words on
        # the name, not on "born"; inside the parentheses the window itself is the clause.
        roots = [t for t in window if t.dep_ == "prep" and t.lower_ in pattern.preps]
        if not roots and pattern.deps:
            roots = [window[0]]
        return Regions(tuple(roots), frozenset(t.i for t in window))
    roots: list[Token] = []
    stack = [(child, True) for child in reversed(list(anchor.rights))]
    while stack:
        node, direct = stack.pop()
        if (node.dep_ == "prep" and node.lower_ in pattern.preps) or (
            direct and node.dep_ in pattern.deps
        ):
            roots.append(node)
        if node.dep_ in _WITHIN_CLAUSE or (direct and node.dep_ in pattern.deps):
            stack.extend((g, False) for g in reversed(list(node.children)) if g.i > anchor.i)
    tokens: set[int] = set()
    for root in roots:
        tokens |= _within(root)
    return Regions(tuple(roots), frozenset(tokens))


def _place_span(pobj: Token) -> Span | None:
    """The named place a preposition's object names, or ``None`` for a common noun."""
    doc = pobj.doc
    if pobj.ent_iob_ != "O":
        ent = next(e for e in doc.ents if e.start <= pobj.i < e.end)
        if ent.label_ in NOT_PLACE_LABELS:
            return None
        # The model sometimes swallows a neighbouring function word ("Bristol on").
        start, end = ent.start, ent.end
        while end - 1 > pobj.i and doc[end - 1].pos_ in _NOT_NAME_POS:
            end -= 1
        while start < pobj.i and doc[start].pos_ in _NOT_NAME_POS:
            start += 1
        return doc[start:end]
    if pobj.pos_ == "PROPN":
        start = pobj.i
        for child in pobj.lefts:
            if child.dep_ in ("compound", "flat") and child.pos_ == "PROPN":
                start = min(start, child.left_edge.i)
        return doc[start : pobj.i + 1]
    if pobj.lower_ in PLACE_HEAD_NOUNS:
        for child in pobj.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                inner = next((g for g in child.children if g.dep_ == "pobj"), None)
                if inner is not None:
                    return _place_span(inner)
    return None


def match_verb_arg(sent: Span, pattern: Pattern, value: ValueType) -> Iterator[Candidate]:
    """An anchor word with its value in a preposition's object or a direct dependent."""
    # Places need the dates too: "born in 1867" names a date, not a place.
    dates = find_dates(sent.text) if value in ("date", "place") else []
    base = sent.start_char
    for anchor in sent:
        if anchor.lower_ not in pattern.words or anchor.pos_ in ("NOUN", "PROPN"):
            continue
        regions = _regions(anchor, pattern)
        if not regions.roots:
            continue
        subject, route = subject_token(anchor)
        status = statement_status(anchor)
        anchor_end = anchor.idx + len(anchor.text)
        if value == "date":
            for start, end, _ in dates:
                s, e = start + base, end + base
                span = sent.doc.char_span(s, e, alignment_mode="expand")
                if (
                    s >= anchor_end
                    and span is not None
                    and any(t.i in regions.tokens for t in span)
                ):
                    yield Candidate(subject, route, sent.doc.text[s:e], s, e, status)
                    break
        elif value == "place":
            for child in regions.roots:
                if child.dep_ != "prep":
                    continue
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                if any(s + base <= pobj.idx < e + base for s, e, _ in dates):
                    continue  # "born in 1867": a date, not a place
                span = _place_span(pobj)
                if span is not None:
                    yield Candidate(
                        subject, route, span.text, span.start_char, span.end_char, status
                    )
                    break
        else:
            for child in regions.roots:
                target = child
                if child.dep_ == "prep":
                    target = next((g for g in child.children if g.dep_ == "pobj"), child)
                left, right = target.left_edge, target.right_edge
                s, e = left.idx, right.idx + len(right.text)
                yield Candidate(subject, route, sent.doc.text[s:e], s, e, status)
                break


def match_lifespan(sent: Span, pattern: Pattern) -> Iterator[Candidate]:
    """``NAME (DATE – DATE)``: the birth date is part 1, the death date part 2."""
    doc = sent.doc
    for tok in sent:
        if tok.text != "(" or tok.i == 0:
            continue
        close = next((t for t in doc[tok.i + 1 : sent.end] if t.text == ")"), None)
        if close is None:
            continue
        inner_start = tok.idx + 1
        inner = doc.text[inner_start : close.idx]
        found = find_dates(inner)
        if len(found) != 2:
            continue
        (s1, e1, _), (s2, e2, _) = found
        if not LIFESPAN_DASH.fullmatch(inner[e1:s2]) or inner[:s1].strip(" ,;") not in ("",):
            continue
        s, e = (s1, e1) if pattern.part == 1 else (s2, e2)
        s, e = s + inner_start, e + inner_start
        name = doc[tok.i - 1]
        yield Candidate(name, "lifespan", doc.text[s:e], s, e, "asserted")
