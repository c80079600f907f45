"""``singletons sql RUN [QUERY]``: a run's tables and macros through DuckDB, read-only.

With a query, its result is printed as a table or written as CSV, JSON or Parquet; without
one, an interactive prompt reads statements (ending in ``;``) from the terminal, or from
stdin when it is piped. Every statement passes :func:`singleton_rate.query.check_read_only` and the
connection can reach no file outside the run folder, so nothing typed here can change or
delete the run's files. Results are written by Python, never by DuckDB, and never into the
run folder.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import json
import math
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import duckdb

from singleton_rate.files import atomic_write
from singleton_rate.query import (
    FUNCTION_HELP,
    MACRO_HELP,
    ReadOnlyError,
    check_read_only,
    connect,
)

FORMATS = ("table", "csv", "json", "parquet")
MAX_CELL = 60  # characters of a value shown in the table format
BATCH = 10_000


class SqlUsageError(ValueError):
    """A request the command cannot serve (an output inside the run, parquet to stdout …)."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], total: int) -> str:
    """An aligned text table: numbers right-aligned, long values cut, a row-count footer.

    ``total`` is the number of rows the query gave (more than ``rows`` when cut).
    """
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [
        any(r[i] is not None for r in rows)
        and all(r[i] is None or isinstance(r[i], int | float | decimal.Decimal) for r in rows)
        for i in range(len(columns))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(columns)), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    noun = "row" if total == 1 else "rows"
    shown = f"{len(rows)} of {total} {noun}" if total > len(rows) else f"{total} {noun}"
    out.append(f"({shown}{'; use --format csv for all' if total > len(rows) else ''})")
    return "\n".join(out)


def _json_default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, uuid.UUID | dt.timedelta):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _rows(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[Any, ...]]:
    while batch := con.fetchmany(BATCH):
        yield from batch


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, default=_json_default, ensure_ascii=False)
    return value


def _write_text(con: duckdb.DuckDBPyConnection, fmt: str, out: TextIO) -> int:
    columns = [d[0] for d in con.description]
    n = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in _rows(con):
            writer.writerow([_csv_value(v) for v in row])
            n += 1
    else:  # json: one array of objects
        out.write("[")
        for row in _rows(con):
            # NaN and infinities are not valid JSON: written as null.
            values = [None if isinstance(v, float) and not math.isfinite(v) else v for v in row]
            record = json.dumps(
                dict(zip(columns, values, strict=True)), default=_json_default, ensure_ascii=False
            )
            out.write(("\n  " if n == 0 else ",\n  ") + record)
            n += 1
        out.write("\n]\n" if n else "]\n")
    return n


