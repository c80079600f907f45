"""DuckDB over a run folder: a view per table, SQL macros, read-only access, ``catalog.duckdb``.

:func:`connect` opens an in-memory DuckDB connection with one view per table of a run (the
Parquet files are read in place), the macros of :func:`macro_statements` (a fact's counts
and risk class, the singleton rate and missing mass of any slice, the attributes ranked by
singleton rate) and two Python functions that key raw text the way the run did
(``entity_key``, ``value_key``). :func:`write_catalog` stores the same views and macros, with
paths relative to the run folder, in the folder's ``catalog.duckdb`` for other DuckDB clients.

Read-only access has two layers. The connection can open files only under the run folder
(``allowed_directories`` with ``enable_external_access`` off and the configuration locked),
so nothing outside the folder can be read or written. Inside it DuckDB could still write
(``COPY … TO``), so every statement an analyst types through ``singletons sql`` first
passes :func:`check_read_only`, which lets through queries only.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import re
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import NormalDist
from typing import Any

import duckdb

from singleton_rate.contract import (
    CATALOG,
    FACTS,
    OPTIONAL_TABLES,
    PROMPTS,
    SCHEMAS,
    TABLES,
    UNIT_COLUMNS,
    RunSettings,
    duckdb_nulls,
    read_manifest,
    settings_of,
)
from singleton_rate.sqltext import sql_ident as _ident
from singleton_rate.sqltext import sql_literal
from singleton_rate.store import is_complete_run

# Typed empty views for tables the macros read, when a run wrote no file for them.
EMPTY_SCHEMAS: dict[str, str] = {t: duckdb_nulls(SCHEMAS[t]) for t in (FACTS, PROMPTS)}
SQRT2_PLUS_1 = 1.0 + math.sqrt(2.0)  # as singleton_rate.estimate.goodturing.SQRT2_PLUS_1


class NotARun(ValueError):
    """A folder that holds no complete run."""


class ReadOnlyError(ValueError):
    """A statement that could change something: refused on a run's read-only connection."""


def run_settings(run: str | Path) -> RunSettings:
    """The :class:`RunSettings` of a run, from ``manifest.json`` (defaults where it is older).

    Parameters
    ----------
    run : str or Path
        A complete run folder.

    Returns
    -------
    RunSettings
        ``rare_max`` 5 and ``confidence`` 0.95 when the manifest predates them.
    """
    return settings_of(read_manifest(run))


def view_statements(run: Path, root: str) -> list[str]:
    """``create view`` statements, one per table of the run found under ``run``.

    ``root`` prefixes every path in the views: the run's absolute path for an in-memory
    connection, ``""`` for ``catalog.duckdb`` (relative paths, resolved against the working
    directory or DuckDB's ``file_search_path``).
    """
    statements = []
    present = tuple(t for t in OPTIONAL_TABLES if (run / t).is_dir())
    for table in (*TABLES, *present):
        folder = run / table
        depths = {len(p.relative_to(folder).parts) for p in folder.rglob("*.parquet")}
        if depths:
            hive = any("=" in p.name for p in folder.iterdir() if p.is_dir())
            # A glob of the files' exact depth ("facts/*/*.parquet") lists less than a
            # recursive one, which every query repeats: about 8 ms of a 30 ms lookup.
            pattern = (
                "/".join(["*"] * (depths.pop() - 1) + ["*.parquet"])
                if len(depths) == 1
                else "**/*.parquet"
            )
            source = sql_literal(f"{root}{table}/{pattern}")
            # DuckDB reads key=value folders anywhere in an absolute path as partitions:
            # drop those of the run's own location ("/data/day=3/run"), keep the table's.
            above = [s.split("=", 1)[0] for s in Path(root).parts if "=" in s] if hive else []
            star = f"* exclude ({', '.join(_ident(k) for k in above)})" if above else "*"
            statements.append(
                f"create or replace view {table} as select {star} from read_parquet({source}, "
                f"hive_partitioning = {str(hive).lower()})"
            )
        else:  # an empty table (e.g. no rejects): Spark wrote no data file
            columns = EMPTY_SCHEMAS.get(table, "null as empty")
            statements.append(f"create or replace view {table} as select {columns} where false")
    return statements


