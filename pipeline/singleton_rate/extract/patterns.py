"""Interpreters for the catalog's pattern kinds, over one parsed sentence.

Each interpreter turns a sentence and a :class:`~singleton_rate.extract.catalog.Pattern` into
:class:`Candidate` values: where the value is, which token names the subject, and whether
the statement is negated or hedged. Keys are made later (:mod:`singleton_rate.normalize`).

Kinds (their fields are documented in ``relations/core.toml``):

* ``verb_arg``: an anchor word whose value hangs off it through a preposition or a
  dependency ("born in Lyon", "founded by Jobs", "born 7 May 1900").
* ``lifespan``: "NAME (DATE – DATE)", with optional places ("(Örebro, 1895 – Paris, 1965)").
* ``copula``: a predicate noun, after a copular verb or in apposition ("X was a French
  physicist", "X, a BBC journalist"): the noun itself, one of its modifiers, or the object of
  one of its prepositions is the value.
* ``verb_object``: "X married Y", "Y founded Z": a transitive verb whose subject or object is
  the value and the other the fact's subject.
* ``hyphenated``: "a Lyon-born painter", "a Seattle-based company": the name before the
  hyphen is the value, the noun it modifies names the subject.

All work in time linear in the sentence for each pattern: anchors are looked up in a
per-sentence word index, and every walk over the parse is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from singleton_rate.extract.catalog import Pattern, ValueType
from singleton_rate.extract.countries import country_key
from singleton_rate.extract.lexicon import load_lexicon
from singleton_rate.extract.subject import (
    COPULAR_VERBS,
    PRONOUNS,
    before_bracket,
    before_paren,
    entity_at,
    is_open,
    name_span,
    paren_open,
    predicate_subject,
    subject_token,
)
from singleton_rate.normalize import DateValue, find_dates

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
        "purportedly",
        "supposedly",
        "presumably",
        "say",
        "says",
        "claim",
        "claims",
        "suggest",
        "suggests",
        "suggested",
        "believe",
        "believes",
        "think",
        "thinks",
        "speculated",
    }
)
# Entity labels that can never be a place value. PERSON is not among them: the small model
# often labels a city after "born in" as a person ("died in Dakar" → PERSON), and the
# syntactic slot is the stronger evidence.
NOT_PLACE_LABELS: frozenset[str] = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP", "EVENT"}
)
# Entity values (an employer, a spouse, a founder) without `labels` of their own: named
# people and organisations, or a proper-noun chain the NER missed.
DEFAULT_ENTITY_LABELS: frozenset[str] = frozenset({"PERSON", "ORG", "FAC"})
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
        "township",
        "settlement",
    }
)
_NOT_NAME_POS = frozenset({"ADP", "PUNCT", "CCONJ", "SCONJ", "PART", "VERB", "AUX"})
# Tokens that end the stretch of a parenthesis an anchor's value may come from:
# "(born 1900 in Lyon; died 1950 in Paris)" has two statements.
WINDOW_STOPS: frozenset[str] = frozenset(
    {";", ")", "(", "–", "—", "--", "died", "d.", "†", "death", "buried"}
)
_CLOSE_REACH = 60  # tokens: how far the closing parenthesis may be
LIFESPAN_DASH = re.compile(r"\s*(?:–|—|--|-|to)\s*")
_SEPARATOR = re.compile(r"\s*(?:–|—|--|-|\bto\b)\s*")
LIFESPAN_MAX_CHARS = 200  # the prefilter's lifespan expression assumes this bound
# Words a place part of a lifespan may carry besides capitalised names.
_PLACE_CONNECTORS = frozenset(
    {
        "in",
        "at",
        "of",
        "upon",
        "on",
        "de",
        "del",
        "della",
        "di",
        "da",
        "do",
        "dos",
        "la",
        "le",
        "les",
        "am",
        "an",
        "der",
        "den",
        "sur",
        "en",
        "y",
        "and",
        "the",
        "im",
        "bei",
        "near",
        "outside",
        "now",
        "then",
    }
)
_LIFESPAN_MARKS = re.compile(r"^\s*(?:\*|†|born|died|b\.|d\.)\s*", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w.'’-]*|\d|[^\w\s]")


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
        if node.dep_ not in ("xcomp", "ccomp", "conj") or node.head is node:
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


def _trim(doc, start: int, end: int, keep: int) -> tuple[int, int]:
    """Drop function words the NER swallowed at a span's edges ("Bristol on")."""
    while end - 1 > keep and doc[end - 1].pos_ in _NOT_NAME_POS:
        end -= 1
    while start < keep and doc[start].pos_ in _NOT_NAME_POS:
        start += 1
    return start, end


