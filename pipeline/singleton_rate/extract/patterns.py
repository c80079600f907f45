"""What every pattern kind's interpreter works with, over one parsed sentence.

The kinds themselves are modules of :mod:`singleton_rate.extract.kinds` (one each: ``verb_arg``,
``lifespan``, ``copula``, ``verb_object``, ``hyphenated``). Each turns a sentence and a
:class:`~singleton_rate.extract.catalog.Pattern` into :class:`Candidate` values: where the
value is, which token names the subject, and whether the statement is negated or hedged.
Keys are made later (:mod:`singleton_rate.normalize`). Here is what they share: the
sentence's word index (:class:`SentenceView`), statement status, where a value may hang off
an anchor, and how a token becomes a place, entity, text or country value.

All work in time linear in the sentence for each pattern: anchors are looked up in a
per-sentence word index, and every walk over the parse is bounded.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from singleton_rate.extract.countries import country_key
from singleton_rate.extract.lexicon import load_lexicon
from singleton_rate.extract.subject import (
    FINITE_VERB_TAGS,
    PRONOUNS,
    UNIT_HEADS,
    before_bracket,
    entity_at,
    is_open,
    name_span,
    paren_open,
    without_leading_occupation,
)
from singleton_rate.extract.words import word_list
from singleton_rate.normalize import DateValue, find_dates

if TYPE_CHECKING:  # spaCy and the catalog only as types: the catalog imports the kinds
    from spacy.tokens import Doc, Span, Token

    from singleton_rate.extract.catalog import Pattern, ValueType

# Words that make a statement a negation or a hedge: such statements are kept, flagged, and
# left out of counts ("was not born in", "is believed to have been born").
NEGATIONS: frozenset[str] = word_list("negations")
HEDGES: frozenset[str] = word_list("hedges")
# Entity labels that can never be a place value. PERSON is not among them: the small model
# often labels a city after "born in" as a person ("died in Dakar" → PERSON), and the
# syntactic slot is the stronger evidence.
NOT_PLACE_LABELS: frozenset[str] = word_list("not_place_labels")
# Entity values (an employer, a spouse, a founder) without `labels` of their own: named
# people and organisations, or a proper-noun chain the NER missed.
DEFAULT_ENTITY_LABELS: frozenset[str] = word_list("default_entity_labels")
# "in the village of Kolo": the named place hangs off a common noun through "of".
PLACE_HEAD_NOUNS: frozenset[str] = word_list("place_heads")
_NOT_NAME_POS = frozenset({"ADP", "PUNCT", "CCONJ", "SCONJ", "PART", "VERB", "AUX"})
# Tokens that end the stretch of a parenthesis an anchor's value may come from:
# "(born 1900 in Lyon; died 1950 in Paris)" has two statements.
WINDOW_STOPS: frozenset[str] = word_list("window_stops")
_CLOSE_REACH = 60  # tokens: how far the closing parenthesis may be
LIFESPAN_MAX_CHARS = 200  # the prefilter's lifespan expression assumes this bound


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value found by a pattern, before keys are made.

    Offsets are characters in the document (``value_start``/``value_end``). ``value_norm``,
    when set, is what the value is keyed from instead of its text (a lexicon's canonical
    entry: "actress" → "actor"; a country for a demonym). ``value_ref``, when set, is a token
    that names the value the way a subject names an entity ("He founded Microsoft": the
    founder is whoever "He" is), resolved like a subject before keying.
    """

    subject: Token | None
    route: str
    value_text: str
    value_start: int
    value_end: int
    status: str  # "asserted", "negated" or "hedged"
    value_norm: str | None = None
    value_ref: Token | None = None


DOC_TEXT_KEY = "singletons.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token on each access."""
    text = doc.user_data.get(DOC_TEXT_KEY)
    if text is None:
        text = doc.user_data[DOC_TEXT_KEY] = doc.text
    return text


@dataclass(slots=True)
class SentenceView:
    """One sentence with what several patterns need from it, computed once."""

    sent: Span
    index: dict[str, list[Token]] = field(default_factory=dict)
    _dates: list[tuple[int, int, DateValue]] | None = None

    @classmethod
    def of(cls, sent: Span) -> SentenceView:
        """Index a sentence's tokens by lower-cased text."""
        index: dict[str, list[Token]] = {}
        for tok in sent:
            index.setdefault(tok.lower_, []).append(tok)
        return cls(sent, index)

    @property
    def openers(self) -> list[Token]:
        """Tokens that open a parenthesis: "(" and glued forms such as "(;"."""
        return [t for w, toks in self.index.items() if w[:1] == "(" for t in toks if is_open(t)]

    def dates(self) -> list[tuple[int, int, DateValue]]:
        """Dates in the sentence, offsets relative to its start (:func:`find_dates`)."""
        if self._dates is None:
            self._dates = find_dates(self.sent.text)
        return self._dates

    def anchors(self, words: tuple[str, ...]) -> list[Token]:
        """Tokens whose lower-cased text is one of ``words``, in sentence order."""
        found = [t for w in words for t in self.index.get(w, ())]
        return sorted(found, key=lambda t: t.i)

    def could_fire(self, pattern: Pattern) -> bool:
        """Whether the sentence holds a word of each of the pattern's trigger groups."""
        words = self.index.keys()
        return all(not group.isdisjoint(words) for group in pattern.trigger_groups)


# --------------------------------------------------------------------------------------------
# Status
# --------------------------------------------------------------------------------------------


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
        if node.dep_ not in ("xcomp", "ccomp", "conj") or node.head == node:
            break
        node = node.head
        if node.lower_ in HEDGES:
            return "hedged"
    return "asserted"


def is_passive(verb: Token) -> bool:
    """A passive or a bare past participle ("was founded by", "a firm founded in 1998")."""
    deps = {c.dep_ for c in verb.children}
    if deps & {"auxpass", "nsubjpass"}:
        return True
    return verb.tag_ == "VBN" and not deps & {"aux", "nsubj", "dobj"}


# --------------------------------------------------------------------------------------------
# Where a value may be
# --------------------------------------------------------------------------------------------

