"""The ``copula`` kind: a predicate noun, after a copular verb or in apposition.

"X was a French physicist", "X, a BBC journalist": the noun itself (``take = "noun"``), one
of its modifiers (``"modifier"``) or the object of one of its prepositions (``"prep"``) is
the value. Fields: ``words``, ``nouns``, ``take``, ``preps``, ``labels``, ``appositive``,
``not_before``, ``value_role``, ``any_noun``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from singleton_rate.extract.countries import country_key
from singleton_rate.extract.kinds import Kind, register
from singleton_rate.extract.lexicon import load_lexicon
from singleton_rate.extract.patterns import (
    INSTITUTION_HEADS,
    POST_PREFIXES,
    Candidate,
    SentenceView,
    _body_of,
    _conjuncts,
    _pobj,
    _unit_at,
    _value_candidates,
    before_owned_post,
    is_institution_name,
    nation_start,
    noun_entry,
    quoted_name,
    statement_status,
)
from singleton_rate.extract.subject import (
    ACADEMIC_POSTS,
    ORG_REFERENCES,
    THING_NOUNS,
    UNIT_HEADS,
    entity_at,
    is_open,
    predicate_subject,
)
from singleton_rate.extract.words import word_list

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from singleton_rate.extract.catalog import Pattern, ValueType

# Capitalised one-word names of a body's departments, which the NER may take for one
# ("Director of Programmes", "director of Radio"): no employer's name.
GENERIC_UNITS: frozenset[str] = word_list("generic_units")


# Subjects an ``any_noun`` predicate may describe: a name the NER calls a person, or a
# personal pronoun (resolved to the page's subject only when it may be a person).
_PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she"})


# Predicate nouns that describe no person even of a person's name ("a Czech surname").
NON_PERSON_NOUNS: frozenset[str] = word_list("non_person_nouns") | THING_NOUNS | ORG_REFERENCES


def _any_nouns(view: SentenceView) -> list[Token]:
    """Lower-case common nouns complementing a copula, or coordinated with one, that no
    occupation entry ends at (those are the ``nouns`` patterns' own) and that name no thing
    or body: "a Swiss bobsledder", "an Italian condottiero" with the noun unknown."""
    return [
        t
        for t in view.sent
        if t.pos_ == "NOUN"
        and t.is_lower
        and t.dep_ in ("attr", "conj")
        and t.lower_ not in NON_PERSON_NOUNS
        # an entry ending here is the other patterns' ("footballer player" is none)
        and noun_entry(t, _occupations_pattern()) is None
        # "China's first guitar hero": a possessive says whose hero, not a nationality
        and not any(c.dep_ == "poss" for c in t.children)
    ]


@functools.cache
def _occupations_pattern() -> Pattern:
    from singleton_rate.extract.catalog import Pattern

    return Pattern(name="any_noun/occupations", kind="copula", nouns=("@occupations",))


# Words of country names that nearly every text holds ("The Gambia", "Isle of Man"): the
# prefilter needs another word of the name ("gambia"); a name made only of them keeps them.
_COMMON_NAME_WORDS: frozenset[str] = frozenset(
    """the of and a an is in new republic united states st saint north south east west island
    islands democratic people's see el san dr""".split()  # noqa: SIM905
)


@functools.cache
def _country_words() -> frozenset[str]:
    """Words one of which every country name, abbreviation or demonym holds, lower-case."""
    out: set[str] = set()
    for entry in load_lexicon("countries").entries:
        words = {w for w in entry.replace("-", " ").split() if w}
        out |= (words - _COMMON_NAME_WORDS) or words
    return frozenset(out)


def triggers(pattern: Pattern) -> tuple[frozenset[str], ...] | None:
    """An ``any_noun`` pattern needs an anchor word and a country word (its value is one):
    any noun may follow, so the nouns' words cannot narrow the sentences it reads."""
    if not pattern.option("any_noun", False):
        return None
    return (frozenset(pattern.words), _country_words())