def place_span(pobj: Token) -> Span | None:
    """The named place a preposition's object names, or ``None`` for a common noun.

    The place is the name the object phrase opens with: in "in Milwaukee, Wisconsin" the
    parser may make "Wisconsin" the object, but the most specific place comes first.
    """
    doc = pobj.doc
    first = pobj.left_edge
    while first.i < pobj.i and first.pos_ == "DET":
        first = doc[first.i + 1]
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
        return doc[start:end]
    if pobj.pos_ == "PROPN":
        return name_span(pobj)
    return None


# The last word of a name that makes it an institution whatever the NER says ("John Jay High
# School" labelled PERSON, "Virginia Tech"-like slips aside).
INSTITUTION_HEADS: frozenset[str] = frozenset(
    {
        "university",
        "college",
        "school",
        "academy",
        "institute",
        "conservatory",
        "conservatoire",
        "seminary",
        "polytechnic",
        "gymnasium",
        "lyceum",
        "company",
        "corporation",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "bank",
        "hospital",
        "museum",
        "library",
        "council",
        "commission",
        "department",
        "ministry",
        "agency",
        "service",
        "institution",
        "theatre",
        "theater",
        "gallery",
        "orchestra",
        "chambers",
        "laboratory",
        "laboratories",
        "foundation",
        "society",
        "fc",
        "afc",
        "hk",
    }
)