# Dependencies that stay inside the anchor's own clause: a value may hang below these
# ("born on 7 May 1900 in Lyon" attaches "in Lyon" to the date), but not below a new clause
# ("born in Lyon, where she later taught in 1950"). A direct object is in the clause too:
# "studied physics at the University of Paris" may hang "at" on "physics".
_WITHIN_CLAUSE = frozenset(
    {"prep", "pobj", "npadvmod", "nmod", "nummod", "appos", "compound", "tmod", "dobj"}
)
_CLAUSAL = frozenset(
    {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "parataxis", "csubj"}
)


@dataclass(frozen=True, slots=True)
class Regions:
    """Where an anchor's value may be: the dependents that introduce it, and their tokens."""

    roots: tuple[Token, ...]
    tokens: frozenset[int]  # token indices reachable from a root without entering a new clause
    window: Span | None = None  # the parenthesis stretch, when the anchor opens one
    fronted: bool = False  # the root is a date opening the sentence, left of the anchor


def _within(root: Token) -> set[int]:
    seen = {root.i}
    stack = [root]
    while stack:
        for child in stack.pop().children:
            if child.dep_ not in _CLAUSAL and child.i not in seen:
                seen.add(child.i)
                stack.append(child)
    return seen


def parenthetical_window(anchor: Token) -> Span | None:
    """The words after an anchor that starts a statement inside a parenthesis.

    "(born 7 May 1900 in Lyon; died …)": from the anchor to the first of ";", ")", a dash
    or a death word (see :data:`WINDOW_STOPS`), provided the parenthesis closes.
    """
    if paren_open(anchor) is None:
        return None
    doc = anchor.doc
    end = None
    for i in range(anchor.i + 1, min(len(doc), anchor.i + _CLOSE_REACH)):
        tok = doc[i]
        if tok.text[:1] in ("(", ")"):  # the parenthesis closes (or another opens)
            end = i if end is None else end
            break
        spaced_dash = tok.text == "-" and bool(tok.whitespace_ or doc[i - 1].whitespace_)
        if end is None and (tok.lower_ in WINDOW_STOPS or spaced_dash):
            end = i
    else:
        return None  # no parenthesis in reach: not a parenthetical statement
    if end is None or end == anchor.i + 1:
        return None
    return doc[anchor.i + 1 : end]


def _regions(anchor: Token, pattern: Pattern) -> Regions:
    """The anchor's dependents that may hold the value.

    Only dependents to the right of the anchor count: in English statements of these
    relations the value follows the verb, and this keeps the subject's own words out.
    Prepositions are also found below other in-clause dependents (see ``_WITHIN_CLAUSE``),
    and below a coordinated verb that shares them ("born and raised in Lyon").
    """
    window = parenthetical_window(anchor)
    if window is not None:
        # "Curie (born 7 November 1867 in Warsaw)": the parser often hangs these words on
        # the name, not on "born"; inside the parentheses the window itself is the clause.
        roots = [t for t in window if t.dep_ == "prep" and t.lower_ in pattern.preps]
        if not roots and pattern.deps:
            roots = [window[0]]
        return Regions(tuple(roots), frozenset(t.i for t in window), window)
    roots = _roots_below(anchor, pattern)
    if not roots:
        # "born and raised in Lyon", "was born and died in Paris": the coordinated verb
        # carries the preposition both verbs share.
        for child in anchor.rights:
            if (
                child.dep_ == "conj"
                and child.pos_ in ("VERB", "AUX")
                and not any(g.dep_ in ("nsubj", "nsubjpass", "dobj") for g in child.children)
                and all(t.lower_ in ("and", ",") for t in anchor.doc[anchor.i + 1 : child.i])
            ):
                roots = [r for r in _roots_below(child, pattern) if r.dep_ == "prep"]
                break
    if not roots:
        # "studied acting at the Cours Florent": the subject studied (a gerund right after
        # the verb) takes the preposition
        nxt = anchor.doc[anchor.i + 1] if anchor.i + 1 < anchor.sent.end else None
        if (
            nxt is not None
            and nxt.head == anchor
            and nxt.dep_ in ("xcomp", "dobj")
            and nxt.tag_ in ("VBG", "NN")
            and not any(g.dep_ in ("nsubj", "dobj") for g in nxt.children)
        ):
            roots = [r for r in _roots_below(nxt, pattern) if r.dep_ == "prep"]
    if not roots:
        # "In 1990 he created the Foundation", "In 1886 Ostrovsky … died": a date fronted
        # to open the sentence, the one dependent on the left that can hold the value
        first = anchor.sent[0]
        obj = _pobj(first) if first.dep_ == "prep" and first.head.i == anchor.i else None
        if first.lower_ in pattern.preps and obj is not None and obj.ent_type_ == "DATE":
            return Regions((first,), frozenset(_within(first)), fronted=True)
    tokens: set[int] = set()
    for root in roots:
        tokens |= _within(root)
    return Regions(tuple(roots), frozenset(tokens))


def _roots_below(anchor: Token, pattern: Pattern) -> list[Token]:
    roots: list[Token] = []
    stack = [(child, True) for child in reversed(list(anchor.rights))]
    while stack:
        node, direct = stack.pop()
        if (node.dep_ in ("prep", "agent") and node.lower_ in pattern.preps) or (
            direct and node.dep_ in pattern.deps
        ):
            roots.append(node)
        if node.dep_ in _WITHIN_CLAUSE or (direct and node.dep_ in pattern.deps):
            stack.extend((g, False) for g in reversed(list(node.children)) if g.i > anchor.i)
    return roots


def _pobj(prep: Token) -> Token | None:
    return next((g for g in prep.children if g.dep_ == "pobj"), None)


# --------------------------------------------------------------------------------------------
# Value spans
# --------------------------------------------------------------------------------------------


def _after_post_abbreviation(doc, start: int, keep: int) -> int:
    """The start of a person's name after a post's abbreviation the NER took into it: "CTO
    Jordan Noone" → "Jordan Noone", "MP Michael Rosing" → "Michael Rosing". Only capitals
    (an abbreviation the occupation lexicon holds): a capitalised word that is also an
    occupation ("Mason Mount", "Baker") may be the name itself; and two words of the name
    must remain ("DJ Khaled" is a stage name)."""
    posts = load_lexicon("occupations")
    while (
        start + 2 <= keep
        and doc[start].is_upper
        and 2 <= len(doc[start]) <= 4
        and posts.lookup(doc[start].text) is not None
    ):
        start += 1
    return start


