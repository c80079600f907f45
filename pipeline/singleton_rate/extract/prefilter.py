"""A cheap test on raw text: can this text hold any of the catalog's facts at all?

Derived from the catalog, so it never disagrees with the patterns. A pattern fires only on a
sentence holding one word of each of its trigger groups (its anchor words, and for a
pattern that restricts a noun, one word of those nouns: :attr:`Pattern.trigger_groups`); a
``lifespan`` fires only on a parenthesis of at most ``LIFESPAN_MAX_CHARS`` characters holding
a digit (a date). Texts that fail skip the parser and
NER entirely.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from singleton_rate.extract.catalog import Catalog
from singleton_rate.extract.kinds import kind
from singleton_rate.extract.patterns import LIFESPAN_MAX_CHARS

_PLAIN_WORD = re.compile(r"\w+")
_PAREN = re.compile(rf"\(([^()]{{0,{LIFESPAN_MAX_CHARS}}})\)")
_DIGIT = re.compile(r"\d")


def _has_lifespan(text: str) -> bool:
    return any(_DIGIT.search(m.group(1)) for m in _PAREN.finditer(text))


def trigger_words(catalog: Catalog) -> frozenset[str]:
    """Every word of every trigger group of the catalog's patterns (lifespans have none)."""
    return frozenset(
        w
        for relation in catalog.relations
        for pattern in relation.patterns
        if kind(pattern.kind).anchored
        for group in pattern.trigger_groups
        for w in group
    )


def build_prefilter(catalog: Catalog) -> Callable[[str], bool]:
    """A predicate over raw text that is true whenever some pattern could fire.

    Parameters
    ----------
    catalog : Catalog
        The relations in force.

    Returns
    -------
    callable
        ``could_match(text) -> bool``. One pass over the text collects its words (``\\w+``
        runs, lower-cased, plus the few trigger words with other characters: "b.", "u.s.");
        then each pattern's trigger groups are checked against them.
    """
    groups: list[tuple[frozenset[str], ...]] = []
    lifespan = False
    for relation in catalog.relations:
        for pattern in relation.patterns:
            if not kind(pattern.kind).anchored:
                lifespan = True  # fires on a parenthesis with a digit, not on words
            else:
                groups.append(pattern.trigger_groups)
    special = sorted(
        {w for gs in groups for g in gs for w in g if not _PLAIN_WORD.fullmatch(w)},
        key=len,
        reverse=True,
    )
    special_re = (
        re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, special)) + r")(?!\w)", re.IGNORECASE)
        if special
        else None
    )
    # The same trigger groups recur (one lexicon, several patterns): test each once. Each
    # group's word sets get an index; a word maps to the indices of the sets holding it.
    unique = list(dict.fromkeys(groups))
    members: list[tuple[int, ...]] = []
    holders: dict[str, set[int]] = {}
    index = 0
    for gs in unique:
        ids = []
        for g in gs:
            for w in g:
                holders.setdefault(w, set()).add(index)
            ids.append(index)
            index += 1
        members.append(tuple(ids))
    vocabulary = frozenset(holders)

    def could_match(text: str) -> bool:
        if not text:
            return False
        found = {w.lower() for w in _PLAIN_WORD.findall(text)}
        if special_re is not None:
            found.update(m.group(0).lower() for m in special_re.finditer(text))
        # Most texts hold no trigger word at all: one set intersection says so.
        words = found & vocabulary
        if words:
            hit = set().union(*(holders[w] for w in words))
            if any(all(i in hit for i in ids) for ids in members):
                return True
        return lifespan and _has_lifespan(text)

    return could_match
