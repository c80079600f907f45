"""Named word lists: the extraction code's vocabulary as data (``relations/words.toml``).

Hedges, negations, pronouns, kin nouns, place heads and the other closed lists the
interpreters consult are read from one shipped file, so they are part of the catalog's
fingerprint and a change to them is a change of rules. The same ``[words]`` table shape is
how a relation file names its own lists (``relations/core.toml`` defines ``copula``), which
patterns then refer to as ``"@name"``.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

WORDS_FILE = "relations/words.toml"


def parse_word_lists(raw: Any, source: str) -> dict[str, tuple[str, ...]]:
    """A ``[words]`` table: names (lower-case identifiers) to lists of non-empty strings.

    Entries are kept as written (stripped): interpreters match them against spaCy's
    lower-cased token text, label lists against upper-case entity labels.

    Raises
    ------
    ValueError
        Naming ``source`` and the list at fault.

    Examples
    --------
    >>> parse_word_lists({"copula": ["is", " was"]}, "mine.toml")
    {'copula': ('is', 'was')}
    """
    if not isinstance(raw, dict):
        raise ValueError(f"{source}: [words] must be a table of named lists, got {raw!r}")
    out: dict[str, tuple[str, ...]] = {}
    for name, words in raw.items():
        if not name.isidentifier() or name != name.lower():
            raise ValueError(f"{source}: word list name {name!r} must be a lower-case identifier")
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise ValueError(
                f"{source}: word list {name!r} must be a non-empty list of non-empty strings"
            )
        out[name] = tuple(dict.fromkeys(w.strip() for w in words))
    return out


def read_words_file() -> str:
    """The shipped word-list file's text (what the fingerprint hashes)."""
    return resources.files("singleton_rate.extract").joinpath(WORDS_FILE).read_text("utf-8")


@functools.cache
def shipped_word_lists() -> dict[str, tuple[str, ...]]:
    """Every list of ``relations/words.toml`` by name."""
    import tomllib

    data = tomllib.loads(read_words_file())
    return parse_word_lists(data.get("words", {}), f"pipeline/singleton_rate/extract/{WORDS_FILE}")


def word_list(name: str) -> frozenset[str]:
    """The shipped word list ``name`` as a set.

    Raises
    ------
    KeyError
        When ``relations/words.toml`` defines no such list (a typo in the code, caught at
        import time since modules read their lists when loaded).

    Examples
    --------
    >>> sorted(word_list("negations"))
    ["n't", 'never', 'not']
    """
    lists = shipped_word_lists()
    if name not in lists:
        raise KeyError(f"no word list {name!r} in {WORDS_FILE}; known: {sorted(lists)}")
    return frozenset(lists[name])