def _whole_org(doc, start: int, end: int) -> tuple[int, int]:
    """An organisation's name with the capitalised words the NER left outside it although
    the parser compounds them with a word inside: "LabAid Cardiac Hospital" (the NER's ORG
    is "Cardiac Hospital"), "Pontificia Universidad Católica de Chile" ("Católica de
    Chile"), "The Church of Jesus Christ of Latter-day Saints" (cut after "day"). A post or
    a person after the name is not taken in ("Google CEO Eric Schmidt")."""
    posts = load_lexicon("occupations")
    sent = doc[start].sent
    k = 0
    while (
        k < 2
        and end < sent.end
        and doc[end - 1].dep_ in ("compound", "amod")
        and doc[end - 1].head.i == end
        and doc[end].pos_ in ("PROPN", "NOUN")
        and doc[end].is_title
        and doc[end].ent_iob_ == "O"
        and posts.lookup(doc[end].text) is None
    ):
        end += 1
        k += 1
    k = 0
    while (
        k < 3
        and start > sent.start
        and doc[start - 1].pos_ == "PROPN"
        and (doc[start - 1].is_title or doc[start - 1].text[:1].isupper())
        and doc[start - 1].dep_ == "compound"
        and start <= doc[start - 1].head.i < end
        and doc[start - 1].ent_type_ not in ("GPE", "NORP", "DATE")
        and posts.lookup(doc[start - 1].text) is None
    ):
        start -= 1
        k += 1
    return start, end


# Words that open a post's title before its noun ("Chief Designer", "Acting Group CEO"):
# where one follows an organisation's "'s" inside what the NER took for one name, the name
# ends at the "'s"; the copula kind reads them too.
POST_PREFIXES: frozenset[str] = word_list("post_prefixes")


def before_owned_post(doc, start: int, end: int) -> int:
    """ "Bupa's Acting Group CEO": the NER's ORG "Bupa's Acting Group" is "Bupa" and a post
    it owns ("McDonald's Corporation" has no post word after its "'s")."""
    for k in range(start + 1, end - 1):
        if doc[k].tag_ == "POS" and doc[k + 1].lower_ in POST_PREFIXES:
            return k
    return end


def _and_continued(doc, start: int, end: int) -> int:
    """The end of an organisation's name the NER cut at an inner "and": "the Center on
    Illicit Networks and Transnational Organized Crime" (two ORGs to the NER). The parser
    must join the second part to the object of the name's own "of"/"on" (in "IBM and
    Microsoft" the conjunct hangs on the name's head: two organisations)."""
    last = doc[end - 1]
    if (
        end + 1 >= len(doc)
        or doc[end].lower_ not in ("and", "&")
        or last.dep_ != "pobj"
        or not start <= last.head.i < end
        or last.head.lower_ not in ("of", "on", "for")
    ):
        return end
    for child in last.children:
        if child.dep_ == "conj" and child.pos_ == "PROPN" and child.i > end:
            nxt = entity_at(child)
            if (
                nxt is not None
                and nxt.label_ == "ORG"
                and nxt.start == end + 1
                and not any(t.pos_ == "ADP" for t in nxt)  # "the Ministry for Education
            ):  # and Ministry for Commerce": a second name with its own "for"
                return nxt.end
    return end


def _trim(doc, start: int, end: int, keep: int) -> tuple[int, int]:
    """Drop function words the NER swallowed at a span's edges ("Bristol on")."""
    while end - 1 > keep and doc[end - 1].pos_ in _NOT_NAME_POS:
        end -= 1
    while start < keep and doc[start].pos_ in _NOT_NAME_POS:
        start += 1
    if (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 2].whitespace_
        and not doc[start - 1].whitespace_
        and doc[start - 2].is_alpha
        and len(doc[start - 2]) <= 2
    ):
        start -= 2  # "e-Quality Music Productions": the NER cut a glued one-letter prefix
    return start, end


def place_span(pobj: Token) -> Span | None:
    """The named place a preposition's object names, or ``None`` for a common noun.

    The place is the name the object phrase opens with: in "in Milwaukee, Wisconsin" the
    parser may make "Wisconsin" the object, but the most specific place comes first.
    """
    span = _place_span(pobj)
    if span is None:
        return None
    span = _whole_place(span, pobj)
    ent = entity_at(pobj)
    if (ent is not None and ent.label_ == "EVENT") or (
        # the event's head opens (after "the") or ends the name ("the Siege of Acre", "the
        # Crimean War"), not inside one ("Imperial War Museum")
        any(t.lower_ in EVENT_HEADS for t in span[:2]) or span[-1].lower_ in EVENT_HEADS
    ):
        return None  # "killed in the Battle of Waterloo", "died at the Siege of Acre": an event
    return span


# Head words of events' names, which a place preposition may take ("the Battle of X").
EVENT_HEADS: frozenset[str] = word_list("event_heads")


def _whole_place(span: Span, pobj: Token) -> Span:
    """A place name the NER cut at an inner "of" or hyphen: "Port of Spain" (two places to
    the NER), "Stratford-upon-Avon" ("Stratford"). The "of" must hang on the name's last
    word and be followed by capitalised proper nouns only ("died in Paris of cancer" and
    "born in Warsaw of Polish parents" stay "Paris", "Warsaw")."""
    doc = span.doc
    end = span.end
    stop = pobj.sent.end
    if span[-1].i != pobj.i:
        return span
    nxt = doc[end] if end < stop else None
    if nxt is not None and nxt.lower_ == "of" and nxt.head.i == pobj.i and pobj.is_title:
        k = end + 1
        while (
            k < stop and doc[k].pos_ == "PROPN" and doc[k].is_title and doc[k].ent_type_ != "NORP"
        ):
            k += 1
        if k > end + 1 and (k >= stop or doc[k].pos_ in ("PUNCT", "ADP", "CCONJ", "AUX", "VERB")):
            return doc[span.start : k]  # not "London of Spanish flu", "Paris of Alzheimer's"
    k = end
    while (
        k + 1 < stop
        and doc[k].text == "-"
        and not doc[k - 1].whitespace_
        and not doc[k].whitespace_
        and doc[k + 1].is_alpha
    ):
        k += 2  # "Stratford-upon-Avon", "Port-au-Prince"
    if k > end and doc[k - 1].is_title:
        return doc[span.start : k]
    return span