# name, signature, what it gives, one example: the macros' help (README, `.help`, comments).
MACRO_HELP: tuple[tuple[str, str, str, str], ...] = (
    (
        "risk_class",
        "risk_class(n)",
        "a count's risk class: unseen (0 or null), singleton (1), rare (2..rare_max), common",
        "select entity, value, risk_class(doc_count) from facts limit 5",
    ),
    ("rare_max", "rare_max()", "the run's rare/common threshold", "select rare_max()"),
    (
        "singleton_rate",
        "singleton_rate(n)",
        "aggregate: N1/N over the rows (n = mention_count or doc_count), the Good-Turing "
        "missing mass",
        "select attribute, singleton_rate(doc_count) from facts group by attribute",
    ),
    (
        "missing_mass_low",
        "missing_mass_low(n [, confidence := run's])",
        "aggregate: lower end of the distribution-free missing-mass interval "
        "N1/N - (1/N + (1+sqrt 2)*sqrt(ln(4/(1-confidence))/N)), clipped at 0",
        "select missing_mass_low(mention_count) from facts where attribute = 'birth_date'",
    ),
    (
        "missing_mass_high",
        "missing_mass_high(n [, confidence := run's])",
        "aggregate: upper end of that interval, clipped at 1",
        "select missing_mass_high(mention_count) from facts where attribute = 'birth_date'",
    ),
    (
        "esty_low",
        "esty_low(n)",
        "aggregate: lower end of Esty's score interval at the run's confidence",
        "select esty_low(doc_count) from facts",
    ),
    (
        "esty_high",
        "esty_high(n)",
        "aggregate: upper end of Esty's score interval at the run's confidence",
        "select esty_high(doc_count) from facts",
    ),
    (
        "good_turing",
        "good_turing(n)",
        "aggregate: a struct of n, distinct, n1, n2, singleton_rate, missing_mass_low/high, "
        "esty_low/high (expand it with unnest)",
        "select attribute, unnest(good_turing(doc_count)) from facts group by attribute",
    ),
    (
        "lookup_fact",
        "lookup_fact(entity, attribute, value)",
        "table: a fact's count and risk class per unit (key = fact), 'unseen' when absent; "
        "arguments are keys (see entity_key, value_key)",
        "select * from lookup_fact('marie curie', 'birth_place', 'warsaw')",
    ),
    (
        "lookup_prompt",
        "lookup_prompt(entity, attribute)",
        "table: a prompt's count, risk class and number of values per unit (key = prompt)",
        "select * from lookup_prompt('marie curie', 'birth_place')",
    ),
    (
        "attribute_ranking",
        "attribute_ranking (view)",
        "every attribute ranked by singleton rate within each key and unit, with N, distinct, "
        "N1, N2 and both intervals",
        "select * from attribute_ranking where key = 'fact' and unit = 'document'",
    ),
)
# Python functions registered by connect() only: catalog.duckdb cannot hold them.
FUNCTION_HELP: tuple[tuple[str, str, str, str], ...] = (
    (
        "entity_key",
        "entity_key(text)",
        "the run's key of a person or organisation name (singletons sql and connect() only)",
        "select entity_key('Dr. Marie Curie')",
    ),
    (
        "value_key",
        "value_key(attribute, text)",
        "the run's key of a value of that attribute, null when the text keys to none "
        "(singletons sql and connect() only)",
        "select value_key('birth_date', '7 November 1867')",
    ),
)


