"""Raw-text sentence boundaries for the sentence-level prefilter."""

from __future__ import annotations

import pytest

from singleton_rate.extract.sentences import select_pieces, sentence_spans


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He was born. She died.", ["He was born. ", "She died."]),
        ("John F. Kennedy was born in 1917.", ["John F. Kennedy was born in 1917."]),
        # initials run together: the gate lost "worked for F.B. | Nanguzgambo and Associates"
        ("He worked for F.B. Nanguzgambo and Associates.", ["He worked for F.B. Nanguzgambo and Associates."]),
        ("She holds a B.A. (Honours) degree.", ["She holds a B.A. (Honours) degree."]),
        ("Dr. Smith and Mr. Jones met. Then", ["Dr. Smith and Mr. Jones met. ", "Then"]),
        ("He served in the U.S. Army. He left.", ["He served in the U.S. Army. ", "He left."]),
        ("Born in Boston, Mass. on May 2.", ["Born in Boston, Mass. on May 2."]),
        ('She said "Yes." Then she left!', ['She said "Yes." ', "Then she left!"]),
        ("Why? Because. (It was late.) Fine", ["Why? ", "Because. ", "(It was late.) ", "Fine"]),
        ("line one\nline two\n\nthree", ["line one\n", "line two\n\n", "three"]),
        ("Ada Lovelace (b. 1815) wrote.", ["Ada Lovelace (b. 1815) wrote."]),
        ("In 1990. 1991 was next.", ["In 1990. ", "1991 was next."]),
        ("", []),
        ("no punctuation at all", ["no punctuation at all"]),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


def test_spans_tile_the_text() -> None:
    text = "A b. C d! E f?\nG h.  I j (k.) L. M. N o"
    spans = sentence_spans(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(b > a for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


def test_select_pieces_merges_neighbours_and_keeps_offsets() -> None:
    text = "One. Two. Three. Four. Five."
    spans = sentence_spans(text)
    got = select_pieces(text, [True, False, True, True, False], spans)
    assert got == [(0, "One. "), (10, "Three. Four. ")]
    for offset, piece in got:
        assert text[offset : offset + len(piece)] == piece
    assert select_pieces(text, [False] * 5, spans) == []
