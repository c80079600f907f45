"""A cheap test on raw text: can this text hold any of the catalog's facts at all?

Derived from the catalog, so it never disagrees with the patterns: a ``verb_arg`` pattern
cannot fire without one of its words, and a ``lifespan`` cannot without two dates in
parentheses joined by a dash. Texts that fail skip the parser and NER entirely.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.extract.catalog import Catalog

# Two year-ending expressions in one pair of parentheses, joined by a dash or "to".
_LIFESPAN = r"\([^()\n]{0,60}?\d\s*(?:–|—|-|to)\s*[^()\n]{0,60}?\d[^()\n]{0,20}\)"


def build_prefilter(catalog: Catalog) -> Callable[[str], bool]:
    """A predicate over raw text that is true whenever some pattern could fire."""
    words: set[str] = set()
    lifespan = False
    for relation in catalog.relations:
        for pattern in relation.patterns:
            if pattern.kind == "verb_arg":
                words.update(pattern.words)
            elif pattern.kind == "lifespan":
                lifespan = True
    parts = []
    if words:
        parts.append(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b")
    if lifespan:
        parts.append(_LIFESPAN)
    if not parts:
        return lambda _text: False
    regex = re.compile("|".join(parts), re.IGNORECASE)
    return lambda text: regex.search(text) is not None
