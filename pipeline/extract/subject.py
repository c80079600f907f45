"""Who a statement is about: the grammatical subject, resolved to a named entity.

Encyclopedic text names its subject once and then says "He", "She" or the surname alone.
Those resolve to the document's *main entity*: its title where there is one, else the first
person the document names. Anything else that is not a name ("Her father was born in …")
resolves to nothing, so that no fact is credited to the wrong person.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.normalize import entity_key, title_entity

PRONOUNS: frozenset[str] = frozenset({"he", "she"})
RELATIVE_PRONOUNS: frozenset[str] = frozenset({"who", "whom", "that", "which"})
SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubjpass"})
# The anchor modifies a noun ("Curie, born in Warsaw"; "Curie (born 1867)"): the noun is the
# subject.
MODIFIER_DEPS: frozenset[str] = frozenset({"acl", "relcl", "appos"})
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
    origin: str  # "title" or "first_person"


@dataclass(frozen=True, slots=True)
class Subject:
    """A resolved subject: the entity's surface name and how it was reached."""

    text: str  # canonical surface of the entity (the title for pronouns)
    mention: str  # the words in the sentence ("He", "Curie", "Marie Curie")
    resolution: str  # "name", "partial_name", "pronoun", "relative", "modified_noun"


def main_entity(doc: Doc, title: str | None) -> MainEntity | None:
    """The title's entity, else the first PERSON the document names."""
    if title and title.strip():
        text, origin = title_entity(title), "title"
    else:
        first = next((e for e in doc.ents if e.label_ == "PERSON"), None)
        if first is None:
            return None
        text, origin = first.text, "first_person"
    key = entity_key(text)
    if not key:
        return None
    return MainEntity(text=text, key=key, tokens=frozenset(key.split()), origin=origin)


def _entity_span(token: Token) -> Span | None:
    doc = token.doc
    if token.ent_iob_ == "O":
        return None
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _name_span(token: Token) -> Span:
    """A proper-noun chain the NER missed: the token and its compound/flat modifiers."""
    start = token.i
    for child in token.lefts:
        if child.dep_ in ("compound", "flat", "nmod") and child.pos_ == "PROPN":
            start = min(start, child.left_edge.i)
    return token.doc[start : token.i + 1]


def subject_token(anchor: Token) -> tuple[Token | None, str]:
    """The token naming who the anchor's statement is about, and the route taken to it.

    A parenthesis right after a name makes that name the subject ("Curie (born 1867)"),
    however the parser attached the parenthesis. Otherwise climbs coordinations ("born in
    Lyon and died in Paris" shares one subject) and open-clause chains ("is believed to have
    been born"), then falls back to the noun the anchor modifies ("Curie, born in Warsaw, …").
    """
    if anchor.i >= 2 and anchor.nbor(-1).text == "(":
        before = anchor.nbor(-2)
        if before.pos_ == "PROPN" or before.ent_type_:
            return before, "parenthetical"
    node = anchor
    for _ in range(6):  # bounded: parse chains are short, and a cycle must not hang a worker
        for child in node.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
                    return node.head, "relative"
                return child, "subject"
        if node.dep_ in ("conj", "xcomp", "ccomp", "advcl") and node.head is not node:
            node = node.head
            continue
        if node.dep_ in MODIFIER_DEPS and node.head is not node:
            return node.head, "modified_noun"
        break
    return None, "none"


def resolve(token: Token, route: str, subject_type: str, main: MainEntity | None) -> Subject | None:
    """Resolve a subject token to an entity, or ``None`` when it names no one we can key."""
    if token.lower_ in PRONOUNS:
        if main is None:
            return None
        return Subject(text=main.text, mention=token.text, resolution="pronoun")
    span = _entity_span(token)
    if span is None and token.pos_ != "PROPN":
        # A capitalised surname at the start of a sentence is often tagged NOUN
        # ("Hargreaves was born …"): it still refers back to the main entity.
        if main is not None and token.is_title and entity_key(token.text) in main.tokens:
            return Subject(text=main.text, mention=token.text, resolution="partial_name")
        return None
    name = span if span is not None else _name_span(token)
    key = entity_key(name.text)
    if not key:
        return None
    if main is not None:
        words = set(key.split())
        if words <= main.tokens:
            resolution = "name" if key == main.key else "partial_name"
            return Subject(text=main.text, mention=name.text, resolution=resolution)
    if span is None or span.label_ not in SUBJECT_LABELS[subject_type]:
        return None
    resolution = route if route in ("relative", "modified_noun", "parenthetical") else "name"
    return Subject(text=span.text, mention=span.text, resolution=resolution)
