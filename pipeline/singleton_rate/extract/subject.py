"""Who a statement is about: the grammatical subject, resolved to a named entity.

Encyclopedic text names its subject once and then says "He", "She", "It", "The company" or
the surname alone. Those resolve to the document's *main entity*: its title where there is
one, else the first person or organisation the document opens with. Anything else that is
not a name ("Her father was born in …") resolves to nothing, so that no fact is credited to
the wrong entity.

The main entity's *type* decides which references may reach it. The strong evidence is what
the first sentence says it is: "X is a software company" (a noun of :data:`ORG_REFERENCES`)
makes it an organisation, "X was a physicist" (an occupation) a person. Failing that, the
NER label of the title's first mention (a mention with the title's whole key first, else
one made of the title's words: "Curie" for "Marie Curie") is weak evidence, because the
small model labels many people ORG. "He"/"She" reach the main entity unless the first
sentence says it is an organisation; "It" and "the company" (and the other nouns of
:data:`ORG_REFERENCES`) reach it, for relations whose subject is an organisation only, when
the first sentence says it is one (an "It" elsewhere is too often something else). A name
that matches the main entity reaches it whatever its label, except that an ORG relation
does not accept a main entity that is a person (by the first sentence, else by the NER):
"X is based in Berlin" about a person is not a headquarters.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from singleton_rate.extract.lexicon import load_lexicon
from singleton_rate.extract.words import word_list
from singleton_rate.normalize import entity_key, title_entity

if TYPE_CHECKING:  # spaCy as types only: loading the catalog imports the kinds, not spaCy
    from spacy.tokens import Doc, Span, Token

PRONOUNS: frozenset[str] = word_list("pronouns")
ORG_PRONOUNS: frozenset[str] = word_list("org_pronouns")
# Possessive pronouns and the personal pronoun each stands for ("his wife" → "he").
POSSESSIVES: dict[str, str] = {"his": "he", "her": "she"}
# "The company was founded in 1998": a definite common noun that names the kind of thing the
# main entity is refers back to it when the main entity is not a person.
ORG_REFERENCES: frozenset[str] = word_list("org_references")
_DEFINITE: frozenset[str] = word_list("definite_determiners")
RELATIVE_PRONOUNS: frozenset[str] = word_list("relative_pronouns")
# Posts named after a field of study: "Professor of Psychology" is a professor.
ACADEMIC_POSTS: frozenset[str] = word_list("academic_posts")
# Words of address before a name ("Sir Walter Raleigh"), which the NER leaves outside it.
HONORIFICS: frozenset[str] = word_list("honorifics")
# A name under one of these is a relative's ("the son of John Hannah (1792–1867)", "His
# father was Dwight Baldwin"), even when it is the main entity's name or part of it.
KIN_NOUNS: frozenset[str] = word_list("kin_nouns")

SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubjpass"})
# The anchor modifies a noun ("Curie, born in Warsaw"; "Curie (born 1867)"): the noun is the
# subject.
MODIFIER_DEPS: frozenset[str] = frozenset({"acl", "relcl", "appos"})
# Verbs that link a subject to a predicate noun ("X was a physicist", "X became a priest").
COPULAR_VERBS: frozenset[str] = word_list("copular_verbs")
# Entity labels accepted for each subject type. The small model often labels people ORG or
# GPE; a name that matches the main entity is accepted whatever its label.
SUBJECT_LABELS: dict[str, frozenset[str]] = {
    "PERSON": frozenset({"PERSON"}),
    "ORG": frozenset({"ORG"}),
    "ANY": frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"}),
}


@dataclass(frozen=True, slots=True)
class MainEntity:
    """The entity a document is about, and the name tokens that refer back to it."""

    text: str
    key: str
    tokens: frozenset[str]
    origin: str  # "title", "first_person" or "first_org"
    label: str | None = None  # NER label of its first mention; None when never mentioned
    stated: str | None = None  # "PERSON"/"ORG"/"THING" when the first sentence says what it is
    not_person: bool = False  # the title or the NER says it is a work, a place, a thing
    pronoun: str | None = None  # "he"/"she" when the document uses one far more than the other

    @property
    def may_be_person(self) -> bool:
        """Whether "he"/"she" may refer to it: unless the text says it is an organisation, or
        the title ("Tang Dynasty (album)") or the NER ("Baho!" a WORK_OF_ART) says it is no
        person and the first sentence does not say it is one."""
        if self.stated is not None:
            return self.stated == "PERSON"
        return not self.not_person

    @property
    def may_be_org(self) -> bool:
        """Whether its name may be the subject of an organisation's relation: the text says
        it is an organisation, or nothing says it is a person."""
        if self.stated is not None:
            return self.stated == "ORG"
        return self.label != "PERSON"

    @property
    def is_stated_org(self) -> bool:
        """Whether "it"/"the company" may refer to it: the first sentence says it is one."""
        return self.stated == "ORG"


@dataclass(frozen=True, slots=True)
class Subject:
    """A resolved subject: the entity's surface name and how it was reached."""

    text: str  # canonical surface of the entity (the title for pronouns)
    mention: str  # the words in the sentence ("He", "Curie", "Marie Curie")
    resolution: str  # "name", "partial_name", "pronoun", "reference", "relative", …


def _first_mention_label(doc: Doc, key: str, tokens: frozenset[str]) -> str | None:
    partial = None
    for ent in doc.ents:
        k = entity_key(ent.text)
        if not k:
            continue
        if k == key:
            return ent.label_
        if partial is None and set(k.split()) <= tokens:
            partial = ent.label_
    return partial


# Predicate nouns of a first sentence that make the page's subject a thing: "X is a novel"
# (not "house", "book", "game": "a publishing house", "a comic book studio", "a game studio").
THING_NOUNS: frozenset[str] = word_list("thing_nouns")


def _predicate_type(doc: Doc, tokens: frozenset[str]) -> str | None:
    """ "X is a software company" → ORG, "X is a physicist" → PERSON, from the first sentence.

    The subject must share a word with the main entity's name; the predicate noun must be
    one of :data:`ORG_REFERENCES` (ORG) or an occupation (PERSON), not both ("publisher").
    """
    if not len(doc):
        return None
    for tok in next(iter(doc.sents)):
        if tok.dep_ != "attr" or tok.pos_ != "NOUN" or tok.head.lower_ not in COPULAR_VERBS:
            continue
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if subj is None or not set(entity_key(name_span(subj).text).split()) & tokens:
            continue
        if tok.lower_ in THING_NOUNS:
            return "THING"  # "Baho! is a novel by …": neither a person nor an organisation
        occupations = load_lexicon("occupations")
        phrase = tok.doc[tok.left_edge.i : tok.i + 1]
        starts = [t for t in phrase if t.pos_ in ("ADJ", "NOUN", "PROPN")]
        person = any(occupations.lookup(tok.doc[t.i : tok.i + 1].text) for t in starts)
        org = tok.lower_ in ORG_REFERENCES
        if person != org:  # "a publisher" is either: no evidence
            return "PERSON" if person else "ORG"
    return None