def _place_span(pobj: Token) -> Span | None:
    doc = pobj.doc
    first = pobj.left_edge
    while first.i < pobj.i and first.pos_ == "DET":
        first = doc[first.i + 1]
    if (
        first.i < pobj.i
        and pobj.pos_ == "PROPN"
        and pobj.is_title
        and any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in pobj.children)
        and all(t.is_title or t.lower_ in ("'s", "’s") for t in doc[first.i : pobj.i])
    ):
        return doc[first.i : pobj.i + 1]  # "Ford's Theatre", "St John's Wood": one name
    if first.i < pobj.i and first.ent_iob_ == "B":
        ent = entity_at(first)
        if ent is not None and ent.label_ not in NOT_PLACE_LABELS and ent.end <= pobj.i + 1:
            start, end = _trim(doc, ent.start, ent.end, first.i)
            if doc[end - 1].pos_ == "PROPN" or doc[end - 1].ent_type_:
                return doc[start:end]
    if pobj.lower_ in PLACE_HEAD_NOUNS:
        for child in pobj.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                inner = _pobj(child)
                if inner is not None:
                    return place_span(inner)
    if pobj.ent_iob_ != "O":
        ent = entity_at(pobj)
        if ent is None or ent.label_ in NOT_PLACE_LABELS:
            return None
        start, end = _trim(doc, ent.start, ent.end, pobj.i)
        if ent.label_ in ("ORG", "FAC"):
            start, end = _whole_org(doc, start, end)  # "in LabAid Cardiac Hospital"
        return doc[start:end]
    if pobj.pos_ == "PROPN":
        return name_span(pobj)
    return None


# The last word of a name that makes it an institution whatever the NER says ("John Jay High
# School" labelled PERSON, "Virginia Tech"-like slips aside).
INSTITUTION_HEADS: frozenset[str] = word_list("institution_heads")
LEADING_INSTITUTION_HEADS: frozenset[str] = word_list("leading_institution_heads")


CLUB_PREFIXES: frozenset[str] = word_list("club_prefixes")


def is_institution_name(span: Span) -> bool:
    """Whether a capitalised name ends in an institution's head word ("… High School").

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("He left John Jay High School and Paris")
    >>> is_institution_name(doc[2:6]), is_institution_name(doc[7:8])
    (True, False)
    """
    end = span.end
    while end > span.start and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space):
        end -= 1  # the NER may take in a closing "." and line break: "Molde HK.\n"
    first = next((t for t in span if t.pos_ != "DET"), span[0])
    if first.is_upper and first.lower_ in CLUB_PREFIXES and end - first.i >= 2:
        return True  # "IL Runar", "FK Austria Wien": a club

    if first.is_title and first.lower_ in LEADING_INSTITUTION_HEADS and end - first.i >= 2:
        return True  # "Lycée Condorcet", "Universidad de Chile": the head comes first
    last = span.doc[end - 1] if end > span.start else span[-1]
    return (
        end - span.start >= 2
        and (last.is_title or last.is_upper)
        and last.lower_ in INSTITUTION_HEADS
    )


def _owner(span: Span) -> Span:
    """The institution that owns a named unit: "the Smithsonian Institution's Environmental
    Research Center" → "Smithsonian Institution" (whom its staff work for).

    Only when the name before the possessive is itself an institution's name ("Royal
    Children's Hospital" and "St John's College" stay whole).

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("the Smithsonian Institution 's Research Center")
    >>> _owner(doc[1:6]).text, _owner(doc[0:1]).text
    ('Smithsonian Institution', 'the')
    """
    for tok in span:
        if tok.lower_ in ("'s", "’s") and tok.i > span.start:
            owner = span.doc[span.start : tok.i]
            if is_institution_name(owner):
                return owner
            break
    return span


def _at_side(span: Span, token: Token) -> Span:
    """The side of an inner "at" that holds ``token``: the NER took in "the School of
    Sociology at University" (two names, one inside the other), so the value would run
    across the preposition; after a field of study ("Economics at Bocconi University"), the
    school."""
    first = next((t for t in span if t.pos_ != "DET"), span[0])
    for tok in span:
        if tok.lower_ == "at" and tok.pos_ == "ADP" and span.start < tok.i < span.end - 1:
            after = span.doc[tok.i + 1 : span.end]
            if first.lower_ in UNIT_HEADS:
                return span.doc[span.start : tok.i] if token.i < tok.i else after
            if not any(t.lower_ in INSTITUTION_HEADS for t in span.doc[span.start : tok.i]):
                return after  # "Economics at Bocconi University": a field, then the school
            return span  # "University of Illinois at Urbana-Champaign" is one name
    return span


# Degrees the NER may take into the school's name: "graduated from Melbourne University MBBS".
DEGREE_WORDS: frozenset[str] = word_list("degree_words")


def _without_degree(span: Span, token: Token) -> Span:
    """The name without degree abbreviations the NER swallowed at its end."""
    end = span.end
    floor = span.start if token.lower_ in DEGREE_WORDS else max(span.start, token.i)
    while end - 1 > floor and span.doc[end - 1].lower_ in DEGREE_WORDS:
        end -= 1
    return span.doc[span.start : end]


COLLEGIATE_CITIES: frozenset[str] = word_list("collegiate_cities")