def _is_person_subject(subject: Token | None) -> bool:
    return subject is not None and (
        subject.ent_type_ == "PERSON" or subject.lower_ in _PERSON_PRONOUNS
    )


def _predicate_nouns(view: SentenceView, pattern: Pattern) -> list[Token]:
    if pattern.option("any_noun", False):
        return _any_nouns(view)
    heads = pattern.noun_heads
    plurals = pattern.plural_heads if pattern.appositive else frozenset()
    found = [
        t
        for w, toks in view.index.items()
        if w in heads or w in plurals
        for t in toks
        if t.pos_ in ("NOUN", "PROPN")
        or (t.pos_ == "ADJ" and t.dep_ in ("attr", "appos", "conj"))
        or (pattern.appositive and _name_right_after(t) is not None)
    ]
    # "a Canadian ice hockey forward": the tagger reads "forward" as an adverb and makes
    # "hockey" the predicate noun; the noun before such a stray head stands for the entry
    found += [
        t.doc[t.i - 1]
        for w, toks in view.index.items()
        if w in heads
        for t in toks
        if t.pos_ in ("ADV", "ADJ")
        and t.i > view.sent.start
        and t.doc[t.i - 1].pos_ == "NOUN"
        and t.head in (t.doc[t.i - 1], t.doc[t.i - 1].head)
        and t.doc[t.i - 1].dep_ in ("attr", "appos", "conj")
    ]
    return found


# Words after a plural noun that open the names it lists: "musicians like X and Y",
# "artists such as X", "poets including X".
LIST_OPENERS: frozenset[str] = word_list("list_openers")
_NAME_LABELS = frozenset({"PERSON", "ORG"})  # the small model labels many people ORG
_FILLER_POS = frozenset({"DET", "ADJ", "ADV", "PART"})


def _name_end(doc: Doc, start: int, stop: int, labels: frozenset[str]) -> int | None:
    """The end of a person's name the NER found starting at ``start`` (a PERSON, or an ORG
    of two to four capitalised words), else ``None``."""
    tok = doc[start]
    if start >= stop or tok.ent_iob_ != "B" or tok.ent_type_ not in labels:
        return None
    end = start + 1
    while end < stop and doc[end].ent_iob_ == "I":
        end += 1
    if tok.ent_type_ == "ORG" and not (
        2 <= end - start <= 4 and all(t.is_title and t.pos_ == "PROPN" for t in doc[start:end])
    ):
        return None
    return end