# NER labels of a title's first mention that say it is no person (ORG, NORP, GPE and LOC are
# left out: the small model labels many people so).
NON_PERSON_LABELS: frozenset[str] = word_list("non_person_labels")
# Pages about no single entity: their text has no title subject to credit.
_LIST_PAGE = re.compile(
    r"^(?:lists? of|timeline of|index of|glossary of|outline of|bibliography of)\b"
    r"|\(disambiguation\)\s*$",
    re.IGNORECASE,
)
# A title's disambiguation that names a kind of thing, not a person: "Baho! (film)".
_THING_TITLE = re.compile(
    r"\((?:[^()]*\s)?(?:album|film|song|single|novel|book|play|opera|musical|poem|ship|"
    r"building|house|river|mountain|lake|village|town|city|station|magazine|newspaper|"
    r"game|series|episode|ep|sculpture|painting|genus|species|plant|horse|dog|mineral|"
    r"software|car|aircraft|locomotive|battle|treaty|award|festival|bridge|church|castle)\)\s*$",
    re.IGNORECASE,
)


# A title's disambiguation that names a kind of organisation: "Tang Dynasty (band)".
# Last words of titles that name a body, a place or an event, never a person ("Armory Square
# Hospital", "PEN American Center", "2017 Mexican protests"): "he" on such a page is someone
# else. Words that end people's names too ("Hall", "House", "Park", "Church") are left out.
_THING_HEADS = re.compile(
    r"\b(?:university|college|school|academy|institute|hospital|center|centre|museum|"
    r"company|corporation|inc\.?|ltd\.?|society|association|cathedral|stadium|theatre|"
    r"theater|library|airport|award|awards|prize|festival|league|party|council|committee|"
    r"commission|foundation|gallery|ministry|department|agency|railway|dynasty|war|battle|"
    r"treaty|election|elections|championship|championships|cup|tournament|protests|"
    r"convention|conference|district|county|province|station|order|front)$",
    re.IGNORECASE,
)

_ORG_TITLE = re.compile(
    r"\((?:[^()]*\s)?(?:band|company|organi[sz]ation|club|party|newspaper|magazine|label|"
    r"record label|team|school|university|college|agency|charity|foundation|society|"
    r"association|group|orchestra|choir|publisher|airline|bank|brand|firm|union|league|"
    r"regiment|squadron|unit)\)\s*$",
    re.IGNORECASE,
)


def is_list_page(title: str | None) -> bool:
    """Whether a title names a list or disambiguation page (no single subject).

    Examples
    --------
    >>> is_list_page("List of compositions by Frédéric Chopin"), is_list_page("Lister")
    (True, False)
    >>> is_list_page("Mercury (disambiguation)")
    True
    """
    return bool(title) and bool(_LIST_PAGE.search(title.replace("_", " ").strip()))


def pronoun_of(text: str) -> str | None:
    """ "he" or "she" when a text uses that pronoun's forms at least three times as often as
    the other's (and at least three times), else ``None``.

    Examples
    --------
    >>> pronoun_of("She sang. Her songs were hers. She left. He stayed.")
    'she'
    >>> pronoun_of("He sang; she danced.") is None
    True
    """
    he = len(_HE.findall(text))
    she = len(_SHE.findall(text))
    if he >= 3 and he >= 3 * she:
        return "he"
    if she >= 3 and she >= 3 * he:
        return "she"
    return None


_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)


def main_entity(docs: Sequence[Doc], title: str | None) -> MainEntity | None:
    """The title's entity, else the first person or organisation the document opens with.

    ``docs`` are the parsed parts of one document in text order; the first holds its opening
    sentence. Without a title: a PERSON or ORG entity in the first sentence, else the first
    PERSON. The type (``label``): what the first sentence says the entity is ("X is a
    company" → ORG, "X is a physicist" → PERSON), else the NER label of its first mention.
    """
    if not docs or is_list_page(title):
        return None
    opening = docs[0]
    if title and title.strip():
        text, origin = title_entity(title), "title"
        key = entity_key(text)
        if not key:
            return None
        tokens = frozenset(key.split())
        label = next(
            (lab for d in docs if (lab := _first_mention_label(d, key, tokens)) is not None),
            None,
        )
    else:
        first_sent_end = next(iter(opening.sents)).end if len(opening) else 0
        first = next(
            (e for e in opening.ents if e.label_ in ("PERSON", "ORG") and e.end <= first_sent_end),
            None,
        ) or next((e for d in docs for e in d.ents if e.label_ == "PERSON"), None)
        if first is None:
            return None
        text, label = before_bracket(first).text, first.label_
        origin = "first_person" if label == "PERSON" else "first_org"
        key = entity_key(text)
        if not key:
            return None
        tokens = frozenset(key.split())
    stated = _predicate_type(opening, tokens)
    if stated is None and title and _ORG_TITLE.search(title.replace("_", " ")):
        stated = "ORG"  # "Tang Dynasty (band)": the title's disambiguation says what it is
    return MainEntity(
        text=text,
        key=key,
        tokens=tokens,
        origin=origin,
        label=label,
        stated=stated,
        not_person=bool(title and _THING_TITLE.search(title.replace("_", " ")))
        or _whole_name_label(docs, key) in NON_PERSON_LABELS
        or (origin == "title" and _THING_HEADS.search(text) is not None),
    )


def _whole_name_label(docs: Sequence[Doc], key: str) -> str | None:
    """The NER label of the first mention of the whole name (a surname alone is too often
    mislabelled to say what the entity is)."""
    for d in docs:
        for ent in d.ents:
            if entity_key(ent.text) == key:
                return ent.label_
    return None


def entity_at(token: Token) -> Span | None:
    """The named entity a token is part of, found from the token's IOB tags (no scan of
    ``doc.ents``, so that many lookups in a long document stay linear)."""
    if token.ent_iob_ == "O":
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    from spacy.tokens import Span

    return Span(doc, start, end, label=token.ent_type_)


def name_span(token: Token) -> Span:
    """A proper-noun chain the NER missed: the token and the adjacent proper nouns that
    compound it ("Sidonie Sobat"; not "Alberta, Sobat")."""
    doc = token.doc
    start = token.i
    while (
        start - 1 >= 0
        and doc[start - 1].pos_ == "PROPN"
        # "One Essex Court Chambers": a capitalised number word opens the name too
        and (
            doc[start - 1].dep_ in ("compound", "flat")
            or (doc[start - 1].dep_ == "nummod" and doc[start - 1].is_title)
        )
        and start <= doc[start - 1].head.i <= token.i
    ):
        start -= 1
    return doc[start : token.i + 1]