def _write_parquet(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> int:
    import pyarrow.parquet as pq

    # Streamed from a relation: a DB-API result would first be copied whole.
    reader = con.sql(query).to_arrow_reader(BATCH)
    n = 0
    with pq.ParquetWriter(target, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            n += batch.num_rows
    return n


def _check_output(output: str | None, fmt: str, run: Path) -> Path | None:
    if output is None:
        if fmt == "parquet":
            raise SqlUsageError("--format parquet needs --output FILE")
        return None
    target = Path(output).resolve()
    if target == run or run in target.parents:
        raise SqlUsageError(
            f"--output {output} is inside the run folder, which is read-only: write elsewhere"
        )
    if target.is_dir():
        raise SqlUsageError(f"--output {output} is a folder: name a file")
    return target


def _emit(
    con: duckdb.DuckDBPyConnection,
    statement: duckdb.Statement,
    fmt: str,
    target: Path | None,
    stdout: TextIO,
    max_rows: int,
) -> int:
    """Run ``statement`` and write its result in ``fmt``; returns the number of rows."""
    if fmt != "parquet":
        con.execute(statement)
    if fmt == "table":
        columns = [d[0] for d in con.description]
        rows = con.fetchmany(max_rows)
        total = len(rows) + sum(len(b) for b in iter(lambda: con.fetchmany(BATCH), []))
        text = format_table(columns, rows, total) + "\n"
        if target is None:
            stdout.write(text)
        else:
            target.write_text(text, "utf-8")
        return total
    if target is None:
        return _write_text(con, fmt, stdout)
    # Written beside the target and renamed, so a failed query leaves no half-written file.
    rows: list[int] = []

    def write(partial: Path) -> None:
        if fmt == "parquet":
            rows.append(_write_parquet(con, statement.query, partial))
        else:
            with partial.open("w", encoding="utf-8", newline="") as out:
                rows.append(_write_text(con, fmt, out))

    atomic_write(target, write)
    return rows[0]


def _error(stderr: TextIO, message: str) -> None:
    stderr.write(f"singletons: error: {message}\n")


def run_query(
    run: str | Path,
    query: str,
    *,
    fmt: str = "table",
    output: str | None = None,
    max_rows: int = 1000,
    timing: bool = False,
    grades: Sequence[str | Path] = (),
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``query`` (one or more statements) on ``run`` and print or write the result.

    Parameters
    ----------
    run : str or Path
        A run folder.
    query : str
        SQL; only queries are accepted (see :func:`singleton_rate.query.check_read_only`).
    fmt : {"table", "csv", "json", "parquet"}
        ``table`` prints every statement's result (at most ``max_rows`` rows each); the
        file formats take exactly one statement.
    output : str, optional
        A file outside the run folder; default stdout (not for ``parquet``).
    max_rows : int
        Rows shown per result in the table format.
    timing : bool
        Print the connection and query times (milliseconds) to stderr.
    grades : sequence of str or Path
        ``singletons grade`` per-answer files, joined as the view ``grades`` (see
        :func:`singleton_rate.query.connect`).
    stdout, stderr : TextIO, optional
        Default ``sys.stdout`` and ``sys.stderr``.

    Returns
    -------
    int
        0 on success; 2 with a one-line ``singletons: error: …`` on stderr otherwise.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    started = time.perf_counter()
    try:
        con = connect(run, grades=grades)
    except ValueError as exc:  # NotARun, or a grades file that cannot be used
        _error(stderr, str(exc))
        return 2
    try:
        connected = time.perf_counter()
        if timing:
            stderr.write(f"connect: {1000 * (connected - started):.1f} ms\n")
        target = _check_output(output, fmt, Path(run).resolve())
        statements = check_read_only(con, query)
        if not statements:
            raise SqlUsageError("the query holds no statement")
        if fmt != "table" and len(statements) != 1:
            raise SqlUsageError(f"--format {fmt} takes one statement, got {len(statements)}")
        for statement in statements:
            begin = time.perf_counter()
            _emit(con, statement, fmt, target, stdout, max_rows)
            if timing:
                stderr.write(f"query: {1000 * (time.perf_counter() - begin):.1f} ms\n")
        stdout.flush()
        return 0
    except (duckdb.Error, ReadOnlyError, SqlUsageError) as exc:
        _error(stderr, _first_line(exc))
        return 2
    finally:
        con.close()


HELP = """\
Statements end with ';'. Only queries run (the run is read-only).
  .tables         the views (one per table of the run)
  .macros         the macros and key functions, with an example each
  .help           this text
  .quit / .exit   leave (or Ctrl-D)
Example: select * from lookup_fact(entity_key('Marie Curie'), 'birth_place', 'warsaw');"""


def _macros_text() -> str:
    lines = []
    for _name, signature, text, example in (*MACRO_HELP, *FUNCTION_HELP):
        lines.append(f"{signature}\n    {text}\n    e.g. {example}")
    return "\n".join(lines)


def _dot(con: duckdb.DuckDBPyConnection, command: str, stdout: TextIO) -> bool:
    """Run a dot command; False when it asks to leave."""
    word = command.split()[0].lower()
    if word in (".quit", ".exit", ".q"):
        return False
    if word == ".tables":
        names = con.execute(
            "select view_name from duckdb_views() where not internal order by view_name"
        ).fetchall()
        stdout.write("  ".join(n for (n,) in names) + "\n")
    elif word == ".macros":
        stdout.write(_macros_text() + "\n")
    else:
        stdout.write(HELP + "\n")
    return True


def _run_statements(
    con: duckdb.DuckDBPyConnection, sql: str, stdout: TextIO, stderr: TextIO, max_rows: int
) -> bool:
    """Run what the prompt collected; False (after a one-line message) when it failed."""
    try:
        for statement in check_read_only(con, sql):
            _emit(con, statement, "table", None, stdout, max_rows)
    except (duckdb.Error, ReadOnlyError) as exc:
        stderr.write(f"error: {_first_line(exc)}\n")
        return False
    except KeyboardInterrupt:
        stderr.write("interrupted\n")
        return False
    return True


def shell(
    run: str | Path,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    max_rows: int = 1000,
    grades: Sequence[str | Path] = (),
) -> int:
    """The interactive prompt over ``run``: statements end with ``;``, dot commands too.

    ``grades``: ``singletons grade`` per-answer files, joined as the view ``grades``.

    From a terminal it shows a prompt and keeps line history; from a pipe it reads the
    statements silently. A failed statement prints ``error: …`` and the prompt goes on.

    Returns
    -------
    int
        0; 2 when the folder is not a run, or when reading from a pipe and a statement
        failed (so scripts notice).
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        con = connect(run, grades=grades)
    except ValueError as exc:  # NotARun, or a grades file that cannot be used
        _error(stderr, str(exc))
        return 2
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        stdout.write(f"singletons sql: {Path(run)} (read-only). .help for help.\n")
    failed = False
    buffer: list[str] = []
    try:
        while True:
            try:
                if interactive:
                    line = input("sql> " if not buffer else "...> ")
                else:
                    line = stdin.readline()
                    if not line:
                        break
            except EOFError:
                break
            except KeyboardInterrupt:
                stdout.write("\n")
                buffer = []
                continue
            if not buffer and line.strip().startswith("."):
                if not _dot(con, line.strip(), stdout):
                    break
                continue
            if not buffer and not line.strip():
                continue
            buffer.append(line.rstrip("\n"))
            if line.rstrip().endswith(";"):
                failed |= not _run_statements(con, "\n".join(buffer), stdout, stderr, max_rows)
                buffer = []
        if "".join(buffer).strip():
            failed |= not _run_statements(con, "\n".join(buffer), stdout, stderr, max_rows)
    finally:
        con.close()
    if interactive:
        stdout.write("\n")
    return 2 if failed and not interactive else 0