def _listed_names(noun: Token, plural: bool) -> list[Token]:
    """The people a lower-case occupation noun stands right before, read in word order (the
    small parser rarely gets these right): "guitarist and vocalist Melina Ausikaitis", "English
    musician and producer George FitzGerald" (the name after a run of coordinated nouns), and
    for a plural noun every name of the list it opens: "poets Du Fu and Fang Gan", "musicians
    like X, Y, and Z", "the scholars, X, Y and Z", "Beijing musicians X (guitar) and Y (bass)".

    Each name is returned as its last token. A comma right after the noun opens a list only
    of two names or more ("the scholars, X and Y"); "He was a painter, Smith said" names no
    painter.
    """
    doc = noun.doc
    stop = noun.sent.end
    if (noun.is_title and noun.i > noun.sent.start) or (plural and not noun.is_lower):
        return []  # "Reporters Without Borders": a plural opening a name
    j = noun.i + 1
    run = 0
    # the further nouns of a coordination: "musician and producer", "keyboardist and
    # orchestra leader"
    while (
        j < stop
        and run < 5
        and (doc[j].lower_ in ("and", "&") or (doc[j].is_lower and doc[j].pos_ in ("NOUN", "ADJ")))
    ):
        j, run = j + 1, run + 1
    if run and (
        doc[noun.i + 1].lower_ not in ("and", "&")
        or not (doc[j - 1].is_lower and doc[j - 1].pos_ == "NOUN")
    ):
        return []  # "a painter friend X", "a painter and X": no run of coordinated nouns
    comma = False
    if plural and not run:
        if j < stop and doc[j].text == ",":
            comma, j = True, j + 1
        if j < stop and doc[j].lower_ in LIST_OPENERS:
            j += 1
        elif j + 1 < stop and doc[j].lower_ == "such" and doc[j + 1].lower_ == "as":
            j += 2
    names: list[Token] = []
    while j < stop and len(names) < 12:
        # a list gives its values only to names the NER calls people ("producers such as
        # Blue Eyes Fiction, X and Galaxy Studios" mixes firms in; the list goes on past
        # them); one name after a run of nouns may be labelled ORG by the small model
        end = _name_end(doc, j, stop, _NAME_LABELS)
        if end is None:
            break
        if not plural or doc[j].ent_type_ == "PERSON":
            names.append(doc[end - 1])
        if not plural:
            break
        j = end
        if j < stop and is_open(doc[j]):  # "X (guitar)": the instrument aside
            close = next((k for k in range(j + 1, min(stop, j + 8)) if doc[k].text == ")"), None)
            if close is None:
                break
            j = close + 1
        seps = 0
        while j < stop and seps < 2 and doc[j].lower_ in (",", "and", "&"):
            j, seps = j + 1, seps + 1
        if not seps:
            break
        filler = 0
        while j < stop and filler < 3 and doc[j].is_lower and doc[j].pos_ in _FILLER_POS:
            j, filler = j + 1, filler + 1  # "and not the least Joshua Redman"
    if comma and len(names) < 2:
        return []
    return names


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
        any_noun = pattern.option("any_noun", False)
        if any_noun:
            entry = (noun.doc[noun.i : noun.i + 1], noun.lower_)
        elif noun.lower_ in pattern.plural_heads:
            if noun.tag_ != "NNS":
                continue  # "Reporters Without Borders"
            if not _one_of(noun):
                yield from _plural_candidates(noun, pattern, value)
                continue
            entry = noun_entry(noun, pattern, singular=True)  # "one of the commanders of X"
        else:
            entry = noun_entry(noun, pattern)
        titled_name = (
            _name_after_office(noun, entry[0]) if entry is not None and pattern.appositive else None
        )
        if entry is None or _award_title(noun):
            continue
        if (
            pattern.take == "noun"
            and is_titled_office(noun)
            and entry[0].end <= noun.i + 1  # "Member of Parliament" whole is no title cut short
            and not (
                (entry[1] in JURISDICTION_OFFICES or noun.lower_ not in TITLED_HEADS)
                and (titled_name is not None or _named_before(noun, pattern))
            )
            and not _corporate_post(entry[0])
        ):
            continue
        pred = predicate_subject(noun, frozenset(pattern.words), pattern.appositive)
        if pred is None and titled_name is not None:
            pred = (titled_name, "appositive", None)
        if pred is None and pattern.appositive:
            after = _name_right_after(noun)
            if after is None:
                after = next(iter(_listed_names(noun, plural=False)), None)
            pred = (after, "appositive", None) if after is not None else None
        if pred is None:
            continue
        subject, route, verb = pred
        if any_noun and (route != "subject" or not _is_person_subject(subject)):
            continue  # an unknown noun says nothing of a person unless the NER says one is
        if subject is not None and subject.lower_ == noun.lower_ and subject.i != noun.i:
            continue  # "The Minister of X is the cabinet minister …": an office defined
        if route == "appositive" and not _appositive_title(noun, subject, entry[0].start):
            continue
        obj = (
            next((c for c in verb.children if c.dep_ == "dobj" and c.i < noun.i), None)
            if verb is not None and verb.lower_ in OBJECT_POST_VERBS
            else None
        )
        if obj is not None:
            # "Martin named Emert the executive vice president", "Wintour described him as
            # the king of X": the post is the object's
            if obj.pos_ not in ("PROPN", "PRON"):
                continue
            subject, route = obj, "subject"
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
            if not preps and noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
                # "a German film composer and CEO of X": the parser hangs the "of" that follows
                # the second post on the first
                preps = [
                    c
                    for c in noun.head.rights
                    if c.dep_ == "prep" and c.lower_ in pattern.preps and c.i > noun.i
                ]
            if verb is not None and (
                noun.dep_ == "dobj"
                or (noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head == verb)
            ):
                # "received a bachelor of commerce degree from Carleton University", "was
                # hired as Curator of Art at the Winnipeg Art Gallery": the preposition may
                # hang on the verb
                # ("received her M.F.A in printmaking at the Pratt Institute": or below
                # the verb's "in" phrase)
                below = [
                    g
                    for c in verb.rights
                    if c.dep_ == "prep" and c.lower_ == "in" and c.i > noun.i
                    for o in c.children
                    if o.dep_ == "pobj"
                    for g in o.rights
                ]
                preps += [
                    c
                    for c in [*verb.rights, *below]
                    if c.dep_ == "prep"
                    and c.lower_ in pattern.preps
                    and c.i > noun.i
                    # not past a comma or another verb: "joined the BBC as a producer in 1981
                    # where credits included X for BBC Radio One, Y for BBC Radio Two"
                    and not any(
                        t.text == "," or t.pos_ == "VERB" for t in noun.doc[noun.i + 1 : c.i]
                    )
                ]
            # "Member of Parliament for Bristol West", "MP for Kiskunfélegyháza": a seat's
            # constituency, not an employer
            preps = [
                p
                for p in preps
                if p.lower_ != "for"
                or not any(t.lower_ in SEAT_POSTS for t in noun.doc[noun.i : p.i])
            ]
            where = _where_head(verb) if not preps and "at" in pattern.preps else None
            if where is not None and pattern.value_role != "subject":
                # "he returned to Swansea University, where he was appointed Lecturer": the
                # body the relative "where" stands for is the "at" of the post
                yield from (
                    c
                    for c in _value_candidates(where, value, pattern, subject, route, status, False)
                    if c.value_text.lower() not in INSTITUTION_HEADS
                )
            for prep in preps:
                target = _pobj(prep)
                if target is None:
                    continue
                if prep.lower_ == "of" and value == "entity":
                    if any(c.dep_ == "poss" and c.ent_type_ == "ORG" for c in noun.children):
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
                            # "degrees from Colorado State University and Virginia Tech":
                            # each school; "CEO of X and Y" stays one body, and "reporter
                            # for WNBA, NBA and college games" lists no employers
                            target,
                            value,
                            pattern,
                            subject,
                            route,
                            status,
                            prep.lower_ in ("from", "at"),
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