def is_institution_name(span: Span) -> bool:
    """Whether a capitalised name ends in an institution's head word ("… High School").

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("He left John Jay High School and Paris")
    >>> is_institution_name(doc[2:6]), is_institution_name(doc[7:8])
    (True, False)
    """
    last = span[-1]
    return len(span) >= 2 and (last.is_title or last.is_upper) and last.lower_ in INSTITUTION_HEADS


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
    across the preposition."""
    first = next((t for t in span if t.pos_ != "DET"), span[0])
    if first.lower_ not in UNIT_HEADS:
        return span  # "University of Illinois at Urbana-Champaign" is one name
    for tok in span:
        if tok.lower_ == "at" and tok.pos_ == "ADP" and span.start < tok.i < span.end - 1:
            if token.i < tok.i:
                return span.doc[span.start : tok.i]
            return span.doc[tok.i + 1 : span.end]
    return span


# Degrees the NER may take into the school's name: "graduated from Melbourne University MBBS".
DEGREE_WORDS: frozenset[str] = frozenset(
    {"mbbs", "mbchb", "ba", "b.a.", "bsc", "b.sc.", "ma", "m.a.", "msc", "m.sc.", "phd",
     "ph.d.", "mba", "llb", "ll.b.", "llm", "ll.m.", "md", "m.d.", "bs", "ms", "jd", "j.d.",
     "dphil", "beng", "meng", "bfa", "mfa", "bed", "med"}
)


def _without_degree(span: Span, token: Token) -> Span:
    """The name without degree abbreviations the NER swallowed at its end."""
    end = span.end
    floor = span.start if token.lower_ in DEGREE_WORDS else max(span.start, token.i)
    while end - 1 > floor and span.doc[end - 1].lower_ in DEGREE_WORDS:
        end -= 1
    return span.doc[span.start : end]


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


def entity_span(token: Token, labels: frozenset[str], unlabelled: bool = True) -> Span | None:
    """The named entity ``token`` heads, if its label is in ``labels``.

    With ``unlabelled``, a proper-noun chain the NER missed is accepted too.
    """
    ent = entity_at(token)
    if ent is not None:
        if ent.label_ not in labels and not ("ORG" in labels and is_institution_name(ent)):
            return None
        start, end = _trim(token.doc, ent.start, ent.end, token.i)
        span = _without_degree(_at_side(before_bracket(token.doc[start:end]), token), token)
        span = _comma_side(span, token)
        return _owner(span) if span.end > token.i else span
    if token.pos_ == "PROPN":
        span = name_span(token)
        if token.lower_ in DEGREE_WORDS and len(span) > 1:
            span = span[:-1]  # "Melbourne University MBBS", the degree parsed as the head
        if unlabelled or _holds_labelled(span, labels):
            return span
    return None


def _holds_labelled(span: Span, labels: frozenset[str]) -> bool:
    """Whether a proper-noun chain the NER cut short holds a name of ``labels`` ("the
    Military Academy Karlberg", "Military Academy" labelled ORG) or ends as an institution's
    name does ("Fort Mojave School")."""
    if "ORG" in labels and is_institution_name(span):
        return True
    return any(
        (e := entity_at(t)) is not None and e.label_ in labels and e.end <= span.end
        for t in span
    )


def noun_entry(noun: Token, pattern: Pattern, max_words: int = 4) -> tuple[Span, str] | None:
    """The longest entry of the pattern's ``nouns`` that ends at ``noun``, with its canonical.

    "an American film director" → ("film director", "film director") when the lexicon has
    it, else ("director", "director"); "actress" → ("actress", "actor").
    """
    doc = noun.doc
    starts = [noun.i]
    for child in sorted(noun.lefts, key=lambda t: -t.i):
        if child.dep_ in ("compound", "amod", "nmod") and child.i >= noun.i - max_words:
            starts.append(child.left_edge.i if child.left_edge.i >= noun.i - max_words else child.i)
    # a hyphenated noun ("singer-songwriter") is one entry
    if noun.i >= 2 and doc[noun.i - 1].text == "-" and not doc[noun.i - 2].whitespace_:
        starts.append(noun.i - 2)
    for start in sorted(set(starts)):
        span = doc[start : noun.i + 1]
        canonical = pattern.accepts_noun(span.text.replace(" - ", "-"))
        if canonical is not None:
            return span, canonical
    return None


def _conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Jobs and Wozniak")."""
    out = [token]
    stack = [token]
    while stack and len(out) < 12:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.i > token.i:
                out.append(child)
                stack.append(child)
    return out


# Parts of an institution, named "X of Y at Z": the value is Z, whom the part belongs to.
UNIT_HEADS: frozenset[str] = frozenset(
    {"school", "department", "faculty", "division", "unit", "section", "centre", "center",
     "laboratory", "program", "programme"}
)


# Capitalised one-word names of a body's departments, which the NER may take for one
# ("Director of Programmes", "director of Radio"): no employer's name.
GENERIC_UNITS: frozenset[str] = frozenset(
    {"radio", "television", "programmes", "programs", "programming", "operations", "sales",
     "marketing", "finance", "research", "engineering", "news", "sport", "sports", "music",
     "drama", "design", "development", "production", "communications", "admissions",
     "studies", "education", "athletics", "administration", "personnel", "staff",
     "home affairs", "foreign affairs", "internal affairs", "affairs", "defence", "defense",
     "justice", "health", "interior", "agriculture", "labour", "labor", "trade", "transport",
     "energy", "war", "finance and economy"}
)


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
    """The named institution a capitalised unit ("School of Sociology") is "at", if any."""
    if tok.lower_ not in UNIT_HEADS or not tok.is_title:
        return None
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "at":
            obj = _pobj(child)
            if obj is not None and obj.pos_ == "PROPN":
                return obj
    return None


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
    for tok in _conjuncts(target) if conjuncts else [target]:
        if value == "entity":
            if tok.lower_ in PRONOUNS:
                yield Candidate(
                    subject, route, tok.text, tok.idx, tok.idx + len(tok), status, value_ref=tok
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
            if span is not None:
                yield Candidate(subject, route, span.text, span.start_char, span.end_char, status)
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


# --------------------------------------------------------------------------------------------
# verb_arg
# --------------------------------------------------------------------------------------------


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
    if anchor.dep_ != "relcl" or not any(
        c.lower_ == "where" and c.dep_ == "advmod" for c in anchor.children
    ):
        return None
    head = anchor.head
    if head.pos_ != "PROPN" and head.ent_iob_ == "O":
        return None
    return place_span(head)


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
            for child in regions.roots:
                if child.dep_ not in ("prep", "agent"):
                    continue
                pobj = _pobj(child)
                if pobj is None:
                    continue
                if any(s + base <= pobj.idx < e + base for s, e, _ in view.dates()):
                    continue  # "born in 1867": a date, not a place
                found = place_span(pobj)
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
                if cands:
                    yield from cands
                    break


# --------------------------------------------------------------------------------------------
# lifespan
# --------------------------------------------------------------------------------------------


def _place_part(text: str, offset: int, before: bool) -> tuple[int, int] | bool | None:
    """The place a lifespan half names beside its date.

    ``text`` is what stands before the date (``before``) or after it, up to the dash or the
    parenthesis. Only the stretch next to the date counts: "(born Kevin Marvelli; 1961)" has
    a birth name, not a place, before the ";". Returns ``None`` when that stretch is empty,
    ``False`` when it is not a place (words in lower case, digits), else the (start, end) of
    its first comma-separated part, offset.
    """
    if ";" in text:
        if before:
            cut = text.rfind(";") + 1
            offset, text = offset + cut, text[cut:]
        else:
            text = text[: text.find(";")]
    lead = _LIFESPAN_MARKS.match(text)
    start = lead.end() if lead else 0
    stripped = text[start:].strip(" ,")
    if not stripped:
        return None
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
) -> list[tuple[int, int] | None] | None:
    """The place of each half, or ``None`` when some half holds something else."""
    places: list[tuple[int, int] | None] = []
    for before, b_off, after, a_off in halves:
        p_before = _place_part(before, b_off, before=True)
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
        found = find_dates(inner)
        if len(found) == 1:
            if pattern.part != 1:
                continue
            ((s1, e1, date),) = found
            after = inner[e1:]
            open_end = _OPEN_END.search(after)
            if open_end is not None:
                after = after[: open_end.start()]
            elif name.ent_type_ != "PERSON" or (
                date.precision == "year"
                and not date.approximate
                and not _LIFESPAN_MARKS.match(inner)
            ):
                # A lone year after a name is a citation, an edition or a term ("Behrens
                # (1981)", "translated by X (2016)", "(Doubleday, 1983)"), not a birth: only
                # a full date ("(Rome, 18 July 1956)") or a circa year ("(c. 1962)", how a
                # birth year known roughly is written) alone reads as one.
                continue
            places = _halves_places(((inner[:s1], 0, after, e1),))
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
        places = _halves_places(halves)
        if value == "date":
            # "(c. 1500 – after 1570)": a half that is only a date (and a place) is enough
            # for that half's date, whatever the other half says.
            own = _halves_places((halves[pattern.part - 1],))
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


# --------------------------------------------------------------------------------------------
# copula
# --------------------------------------------------------------------------------------------


def _predicate_nouns(view: SentenceView, pattern: Pattern) -> list[Token]:
    heads = pattern.noun_heads
    return [
        t
        for w, toks in view.index.items()
        if w in heads
        for t in toks
        if t.pos_ in ("NOUN", "PROPN")
        or (t.pos_ == "ADJ" and t.dep_ in ("attr", "appos", "conj"))
        or (pattern.appositive and _name_right_after(t) is not None)
    ]


def _name_right_after(noun: Token) -> Token | None:
    """The last word of a capitalised name right after a lower-case noun: "poet Walt
    Whitman", "interpreter Sonam Topgyal". The small parser often gets these wrong ("poet"
    as a verb, the name as its subject), so the words' order is read, not the tree."""
    doc = noun.doc
    if not noun.is_lower or noun.i + 2 >= len(doc) or noun.i + 1 >= noun.sent.end:
        return None
    j = noun.i + 1
    while j < noun.sent.end and doc[j].pos_ == "PROPN" and doc[j].is_title:
        j += 1
    if j - noun.i - 1 < 2:
        return None  # one capitalised word may be anything: "editor Smith" is left to the parse
    last = doc[j - 1]
    ent = entity_at(last)
    if ent is not None and ent.label_ not in ("PERSON", "ORG"):
        return None
    if ent is not None and (ent.start != noun.i + 1 or is_institution_name(ent)):
        return None
    return last


def match_copula(view: SentenceView, pattern: Pattern, value: ValueType) -> Iterator[Candidate]:
    """A predicate noun in ``nouns``: itself, a modifier of it, or its prepositional object.

    The noun must be the complement of a copular verb in ``words`` ("X was a physicist"),
    coordinated with one ("an actor, singer and producer"), or, with ``appositive``, stand
    in apposition to a name ("Curie, a physicist"; "the physicist Marie Curie").
    """
    seen: set[int] = set()
    for noun in sorted(_predicate_nouns(view, pattern), key=lambda t: t.i):
        if noun.i in seen:
            continue
        seen.add(noun.i)
        entry = noun_entry(noun, pattern)
        if entry is None or (
            pattern.take == "noun"
            and is_titled_office(noun)
            and not (entry[1] in JURISDICTION_OFFICES and _named_before(noun, pattern))
        ):
            continue
        pred = predicate_subject(noun, frozenset(pattern.words), pattern.appositive)
        if pred is None and pattern.appositive:
            after = _name_right_after(noun)
            pred = (after, "appositive", None) if after is not None else None
        if pred is None:
            continue
        subject, route, verb = pred
        if subject is not None and subject.lower_ == noun.lower_ and subject.i != noun.i:
            continue  # "The Minister of X is the cabinet minister …": an office defined
        if route == "appositive" and not _appositive_title(noun, subject, entry[0].start):
            continue
        status = statement_status(verb) if verb is not None else "asserted"
        span, canonical = entry
        if pattern.take == "noun":
            norm = canonical if value == "text" else country_key(span.text)
            if norm:
                yield Candidate(
                    subject, route, span.text, span.start_char, span.end_char, status, norm
                )
        elif pattern.take == "modifier":
            yield from _modifier_values(noun, span, pattern, value, subject, route, status)
        else:
            preps = _noun_preps(noun, pattern)
            if verb is not None and noun.dep_ == "dobj":
                # "received a bachelor of commerce degree from Carleton University": the
                # preposition may hang on the verb
                preps += [
                    c
                    for c in verb.rights
                    if c.dep_ == "prep" and c.lower_ in pattern.preps and c.i > noun.i
                ]
            for prep in preps:
                target = _pobj(prep)
                if target is None:
                    continue
                if prep.lower_ == "of" and value == "entity":
                    if any(
                        c.dep_ == "poss" and c.ent_type_ == "ORG" for c in noun.children
                    ):
                        break  # "Apple's vice president of Software Engineering": a division
                    target = _body_of(target)
                    if (
                        target.lower_ in UNIT_HEADS
                        and _unit_at(target) is None
                        and any(c.dep_ == "prep" and c.lower_ == "of" for c in target.rights)
                    ):
                        continue  # "Director of the Division of X (at the Agency)": a unit
                if pattern.value_role == "subject":
                    # "X is one of the founders of Y": Y is the fact's subject, X the value
                    if subject is None:
                        continue
                    cands = [
                        c
                        for tok in _conjuncts(target)
                        for c in _value_candidates(
                            subject, value, pattern, tok, "object", status, False
                        )
                    ]
                else:
                    cands = [
                        c
                        for c in _value_candidates(
                            target, value, pattern, subject, route, status, False
                        )
                        # "the second Principal of the College": the NER's name holds the
                        # post itself, or is a bare "College" that only refers back
                        if c.value_start > noun.idx
                        and c.value_text.lower() not in INSTITUTION_HEADS
                        and c.value_text.lower() not in GENERIC_UNITS
                    ]
                if cands:
                    yield from cands
                    break


# Posts named after a field of study: "Professor of Psychology" is a professor.
ACADEMIC_POSTS: frozenset[str] = frozenset({"professor", "lecturer", "reader", "fellow"})


# Offices whole before "of" and the place or body they are held over: "Prime Minister of
# Bangladesh" is a prime minister, "President of the College" a president (while "Secretary
# of War" is no secretary, nor "Minister of Finance" a bare minister).
JURISDICTION_OFFICES: frozenset[str] = frozenset(
    {"president", "vice president", "prime minister", "premier", "governor", "mayor",
     "chancellor", "vice-chancellor", "principal", "dean",
     "rector", "provost", "chairman", "member of parliament", "bishop", "archbishop"}
)


def _named_before(noun: Token, pattern: Pattern) -> bool:
    """Whether the noun's subject comes before it ("X, Prime Minister of Bangladesh"; "X was
    President of the Royal Society"): a name after "Premier of Victoria" may have taken in
    the place ("Victoria Steve Bracks"), and "King of Kings" is a name itself."""
    pred = predicate_subject(noun, frozenset(pattern.words), pattern.appositive)
    return pred is not None and pred[0] is not None and pred[0].i < noun.i


def is_titled_office(noun: Token) -> bool:
    """Whether a capitalised noun opens a longer title: "Secretary of War", "an Officer of the
    Order of Australia" (an honour), "Minister of Finance".

    The entry alone ("secretary", "officer") would be the title cut short; the noun must be
    capitalised inside the sentence and followed by "of" and a capitalised word.
    """
    doc = noun.doc
    if not noun.is_title or noun.i == noun.sent.start or noun.i + 2 >= len(doc):
        return False
    if noun.lower_ in ACADEMIC_POSTS:
        return False  # "Professor of Psychology": a professor, the chair's field aside
    after = doc[noun.i + 1]
    if after.lower_ != "of":
        return False
    nxt = doc[noun.i + 2]
    if nxt.lower_ == "the" and noun.i + 3 < len(doc):
        nxt = doc[noun.i + 3]
    return nxt.is_title


# Occupation words that are also given names or surnames: capitalised at the start of a
# person's name they are the name ("Dean Silvers", "Baker Mayfield"), not a post.
NAME_WORDS: frozenset[str] = frozenset(
    {"dean", "baker", "singer", "clerk", "mason", "cook", "carpenter", "porter", "butler",
     "tailor", "fisher", "farmer", "miller", "hunter", "archer", "sexton", "skinner", "turner",
     "weaver", "potter", "gardener", "parson", "knight", "marshal", "deacon", "chaplain",
     "page", "pilot", "driver", "barber", "shepherd", "sailor", "painter", "brewer", "banker"}
)

# Words that open a post's title before its noun ("Chief Designer", "Senior Editor").
POST_PREFIXES: frozenset[str] = frozenset(
    {"chief", "senior", "deputy", "assistant", "associate", "executive", "head", "lead",
     "vice", "acting", "former", "then", "interim"}
)

# Words that follow a title as part of it and that the NER may take for a name.
TITLE_SUFFIXES: frozenset[str] = frozenset({"emeritus", "emerita", "emeriti", "designate", "elect"})


def _names_institution(token: Token) -> bool:
    """Whether the proper noun is a word of an institution's name: the name it compounds
    into ends in an institution's head word."""
    node = token
    for _ in range(8):
        if node.dep_ not in ("compound", "flat") or node.head is node or node.head.pos_ != "PROPN":
            break
        node = node.head
    return node.lower_ in INSTITUTION_HEADS and node.is_title


def _appositive_title(noun: Token, subject: Token | None, start: int | None = None) -> bool:
    """Whether a noun before or beside a name describes it ("rapper Cupcakke", "Professor
    David Lester"), rather than being a word of a longer capitalised name ("Reserve Officer
    Training Corps", "Consultant Plastic Surgeon", "Professor Emeritus").

    A capitalised noun right after another capitalised word is inside a name; a capitalised
    noun describes only a name the NER labelled a person.
    """
    if subject is not None and load_lexicon("occupations").lookup(subject.text):
        return False  # "Clerk Typist": a compound job title, not a person
    if subject is not None and subject.lower_ in TITLE_SUFFIXES:
        return False  # "Professor Emeritus": a title, not a person named Emeritus
    if not noun.is_title:
        return True
    doc = noun.doc
    if (
        noun.lower_ in NAME_WORDS
        and (noun.i == noun.sent.start or not doc[noun.i - 1].is_alpha)
        and noun.ent_type_ == "PERSON"
    ):
        return False  # "Dean Silvers, J.D., is …": a given name, not a dean
    if subject is not None and _names_institution(subject):
        return False  # "King Edward VII Medical College", even when the NER says PERSON
    # the word before the whole entry: "Prime Minister Malcolm Turnbull" is one title
    first = noun.i if start is None else min(start, noun.i)
    while first > noun.sent.start and doc[first - 1].lower_ in POST_PREFIXES:
        first -= 1  # "Chief Designer Richard Vogt", "Deputy Chief Designer Pohlmann"
    if first > noun.sent.start and doc[first - 1].is_title and doc[first - 1].pos_ == "PROPN":
        return False
    return subject is not None and subject.ent_type_ == "PERSON"


def _noun_preps(noun: Token, pattern: Pattern) -> list[Token]:
    """Prepositions in ``preps`` on the noun, or after an "of" phrase of it ("a professor
    of physics at Harvard")."""
    out = []
    stack = list(noun.rights)
    while stack and len(out) < 4:
        node = stack.pop(0)
        if node.dep_ == "prep" and node.lower_ in pattern.preps:
            out.append(node)
        elif node.dep_ == "prep" and node.lower_ in ("of", "as", "in"):
            # "a professor of physics at Harvard"; "a position as a designer at Junkers";
            # "a degree in biological sciences from American University"
            obj = _pobj(node)
            if obj is not None:
                stack.extend(c for c in obj.rights if c.dep_ == "prep")
    return out


def _modifier_values(
    noun: Token,
    entry: Span,
    pattern: Pattern,
    value: ValueType,
    subject: Token | None,
    route: str,
    status: str,
) -> Iterator[Candidate]:
    """ "a French physicist" → France; "a BBC journalist" → BBC (``labels``).

    The modifier is looked for among the words of the noun phrase before the entry ("a
    French actor and film director" → France), skipping hyphenated compounds ("German-born",
    "Irish-American") and words followed by a ``not_before`` word ("American football").
    """
    doc = noun.doc
    found = list(
        _modifier_in(doc, noun.left_edge.i, entry.start, pattern, value, subject, route, status)
    )
    yield from found
    head = noun.head
    if (
        not found
        and noun.dep_ == "conj"
        and head is not noun
        and head.i < noun.i
        and head.pos_ == "NOUN"
        and noun.left_edge.i == entry.start
    ):
        # "an Italian knight and condottiero": the modifier of the first noun describes the
        # whole coordination, even when only a later noun is an entry.
        yield from _modifier_in(
            doc, head.left_edge.i, head.i, pattern, value, subject, route, status
        )


def _modifier_in(
    doc: Doc,
    start: int,
    stop: int,
    pattern: Pattern,
    value: ValueType,
    subject: Token | None,
    route: str,
    status: str,
) -> Iterator[Candidate]:
    """The first country word (or named entity with ``labels``) in ``doc[start:stop]``.

    A ``not_before`` word right after the modifier disqualifies it unless that word opens
    the entry itself ("an Italian football player": "football player" is the occupation;
    "an Australian rules footballer": not Australia).
    """
    entry_start = stop
    i = start
    while i < stop:
        tok = doc[i]
        if tok.pos_ not in ("ADJ", "PROPN", "NOUN") or _hyphen_attached(tok):
            i += 1
            continue
        if value == "country":
            for width in (3, 2, 1):
                end = i + width
                if end > entry_start:
                    continue
                span = doc[i:end]
                if any(_hyphen_attached(t) for t in span):
                    continue
                key = country_key(span.text)
                if not key:
                    continue
                if end < entry_start and doc[end].lower_ in pattern.not_before:
                    break
                if _in_longer_name(span, stop):
                    break  # "a Bangladesh Awami League politician": the party's name
                yield Candidate(
                    subject, route, span.text, span.start_char, span.end_char, status, key
                )
                return
        else:
            ent = entity_at(tok)
            if (
                ent is not None
                and ent.start == i
                and ent.label_ in pattern.labels
                and ent.end <= entry_start
                and not country_key(ent.text)
            ):
                yield Candidate(subject, route, ent.text, ent.start_char, ent.end_char, status)
                return
        i += 1


def _in_longer_name(span: Span, stop: int) -> bool:
    """Whether a country word is the start of a longer name before ``stop``: "Bangladesh"
    in "Bangladesh Awami League" (an organisation's, a work's or an event's entity, or more
    capitalised proper nouns right after it)."""
    ent = entity_at(span[0])
    if (
        ent is not None
        and len(ent) > len(span)
        and ent.label_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT")
    ):
        return True
    doc = span.doc
    nxt = doc[span.end] if span.end < stop else None
    return (
        nxt is not None
        and span[-1].pos_ == "PROPN"
        and span[-1].ent_type_ != "NORP"  # a demonym ("Brazilian Foreign Secretary") is no name
        and nxt.pos_ == "PROPN"
        and nxt.is_title
        and not country_key(nxt.text)
    )


def _hyphen_attached(tok: Token) -> bool:
    doc = tok.doc
    after = tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-" and not tok.whitespace_
    before = tok.i > 0 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_
    return after or before


# --------------------------------------------------------------------------------------------
# verb_object
# --------------------------------------------------------------------------------------------


def match_verb_object(
    view: SentenceView, pattern: Pattern, value: ValueType
) -> Iterator[Candidate]:
    """ "X married Y" (``value_role = "object"``), "Y founded Z" (``value_role = "subject"``).

    Active voice only; the object is the verb's direct object. With ``value_role =
    "subject"`` the object names the fact's subject and the grammatical subject is the value,
    resolved like a subject when it is a pronoun ("He founded Microsoft").
    """
    for anchor in view.anchors(pattern.words):
        if anchor.pos_ not in ("VERB", "AUX") or is_passive(anchor):
            continue
        obj = next((c for c in anchor.children if c.dep_ == "dobj"), None)
        if obj is None:
            continue
        subj, route = subject_token(anchor)
        if subj is None:
            continue
        status = statement_status(anchor)
        if pattern.value_role == "object":
            if value == "entity" and obj.lower_ in ("faculty", "staff"):
                obj = _body_of(obj)  # "joined the faculty of the University of Arkansas"
            yield from _value_candidates(obj, value, pattern, subj, route, status)
        else:
            # "she and her partner John Havens formed X": every subject of the verb (the
            # parser may give it two) and their conjuncts are values
            subjects = [subj] + [
                c
                for c in anchor.children
                if c.dep_ in ("nsubj", "nsubjpass") and c is not subj and route == "subject"
            ]
            for tok in _conjuncts(obj):
                for s in subjects:
                    yield from _value_candidates(s, value, pattern, tok, "object", status)


# --------------------------------------------------------------------------------------------
# hyphenated
# --------------------------------------------------------------------------------------------


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
        if head is anchor or head.i < anchor.i:
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
