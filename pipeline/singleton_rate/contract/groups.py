"""The document groups of the ``document_groups`` table: which group each document falls in.

Part of the run folder's contract because the count tasks (DuckDB, :func:`group_sql`), the
estimators and held-out validation (Python, :func:`document_group`) must put every document
in the same group, and a reader of ``document_groups/`` needs the rule to interpret a row.
"""

from __future__ import annotations

import hashlib

from singleton_rate.checks import whole_number

JACKKNIFE_GROUPS = 50
"""``G``, the number of document groups of the delete-a-group jackknife. With ``G = 20, 50,
100`` the interval covered 0.94–0.97 on every design without near-duplicates (bench); 50
keeps ``t_{G−1}`` close to normal and the table small (``G`` rows per scope, unit, key)."""
GROUP_SALT = "jackknife"
"""The prefix hashed with a document id to pick its group (different from ``validate``'s
split seeds, so the groups do not line up with the held-out split)."""


def document_group(doc_id: str | None, groups: int = JACKKNIFE_GROUPS) -> int:
    """The jackknife group of a document: ``int(md5("jackknife:<doc_id>")[:16], 16) mod G``.

    The first 16 hex digits of the MD5 of the UTF-8 string ``"jackknife:<doc_id>"`` read as
    an unsigned 64-bit integer, modulo ``G``; a null id is ``""``. :func:`group_sql` is the
    same rule in DuckDB, so every partition of the count stage puts a document in the same
    group.

    Examples
    --------
    >>> document_group("doc-1", 50), document_group("doc-2", 50), document_group(None, 50)
    (29, 31, 18)
    """
    g = whole_number(groups, "groups")
    if g < 1:
        raise ValueError(f"groups must be at least 1, got {groups!r}")
    text = f"{GROUP_SALT}:{'' if doc_id is None else doc_id}"
    return int(hashlib.md5(text.encode("utf-8")).hexdigest()[:16], 16) % g


def group_sql(column: str, groups: int = JACKKNIFE_GROUPS) -> str:
    """DuckDB expression for :func:`document_group` of the string column ``column``.

    Examples
    --------
    >>> import duckdb
    >>> duckdb.sql("select " + group_sql("'doc-1'", 50)).fetchall()
    [(29,)]
    """
    g = whole_number(groups, "groups")
    if g < 1:
        raise ValueError(f"groups must be at least 1, got {groups!r}")
    return (
        f"(('0x' || substr(md5('{GROUP_SALT}:' || coalesce({column}, '')), 1, 16))"
        f"::UBIGINT % {g})::BIGINT"
    )