def _where_head(verb: Token | None) -> Token | None:
    """The noun a "where" clause the verb heads hangs on: "Blohm & Voss, where he worked as
    Head of New Projects" → Voss; ``None`` without such a clause."""
    if verb is None or verb.dep_ != "relcl" or verb.head.pos_ not in ("PROPN", "NOUN"):
        return None
    if not any(c.lower_ == "where" and c.dep_ == "advmod" for c in verb.children):
        return None
    return verb.head


def _one_of(noun: Token) -> bool:
    """ "one of the commanders": a plural that describes one subject."""
    return (
        noun.dep_ == "pobj"
        and noun.head.lower_ == "of"
        and noun.head.head.lower_ == "one"
        and noun.head.head.i < noun.i
    )


def _plural_candidates(noun: Token, pattern: Pattern, value: ValueType) -> Iterator[Candidate]:
    """A plural occupation noun's value for each name it lists ("poets Du Fu and Fang Gan" →
    poet of each; "American rappers X and Y" → United States of each). Only ``noun`` and
    ``modifier`` values: a plural's prepositions name no one's employer."""
    if pattern.take not in ("noun", "modifier"):
        return
    entry = noun_entry(noun, pattern, singular=True)
    if entry is None:
        return
    span, canonical = entry
    for name in _listed_names(noun, plural=True):
        if not _appositive_title(noun, name, span.start):
            continue
        if pattern.take == "noun":
            norm = canonical if value == "text" else country_key(span.text)
            if norm:
                yield Candidate(
                    name, "appositive", span.text, span.start_char, span.end_char, "asserted", norm
                )
        else:
            yield from _modifier_values(noun, span, pattern, value, name, "appositive", "asserted")