def esty_z(confidence: float) -> float:
    """The standard-normal quantile of Esty's interval at ``confidence`` (two-sided)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def macro_statements(settings: RunSettings) -> list[str]:
    """Macros and derived views over the table views, with the run's settings baked in.

    Aggregate macros take a count column (``mention_count`` or ``doc_count`` of ``facts`` or
    ``prompts``) and work under any ``where`` / ``group by``: N = sum(n), N1 = rows with
    n = 1, N2 = rows with n = 2. The interval formulas are those of
    :mod:`singleton_rate.estimate.goodturing`, in the same floating-point order.
    """
    rare_max = int(settings.rare_max)
    if rare_max < 2:
        raise ValueError(f"rare_max must be at least 2, got {rare_max}")
    confidence = float(settings.confidence)
    z = esty_z(confidence)
    z2 = z * z
    total = "sum(n)::double"
    n1 = "count_if(n = 1)::double"
    n2 = "count_if(n = 2)::double"
    width = (
        f"(1.0::double / {total} + {SQRT2_PLUS_1!r}::double * "
        f"sqrt(ln(4.0::double / (1.0::double - confidence::double)) / {total}))"
    )
    # Esty's score interval (singleton_rate.estimate.goodturing.esty_interval, method "score").
    denominator = f"({total} + {z2!r}::double)"
    upper = (
        f"(({n1} + {z2 / 2.0!r}::double) / {denominator} + {z!r}::double * "
        f"sqrt({n1} * ({total} - {n1}) / {total} + 2.0::double * {n2} * {denominator} / {total}"
        f" + {z2 / 4.0!r}::double) / {denominator})"
    )
    lower = (
        f"(({n1} * {n1} - 2.0::double * {z2!r}::double * {n2}) "
        f"/ ({total} * {denominator}) / {upper})"
    )
    units = "(values ('mention', 1), ('document', 2)) as u(unit, unit_order)"
    pick = "case u.unit when 'mention' then hit.mention_count else hit.doc_count end"
    rank_parts = " union all ".join(
        f"select '{key}' as key, '{unit}' as unit, attribute, {column} as n from {table}"
        for key, table in (("fact", "facts"), ("prompt", "prompts"))
        for unit, column in UNIT_COLUMNS.items()
    )
    statements = [
        f"create or replace macro rare_max() as {rare_max}",
        "create or replace macro risk_class(n) as case when n is null or n <= 0 then 'unseen' "
        f"when n = 1 then 'singleton' when n <= {rare_max} then 'rare' else 'common' end",
        f"create or replace macro singleton_rate(n) as {n1} / {total}",
        f"create or replace macro missing_mass_low(n, confidence := {confidence!r}) as "
        f"greatest(0.0::double, least(1.0::double, {n1} / {total} - {width}))",
        f"create or replace macro missing_mass_high(n, confidence := {confidence!r}) as "
        f"greatest(0.0::double, least(1.0::double, {n1} / {total} + {width}))",
        "create or replace macro esty_low(n) as "
        f"greatest(0.0::double, least(1.0::double, {lower}))",
        "create or replace macro esty_high(n) as "
        f"greatest(0.0::double, least(1.0::double, {upper}))",
        "create or replace macro good_turing(n) as struct_pack("
        'n := sum(n)::bigint, "distinct" := count(n) filter (where n > 0), n1 := count_if(n = 1), '
        "n2 := count_if(n = 2), singleton_rate := singleton_rate(n), "
        "missing_mass_low := missing_mass_low(n), missing_mass_high := missing_mass_high(n), "
        "esty_low := esty_low(n), esty_high := esty_high(n))",
        # Parameters are named e, a, v: a macro parameter would shadow a column of its name.
        "create or replace macro lookup_fact(e, a, v) as table "
        "with hit as (select mention_count, doc_count, entity_text, value_text from facts "
        "where attribute = a and entity = e and value = v) "
        "select e as entity, a as attribute, v as value, 'fact' as key, u.unit, "
        f"coalesce({pick}, 0) as count, risk_class(coalesce({pick}, 0)) as risk_class, "
        "rare_max() as rare_max, hit.entity_text, hit.value_text "
        f"from {units} left join hit on true order by u.unit_order",
        "create or replace macro lookup_prompt(e, a) as table "
        "with hit as (select mention_count, doc_count, n_values, entity_text from prompts "
        "where attribute = a and entity = e) "
        "select e as entity, a as attribute, 'prompt' as key, u.unit, "
        f"coalesce({pick}, 0) as count, risk_class(coalesce({pick}, 0)) as risk_class, "
        "rare_max() as rare_max, coalesce(hit.n_values, 0) as n_values, hit.entity_text "
        f"from {units} left join hit on true order by u.unit_order",
        "create or replace view attribute_ranking as "
        "select key, unit, attribute, sum(n)::bigint as n, "
        'count(n) filter (where n > 0) as "distinct", '
        "count_if(n = 1) as n1, count_if(n = 2) as n2, singleton_rate(n) as singleton_rate, "
        "missing_mass_low(n) as missing_mass_low, missing_mass_high(n) as missing_mass_high, "
        "esty_low(n) as esty_low, esty_high(n) as esty_high, "
        "rank() over (partition by key, unit order by singleton_rate(n) desc) as rank "
        f"from ({rank_parts}) group by key, unit, attribute "
        "order by key, unit desc, rank, attribute",
    ]
    for name, signature, text, _example in MACRO_HELP:
        kind = (
            "view"
            if signature.endswith("(view)")
            else "macro table"
            if name.startswith("lookup_")
            else "macro"
        )
        statements.append(f"comment on {kind} {name} is {sql_literal(f'{signature}: {text}')}")
    return statements


def _entity_key(text: str | None) -> str | None:
    from singleton_rate.normalize import entity_key

    return None if text is None else (entity_key(text) or None)


def _value_key_function(run: Path) -> Callable[[str | None, str | None], str | None]:
    keys: Any = None

    def value_key(attribute: str | None, text: str | None) -> str | None:
        # Keyed exactly as `singletons score` keys a question's value: the run's relations
        # (value type, lexicon: "an actress" is `actor`), read on first use.
        from singleton_rate.extract.keys import written_value_key
        from singleton_rate.runkeys import run_keys

        nonlocal keys
        if attribute is None or text is None:
            return None
        if keys is None:
            keys = run_keys(read_manifest(run))
        name = keys.attribute(attribute)
        if name is None:
            known = ", ".join(sorted(keys.relations))
            raise ValueError(f"value_key: unknown attribute {attribute!r}; the run has {known}")
        keyed = written_value_key(keys.relations[name], text)
        return None if keyed is None else keyed[0]

    return value_key


def _register_functions(con: duckdb.DuckDBPyConnection, run: Path) -> None:
    # Deterministic (no side effects), so DuckDB folds a call on a constant before the scan
    # and the filter still prunes Parquet row groups.
    con.create_function("entity_key", _entity_key, ["VARCHAR"], "VARCHAR", null_handling="special")
    con.create_function(
        "value_key",
        _value_key_function(run),
        ["VARCHAR", "VARCHAR"],
        "VARCHAR",
        null_handling="special",
    )


# Connections with Python functions still open at exit make the DuckDB bindings report
# leaks on stderr; closing them first keeps the exit quiet.
_OPEN: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()


@atexit.register
def _close_open() -> None:
    for con in list(_OPEN):
        with contextlib.suppress(duckdb.Error):  # already closed, or mid-query
            con.close()


def connect(
    run: str | Path,
    *,
    read_only: bool = True,
    grades: Sequence[str | Path] = (),
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per table of ``run``, macros and keys.

    Parameters
    ----------
    run : str or Path
        A complete run folder.
    read_only : bool
        Confine the connection's file access to the run folder and lock its configuration
        (the default). Statements are not filtered here: pass text an analyst typed through
        :func:`check_read_only` first, as ``singletons sql`` does. Python objects are not
        found by name then (DuckDB's replacement scans count as external access): join a
        DataFrame or Arrow table after ``con.register(name, obj)``.
    grades : sequence of str or Path
        Per-answer files of ``singletons grade`` (or their summary JSON): read in Python
        (:func:`singleton_rate.gradefiles.read_grades`) and registered as the view ``grades``, one
        row per
        answer with the grading's ``model`` label, ``entity`` the entity key (as in
        ``prompts``) and ``entity_text`` as asked (:func:`singleton_rate.gradefiles.grades_view`).

    Returns
    -------
    duckdb.DuckDBPyConnection
        Views read the Parquet files in place (hive partitions, e.g. ``attribute``, become
        columns); the macros of :func:`macro_statements`; ``entity_key(text)`` and
        ``value_key(attribute, text)`` key raw text as the run did.

    Raises
    ------
    NotARun
        When ``run`` holds no complete run.
    singleton_rate.runkeys.ScoreError
        When a ``grades`` file cannot be used (missing, unreadable, not a grading, two with
        one name); a ``ValueError`` too.
    """
    path = Path(run).resolve()
    if not is_complete_run(path):
        raise NotARun(f"{run} is not a complete run folder (no manifest.json)")
    settings = run_settings(path)
    graded = None
    if grades:  # read before the connection opens: a bad file leaves nothing open
        from singleton_rate.gradefiles import grades_view, read_grades

        graded = grades_view([read_grades(g, summary=False) for g in grades])
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    _OPEN.add(con)
    for statement in view_statements(path, f"{path.as_posix()}/"):
        con.execute(statement)
    for statement in macro_statements(settings):
        con.execute(statement)
    _register_functions(con, path)
    if graded is not None:
        con.register("grades", graded)
    # Footers are read once per connection, not once per query: repeated lookups are cheaper.
    con.execute("set parquet_metadata_cache = true")
    if read_only:
        con.execute(f"set allowed_directories = [{sql_literal(path.as_posix() + '/')}]")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    return con


