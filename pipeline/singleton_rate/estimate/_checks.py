"""Argument checks shared by the estimators (private to :mod:`singleton_rate.estimate`)."""

from __future__ import annotations

from singleton_rate.checks import whole_number

__all__ = ["confidence_level", "whole_number"]


def confidence_level(value: float, what: str = "confidence") -> float:
    """Check that ``value`` lies strictly between 0 and 1 and return it as a float."""
    as_float = float(value)
    if not 0.0 < as_float < 1.0:
        raise ValueError(f"{what} must lie strictly between 0 and 1, got {value!r}")
    return as_float