def _with_college_city(span: Span) -> Span:
    """A college named with its city after a comma: "Wolfson College, Oxford" (one of many
    colleges of the name: "Trinity College, Dublin" is not Cambridge's)."""
    doc = span.doc
    end = span.end
    if (
        span[-1].lower_ == "college"
        and end + 1 < len(doc)
        and doc[end].text == ","
        and doc[end + 1].lower_ in COLLEGIATE_CITIES
        and (end + 2 >= len(doc) or not doc[end + 2].is_title)
    ):
        return doc[span.start : end + 2]
    if (
        span.text.lower().removeprefix("the ") in CAMPUS_SYSTEMS
        and end + 1 < span.sent.end
        and doc[end].text == ","
    ):
        # "University of California, San Francisco": a campus of a system is its own school
        k = end + 1
        while k < span.sent.end and k - end <= 3 and doc[k].is_title and doc[k].pos_ == "PROPN":
            k += 1
        if k > end + 1 and not country_key(doc[end + 1 : k].text):
            return doc[span.start : k]
    return span


# Universities of several campuses, each named "System, Campus" ("University of California,
# Los Angeles").
CAMPUS_SYSTEMS: frozenset[str] = word_list("campus_systems")


def _comma_side(span: Span, token: Token) -> Span:
    """One name of two the NER ran together across a comma: "the Medical Faculty,
    University of Chile" → the institution after a unit, else the side holding ``token``."""
    doc = span.doc
    for tok in span:
        if tok.text == "," and span.start < tok.i < span.end - 1:
            left, right = doc[span.start : tok.i], doc[tok.i + 1 : span.end]
            if left[-1].lower_ in UNIT_HEADS and any(t.lower_ in INSTITUTION_HEADS for t in right):
                return right
            return left if token.i < tok.i else right
    return span


def nation_start(doc: Doc, start: int, end: int, floor: int = 0) -> int:
    """Where an organisation's name ``doc[start:end]`` starts when the nation's adjective
    before it heads into it ("a Swedish Air Force officer": the NER's "Air Force" is the
    Swedish Air Force); ``start`` otherwise, never before ``floor``."""
    before = doc[start - 1] if start > floor else None
    if (
        before is not None
        and before.ent_type_ == "NORP"
        and before.is_title
        and start <= before.head.i < end
    ):
        return start - 1
    return start


def entity_span(token: Token, labels: frozenset[str], unlabelled: bool = True) -> Span | None:
    """The named entity ``token`` heads, if its label is in ``labels``.

    With ``unlabelled``, a proper-noun chain the NER missed is accepted too.
    """
    ent = entity_at(token)
    if ent is not None:
        if ent.label_ not in labels and not (
            "ORG" in labels and (is_institution_name(ent) or _described_as_org(ent))
        ):
            return None
        start, end = _trim(token.doc, ent.start, ent.end, token.i)
        # the NER's label of "CTO Jordan Noone" is ORG as often as PERSON
        start = _after_post_abbreviation(token.doc, start, token.i)
        if ent.label_ in ("ORG", "FAC") and _is_year(token.doc[start]):
            return None  # "career at 2016 Liga de Voleibol …": a season of a league, no body
        if ent.label_ == "ORG":
            start = nation_start(token.doc, start, end)
            start, end = _whole_org(token.doc, start, end)
            end = _and_continued(token.doc, start, end)
            end = before_owned_post(token.doc, start, end)
            end = _before_location(token.doc, start, end)
            if token.i >= end:
                return None  # "worked in Martinsried" of "X Institute in Martinsried": a place
        span = _without_degree(_at_side(before_bracket(token.doc[start:end]), token), token)
        if ent.label_ == "PERSON" and span.end > token.i >= span.start:
            # "Lieutenant General Penney" founded it: the rank is no part of the name
            styled = without_leading_occupation(span)
            if styled.start <= token.i:
                span = styled
        span = _comma_side(span, token)
        span = _with_college_city(span)
        return _owner(span) if span.end > token.i else span
    quoted = quoted_name(token) if "ORG" in labels else None
    if quoted is not None:
        return quoted  # "Writing for "Hot Press", X": a publication's name in quotes
    if token.pos_ == "PROPN":
        span = name_span(token)
        if token.lower_ in DEGREE_WORDS and len(span) > 1:
            span = span[:-1]  # "Melbourne University MBBS", the degree parsed as the head
        if unlabelled or _holds_labelled(span, labels):
            return span
        if "ORG" in labels and _described_as_org(span):
            return span
    return None


_QUOTES = frozenset({'"', "“", "”"})
_QUOTE_REACH = 6  # tokens: the longest quoted name read as one


def _before_location(doc: Doc, start: int, end: int) -> int:
    """The end of an institution's name before a lower-case "in" and the place it is in,
    which the NER runs into the name: "Max Planck Institute of Neurobiology in Martinsried"
    → "… of Neurobiology". Only when an institution's head word comes before the "in" and
    one to three capitalised words, to the end of the name, after it."""
    for k in range(start + 2, end - 1):
        if doc[k].text != "in":
            continue
        place = doc[k + 1 : end]
        if (
            1 <= len(place) <= 3
            and all(t.is_title and t.pos_ == "PROPN" for t in place)
            and not any(t.lower_ in INSTITUTION_HEADS for t in place)
            and any(t.lower_ in INSTITUTION_HEADS and t.is_title for t in doc[start:k])
        ):
            return k
    return end


def _is_year(token: Token) -> bool:
    return len(token.text) == 4 and token.text.isdigit() and token.text[0] in "12"


def quoted_name(token: Token) -> Span | None:
    """The capitalised name in double quotes that holds ``token``, the NER's label aside: in
    a dump the italics of a publication's name become quotes ("Robert Steiner of "The Boston
    Globe"", "Writing for "Pitchfork"", the NER reads a work or nothing there).

    Every word inside must be capitalised (a leading "the" and inner "of", "and", "&" aside)
    and the quotes at most a few words apart, so a quoted phrase or title of a sentence's
    length is no name.
    """
    doc = token.doc
    sent = token.sent
    start = token.i
    while (
        start > sent.start and token.i - start < _QUOTE_REACH and doc[start - 1].text not in _QUOTES
    ):
        start -= 1
    end = token.i + 1
    while end < sent.end and end - token.i < _QUOTE_REACH and doc[end].text not in _QUOTES:
        end += 1
    if (
        start <= sent.start
        or end >= sent.end
        or doc[start - 1].text not in _QUOTES
        or doc[end].text not in _QUOTES
    ):
        return None
    words = doc[start:end]
    if not words:
        return None
    for i, tok in enumerate(words):
        if tok.text[:1].isupper():
            continue
        if (i == 0 and tok.lower_ == "the") or (
            0 < i < len(words) - 1 and tok.lower_ in ("of", "and", "&")
        ):
            continue
        return None
    return words