def before_bracket(span: Span) -> Span:
    """A name cut before a bracket the NER took in: "the Department of Environmental
    Science and Management (DESM" → "the Department of Environmental Science and
    Management"."""
    for tok in span:
        if tok.text[:1] in "([" and tok.i > span.start:
            return span.doc[span.start : tok.i]
    return span


def _whole_person_name(span: Span) -> Span:
    """A person's name with the given names the NER split off under another label
    ("Candace Jean Anderson": "Candace" labelled ORG, "Jean Anderson" PERSON): capitalised
    proper nouns right before it that compound a word of it."""
    doc = span.doc
    start = span.start
    while (
        start - 1 >= span.sent.start
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].is_title
        and doc[start - 1].dep_ in ("compound", "flat")
        and start <= doc[start - 1].head.i < span.end
        and span.start - start < 3
    ):
        start -= 1
    if (
        start < span.start
        and start >= 2
        and doc[start - 1].lower_ == "of"
        and doc[start - 2].is_title
    ):
        start = span.start  # "Premier of New South Wales Barry O'Farrell": a place's words
    return doc[start : _particle_end(span)]


# Lower-case words inside a person's name, between its capitalised parts ("Ludwig van
# Beethoven", "Bingu wa Mutharika").
NAME_PARTICLES: frozenset[str] = word_list("name_particles")


def _particle_end(span: Span) -> int:
    """Where a person's name ends when the NER stopped at a particle: "Bingu" labelled a
    person in "Bingu wa Mutharika" ends after "Mutharika" (one or two particles, then
    capitalised proper nouns)."""
    doc, k, stop = span.doc, span.end, min(span.end + 2, span.sent.end)
    while k < stop and doc[k].is_lower and doc[k].lower_ in NAME_PARTICLES:
        k += 1
    if k == span.end:
        return span.end
    end = k
    while end < span.sent.end and end - k < 2 and doc[end].pos_ == "PROPN" and doc[end].is_title:
        end += 1
    return end if end > k else span.end


def _is_name(token: Token) -> bool:
    return token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC")


PAREN_REACH = 40  # tokens: how far an anchor may sit from its opening parenthesis


def is_open(token: Token) -> bool:
    """ "(" or a glued opener the tokenizer left whole ("(;", "(,")."""
    text = token.text
    return text[:1] == "(" and ")" not in text and not any(c.isalnum() for c in text)


def paren_open(anchor: Token) -> Token | None:
    """The "(" of the parenthesis an anchor starts a statement in: "(born", "(née X; born",
    "(Russian: X, born"."""
    if anchor.i == 0:
        return None
    before = anchor.nbor(-1)
    if is_open(before):
        return before
    if before.text not in (";", ","):
        return None
    sent_start = anchor.sent.start
    for i in range(anchor.i - 2, max(sent_start, anchor.i - PAREN_REACH) - 1, -1):
        tok = anchor.doc[i]
        if tok.text[:1] == ")":
            return None
        if is_open(tok):
            return tok
    return None


def before_paren(paren: Token) -> Token | None:
    """The name a parenthesis follows, skipping up to three earlier parentheses ("X (a)
    (born …)", "X (born …) (Bengali: …) (1945–2017)") and a comma ("X, known as Y, (born
    …)")."""
    i = paren.i - 1
    doc = paren.doc
    if i >= 0 and doc[i].text == ",":
        i -= 1
    skipped = 0
    while i >= 0 and doc[i].text == ")" and skipped < 3:
        depth = 0
        while i >= 0:
            if doc[i].text == ")":
                depth += 1
            elif is_open(doc[i]):
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        i -= 1
        skipped += 1
    if i < 0:
        return None
    before = doc[i]
    if before.dep_ == "pobj" and before.head.lower_ == "of" and before.head.head.pos_ == "PROPN":
        before = before.head.head  # "Prince X of Denmark (born …)": the prince
    return before if before.pos_ == "PROPN" or before.ent_type_ else None


# Copular verbs: "became an Officer … as a leader" says no post held "as" a leader.
COPULAS: frozenset[str] = word_list("copulas")


