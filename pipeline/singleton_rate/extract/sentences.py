"""Cheap sentence boundaries on raw text, for choosing what the parser sees.

The sentence-level prefilter (:mod:`singleton_rate.extract.extractor`) parses only the sentences
that can hold a catalog fact. It needs boundaries before any model has run, so they come
from punctuation alone. The splitter errs towards *not* splitting: a missed boundary only
makes a parsed piece longer, while a false one ("John F. | Kennedy was born …") would cut a
name off its sentence. spaCy then finds the real sentences inside each piece.
"""

from __future__ import annotations

import itertools
import re

from singleton_rate.extract.words import word_list

# Words that end with a period without ending a sentence (lower-cased, period dropped).
ABBREVIATIONS: frozenset[str] = word_list("abbreviations")

# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace,
# then something that can open a sentence (a capital, a digit, a quote or bracket).
_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"\n\s*")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
# Initials, the last one's period dropped: "F", "F.B", "G.E.C" (the splitter errs towards
# not splitting; "moved to the U.S. He …" stays one piece, which only makes it longer).
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``text[dot]`` closes an abbreviation or an initial."""
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if m is None:
        return False
    word = m.group(1)
    if _INITIALS.fullmatch(word):  # "John F. Kennedy", "F.B. Nanguzgambo", "G.E.C. Gads Fond"
        return True
    return word.lower() in ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans covering ``text`` in order, one per sentence.

    The spans tile the text without gaps (whitespace between sentences belongs to the
    sentence before it), so ``"".join(text[s:e] for s, e in spans) == text``.
    """
    cuts: set[int] = set()
    for m in _LINE.finditer(text):
        cuts.add(m.end())
    for m in _END.finditer(text):
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        cuts.add(m.end())
    cuts.discard(0)
    cuts.discard(len(text))
    bounds = [0, *sorted(cuts), len(text)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def select_pieces(
    text: str, keep: list[bool], spans: list[tuple[int, int]]
) -> list[tuple[int, str]]:
    """Runs of consecutive kept sentences as ``(offset, piece)``, in text order.

    Neighbouring kept sentences are parsed together, so a statement spread over them keeps
    its context; ``text[offset : offset + len(piece)] == piece``.
    """
    pieces: list[tuple[int, str]] = []
    start: int | None = None
    end = 0
    for (a, b), k in zip(spans, keep, strict=True):
        if k:
            if start is None:
                start = a
            end = b
        elif start is not None:
            pieces.append((start, text[start:end]))
            start = None
    if start is not None:
        pieces.append((start, text[start:end]))
    return pieces
