"""A cheap test on raw text: can this text hold any of the catalog's facts at all?

Derived from the catalog, so it never disagrees with the patterns. A pattern fires only on a
sentence holding one word of each of its trigger groups (its anchor words, and for a
pattern that restricts a noun, one word of those nouns: :attr:`Pattern.trigger_groups`) and,
for a pattern that restricts a noun, one of those nouns' entries whole, as a run of words
("member of parliament", not "parliament" alone; the matcher accepts only whole entries); a
``lifespan`` fires only on a parenthesis that holds what the lifespan kind reads
(:func:`~singleton_rate.extract.kinds.lifespan.may_hold_lifespan`: two dates, or one that is
open-ended, finer than a year, approximate or marked). Texts that fail skip the parser and
NER entirely.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from singleton_rate.extract.catalog import Catalog, Pattern, noun_entries, plural
from singleton_rate.extract.kinds import kind
from singleton_rate.extract.kinds.lifespan import may_hold_lifespan
from singleton_rate.extract.lexicon import load_lexicon

_PLAIN_WORD = re.compile(r"\w+")
# Words and single punctuation marks: an entry and a text are cut the same way, so an entry
# is in a text when its tokens stand there in a row ("singer-songwriter", "Ph.D.").
_TOKEN = re.compile(r"\w+|[^\w\s]")


class _Phrases:
    """Whole entries as runs of tokens, looked up by their first token."""

    def __init__(self, entries: Iterable[str], capitalised: bool = False) -> None:
        self.by_first: dict[str, set[tuple[str, ...]]] = {}
        for entry in entries:
            toks = tuple(_TOKEN.findall(entry.lower()))
            if toks:
                self.by_first.setdefault(toks[0], set()).add(toks)
        self.capitalised = capitalised  # the text's first word must be capitalised

    def occur_in(self, tokens: list[str], lowered: list[str]) -> bool:
        for i, tok in enumerate(lowered):
            runs = self.by_first.get(tok)
            if not runs or (self.capitalised and not tokens[i][:1].isupper()):
                continue
            if any(tuple(lowered[i : i + len(run)]) == run for run in runs):
                return True
        return False


@functools.cache
def _noun_phrases(nouns: tuple[str, ...]) -> _Phrases:
    """A pattern's noun entries, each also with its last word or its head before "of" in
    the plural ("poets Du Fu and Fang Gan", "one of the members of parliament")."""
    out: set[str] = set()
    for entry in noun_entries(nouns):
        low = " ".join(entry.lower().split())
        out.add(low)
        head, of, rest = low.partition(" of ")
        words = head.split(" ")
        out.add(" ".join([*words[:-1], plural(words[-1])]) + (of + rest if of else ""))
        if of:
            tail = rest.split(" ")
            out.add(f"{head}{of}{' '.join([*tail[:-1], plural(tail[-1])])}")
    return _Phrases(out)


@functools.cache
def _country_phrases() -> _Phrases:
    return _Phrases(load_lexicon("countries").entries, capitalised=True)


def _phrases(pattern: Pattern) -> _Phrases | None:
    """What a text must hold whole for the pattern to fire: an entry of its nouns; for a
    copula with ``any_noun`` (its value a country word before any noun: ``copula.triggers``)
    a country's name or demonym, capitalised. ``None``: the word groups say it all."""
    if pattern.option("any_noun", False):
        return _country_phrases()
    if pattern.nouns:
        return _noun_phrases(pattern.nouns)
    return None


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
    groups: list[tuple[tuple[frozenset[str], ...], _Phrases | None]] = []
    lifespan = False
    for relation in catalog.relations:
        for pattern in relation.patterns:
            if not kind(pattern.kind).anchored:
                lifespan = True  # fires on a parenthesis it can read, not on words
            else:
                groups.append((pattern.trigger_groups, _phrases(pattern)))
    special = sorted(
        {w for gs, _ in groups for g in gs for w in g if not _PLAIN_WORD.fullmatch(w)},
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
    members: list[tuple[tuple[int, ...], _Phrases | None]] = []
    holders: dict[str, set[int]] = {}
    index = 0
    for gs, phrases in unique:
        ids = []
        for g in gs:
            for w in g:
                holders.setdefault(w, set()).add(index)
            ids.append(index)
            index += 1
        members.append((tuple(ids), phrases))
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
            tokens: list[str] | None = None
            lowered: list[str] = []
            for ids, phrases in members:
                if not all(i in hit for i in ids):
                    continue
                if phrases is None:
                    return True
                if tokens is None:  # cut the text once, only when some words matched
                    tokens = _TOKEN.findall(text)
                    lowered = [t.lower() for t in tokens]
                if phrases.occur_in(tokens, lowered):
                    return True
        return lifespan and may_hold_lifespan(text)

    return could_match