def predicate_subject(
    noun: Token, verbs: frozenset[str], appositive: bool
) -> tuple[Token | None, str, Token | None] | None:
    """Who a predicate noun describes: (subject token, route, copular verb or ``None``).

    "X was a physicist" (the noun complements a verb in ``verbs``), "an actor, singer and
    producer" (coordinated with such a noun); with ``appositive`` also "X, a physicist" and
    "the physicist X". ``None`` when the noun is no predicate ("the son of a physicist").
    """
    node = noun
    doc = noun.doc
    if appositive:
        named = _name_before_comma(noun)
        if named is not None:
            # "X, chairman of Y, and Z, Russian ambassador to London": the parser may hang
            # the second post on the first as a conjunct; the name right before is Z
            return named, "appositive", None
        named = _name_in_apposition(noun)
        if named is not None:
            # "was the future prime minister, Michel Debré", "the West German ambassador in
            # Paris, Herbert Blankenhorn": the post is the name's, whoever the verb's subject
            return named, "appositive", None
    if (
        node.dep_ == "pobj"
        and node.head.lower_ == "of"
        and node.head.head.lower_ == "one"
        and node.head.head.i < node.i
    ):
        node = node.head.head  # "one of the founders", "one of the leading painters"
    for _ in range(8):
        head = node.head
        if head != node and (
            (node.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN", "ADJ"))
            or (
                node.dep_ == "appos"
                and head.pos_ in ("NOUN", "ADJ")
                and not head.ent_type_
                and not head.is_title
            )
        ):
            # "an actor, singer and producer"; "a printer, lithographer, painter"
            node = head
            continue
        earlier = _listed_after_comma(node)
        if earlier is not None:
            # "become Finance Director of X (2001), Chief Executive Officer of Y (2004), Chief
            # Financial Officer of Z (2006)": the parser loses a long list of posts after a
            # parenthesis and hangs the next one on the verb as "dep"
            node = earlier
            continue
        if (
            node.dep_ == "appos"
            and head.dep_ in ("attr", "oprd")
            and head.ent_type_ == "ORG"
            and node.left_edge.i > 0
            and doc[node.left_edge.i - 1].text == ")"
        ):
            # "was a United States Indian Service (now known as …) school teacher": a
            # parenthesis cut the compound, the parser made the post an apposition
            node = head
            continue
        if (
            node.dep_ in ("nmod", "compound")
            and node.head.i > node.i
            and node.head.pos_ == "NOUN"
            and node.i + 1 < len(doc)
            and doc[node.i + 1].lower_ in ("and", ",")
        ):
            # "a French actor and film director": parsed as a modifier of "director"
            node = node.head
            continue
        break
    if (
        node.dep_ == "pobj"
        and node.head.lower_ == "as"
        and node.head.dep_ == "prep"
        and node.head.head.lower_ in verbs
        and node.head.head.pos_ in ("VERB", "AUX")
        and node.head.head.lower_ not in COPULAS
    ):
        # "served as professor at X", "spent his career as a designer at X": a pattern whose
        # words are verbs of holding a post
        verb = node.head.head
        subject, route = subject_token(verb)
        return subject, route, verb
    if (
        node.dep_ == "pobj"
        and node.head.lower_ == "as"
        and node.head.dep_ == "prep"
        and node.head.head.dep_ == "dobj"
        and node.head.head.pos_ == "NOUN"
        and node.head.head.head.lower_ in verbs
        and node.head.head.head.pos_ == "VERB"
        and node.head.head.head.lower_ not in COPULAS
    ):
        # "took up employment as a domestic servant", "began a career as a clerk": the "as"
        # hangs on the verb's object
        verb = node.head.head.head
        subject, route = subject_token(verb)
        return subject, route, verb
    if node.dep_ in ("attr", "oprd", "acomp", "dobj") and node.head.lower_ in verbs:
        # "dobj": a pattern whose words are transitive verbs ("earned a degree from X")
        verb = node.head
        subject, route = subject_token(verb)
        return subject, route, verb
    if appositive:
        if (
            node.dep_ == "appos"
            and node.head != node
            and (_is_name(node.head) or node.head.is_title)
            and not runs_into_verb(node)
        ):
            return _nearest_conjunct(node.head, node), "appositive", None
        if (
            node.dep_ in ("compound", "nmod", "appos")
            and node.i < node.head.i
            and node.head.pos_ == "PROPN"
        ):
            return node.head, "appositive", None
        name = _name_after_coordination(node)
        if name is not None:
            return name, "appositive", None
    return None


def _nearest_conjunct(name: Token, noun: Token) -> Token:
    """The person an apposition after coordinated names describes: the nearest ("Holmes and
    Andrew Heggie, a maxillofacial surgeon, a dental surgeon who …" describes Heggie; the
    parser hangs both appositions on the first name)."""
    between = [
        c
        for c in name.children
        if c.dep_ == "conj" and c.pos_ == "PROPN" and c.ent_type_ == "PERSON" and c.i < noun.i
    ]
    return max(between, key=lambda t: t.i) if between else name


# Finite verb tags: a noun phrase followed by one is that verb's subject, not an apposition.
FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def runs_into_verb(noun: Token) -> bool:
    """Whether the noun's phrase runs straight into a finite verb: "to restore the age of
    Roman, a doctor of the local clinic conducted an examination" (the parser may hang "a
    doctor" on "Roman" as an apposition, but the phrase is the subject of "conducted"). An
    apposition closes with a comma, a parenthesis or the sentence's end, or stands between
    a name and the name's own verb.

    Examples
    --------
    >>> import spacy
    >>> from spacy.tokens import Doc
    >>> words = ["age", "of", "Roman", ",", "a", "doctor", "conducted", "it", "."]
    >>> doc = Doc(spacy.blank("en").vocab, words=words, heads=[6, 0, 1, 2, 5, 2, 6, 6, 6],
    ...           deps=["nsubj", "prep", "pobj", "punct", "det", "appos", "ROOT", "dobj",
    ...                 "punct"],
    ...           tags=["NN", "IN", "NNP", ",", "DT", "NN", "VBD", "PRP", "."])
    >>> runs_into_verb(doc[5])
    True
    >>> runs_into_verb(doc[7])
    False
    """
    k = noun.right_edge.i + 1
    if k >= noun.sent.end or noun.doc[k].tag_ not in FINITE_VERB_TAGS:
        return False
    verb, name = noun.doc[k], noun.head
    # "Tinatin Chulukhadze, (in Georgian: …) born in 1991 is a singer": the verb is the
    # name's own, the apposition stands between them
    return not (name.dep_ in ("nsubj", "nsubjpass") and name.head == verb)


def _listed_after_comma(node: Token) -> Token | None:
    """The noun of a list a stray noun continues: right after a comma that ends the phrase
    of an earlier predicate noun ("attr", "oprd") or conjunct of one. The stray is a ``dep``
    noun, or an indefinite post in apposition to the last post's body ("… at the Oxford
    Internet Institute (OII), University of Oxford, a Turing Fellow at X"). ``None`` when
    the noun is no such stray or nothing before the comma is a predicate noun."""
    if node.pos_ not in ("NOUN", "PROPN"):
        return None
    if node.dep_ == "appos":
        if node.head.dep_ not in ("pobj", "appos") or not any(
            c.dep_ == "det" and c.lower_ in ("a", "an") for c in node.children
        ):
            return None
        if (
            node.lower_ not in ACADEMIC_POSTS
            and load_lexicon("occupations").lookup(node.lower_) is None
        ):
            return None
    elif node.dep_ != "dep":
        return None
    doc = node.doc
    comma = node.left_edge.i - 1
    if comma - 1 < node.sent.start or doc[comma].text != ",":
        return None
    prev = doc[comma - 1]
    for _ in range(8):
        if prev.i < node.sent.start or prev.i >= node.i:
            return None
        if (
            prev.pos_ in ("NOUN", "PROPN")
            and prev.dep_ in ("attr", "oprd", "conj")
            # its phrase reaches the comma (and may hold the apposition itself)
            and prev.right_edge.i >= comma - 1
        ):
            return prev
        if prev.head == prev:
            return None
        prev = prev.head
    return None


def _name_before_comma(noun: Token) -> Token | None:
    """The person's name that ends right before the comma opening the noun's phrase: "…
    and Alexander Yakovenko, Russian ambassador to London" → "Yakovenko". Only a name the
    NER labelled a person, and only a noun phrase without a verb before the noun."""
    doc = noun.doc
    k = noun.i + 1
    while k < noun.sent.end - 1 and doc[k].lower_ in HONORIFICS:
        k += 1  # "explorer Sir Walter Raleigh"
    after = doc[k] if k < noun.sent.end else None
    if (
        (noun.is_lower or noun.is_title)
        and after is not None
        and after.pos_ == "PROPN"
        and after.ent_type_ == "PERSON"
        and after.ent_iob_ == "B"
    ):
        return None  # "writer Edgar Allan Poe, novelist Mark Twain": the post is Twain's
    first = noun.left_edge.i
    if any(doc[k].pos_ in ("VERB", "AUX", "ADP") for k in range(first, noun.i)):
        return None
    comma = first - 1
    if comma - 1 < noun.sent.start or doc[comma].text != ",":
        return None
    last = doc[comma - 1]
    if last.ent_type_ != "PERSON" or last.pos_ != "PROPN":
        return None
    if comma < len(doc) and last.ent_iob_ == "I" and doc[comma].ent_iob_ == "I":
        return None
    return last


def _name_in_apposition(noun: Token) -> Token | None:
    """The person named after a comma in apposition to ``noun`` ("the prime minister, Michel
    Debré"): a proper noun the NER labelled a person, the parser's apposition of the noun."""
    doc = noun.doc
    for child in noun.rights:
        if (
            child.dep_ == "appos"
            and child.pos_ == "PROPN"
            and child.ent_type_ == "PERSON"
            and child.left_edge.i > noun.i + 1
            and doc[child.left_edge.i - 1].text == ","
        ):
            return child
    return None


def _name_after_coordination(noun: Token) -> Token | None:
    """The person a run of coordinated lower-case nouns stands before: "guitarist and
    vocalist Melina Ausikaitis", "the British engineer Andrew Ainsworth", "the journalist,
    editor and memoirist Alexandra Jacobi" (the parser hangs the name on the first noun as a
    conjunct or an apposition).

    The name must be a person the NER labelled, reached from ``noun`` through conjuncts and
    appositions, and every word between them must be a lower-case noun, a comma or a
    conjunction ("engineer and the writer X" has no such run).
    """
    if noun.is_title and noun.i > noun.sent.start:
        return None
    doc = noun.doc
    stack = [noun]
    for _ in range(6):
        if not stack:
            break
        node = stack.pop()
        for child in node.children:
            if child.dep_ not in ("conj", "appos") or child.i <= node.i:
                continue
            if child.pos_ == "PROPN" and child.ent_type_ == "PERSON":
                start = child.left_edge.i
                while start < child.i and doc[start].ent_type_ != "PERSON":
                    start += 1
                between = doc[noun.i + 1 : start]
                if all(
                    t.lower_ in ("and", ",", "&")
                    or (t.pos_ == "NOUN" and not t.is_title and not t.ent_type_)
                    for t in between
                ):
                    return child
            elif child.pos_ == "NOUN" and not child.is_title:
                stack.append(child)
    return None


def _opens_sentence(token: Token) -> bool:
    sent_start = token.sent.start
    return all(not t.is_alpha for t in token.doc[sent_start : token.i])


def _participle_subject(node: Token) -> Token | None:
    """ "Born in Lyon, Dupont studied …": the subject of the clause a participle opens.

    Only for a past participle that opens its sentence and has no subject of its own: the
    first subject after it in the sentence, else the name right before the first finite verb
    (the parser sometimes hangs "Dupont" inside the participle's phrase).
    """
    if node.tag_ != "VBN" or not _opens_sentence(node):
        return None
    if any(c.dep_ in SUBJECT_DEPS for c in node.children):
        return None
    sent = node.sent
    for tok in node.doc[node.i + 1 : sent.end]:
        if tok.dep_ in SUBJECT_DEPS and tok.head != node:
            return tok
    for tok in node.doc[node.i + 1 : sent.end]:
        if tok.tag_ in ("VBD", "VBZ", "VBP") and tok.i > node.i + 1:
            before = tok.doc[tok.i - 1]
            if _is_name(before) or before.lower_ in PRONOUNS:
                return before
            return None
    return None


def subject_token(anchor: Token) -> tuple[Token | None, str]:
    """The token naming who the anchor's statement is about, and the route taken to it.

    A parenthesis an anchor starts a statement in makes the name before it the subject
    ("Curie (born 1867)", "Curie (née Skłodowska; born 1867)"), however the parser attached
    it. Otherwise climbs coordinations ("born in Lyon and died in Paris" shares one subject),
    open-clause chains ("is believed to have been born") and sentence-initial participles
    ("Born in Lyon, Dupont …"), then falls back to the noun the anchor modifies ("Curie,
    born in Warsaw, …"), and from a predicate noun to its subject ("X is a painter born in
    Lyon", "X was a player who was born in Dublin").
    """
    if anchor.i >= 1:
        paren = paren_open(anchor)
        if paren is not None:
            before = before_paren(paren)
            if before is not None:
                return before, "parenthetical"
    node = anchor
    for _ in range(6):  # bounded: parse chains are short, and a cycle must not hang a worker
        subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            # "The son of X, he was born …": the subject nearest the verb is the one it has.
            child = max(subjects, key=lambda c: (c.i < node.i, c.i if c.i < node.i else -c.i))
            if child.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
                return _noun_subject(node.head, "relative")
            outer = _before_enclosing_paren(child, node)
            if outer is not None:
                return outer, "parenthetical"
            return child, "subject"
        for child in node.lefts:
            # "Kulcsár (also known as X; born 1965) is a …": the parser makes "born" a
            # clausal subject; the name before the parenthesis is the subject
            if child.dep_ == "csubj":
                outer = _before_enclosing_paren(child, node)
                if outer is not None:
                    return outer, "parenthetical"
        if node.lower_ in COPULAR_VERBS and node.text.islower() and _opens_sentence(node):
            # "is a Japanese alpine skier.": a lead whose name the dump dropped; the
            # extractor keeps it only at the very start of the document (the page's subject).
            return node, "lead"
        found = _participle_subject(node)
        if found is not None:
            return found, "participle"
        if node.dep_ == "xcomp" and node.head != node:
            # "an uncle allowed him to attend Harvard": the object of a verb of letting or
            # making is the one who attends, not the verb's subject; "she told him to study
            # at X" says of no one that they studied
            obj = next(
                (
                    c
                    for c in node.head.children
                    if c.dep_ == "dobj" and c.i < node.i and c.pos_ in ("PRON", "PROPN")
                ),
                None,
            )
            if obj is not None:
                return (obj, "controlled") if node.head.lower_ in OBJECT_CONTROL else (None, "none")
        if node.dep_ in ("conj", "xcomp", "ccomp", "advcl", "acomp") and node.head != node:
            node = node.head  # "acomp": "He was married to X" (married is an adjective)
            continue
        if (
            node.dep_ == "pcomp"
            and node.tag_ == "VBG"
            and node.head.lower_ in _CLAUSE_PREPS
            and node.head.head != node.head
            and node.head.head.pos_ in ("VERB", "AUX")
        ):
            # "After graduating from X, she moved …", "returned to working as X": the main
            # clause's subject
            node = node.head.head
            continue
        if (
            node.dep_ == "dep"
            and node.pos_ == "VERB"
            and node.head.pos_ == "VERB"
            and node.head.i < node.i
        ):
            node = node.head  # "Emert graduated from X, then attended Y": an unlabelled conjunct
            continue
        if node.dep_ in MODIFIER_DEPS and node.head != node:
            return _noun_subject(node.head, "modified_noun")
        found = _stray_subject(node)
        if found is not None:
            return found, "stray"
        break
    return None, "none"


# Verbs whose object is the subject of the infinitive after it ("allowed him to attend X",
# "persuaded her to join Y"), every form.
OBJECT_CONTROL: frozenset[str] = word_list("object_control_verbs")


# Prepositions opening a gerund clause that shares the main clause's subject.
_CLAUSE_PREPS: frozenset[str] = frozenset(
    {"after", "before", "upon", "on", "since", "while", "to", "by", "into"}
)


def _stray_subject(verb: Token) -> Token | None:
    """The name right before a main verb the parser left without a subject: "Born at
    Hampstead, a son of X and Y, Bloch was educated at …" hangs "Bloch" on "Y" as an
    apposition.

    Only for the sentence's root verb, when the word right before it (or before its first
    auxiliary) is a proper noun or a personal pronoun that is not the object of a
    preposition.
    """
    if verb.dep_ != "ROOT" or verb.pos_ not in ("VERB", "AUX"):
        return None
    first = min([verb, *(c for c in verb.lefts if c.dep_ in ("aux", "auxpass"))], key=lambda t: t.i)
    if first.i <= verb.sent.start:
        return None
    before = verb.doc[first.i - 1]
    if before.dep_ == "pobj" or before.dep_ == "poss":
        return None
    if before.pos_ == "PROPN" or before.lower_ in ("he", "she", "it", "they"):
        return before
    return None


def _before_enclosing_paren(token: Token, verb: Token) -> Token | None:
    """The name before a parenthesis that holds ``token`` and closes before ``verb``.

    "Siphesihle Ndlovu (born 30 September 1996) is a footballer": the parser may make
    "September" the subject of "is"; a word inside a parenthesis is never the subject of a
    verb outside it, the name before the parenthesis is. ``None`` when ``token`` is not
    inside such a parenthesis (or nothing names it).
    """
    if token.i >= verb.i:
        return None
    doc = token.doc
    opener = None
    for i in range(token.i - 1, max(token.sent.start, token.i - PAREN_REACH) - 1, -1):
        if doc[i].text[:1] == ")":
            return None
        if is_open(doc[i]):
            opener = doc[i]
            break
    if opener is None:
        return None
    for i in range(token.i + 1, verb.i):
        if doc[i].text[:1] == ")":
            return before_paren(opener)
        if is_open(doc[i]):
            return None
    return None


# Parts of an institution, named "X of Y at Z": the value is Z, whom the part belongs to.
UNIT_HEADS: frozenset[str] = word_list("unit_heads")


def _noun_subject(noun: Token, route: str) -> tuple[Token | None, str]:
    """A modified noun, or, for a predicate noun that names no one, the subject it describes.

    "X is a painter born in Lyon": "born" modifies "painter", which describes X. "The
    faculty of Natural Resources established in 2001": the parser hangs "established" on
    the name, but what was established is the faculty, a part that names no one.
    """
    part = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    if part is not None and part.pos_ == "NOUN" and part.is_lower and part.lower_ in UNIT_HEADS:
        return None, "none"
    if noun.ent_type_ in ("PERSON", "ORG", "GPE", "FAC", "NORP"):
        return noun, route
    if noun.dep_ in ("attr", "oprd", "conj", "appos", "acomp"):
        pred = predicate_subject(noun, COPULAR_VERBS, appositive=True)
        if pred is not None and pred[0] is not None:
            return pred[0], route
    return noun, route


def _covers(words: set[str], title: frozenset[str]) -> bool:
    """Whether a name's words hold every word of the title, an initial matching a word
    ("Walter Laws Smith" holds "Walter L. Smith")."""
    plain = {w.rstrip(".") for w in words}
    for t in title:
        t = t.rstrip(".")
        if t in plain:
            continue
        if len(t) == 1 and any(w[:1] == t for w in plain):
            continue
        return False
    return True


def kin_context(token: Token) -> bool:
    """Whether a name stands under a kinship noun: "the son of X", "his father, X", "his
    father was X"."""
    node = token
    for _ in range(5):
        if node.dep_ == "attr":
            verb = node.head
            return any(c.dep_ in SUBJECT_DEPS and c.lower_ in KIN_NOUNS for c in verb.children)
        if node.dep_ not in ("compound", "flat", "appos", "pobj", "prep", "conj", "nmod"):
            return False
        if node.head == node:
            return False
        node = node.head
        if node.lower_ in KIN_NOUNS:
            return True
    return False


def _ends_as_title(key: str, main: MainEntity) -> bool:
    """Whether a name key ends in the main entity's last word ("… shangri lhagyal").

    Examples
    --------
    >>> m = MainEntity("Shangri Lhagyal", "shangri lhagyal", frozenset({"shangri", "lhagyal"}),
    ...                "title")
    >>> _ends_as_title("chamdowa shangri lhagyal", m), _ends_as_title("lhagyal institute", m)
    (True, False)
    """
    words, title = key.split(), main.key.split()
    return bool(words and title) and words[-1] == title[-1]


def without_leading_occupation(name: Span, person: bool = True) -> Span:
    """A name without an occupation word the NER took in ("Bassist Zhang Ju" → "Zhang Ju"),
    when two or more words remain ("Judge Judy" stays); for a person, without a title of
    several words ("Prime Minister Roble"), a styled office or a rank ("President Trump",
    "Colonel Sergey Kobylash", "Major-General Donn Robertson")."""
    lexicon = load_lexicon("occupations")
    if person and len(name) >= 4 and name[0].lower_ in _POST_PREFIXES:
        rest = without_leading_occupation(name[1:], person)
        if len(rest) < len(name) - 1:
            return rest  # "Chief Designer Richard Vogt" → "Richard Vogt"
    # the longest title first: "Prime Minister Malcolm Turnbull" → "Malcolm Turnbull"
    for width in (3, 2):
        if len(name) >= width + (1 if person else 2) and lexicon.lookup(name[:width].text):
            return name[width:]
    if len(name) >= 3 and lexicon.lookup(name[0].text):
        return name[1:]
    if person and len(name) >= 2 and name[0].is_title and name[0].lower_ in STYLED_OFFICES:
        return name[1:]  # "President Trump", "Emperor Shirakawa": the office is no name
    if person and len(name) >= 4 and name[1].text == "-" and name[2].lower_ in STYLED_OFFICES:
        return name[3:]  # "Major-General Donn J. Robertson"
    return name


# Words that open a post's title ("Chief Designer", "Deputy Editor").
_POST_PREFIXES: frozenset[str] = word_list("title_prefixes")

# Offices and ranks that stand before a surname or a regnal name as a style ("President
# Trump", "Colonel Kobylash"), never as a given name or a stage name ("Judge Judy", "Doctor
# John" stay whole).
STYLED_OFFICES: frozenset[str] = word_list("styled_offices")


# Last words of organisations' names (a person's name never ends so).
_BODY_HEADS: frozenset[str] = word_list("body_heads")


def _named_later(pronoun: Token, main: MainEntity) -> bool:
    """Whether the sentence names the main entity in full after the pronoun: then the
    pronoun is someone else ("He taught at the Sweelinck Conservatory, named for Jan
    Pieterszoon Sweelinck")."""
    words = main.key.split()
    if len(words) < 2:
        return False
    sent = pronoun.sent
    keys = [entity_key(t.text) for t in sent if t.i > pronoun.i]
    n = len(words)
    return any(keys[i : i + n] == words for i in range(len(keys) - n + 1))


_OPEN_QUOTES = frozenset({'"', "“", "‘", "'"})
_CLOSE_QUOTES = frozenset({'"', "”", "’", "'"})


def _quoted(name: Span) -> bool:
    """Whether the whole name stands in quotation marks: a role, a work, a nickname."""
    doc = name.doc
    return (
        name.start > 0
        and name.end < len(doc)
        and doc[name.start - 1].text in _OPEN_QUOTES
        and doc[name.end].text in _CLOSE_QUOTES
    )


def _reported_by_other(pronoun: Token, main: MainEntity) -> bool:
    """Whether the pronoun opens a clause reported by a person named who is not the main
    entity ("Ag Gamou told Radio France Internationale that he joined the MNLA"): then the
    pronoun is most often the speaker."""
    clause = pronoun.head
    if pronoun.dep_ not in SUBJECT_DEPS or clause.dep_ != "ccomp" or clause.head == clause:
        return False
    speakers = [c for c in clause.head.children if c.dep_ in SUBJECT_DEPS]
    return any(
        s.pos_ == "PROPN"
        # a name as people have them, not "The Dictionary … indicates that he was born in X"
        # nor a place (the small model labels many people ORG: "Ag Gamou")
        and not any(c.dep_ == "det" for c in s.children)
        and s.ent_type_ in ("PERSON", "ORG", "")
        and not ({entity_key(t.text) for t in name_span(s)} & main.tokens)
        for s in speakers
    )


def _name_around_nickname(token: Token) -> Span | None:
    """The whole name around a quoted nickname that ends at ``token``: 'Andrea Carrie
    “Annie” Drews' (the NER splits it at the quotes, the surname going with the nickname),
    else ``None``. One to three capitalised words on each side of the quoted one to three."""
    doc = token.doc
    i = token.i
    if token.pos_ != "PROPN" or i < 4 or doc[i - 1].text not in _CLOSE_QUOTES:
        return None
    j = i - 2
    while j >= 0 and _capitalised_propn(doc[j]) and i - 2 - j < 3:
        j -= 1
    if j == i - 2 or j < 1 or doc[j].text not in _OPEN_QUOTES:
        return None
    start = j
    while start > 0 and j - start < 3 and _capitalised_propn(doc[start - 1]):
        start -= 1
    return None if start == j else doc[start : i + 1]


# Object pronouns and the subject pronoun each stands for ("allowed him to attend X").
_OBJECT_PRONOUNS = {"him": "he", "her": "she"}
_OBJECT_FORMS = {subject: obj for obj, subject in _OBJECT_PRONOUNS.items()}


def _object_of_main(pronoun: Token, main: MainEntity) -> bool:
    """Whether the sentence has the pronoun's object form as the object of a verb whose
    subject names the main entity ("Roland Freisler … sentenced her to death, and she was
    beheaded"): a person is not their own object (that would be "himself"), so the pronoun
    is someone else."""
    obj_form = _OBJECT_FORMS.get(pronoun.lower_)
    if obj_form is None:
        return False
    for tok in pronoun.sent:
        if tok.lower_ != obj_form or tok.dep_ not in ("dobj", "dative") or tok.i == pronoun.i:
            continue
        for subj in tok.head.children:
            if subj.dep_ in SUBJECT_DEPS and subj.pos_ == "PROPN":
                words = {entity_key(t.text) for t in name_span(subj)}
                if words and words <= main.tokens:
                    return True
    return False


def _capitalised_propn(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.is_title


_NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})


def resolve(token: Token, route: str, subject_type: str, main: MainEntity | None) -> Subject | None:
    """Resolve a subject token to an entity, or ``None`` when it names no one we can key."""
    if route == "lead":  # a subjectless opening verb: the page's own subject
        if main is None or (subject_type == "ORG" and not main.may_be_org):
            return None
        if subject_type == "PERSON" and not main.may_be_person:
            return None
        return Subject(text=main.text, mention="", resolution="lead")
    low = token.lower_
    if route == "possessor":
        low = POSSESSIVES.get(low, low)  # "his wife, X": "his" is whoever "he" is
    elif route == "controlled" or (
        route == "subject"
        and token.dep_ in SUBJECT_DEPS
        and token.head.dep_ in ("ccomp", "xcomp")
        and token.head.head.lower_ in OBJECT_CONTROL
    ):
        # "allowed him to attend X": "him" attends; "allowed her to enroll at X", the parser
        # making "her" the infinitive's subject
        low = _OBJECT_PRONOUNS.get(low, low)
    if low in PRONOUNS:
        if main is None or subject_type == "ORG" or not main.may_be_person:
            return None
        if main.pronoun is not None and low != main.pronoun:
            return None  # "He married …" on a page that calls its subject "she"
        if _named_later(token, main):
            return None  # "He was appointed CEO …, under the leadership of Carlos Ghosn"
        if _reported_by_other(token, main):
            return None  # "Ag Gamou told RFI that he joined the MNLA": Ag Gamou joined
        if _object_of_main(token, main):
            return None  # "Freisler sentenced her to death, and she was beheaded": not him
        return Subject(text=main.text, mention=token.text, resolution="pronoun")
    if low in ORG_PRONOUNS or (
        low in ORG_REFERENCES
        and token.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children)
    ):
        if main is None or subject_type == "PERSON" or not main.is_stated_org:
            return None
        mention = token.text if low in ORG_PRONOUNS else f"the {token.text}"
        return Subject(text=main.text, mention=mention, resolution="reference")
    nick = _name_around_nickname(token)
    if (
        nick is not None
        and main is not None
        and main.may_be_person
        and subject_type != "ORG"
        and main.tokens <= {entity_key(t.text) for t in nick}
    ):
        # 'Andrea Carrie “Annie” Drews' on the page "Annie Drews": the subject's full name
        return Subject(text=main.text, mention=nick.text, resolution="full_name")
    span = entity_at(token)
    if (
        span is not None
        and span.label_ in _NUMERIC_LABELS
        and token.pos_ == "PROPN"
        and token.is_title
    ):
        span = None  # "Emert later earned …": the NER ran a name into a date ("Emert later")
    if span is None and token.pos_ != "PROPN":
        # A capitalised surname at the start of a sentence is often tagged NOUN
        # ("Hargreaves was born …"): it still refers back to the main entity.
        if main is not None and token.is_title and entity_key(token.text) in main.tokens:
            if subject_type == "ORG" and not main.may_be_org:
                return None
            return Subject(text=main.text, mention=token.text, resolution="partial_name")
        return None
    name = span if span is not None else name_span(token)
    if span is not None and span.label_ == "PERSON":
        name = _whole_person_name(span)
    name = before_bracket(name)
    if (
        route == "appositive"
        and (span is None or len(span) == 1)
        and len(token.text) > 1
        and token.text.isupper()
        and token.i > 0
        and token.doc[token.i - 1].is_title
    ):
        return None  # "Vice President EMEA": a region the post covers, not a person
    if _quoted(name):
        return None  # 'Dorr portrays "Baldy", a smooth-talking jeweler': a role, a title
    styled = without_leading_occupation(name, subject_type == "PERSON")
    if (
        main is not None
        and len(styled) < len(name)
        and entity_key(name[0].text) in main.tokens
        and any(entity_key(t.text) in main.tokens for t in styled)
    ):
        styled = name  # "Pope Saint Anastasius I" on the page "Pope Anastasius I": the title's
    if (
        len(styled) == 1 < len(name)
        and main is not None
        and entity_key(styled.text) in main.tokens
        and not main.key.endswith(entity_key(styled.text))
    ):
        return None  # "King Wilhelm" is not "Friedrich Wilhelm von Rauch", whose page it is on
    name = styled
    key = entity_key(name.text)
    if not key:
        return None
    if route not in ("stray", "participle") and kin_context(token):  # a clause's own subject
        # "His father, Robert Hannah (1822–1888), …": the relative's own facts, credited to
        # the relative only when the name is nothing of the page's subject's (a father
        # "Hannah" or "John Hannah" on the page "John Hannah Jr." gets nothing).
        words = set(key.split())
        if main is None or words <= main.tokens or _covers(words, main.tokens):
            return None
        if span is None or span.label_ not in SUBJECT_LABELS[subject_type]:
            return None
        return Subject(text=name.text, mention=name.text, resolution="relative_name")
    if main is not None:
        words = set(key.split())
        if words <= main.tokens:
            if subject_type == "ORG" and not main.may_be_org:
                return None
            resolution = "name" if key == main.key else "partial_name"
            return Subject(text=main.text, mention=name.text, resolution=resolution)
        if (
            len(main.tokens) >= 2
            and _covers(words, main.tokens)
            and (
                span is None
                or span.label_ in SUBJECT_LABELS[subject_type]
                or (subject_type == "PERSON" and _ends_as_title(key, main))
            )
            and not (subject_type == "ORG" and not main.may_be_org)
        ):
            # "Barbara Jane Tanner" on the page "Jane Tanner", "Sandvine Incorporated" on
            # "Sandvine": the full name of the title. A longer name the small model labels
            # ORG ("Chamdowa Tsawabomei Shangri Lhagyal") is still the person's when it ends
            # in the title's last word: a body named after a person ends in its kind
            # ("Marie Curie Institute").
            return Subject(text=main.text, mention=name.text, resolution="full_name")
    if (
        route == "appositive"
        and subject_type == "PERSON"
        and span is not None
        and span.label_ == "ORG"
        and token.is_title
        and 2 <= len(name) <= 4
        and all(t.is_title and t.pos_ == "PROPN" for t in name)
        and name[-1].lower_ not in _BODY_HEADS
    ):
        # "AllMusic editor Jaime Sunao Ikeda", the name labelled ORG by the small model: an
        # occupation noun names a person, unless the name ends as a body's does
        return Subject(text=name.text, mention=name.text, resolution="appositive")
    if route == "appositive" and subject_type == "PERSON" and span is None and token.is_title:
        # "rapper Cupcakke": a proper noun the NER missed, named by an occupation noun
        return Subject(text=name.text, mention=name.text, resolution="appositive")
    if (
        span is None
        and subject_type == "PERSON"
        and token.text in GENERATIONAL_SUFFIXES
        and any(t.ent_type_ == "PERSON" for t in name)
    ):
        # "Hamilton Fish II (1849–1936)": the NER labels "Hamilton" alone, the suffix ends
        # the person's name
        return Subject(text=name.text, mention=name.text, resolution="name")
    if span is None or span.label_ not in SUBJECT_LABELS[subject_type]:
        return None
    resolution = route if route in ("relative", "modified_noun", "parenthetical") else "name"
    return Subject(text=name.text, mention=name.text, resolution=resolution)


# Words that end a person's name after the surname ("Hamilton Fish II", "John Kean Jr.").
GENERATIONAL_SUFFIXES: frozenset[str] = frozenset(
    {"II", "III", "IV", "V", "VI", "Jr.", "Jr", "Sr.", "Sr"}
)


# A run of capitalised words in raw text ("Eric Carr", "Gene Simmons"), with the particles
# that sit inside names ("Ludwig van Beethoven"). Raw text, not the parse: the sentence
# that names a person in full is often one the prefilter never sent to the parser.
# A word is an initial ("J.") or has no full stop, so that a run ends with its sentence
# ("… Delaware. Edward served …").
_NAME_RUN = re.compile(
    r"[A-Z](?:\.|[\w'’-]*)(?:[ \u00a0]+(?:(?:"
    + "|".join(sorted(NAME_PARTICLES, key=lambda w: (-len(w), w)))
    + ")"
    r"[ \u00a0]+)?[A-Z](?:\.|[\w'’-]*))*[ \u00a0]+[A-Z][\w'’-]*"
)
# calendar.month_name, lower-cased: "In March Gene Simmons spoke" names Gene Simmons
_MONTHS: frozenset[str] = frozenset(m.lower() for m in calendar.month_name if m)
_RUN_TITLES: frozenset[str] = word_list("name_run_titles")