ORG_DESCRIPTORS: frozenset[str] = word_list("org_descriptors")


def _described_as_org(span: Span) -> bool:
    """Whether a common noun of ``org_descriptors`` stands right before the name ("sample
    developer Cinesamples", "studio Momentum"), which makes it an organisation's name
    whatever the NER says.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("hired by sample developer Cinesamples and Paris")
    >>> _described_as_org(doc[4:5]), _described_as_org(doc[6:7])
    (True, False)
    """
    if span.start == 0 or (not span[0].is_title and not span[0].is_upper):
        return False
    before = span.doc[span.start - 1]
    return before.is_lower and before.lower_ in ORG_DESCRIPTORS


def _holds_labelled(span: Span, labels: frozenset[str]) -> bool:
    """Whether a proper-noun chain the NER cut short holds a name of ``labels`` ("the
    Military Academy Karlberg", "Military Academy" labelled ORG) or ends as an institution's
    name does ("Fort Mojave School")."""
    if "ORG" in labels and is_institution_name(span):
        return True
    return any(
        (e := entity_at(t)) is not None and e.label_ in labels and e.end <= span.end for t in span
    )


# Prefixes a hyphen joins to a post that leave the post itself: "ex-Prime Minister",
# "co-anchor", "then-CEO".
DETACHED_PREFIXES: frozenset[str] = frozenset({"ex", "co", "then"})


def noun_entry(
    noun: Token, pattern: Pattern, max_words: int = 4, singular: bool = False
) -> tuple[Span, str] | None:
    """The longest entry of the pattern's ``nouns`` that ends at ``noun``, with its canonical.

    "an American film director" → ("film director", "film director") when the lexicon has
    it, else ("director", "director"); "actress" → ("actress", "actor"). With ``singular``,
    ``noun`` is a plural read as its singular ("film directors" → "film director").
    """
    doc = noun.doc
    starts = [noun.i]
    for child in sorted(noun.lefts, key=lambda t: -t.i):
        if child.dep_ in ("compound", "amod", "nmod") and child.i >= noun.i - max_words:
            # the modifier alone too: "Moffs art director" holds the entry "art director"
            starts.append(child.i)
            # and every word of its phrase: "United States Foreign Service officer" holds
            # "foreign service officer", "Swedish Air Force officer" "air force officer"
            starts.extend(range(max(child.left_edge.i, noun.i - max_words), child.i))
    # a hyphenated noun ("singer-songwriter") is one entry
    if noun.i >= 2 and doc[noun.i - 1].text == "-" and not doc[noun.i - 2].whitespace_:
        starts.append(noun.i - 2)
    of_end = _of_phrase_end(noun)
    if of_end is not None and not singular:
        # "Member of the Legislative Assembly", "chief of staff": an entry with "of"; "member
        # of the House of Representatives": the body's own "of" phrase too (longest first)
        for end in (_of_phrase_end(doc[of_end - 1], 3), of_end):
            for start in sorted(set(starts)) if end is not None else ():
                span = doc[start:end]
                canonical = pattern.accepts_noun(span.text)
                if canonical is not None:
                    return _deputy(span, canonical)
    after = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
    if (
        after is not None
        and not singular
        and after.pos_ in ("ADV", "ADJ")
        and after.is_lower
        and after.head in (noun, noun.head)
    ):
        # "ice hockey forward" with "forward" tagged an adverb: the entry runs on to it
        for start in sorted(set(starts)):
            span = doc[start : noun.i + 2]
            canonical = pattern.accepts_noun(span.text)
            if canonical is not None:
                return span, canonical
    for start in sorted(set(starts)):
        span = doc[start : noun.i + 1]
        text = span.text
        if singular:
            text = " ".join([*(t.text for t in doc[start : noun.i]), _singular(noun, pattern)])
        canonical = pattern.accepts_noun(text.replace(" - ", "-"))
        if canonical is not None:
            if (
                start >= 2
                and doc[start - 1].text == "-"
                and not doc[start - 2].whitespace_
                and doc[start - 2].lower_ not in DETACHED_PREFIXES
            ):
                return None  # "Non-Executive Director": the entry starts inside a compound
            return _deputy(span, canonical)
    return None


def _deputy(span: Span, canonical: str) -> tuple[Span, str]:
    """A "deputy" right before an entry makes an office of its own ("deputy director",
    "Deputy Editor"; the gold sets' rule): the entry with it, keyed with it."""
    doc = span.doc
    # not before an entry the text goes on past ("deputy editor-in-chief": the entry read is
    # "editor", the office is another)
    cut_short = span.end < len(doc) and doc[span.end].text == "-" and not span[-1].whitespace_
    if (
        span.start > 0
        and doc[span.start - 1].lower_ == "deputy"
        and not canonical.startswith("deputy ")
        and not cut_short
    ):
        return doc[span.start - 1 : span.end], f"deputy {canonical}"
    return span, canonical


def _of_phrase_end(noun: Token, max_words: int = 6) -> int | None:
    """The end of the "of" phrase right after ``noun`` ("Member of the Legislative Assembly"
    → after "Assembly"), when it is a short run of words the "of" heads; else ``None``."""
    doc = noun.doc
    if noun.i + 2 >= len(doc) or doc[noun.i + 1].lower_ != "of":
        return None
    of = doc[noun.i + 1]
    if of.head != noun:
        return None
    obj = next((c for c in of.children if c.dep_ == "pobj"), None)
    if obj is None or obj.i > noun.i + max_words:
        return None
    return obj.i + 1


def _singular(noun: Token, pattern: Pattern) -> str:
    """The head of ``nouns`` whose plural ``noun`` is (its lemma when none is)."""
    from singleton_rate.extract.catalog import plural

    low = noun.lower_
    return next((h for h in pattern.noun_heads if plural(h) == low), noun.lemma_.lower())


