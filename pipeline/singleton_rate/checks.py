"""Argument checks every layer may use (the estimators re-export them from ``estimate._checks``)."""

from __future__ import annotations

import math
import numbers


def whole_number(value: object, what: str, *, error: type[ValueError] = ValueError) -> int:
    """Return ``value`` as an ``int`` if it is a whole number (``2`` or ``2.0``), else raise.

    Bools are refused although Python counts them as ints: a ``True`` where a count belongs is
    almost always a bug upstream, not a count of one.
    """
    if isinstance(value, bool):
        raise error(f"{what} must be a whole number, got the bool {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        as_float = float(value)
        if math.isfinite(as_float) and as_float.is_integer():
            return int(as_float)
        raise error(f"{what} must be a whole number, got {value!r}")
    raise error(f"{what} must be a whole number, got {type(value).__name__} {value!r}")