def surname_owners(text: str) -> dict[str, dict[str, str]]:
    """Full names of a text by the key of their last word: ``"carr"`` → ``{"eric carr":
    "Eric Carr"}`` (each full name's key and its first spelling).

    Encyclopedic text names a person in full once and by surname after ("Carr died of
    cancer …"); a fact stated of the surname belongs to the full name when the document
    names exactly one person with that surname. Leading words that are capitalised only
    because they open a sentence or a title ("When", "In", "President", "King", "March") are
    dropped; what is left must be two to four words.

    Examples
    --------
    >>> owners = surname_owners("Drummer Eric Carr joined in 1980. When Carr died, Eric Singer "
    ...                         "took over. In March Gene Simmons spoke in Delaware. Edward "
    ...                         "H. Brooke was born in 1816.")
    >>> owners["carr"], sorted(owners["simmons"]), sorted(owners["brooke"]), "died" in owners
    ({'eric carr': 'Eric Carr'}, ['gene simmons'], ['edward h. brooke'], False)
    """
    from spacy.lang.en.stop_words import STOP_WORDS  # a word list; spaCy is loaded already

    occupations = load_lexicon("occupations")
    found: dict[str, dict[str, str]] = {}
    for run in _NAME_RUN.finditer(text):
        words = run.group().split()
        while words:
            first = words[0].lower().rstrip(".")
            if first in STOP_WORDS or first in _MONTHS or first in _RUN_TITLES:
                words = words[1:]
                continue
            # an office of one to three words: "Drummer", "Prime Minister", "Chief Justice"
            cut = next(
                (k for k in (3, 2, 1) if occupations.lookup(" ".join(words[:k])) is not None), 0
            )
            if not cut:
                break
            words = words[cut:]
        if not 2 <= len(words) <= 4:
            continue
        key = entity_key(" ".join(words))
        last = entity_key(words[-1])
        if key and last and key != last:
            found.setdefault(last, {}).setdefault(key, " ".join(words))
    return found
