"""The words a run folder is written in: count units, keys, statuses, scopes, value types.

Every stage and every reader takes them from here, so a new unit or status is added once.
"""

from __future__ import annotations

from typing import Literal

Unit = Literal["mention", "document"]
Key = Literal["fact", "prompt"]

UNIT_COLUMNS: dict[str, str] = {"mention": "mention_count", "document": "doc_count"}
"""Count unit → the column of a ``facts``/``prompts`` row that counts it: a mention is one
occurrence per extracted mention, a document one occurrence per (document, key) pair."""
UNITS: tuple[Unit, ...] = ("mention", "document")
UNIT_MEANINGS: dict[str, str] = {
    "mention": "one occurrence per extracted mention",
    "document": "one occurrence per (document, key) pair",
}

KEYS: tuple[Key, ...] = ("fact", "prompt")
KEY_COLUMNS: dict[str, tuple[str, ...]] = {"fact": ("entity", "value"), "prompt": ("entity",)}
"""The key columns besides ``attribute`` (every key includes its attribute)."""
KEY_MEANINGS: dict[str, str] = {
    "fact": "(entity, attribute, value)",
    "prompt": "(entity, attribute)",
}

# Mention statuses. Only ``asserted`` mentions are counted; the rest stay in ``mentions/`` so
# that what was left out, and why, can be inspected.
ASSERTED = "asserted"
NEGATED = "negated"
HEDGED = "hedged"
UNKEYED = "unkeyed"  # a value the normalizer could not key (e.g. "born in 1860s")
STATUSES: tuple[str, ...] = (ASSERTED, NEGATED, HEDGED, UNKEYED)
COUNTED_STATUS = ASSERTED

# Scopes of the freq_of_freq/estimates rows: the whole corpus, the single-valued relations
# (the headline's), and the unions and parts named ``KIND:NAME`` (``attribute:birth_date``).
ALL = "all"
SINGLE_VALUED = "single_valued"
SCOPE_KINDS: tuple[str, ...] = (SINGLE_VALUED, ALL, "entity_type", "attribute", "source")
"""The kinds of scope, in the order estimates rows are listed: the headline's, the whole
corpus, its unions, its parts."""

VALUE_TYPES: tuple[str, ...] = ("date", "place", "entity", "text", "country")
"""How a relation's values are keyed (``value`` of a relation in the catalog)."""
