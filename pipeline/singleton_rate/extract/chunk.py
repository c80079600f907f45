"""Splitting very long documents at natural boundaries, never truncating them."""

from __future__ import annotations

# Preferred cut points, best first: a paragraph, a line, a sentence end, any space.
_BOUNDARIES: tuple[str, ...] = ("\n\n", "\n", ". ", " ")


def split_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``max_chars``, each with its offset in ``text``.

    Cuts fall on the last paragraph, line, sentence or word boundary before the limit (in
    that order of preference), so no character is lost and offsets map back exactly:
    ``text[offset : offset + len(piece)] == piece``.
    """
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = max_chars
        for boundary in _BOUNDARIES:
            pos = window.rfind(boundary, max_chars // 2)
            if pos > 0:
                cut = pos + len(boundary)
                break
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces
