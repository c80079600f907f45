"""The ``possessed`` kind: "his wife, Maya Sacher", "X's husband John Smith", "His wife was Y".

A noun in ``words`` (a relation to a person: "wife", "husband") with a possessor ("his",
"her", a name with "'s") names the value: the person's name right after it (after a comma
or not), in apposition to it, or the complement of a copula it is the subject of. The
possessor is the fact's subject ("his" resolves like "he"). Fields: ``words``, ``labels``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from singleton_rate.extract.kinds import Kind, register
from singleton_rate.extract.patterns import (
    Candidate,
    SentenceView,
    _value_candidates,
    statement_status,
)
from singleton_rate.extract.subject import COPULAR_VERBS, KIN_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Token

    from singleton_rate.extract.catalog import Pattern, ValueType


def _possessor(noun: Token) -> Token | None:
    """ "his" of "his wife", "Smith" of "Smith's wife" (a name's last word)."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        return None
    if owner.pos_ == "PROPN":
        return owner
    if owner.pos_ != "PRON":
        return None
    # "William Armstrong and his wife Eliza", "Charles Love along with his wife Lilla": "his"
    # is the person the phrase is coordinated with or attached to
    node = noun
    for _ in range(3):
        if node.dep_ == "conj" or node.dep_ == "pobj":
            node = node.head if node.dep_ == "conj" else node.head.head
        elif node.dep_ == "prep":
            node = node.head
        else:
            break
        if node.pos_ == "PROPN" and node.ent_type_ == "PERSON":
            return node
        if node.pos_ == "PRON":
            break  # "He and his wife": the pronoun stands as it is
    return owner


def _under_kin(noun: Token) -> bool:
    """Whether the noun hangs under another kinship noun: "the son of William Armstrong
    and his wife Eliza" names the parents, "his" is the father, not the page's subject."""
    node = noun
    for _ in range(8):
        if node.head == node:
            return False
        node = node.head
        if node.lower_ in KIN_NOUNS and node.lower_ not in SPOUSE_NOUNS:
            return True
    return False


SPOUSE_NOUNS = frozenset({"wife", "husband", "spouse", "widow", "widower"})


def _named(noun: Token) -> Token | None:
    """The person's name a relation noun names: right after it ("his wife Lilla", "his wife,
    Maya Sacher"), in apposition, or after the copula it is the subject of ("His wife was
    Maya Sacher"). The name must be one the NER labelled a person (or a proper noun in
    apposition); a noun in between ("his wife, the actress X") names no one here."""
    doc = noun.doc
    stop = noun.sent.end
    j = noun.i + 1
    if j < stop and doc[j].text == ",":
        j += 1
    if j < stop and doc[j].ent_iob_ == "B" and doc[j].ent_type_ == "PERSON":
        end = j + 1
        while end < stop and doc[end].ent_iob_ == "I":
            end += 1
        return doc[end - 1]
    for child in noun.rights:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and child.i <= noun.i + 4:
            return child
    verb = noun.head
    if noun.dep_ == "nsubj" and verb.lower_ in COPULAR_VERBS:
        attr = next((c for c in verb.rights if c.dep_ == "attr"), None)
        if attr is not None and attr.pos_ == "PROPN" and attr.ent_type_ == "PERSON":
            return attr
    return None


def match_possessed(view: SentenceView, pattern: Pattern, value: ValueType) -> Iterator[Candidate]:
    """ "his wife, Maya Sacher" → (his, Maya Sacher): the possessor is the subject."""
    for noun in view.anchors(pattern.words):
        if noun.pos_ != "NOUN":
            continue
        owner = _possessor(noun)
        if owner is None or _under_kin(noun):
            continue
        name = _named(noun)
        if name is None:
            continue
        status = statement_status(noun.head if noun.dep_ == "nsubj" else noun)
        yield from _value_candidates(name, value, pattern, owner, "possessor", status, False)


KIND = register(
    Kind(
        name="possessed",
        match=match_possessed,
        values=frozenset({"entity"}),
        fields=frozenset({"words", "labels"}),
    )
)