# Verbs whose direct object, when there is one before the post, is the person the post is
# said of ("they elected him chairman", "Martin named Emert the executive vice president");
# passive, the subject is.
OBJECT_POST_VERBS: frozenset[str] = frozenset(
    {
        "elected",
        "regarded",
        "considered",
        "described",
        "named",
        "appointed",
        "hired",
        "employed",
        "recruited",
    }
)


# Offices whole before "of" and the place or body they are held over: "Prime Minister of
# Bangladesh" is a prime minister, "President of the College" a president (while "Secretary
# of War" is no secretary, nor "Minister of Finance" a bare minister).
JURISDICTION_OFFICES: frozenset[str] = word_list("jurisdiction_offices")


def _name_after_office(noun: Token, entry: Span) -> Token | None:
    """The person a capitalised office stands before together with the place or body it is
    held over: "former Premier of New South Wales Barry O'Farrell", "Chief Minister of
    Telangana, Kalvakuntla Chandrashekhar Rao", "Secretary of War Jefferson Davis" (the
    last word of the name, or ``None``).

    Between the office's "of" and the name only capitalised words, "the", "and" or one
    comma; the name must be a person the NER labelled, and not start right after "of" (in
    "Premier of Victoria Steve Bracks" the NER may take the place into the name).
    """
    doc = noun.doc
    if not noun.is_title or noun.i == noun.sent.start:
        return None
    k = entry.end
    if k < noun.sent.end and doc[k].lower_ == "of" and entry.end == noun.i + 1:
        k += 1
        while k < noun.sent.end and k - noun.i <= 8 and doc[k].ent_type_ != "PERSON":
            tok = doc[k]
            if not (tok.is_title or tok.lower_ in ("the", "and", "of", ",")):
                return None
            k += 1
    if k < noun.sent.end and doc[k].text == ",":
        k += 1
    if k >= noun.sent.end or doc[k].ent_iob_ != "B" or doc[k].ent_type_ != "PERSON":
        return None
    if doc[k - 1].lower_ in ("of", "the", "and"):
        # "Premier of Victoria Steve Bracks": the NER may have run the place into the name;
        # "CEO of Hewlett Packard Enterprise and Marissa Mayer": the name is another's
        return None
    ent = entity_at(doc[k])
    return None if ent is None else doc[ent.end - 1]


def _named_before(noun: Token, pattern: Pattern) -> bool:
    """Whether the noun's subject comes before it ("X, Prime Minister of Bangladesh"; "X was
    President of the Royal Society"): a name after "Premier of Victoria" may have taken in
    the place ("Victoria Steve Bracks"), and "King of Kings" is a name itself."""
    pred = predicate_subject(noun, frozenset(pattern.words), pattern.appositive)
    return pred is not None and pred[0] is not None and pred[0].i < noun.i


# Last words of posts whose whole multi-word entry is the occupation even before "of" and
# a body: "Chief Financial Officer of Standard Life", "Finance Director of Nascent Group"
# (the body is the employer; a lone "Officer of the Order" or "Director of X" stays out).
CORPORATE_POST_HEADS: frozenset[str] = frozenset({"officer", "director"})


def _corporate_post(entry: Span) -> bool:
    return len(entry) >= 2 and entry[-1].lower_ in CORPORATE_POST_HEADS


# Heads of titles whose "of" phrase makes another thing of them: "Secretary of War" is no
# secretary, "Minister of Finance" no bare minister, "Officer of the Order" an honour,
# "Master of Arts" a degree. Any other head said of someone named before it keeps its post
# ("he became Director of the Institute for Statistics": a director, the gold sets' rule).
TITLED_HEADS: frozenset[str] = word_list("titled_heads")


