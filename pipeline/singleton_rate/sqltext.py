"""SQL text: quoting for the DuckDB statements every layer builds (count tasks, views)."""

from __future__ import annotations


def sql_literal(text: str) -> str:
    """``text`` as a SQL string literal.

    Examples
    --------
    >>> sql_literal("O'Brien")
    "'O''Brien'"
    """
    return "'" + text.replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    """``name`` as a quoted SQL identifier.

    Examples
    --------
    >>> sql_ident('day"s')
    '"day""s"'
    """
    return '"' + name.replace('"', '""') + '"'
