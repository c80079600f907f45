"""The ``lifespan`` kind: "NAME (DATE – DATE)", part 1 the birth, part 2 the death.

Yields the date, or for a place relation the place written beside it ("(Örebro, 1895 –
Paris, 1965)"). Not anchored on words: it fires on a parenthesis holding a digit, which is
what the prefilter tests for it. Field: ``part``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from singleton_rate.extract.kinds import Kind, register
from singleton_rate.extract.patterns import (
    LIFESPAN_MAX_CHARS,
    Candidate,
    SentenceView,
    doc_text,
    entity_at,
)
from singleton_rate.extract.subject import before_paren
from singleton_rate.extract.words import word_list
from singleton_rate.normalize import DateValue, find_dates

if TYPE_CHECKING:
    from spacy.tokens import Token

    from singleton_rate.extract.catalog import Pattern, ValueType

LIFESPAN_DASH = re.compile(r"\s*(?:–|—|--|-|to)\s*")
_SEPARATOR = re.compile(r"\s*(?:–|—|--|-|\bto\b)\s*")
# Words a place part of a lifespan may carry besides capitalised names.
_PLACE_CONNECTORS: frozenset[str] = word_list("place_connectors")
_LIFESPAN_MARKS = re.compile(r"^\s*(?:\*|†|born|died|b\.|d\.)\s*", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w.'’-]*|\d|[^\w\s]")


def _place_part(
    text: str, offset: int, before: bool, name_words: frozenset[str] = frozenset()
) -> tuple[int, int] | bool | None:
    """The place a lifespan half names beside its date.

    ``text`` is what stands before the date (``before``) or after it, up to the dash or the
    parenthesis. Only the stretch next to the date counts: "(born Kevin Marvelli; 1961)" has
    a birth name, not a place, before the ";". Returns ``None`` when that stretch is empty,
    ``False`` when it is not a place (words in lower case, digits), else the (start, end) of
    its first comma-separated part, offset.
    """
    for sep in (";", ":"):  # "(born Gilbert Hirsch, subsequently Gilbert H.-O.: 12 Feb 1904"
        if sep in text:
            if before:
                cut = text.rfind(sep) + 1
                offset, text = offset + cut, text[cut:]
            else:
                text = text[: text.find(sep)]
    lead = _LIFESPAN_MARKS.match(text)
    start = lead.end() if lead else 0
    stripped = text[start:].strip(" ,")
    if not stripped:
        return None
    if (
        before
        and lead
        and lead.group().strip().lower() == "born"
        and "," not in text[start:]
        and name_words & {w.lower() for w in _WORD.findall(stripped)}
    ):
        # "Andy Cox (born Andrew Cox 25 January 1956)": a birth name that shares a word with
        # the name before the parenthesis runs into the date; a place is not one ("(born Le
        # Quesnoy 9 May 1772 – died Paris …)", "(born Boston, Lincolnshire, 1932)")
        return False
    start = text.index(stripped, start)
    head = stripped.split(",", 1)[0].rstrip()
    words = _WORD.findall(head)
    if not words or any(w.isdigit() for w in _WORD.findall(stripped)):
        return False
    while words and words[0].lower() in ("in", "at"):
        skip = head.index(words[0]) + len(words[0])
        start += len(head) - len(head[skip:].lstrip())
        head = head[skip:].lstrip()
        words = words[1:]
    if not words:
        return False
    for w in words:
        if not (w[0].isupper() or w.lower() in _PLACE_CONNECTORS or w in ("-", "'", ".")):
            return False
    if not words[0][0].isupper():
        return False
    return offset + start, offset + start + len(head)


_OPEN_END = re.compile(r"\s*(?:–|—|--|-)\s*(?:\d{0,3}\?+|present|…|\.\.\.)?\s*$", re.IGNORECASE)


def _halves_places(
    halves: tuple[tuple[str, int, str, int], ...],
    name_words: frozenset[str] = frozenset(),
) -> list[tuple[int, int] | None] | None:
    """The place of each half, or ``None`` when some half holds something else."""
    places: list[tuple[int, int] | None] = []
    for before, b_off, after, a_off in halves:
        p_before = _place_part(before, b_off, before=True, name_words=name_words)
        p_after = _place_part(after, a_off, before=False)
        if p_before is False or p_after is False or (p_before and p_after):
            return None
        places.append(p_before or p_after)  # type: ignore[arg-type]
    return places


LIFESPAN_YEARS = (15, 120)  # a plausible life, in whole years between the two dates


def plausible_lifespan(first: str, second: str) -> bool:
    """Whether two ISO dates can be a birth and a death: 15 to 120 years apart.

    On famous long articles, wrong "NAME (YEAR–YEAR)" readings (terms of office, reigns,
    wars, marriages) spanned at most 16 years and right ones at least 37 (issue 13's audit);
    a marked parenthesis ("(born 1939 – died 1945)") is not held to it.

    Examples
    --------
    >>> plausible_lifespan("1867-11-07", "1934-07-04"), plausible_lifespan("1939", "1945")
    (True, False)
    >>> plausible_lifespan("1200", "1400")
    False
    """
    span = int(second[:4]) - int(first[:4])
    return LIFESPAN_YEARS[0] <= span <= LIFESPAN_YEARS[1]


_PAREN = re.compile(rf"\(([^()]{{0,{LIFESPAN_MAX_CHARS}}})\)")


def may_hold_lifespan(text: str) -> bool:
    """Whether raw text holds a parenthesis :func:`match_lifespan` could read, without
    parsing: one with two dates, or one date that is open-ended, finer than a year,
    approximate or marked ("(born 1952)"), after some text that could name the person. A
    lone plain year ("Behrens (1981)") or a parenthesis with no date is never a lifespan.

    Examples
    --------
    >>> may_hold_lifespan("Ann Lee (1867–1934) was"), may_hold_lifespan("Behrens (1981)")
    (True, False)
    >>> may_hold_lifespan("Ann Lee (born 1952)"), may_hold_lifespan("area (12 km2)")
    (True, False)
    """
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        if m.start() == 0 or not any(c.isdigit() for c in inner):
            continue
        found = find_dates(inner)
        if len(found) >= 2:
            return True
        if len(found) == 1:
            _, end, date = found[0]
            if _OPEN_END.search(inner[end:]) or not _plain_year(date, inner):
                return True
    return False


def _plain_year(date: DateValue, inner: str) -> bool:
    """A lone date that is a bare year, neither approximate nor marked ("(1981)"): after a
    name it is a citation, an edition or a term, not a birth ("(c. 1962)", "(born 1952)"
    and a full date are read as one)."""
    return date.precision == "year" and not date.approximate and not _LIFESPAN_MARKS.match(inner)


_MAIDEN_MARKS = frozenset({"née", "ne\u0301e", "nee", "born"})  # composed, decomposed


def _after_maiden_name(name: Token) -> bool:
    """Whether the name is a married surname right after a maiden-name parenthesis: "Susan
    (née Livingston) Kean (1759–1853)" is Susan's lifespan, and "Kean" alone would give it
    to the page's Kean. The parser hangs the given name apart, so no key is safe."""
    doc = name.doc
    ent = entity_at(name)
    start = ent.start if ent is not None and ent.start <= name.i else name.i
    if start < 3 or doc[start - 1].text != ")":
        return False
    for i in range(start - 2, max(-1, start - 8), -1):
        if doc[i].text == "(":
            return i + 1 < start and doc[i + 1].lower_ in _MAIDEN_MARKS
    return False


def match_lifespan(view: SentenceView, pattern: Pattern, value: ValueType) -> Iterator[Candidate]:
    """``NAME (DATE – DATE)``: part 1 is the birth, part 2 the death; a date or a place.

    Places may stand on either side of each date ("(Örebro, 26 November 1895 –
    Saltsjöbaden, 25 June 1965)", "(1903 Syracuse, New York – 1972 Los Angeles)"). A
    parenthesis with one date is a birth (part 1) when the range is left open ("(1950 – )")
    or, after a name the NER labels PERSON, when the date stands alone, with or without a
    place ("(Rome, 18 July 1956)").
    """
    sent = view.sent
    doc = sent.doc
    for tok in view.openers:
        if tok.i == 0:
            continue
        close = None
        # a token has at least one character: the close is within LIFESPAN_MAX_CHARS tokens
        for t in doc[tok.i + 1 : min(sent.end, tok.i + LIFESPAN_MAX_CHARS + 2)]:
            if t.text[:1] in ("(", ")"):
                close = t if t.text[:1] == ")" else None
                break
        if close is None:
            continue
        inner_start = tok.idx + 1
        inner = doc_text(doc)[inner_start : close.idx]
        if len(inner) > LIFESPAN_MAX_CHARS or "(" in inner or ")" in inner:
            continue
        name = before_paren(tok) or doc[tok.i - 1]
        if _after_maiden_name(name):
            continue
        ent = entity_at(name)
        words = (ent if ent is not None else doc[name.i : name.i + 1]).text
        name_words = frozenset(w.lower() for w in _WORD.findall(words))
        found = find_dates(inner)
        if len(found) == 1:
            if pattern.part != 1:
                continue
            ((s1, e1, date),) = found
            after = inner[e1:]
            open_end = _OPEN_END.search(after)
            if open_end is not None:
                after = after[: open_end.start()]
            elif name.ent_type_ != "PERSON" or _plain_year(date, inner):
                # A lone year after a name is a citation, an edition or a term ("Behrens
                # (1981)", "translated by X (2016)", "(Doubleday, 1983)"), not a birth: only
                # a full date ("(Rome, 18 July 1956)") or a circa year ("(c. 1962)", how a
                # birth year known roughly is written) alone reads as one.
                continue
            places = _halves_places(((inner[:s1], 0, after, e1),), name_words)
            if places is None:
                continue
            s, e = s1, e1
            if value != "date":
                if places[0] is None:
                    continue
                s, e = places[0]
            yield Candidate(
                name,
                "lifespan",
                doc_text(doc)[s + inner_start : e + inner_start],
                s + inner_start,
                e + inner_start,
                "asserted",
            )
            continue
        if len(found) != 2:
            continue
        (s1, e1, d1), (s2, e2, d2) = found
        if not _LIFESPAN_MARKS.match(inner) and not plausible_lifespan(d1.iso, d2.iso):
            continue  # "(1939–1945)": a war, a term of office, a reign; not a life
        between = inner[e1:s2]
        plain = bool(LIFESPAN_DASH.fullmatch(between)) and not inner[:s1].strip(" ,;")
        dash = _SEPARATOR.search(between)
        if dash is None:
            continue
        halves = (
            (inner[:s1], 0, inner[e1 : e1 + dash.start()], e1),
            (between[dash.end() :], e1 + dash.end(), inner[e2:], e2),
        )
        places = _halves_places(halves, name_words)
        if value == "date":
            # "(c. 1500 – after 1570)": a half that is only a date (and a place) is enough
            # for that half's date, whatever the other half says.
            own = _halves_places((halves[pattern.part - 1],), name_words)
            if not plain and places is None and own is None:
                continue
            s, e = (s1, e1) if pattern.part == 1 else (s2, e2)
            s, e = s + inner_start, e + inner_start
            yield Candidate(name, "lifespan", doc_text(doc)[s:e], s, e, "asserted")
        elif places:
            place = places[pattern.part - 1]
            if place:
                s, e = place[0] + inner_start, place[1] + inner_start
                yield Candidate(name, "lifespan", doc_text(doc)[s:e], s, e, "asserted")


def check(pattern: Pattern, value_type: str, fail: Callable[[str], Exception]) -> None:
    """A lifespan has two halves."""
    if pattern.part not in (1, 2):
        raise fail("lifespan part must be 1 or 2")


KIND = register(
    Kind(
        name="lifespan",
        match=match_lifespan,
        values=frozenset({"date", "place"}),
        fields=frozenset({"part"}),
        check=check,
        anchored=False,
    )
)