_AWARD_PERIODS = frozenset({"year", "decade", "century", "season", "month", "week", "match"})


def _award_title(noun: Token) -> bool:
    """Whether a capitalised noun names an award: "named Ballarat Sportsperson of the Year"."""
    doc = noun.doc
    k = noun.i + 1
    if not noun.is_title or k + 2 > len(doc) or doc[k].lower_ != "of":
        return False
    if doc[k + 1].lower_ == "the" and k + 2 < len(doc):
        k += 1
    return doc[k + 1].lower_ in _AWARD_PERIODS and doc[k + 1].is_title


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
NAME_WORDS: frozenset[str] = word_list("name_words")


# Words that follow a title as part of it and that the NER may take for a name.
TITLE_SUFFIXES: frozenset[str] = word_list("title_suffixes")


def _names_institution(token: Token) -> bool:
    """Whether the proper noun is a word of an institution's name: the name it compounds
    into ends in an institution's head word."""
    node = token
    for _ in range(8):
        if node.dep_ not in ("compound", "flat") or node.head == node or node.head.pos_ != "PROPN":
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
    posts = load_lexicon("occupations")
    if subject is not None and posts.lookup(subject.text):
        name = entity_at(subject)
        if name is None or name.label_ != "PERSON" or posts.lookup(name[0].text):
            return False  # "Clerk Typist": a compound job title, not a person ("George S.
            # King" is a person whose surname is an occupation)
    if subject is not None and subject.lower_ in TITLE_SUFFIXES:
        return False  # "Professor Emeritus": a title, not a person named Emeritus
    if not noun.is_title:
        return True
    doc = noun.doc
    ent = entity_at(noun)
    if ent is not None and ent.label_ == "PERSON" and ent.start == noun.i and len(ent) == 2:
        # "King Crimson", "King Gordy", "Doctor Zhivago": the NER holds the title as the
        # first of two words of one name, a band's, a stage or a work's name; a titled
        # person has a name of their own beside it ("Professor David Lester"), and a lone
        # name after a title is a partial key anyway ("King Edward" → "edward")
        return False
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
    start = noun.left_edge.i
    if (
        value == "country"
        and noun.dep_ == "compound"
        and noun.head.pos_ == "PROPN"
        and noun.head.i > noun.i
    ):
        # "by American singer-songwriter Taylor Swift": the parser hangs the adjective on the
        # name the role noun stands before; take the adjectives (or country names) right
        # before the phrase, not a body's name ("Microsoft Co-President Jim Allchin") nor
        # past a conjunction ("German Prime Minister Angela Merkel & Brazil's President X")
        floor = noun.head.left_edge.i
        while start - 1 >= floor and (
            doc[start - 1].pos_ == "ADJ"
            or (doc[start - 1].pos_ == "PROPN" and country_key(doc[start - 1].text))
        ):
            start -= 1
    found = [
        c
        for c in _modifier_in(doc, start, entry.start, pattern, value, subject, route, status)
        # "Finance Director of X": the NER's "Finance" is a word of the post, no employer (a
        # name of several words is one: "a Swedish Air Force officer")
        if value != "entity"
        or " " in c.value_text.strip()
        or not load_lexicon("occupations").lookup(doc.text[c.value_start : entry.end_char])
    ]
    yield from found
    head = noun.head
    if (
        not found
        and noun.dep_ == "conj"
        and head != noun
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
                if _country_name_form(span.text, key) and _team_post_after(doc, end):
                    return  # "the England manager", "the Australia team captain": the team's
                yield Candidate(
                    subject, route, span.text, span.start_char, span.end_char, status, key
                )
                return
        else:
            ent = entity_at(tok)
            label = ent.label_ if ent is not None else ""
            if ent is None and "ORG" in pattern.labels:
                ent = quoted_name(tok)  # ""MusicOMH" contributor X": a publication in quotes
                label = "ORG"
            if (
                ent is not None
                and ent.start == i
                and label in pattern.labels
                and ent.end <= entry_start
                and not country_key(ent.text)
            ):
                if label == "ORG":  # "a Swedish Air Force officer"; "Bupa's Acting Group CEO"
                    ent = doc[
                        nation_start(doc, ent.start, ent.end, floor=start) : before_owned_post(
                            doc, ent.start, ent.end
                        )
                    ]
                yield Candidate(subject, route, ent.text, ent.start_char, ent.end_char, status)
                return
        i += 1


# Words of a seat in a legislature, whose "for" names a constituency, not an employer.
SEAT_POSTS: frozenset[str] = word_list("seat_posts")

# Posts held for a country's team, and words that make a country's name a team's.
TEAM_POSTS: frozenset[str] = word_list("team_posts")
TEAM_WORDS: frozenset[str] = word_list("team_words")


def _country_name_form(text: str, key: str) -> bool:
    """Whether a country word is the country's name or an abbreviation ("England", "US"),
    not its demonym ("English"): only a name stands for a national team."""
    clean = text.strip()
    if clean.lower().startswith("the "):
        clean = clean[4:]
    letters = [c for c in clean if c.isalpha()]
    return clean.casefold() == key or (len(letters) <= 4 and clean.isupper())


def _team_post_after(doc: Doc, end: int) -> bool:
    """Whether a team word or a team post follows the country's name within its noun phrase
    (up to eight words, to the first verb, preposition, conjunction, comma or person's
    name): "USA head coach Karch Kiraly", "South Korea women's national volleyball team
    head coach"."""
    for tok in doc[end : end + 8]:
        if (
            tok.pos_ in ("VERB", "AUX", "ADP", "CCONJ", "SCONJ")
            or (tok.pos_ == "PUNCT" and tok.tag_ != "HYPH")
            or tok.ent_type_ == "PERSON"
        ):
            return False
        if tok.lower_ in TEAM_POSTS or tok.lower_ in TEAM_WORDS:
            return True
    return False


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


def check(pattern: Pattern, value_type: str, fail: Callable[[str], Exception]) -> None:
    """What ``take`` yields must be the relation's value type, with the fields it reads."""
    take = pattern.take
    any_noun = pattern.option("any_noun", False)
    if not isinstance(any_noun, bool):
        raise fail("any_noun must be true or false")
    if any_noun and (pattern.nouns or take != "modifier" or pattern.appositive):
        raise fail(
            "any_noun reads a modifier of any predicate noun: no nouns, take 'modifier'"
            ", not appositive"
        )
    if not pattern.nouns and not any_noun:
        raise fail("copula needs nouns (the predicate nouns it accepts)")
    if take == "prep" and not pattern.preps:
        raise fail("copula with take 'prep' needs preps")
    if take != "prep" and pattern.preps:
        raise fail("preps are only read with take 'prep'")
    if pattern.value_role == "subject" and take != "prep":
        raise fail("copula value_role 'subject' needs take 'prep' (the object is the subject)")
    if take == "noun" and value_type not in ("text", "country"):
        raise fail("take 'noun' yields the predicate noun: value must be 'text' or 'country'")
    if take == "modifier" and value_type not in ("country", "entity"):
        raise fail("take 'modifier' yields a modifier: value must be 'country' or 'entity'")
    if take == "modifier" and value_type == "entity" and not pattern.labels:
        raise fail("an entity modifier needs labels (which named modifiers count)")
    if pattern.not_before and take != "modifier":
        raise fail("not_before is only read with take 'modifier'")


KIND = register(
    Kind(
        name="copula",
        match=match_copula,
        values=frozenset({"text", "country", "entity", "place"}),
        fields=frozenset(
            {
                "words",
                "nouns",
                "take",
                "preps",
                "labels",
                "appositive",
                "not_before",
                "value_role",
                "not_heads",
                "any_noun",
            }
        ),
        check=check,
        triggers=triggers,
    )
)
