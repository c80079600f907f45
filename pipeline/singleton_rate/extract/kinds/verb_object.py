"""The ``verb_object`` kind: "X married Y", "Y founded Z": a transitive verb, active voice.

Its direct object is the value (``value_role = "object"``) or the fact's subject, with the
grammatical subject the value (``"subject"``). Fields: ``words``, ``value_role``, ``labels``,
``not_heads``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from singleton_rate.extract.kinds import Kind, register
from singleton_rate.extract.patterns import (
    Candidate,
    SentenceView,
    _body_of,
    _conjuncts,
    _value_candidates,
    is_passive,
    statement_status,
)
from singleton_rate.extract.subject import RELATIVE_PRONOUNS, subject_token

if TYPE_CHECKING:
    from singleton_rate.extract.catalog import Pattern, ValueType


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
        objs = [c for c in anchor.children if c.dep_ == "dobj"]
        # "It was at Fort Mojave that she met and married X": the parser may give the verb
        # the cleft's "that" as a second object; the named one is the value
        obj = next((c for c in objs if c.lower_ not in RELATIVE_PRONOUNS), None) or next(
            iter(objs), None
        )
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
                if c.dep_ in ("nsubj", "nsubjpass") and c != subj and route == "subject"
            ]
            for tok in _conjuncts(obj):
                for s in subjects:
                    yield from _value_candidates(s, value, pattern, tok, "object", status)


KIND = register(
    Kind(
        name="verb_object",
        match=match_verb_object,
        values=frozenset({"entity"}),
        fields=frozenset({"words", "value_role", "labels", "not_heads"}),
    )
)