def _conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Jobs and Wozniak"), not a conjunct that
    opens a clause of its own ("founded by X and Y took over": Y is the next verb's subject;
    "at X; Y later …")."""
    out = [token]
    stack = [token]
    while stack and len(out) < 12:
        parent = stack.pop()
        for child in parent.children:
            if child.dep_ == "conj" and child.i > token.i and not _new_clause(parent, child):
                out.append(child)
                stack.append(child)
    return out


def _new_clause(parent: Token, child: Token) -> bool:
    """Whether a conjunct starts a new clause: a ";" lies between it and the word it is
    coordinated with, or its name runs into a finite verb that is not above it in the tree
    (the parser coordinates the next clause's subject with the object before)."""
    doc = child.doc
    if any(t.text == ";" for t in doc[min(parent.i, child.i) + 1 : child.i]):
        return True
    ent = entity_at(child)
    end = ent.end if ent is not None and ent.start <= child.i < ent.end else child.i + 1
    if end >= child.sent.end:
        return False
    nxt = doc[end]
    return nxt.tag_ in FINITE_VERB_TAGS and nxt not in child.ancestors


def _body_of(tok: Token) -> Token:
    """The organisation a board or unit belongs to: "the Board of Governors of the BBC" →
    "BBC" (whom the board's chairman serves)."""
    owner = next((c for c in tok.children if c.dep_ == "poss" and c.ent_type_ == "ORG"), None)
    if owner is not None:
        return owner  # "vice president of Microsoft's Windows and Devices Group"
    if tok.lower_ not in UNIT_HEADS | {"board", "staff"}:
        return tok
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            inner = _pobj(child)
            if inner is not None:
                for grand in inner.rights:
                    if grand.dep_ == "prep" and grand.lower_ == "of":
                        obj = _pobj(grand)
                        if obj is not None and obj.ent_type_ == "ORG":
                            return obj
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = _pobj(child)
            if obj is not None and obj.ent_type_ == "ORG":
                ent = entity_at(obj)
                if ent is None or not ent.start <= tok.i < ent.end:
                    return obj  # not a word of the unit's own name ("Board of Governors")
    return tok


def _unit_at(tok: Token) -> Token | None:
    """The named institution a capitalised unit ("School of Sociology") is "at" (or "in", when
    its name ends in an institution's noun), if any."""
    if tok.lower_ not in UNIT_HEADS or not tok.is_title:
        return None
    rights = list(tok.rights)
    base = tok
    for _ in range(4):
        if base.dep_ != "conj":
            break
        base = base.head  # "the Strategic Plans and Policy Directorate": a conjunct
    verb = base.head.head if base.dep_ == "pobj" else None
    if verb is not None and verb.pos_ == "VERB":
        # "served in the Policy Directorate ("Strategiledningen") at the Armed Forces
        # Headquarters": the "at" may hang on the verb, up to a comma
        rights += [
            c
            for c in verb.rights
            if c.i > tok.i and not any(t.text == "," for t in tok.doc[tok.i : c.i])
        ]
    for child in rights:
        if child.dep_ == "prep" and child.lower_ in ("at", "in"):
            obj = _pobj(child)
            if obj is None or obj.pos_ != "PROPN":
                continue
            if child.lower_ == "at" or obj.lower_ in INSTITUTION_HEADS:
                # "the School of Art in the Southern Methodist University"; not "in Dallas"
                return obj
    return None


def _name_before_descriptor(tok: Token) -> Span | None:
    """The capitalised name compounded into a lower-case institution noun: "the Cours Florent
    drama school" → "Cours Florent", "the U.S. Forest Services dispatch center" → "U.S.
    Forest Services". ``None`` unless ``tok`` is such a noun (``institution_heads`` or
    ``unit_heads``) with a run of two or more capitalised proper nouns before its other
    lower-case modifiers, and the NER labels none of the run as a place or a person.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("at the Cours Florent drama school")
    >>> for t, h in zip(doc, [0, 5, 3, 5, 5, 0]):
    ...     t.head, t.dep_, t.pos_ = doc[h], "compound", "PROPN" if t.is_title else "NOUN"
    >>> _name_before_descriptor(doc[5]).text
    'Cours Florent'
    """
    if tok.pos_ != "NOUN" or not tok.is_lower:
        return None
    if tok.lower_ not in INSTITUTION_HEADS and tok.lower_ not in UNIT_HEADS:
        return None
    doc = tok.doc
    end = tok.i
    while end > tok.sent.start and doc[end - 1].is_lower and doc[end - 1].pos_ == "NOUN":
        end -= 1  # "drama", "dispatch": the descriptor's own modifiers
    start = end
    while (
        start > tok.sent.start
        and doc[start - 1].pos_ == "PROPN"
        and (doc[start - 1].is_title or doc[start - 1].is_upper)
    ):
        start -= 1
    if end - start < 2 or any(
        doc[k].ent_type_ in ("GPE", "LOC", "PERSON", "NORP") for k in range(start, end)
    ):
        return None
    if not all(doc[k].head.i >= doc[k].i and doc[k].head.i <= tok.i for k in range(start, end)):
        return None  # the run must modify the noun phrase, not stand apart from it
    if tok.lower_ not in INSTITUTION_HEADS:
        # before a unit ("program", "center") the run may hold the unit's own words ("the
        # UCLA Film Scoring program"): only a name the NER labels an organisation, whole
        ent = entity_at(doc[end - 1])
        if ent is None or ent.label_ != "ORG" or ent.end != end:
            return None
        if ent[-1].lower_ in UNIT_HEADS or ent[-1].lower_ in ("group", "division"):
            return None  # "the Microsoft Devices Group business unit": a division's name
        start = max(start, ent.start)
    return doc[start:end]


def _parent_university(tok: Token) -> Span | None:
    """The university a named part stands in apposition with: "the Oxford Internet Institute
    (OII), University of Oxford" → "University of Oxford", "the Institute of Psychiatry,
    King's College London"; ``None`` otherwise."""
    for child in tok.rights:
        if child.dep_ != "appos" or tok.doc[child.left_edge.i - 1].text != ",":
            continue
        ent = entity_at(child)
        if (
            ent is not None
            and ent.label_ == "ORG"
            and any(t.lower_ in ("university", "college") for t in ent)
        ):
            return ent
    return None


def _listed_after(tok: Token) -> Token | None:
    """The first name a plural common noun lists after "including" or "such as" ("sample
    developers, including SonicSmiths and VIR2" → SonicSmiths); ``None`` otherwise."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS":
        return None
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ in ("including", "like", "as"):
            if child.lower_ == "as" and child.i > 0 and tok.doc[child.i - 1].lower_ != "such":
                continue
            obj = _pobj(child)
            if obj is not None and obj.pos_ == "PROPN":
                return obj
    return None


def _slash_parts(span: Span) -> list[Span]:
    """A name span split at a spaced slash: "VIR2 / Big Fish Audio" names two bodies (an
    unspaced "AC/DC" is one name)."""
    doc = span.doc
    cuts = [
        t.i
        for t in span
        if t.text == "/" and t.i > span.start and doc[t.i - 1].whitespace_ and t.whitespace_
    ]
    if not cuts:
        return [span]
    bounds = [span.start, *cuts, span.end]
    # each part starts after its slash (the first part at the span's start)
    parts = [doc[a + (a in cuts) : b] for a, b in itertools.pairwise(bounds)]
    return [p for p in parts if len(p) and p[0].text[:1].isalnum()]


def _opens_lower(span: Span) -> bool:
    """Whether a span's first word after its articles is all lower case ("the committee for
    X", which the NER may take whole): a name opens capitalised ("iHeartMedia" is no
    lower-case word)."""
    first = next((t for t in span if t.pos_ != "DET"), None)
    if first is not None and first.i + 1 < span.end and not first.whitespace_:
        return False  # "e-Quality", "iHeartMedia": a glued lower-case prefix opens the name
    return first is not None and first.is_lower and first.is_alpha


def _named_in_apposition(tok: Token) -> Token:
    """The name a lower-case noun stands before: "founded by high school friends Tom Kazas
    and David Byrnes" → Kazas (and, through its conjuncts, Byrnes); else the token itself."""
    if tok.pos_ != "NOUN" or not tok.is_lower:
        return tok
    for child in tok.rights:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and child.i == tok.i + _name_gap(tok):
            return child
    return tok