_EXPLAIN = re.compile(r"^\s*explain\s*(?:\([^)]*\)\s*)?(?:analy[sz]e\b)?(.*)$", re.I | re.S)
QUERY_KINDS = "SELECT, FROM, WITH, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN"


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> list[duckdb.Statement]:
    """The statements of ``sql`` when every one is a query; else :class:`ReadOnlyError`.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Parses ``sql`` (nothing is executed).
    sql : str
        One or more statements.

    Returns
    -------
    list of duckdb.Statement
        Ready for ``con.execute``.

    Raises
    ------
    ReadOnlyError
        For any statement that is not a query (COPY, EXPORT, ATTACH, CREATE, DROP, INSERT,
        SET, PRAGMA, CALL, PIVOT as a statement …), or an EXPLAIN of one.
    duckdb.ParserException
        When ``sql`` does not parse.
    """
    statements = con.extract_statements(sql)
    for statement in statements:
        kind = statement.type
        if kind == duckdb.StatementType.EXPLAIN:
            match = _EXPLAIN.match(statement.query)
            inner = con.extract_statements(match.group(1)) if match else []
            if len(inner) == 1 and inner[0].type == duckdb.StatementType.SELECT:
                continue
        elif kind == duckdb.StatementType.SELECT:
            continue
        name = kind.name.replace("_", " ")
        hint = " (write PIVOT inside a SELECT: select * from (pivot …))" if name == "MULTI" else ""
        raise ReadOnlyError(
            f"{name} statements are refused: the run is read-only; only queries "
            f"({QUERY_KINDS}) run here{hint}"
        )
    return statements