def _name_gap(tok: Token) -> int:
    """How far past ``tok`` its name's last word is: the proper nouns right after it."""
    doc = tok.doc
    j = tok.i + 1
    while j < len(doc) and doc[j].pos_ == "PROPN":
        j += 1
    return j - 1 - tok.i


def _labels(pattern: Pattern) -> frozenset[str]:
    return frozenset(pattern.labels) if pattern.labels else DEFAULT_ENTITY_LABELS


def _value_candidates(
    target: Token,
    value: ValueType,
    pattern: Pattern,
    subject: Token | None,
    route: str,
    status: str,
    conjuncts: bool = True,
) -> Iterator[Candidate]:
    """Entity, text or country values a token (and, with ``conjuncts``, the tokens
    coordinated with it) names.

    An entity value is a named entity with one of the pattern's ``labels``; a pattern
    without ``labels`` also accepts the default labels and proper nouns the NER missed.
    """
    if value == "entity":
        target = _named_in_apposition(target)
    tokens = _conjuncts(target) if conjuncts else [target]
    if value == "entity":
        listed = _listed_after(target)
        if listed is not None:
            # "worked for other sample developers, including SonicSmiths and VIR2": the
            # names a plural common noun lists are the values (the parser may hang the
            # later ones on the noun itself)
            tokens = _conjuncts(listed) + [
                c for c in _conjuncts(target)[1:] if c.pos_ == "PROPN" and c.i > listed.i
            ]
    for tok in tokens:
        if value == "entity":
            if tok.lower_ in PRONOUNS:
                yield Candidate(
                    subject, route, tok.text, tok.idx, tok.idx + len(tok), status, value_ref=tok
                )
                continue
            named = _name_before_descriptor(tok) if "ORG" in _labels(pattern) else None
            if named is not None:
                # "studied acting at the Cours Florent drama school": the name the NER missed
                # stands before a lower-case institution noun
                yield Candidate(
                    subject, route, named.text, named.start_char, named.end_char, status
                )
                continue
            inner = _unit_at(tok)
            if inner is not None:
                # "a professor at the Department of Paediatrics at the University of
                # Melbourne": the department is part of the institution that employs
                span = entity_span(inner, _labels(pattern))
                if span is not None:
                    yield Candidate(
                        subject, route, span.text, span.start_char, span.end_char, status
                    )
                continue
            span = entity_span(tok, _labels(pattern), unlabelled=not pattern.labels)
            if span is not None and (
                span[-1].lower_ in pattern.not_heads or tok.lower_ in pattern.not_heads
            ):
                continue  # "joined the Labour Party": a membership, not an employer
            if span is not None and _opens_lower(span):
                continue  # "the committee for International Affairs": a description, no name
            if span is not None:
                for part in _slash_parts(span):
                    yield Candidate(
                        subject, route, part.text, part.start_char, part.end_char, status
                    )
                parent = _parent_university(tok)
                if parent is not None:
                    yield Candidate(
                        subject, route, parent.text, parent.start_char, parent.end_char, status
                    )
        elif value == "text":
            hit = noun_entry(tok, pattern)
            if hit is not None:
                span, canonical = hit
                yield Candidate(
                    subject, route, span.text, span.start_char, span.end_char, status, canonical
                )
        elif value == "country":
            span = entity_span(tok, frozenset({"GPE", "NORP", "LOC"})) or tok.doc[tok.i : tok.i + 1]
            key = country_key(span.text)
            if key:
                yield Candidate(
                    subject, route, span.text, span.start_char, span.end_char, status, key
                )
        elif value == "place":
            span = place_span(tok)
            if span is not None:
                yield Candidate(subject, route, span.text, span.start_char, span.end_char, status)
                return