def write_catalog(run: str | Path, settings: RunSettings | None = None) -> Path:
    """Write ``catalog.duckdb`` into a run folder: its views and macros, relative paths.

    Any DuckDB client opens it from inside the folder (``cd RUN && duckdb catalog.duckdb``)
    or from anywhere after ``SET file_search_path = 'RUN'``: DuckDB resolves a view's
    relative paths against the working directory, or against ``file_search_path`` when set,
    never against the database file's own folder. So the folder can be moved or copied.

    Parameters
    ----------
    run : str or Path
        The run folder (also the temporary one a run builds in: paths are relative).
    settings : RunSettings, optional
        Default: read from the folder's manifest.

    Returns
    -------
    Path
        The catalog file (replaced if it existed).
    """
    path = Path(run).resolve()
    settings = settings or run_settings(path)
    target = path / CATALOG
    target.unlink(missing_ok=True)
    # The oldest storage format that holds these views and macros: more clients can open it.
    con = duckdb.connect(
        str(target),
        config={
            "storage_compatibility_version": "v1.0.0",
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    try:
        # Views are bound when created: resolve their relative paths against the run folder.
        con.execute(f"set file_search_path = {sql_literal(path.as_posix())}")
        for statement in (*view_statements(path, ""), *macro_statements(settings)):
            con.execute(statement)
        con.execute("checkpoint")
    finally:
        con.close()
    return target
