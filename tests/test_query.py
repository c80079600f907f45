"""The SQL surface of a run: views against their Parquet, macros against Python, read-only.

Every view is compared with the files it reads (pyarrow, not DuckDB); every macro with the
Python it mirrors (:mod:`singleton_rate.risk`, :mod:`singleton_rate.estimate.goodturing`) and with the
run's own ``estimates`` table; every kind of write is refused with the run's files left
byte-identical; ``catalog.duckdb`` is opened from a moved copy by a plain DuckDB client.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from singleton_rate.contract import LOOKUP_ROW_GROUP_ROWS, TABLES
from singleton_rate.contract import UNIT_COLUMNS as UNITS
from singleton_rate.estimate import FreqOfFreq
from singleton_rate.estimate.goodturing import esty_interval, missing_mass_interval
from singleton_rate.extract.countries import country_key
from singleton_rate.extract.keys import written_value_key
from singleton_rate.normalize import entity_key
from singleton_rate.query import (
    CATALOG,
    NotARun,
    ReadOnlyError,
    check_read_only,
    connect,
    run_settings,
    write_catalog,
)
from singleton_rate.risk import RISK_CLASSES, risk_class
from singleton_rate.score import run_keys

pytestmark = pytest.mark.spark

KEYS = {"fact": "facts", "prompt": "prompts"}


def _norm(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


def _parquet_rows(folder: Path) -> tuple[list[str], Counter]:
    """The rows of a table's Parquet files, read with pyarrow (hive partitions as columns)."""
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    names = table.column_names
    rows = Counter(tuple(_norm(r[c]) for c in sorted(names)) for r in table.to_pylist())
    return sorted(names), rows


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def con(sample_run: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(sample_run)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def facts(sample_run: Path) -> pa.Table:
    return ds.dataset(sample_run / "facts", format="parquet", partitioning="hive").to_table()


def test_each_view_equals_the_parquet_it_reads(sample_run: Path, con) -> None:
    checked = 0
    for table in TABLES:
        files = list((sample_run / table).rglob("*.parquet"))
        if not files:
            # no data file: an empty view (typed where macros read it)
            assert con.execute(f"select count(*) from {table}").fetchone() == (0,)
            continue
        names, expected = _parquet_rows(sample_run / table)
        cursor = con.execute(f"select * from {table}")
        columns = [d[0] for d in cursor.description]
        assert sorted(columns) == names, table
        order = [columns.index(c) for c in names]
        got = Counter(tuple(_norm(row[i]) for i in order) for row in cursor.fetchall())
        assert got == expected, table
        checked += 1
    assert checked >= 6  # documents, mentions, facts, prompts, freq_of_freq, estimates …


def test_facts_and_prompts_are_sorted_for_lookups(sample_run: Path) -> None:
    for table, keys in (("facts", ("entity", "value")), ("prompts", ("entity",))):
        files = list((sample_run / table).rglob("*.parquet"))
        assert files
        for path in files:
            data = pq.read_table(path, columns=list(keys)).to_pylist()
            rows = [tuple(r[k] for k in keys) for r in data]
            assert rows == sorted(rows), path
            meta = pq.ParquetFile(path).metadata
            assert all(
                meta.row_group(i).num_rows <= LOOKUP_ROW_GROUP_ROWS
                for i in range(meta.num_row_groups)
            )


def test_not_a_run(tmp_path: Path) -> None:
    with pytest.raises(NotARun, match="not a complete run"):
        connect(tmp_path)


# --- macros against Python --------------------------------------------------------------


def test_risk_class_matches_python(con, sample_run: Path) -> None:
    rare_max = run_settings(sample_run).rare_max
    assert con.execute("select rare_max()").fetchone() == (rare_max,)
    for n in (None, -1, 0, 1, 2, rare_max, rare_max + 1, 1000):
        assert con.execute("select risk_class(?::bigint)", [n]).fetchone() == (
            risk_class(n, rare_max),
        )


def test_risk_class_uses_the_runs_threshold(sample_run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(sample_run, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["config"]["rare_max"] = 3
    (copy / "manifest.json").write_text(json.dumps(manifest))
    c = connect(copy)
    assert [c.execute(f"select risk_class({n})").fetchone()[0] for n in range(5)] == [
        risk_class(n, 3) for n in range(5)
    ]
    assert c.execute("select risk_class(4)").fetchone() == ("common",)
    del manifest["config"]["rare_max"]  # an older run: the default threshold
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert connect(copy).execute("select rare_max(), risk_class(5)").fetchone() == (5, "rare")


def _python_estimates(counts: list[int], confidence: float) -> dict[str, float]:
    fof = FreqOfFreq.from_counts(counts)
    mm = missing_mass_interval(fof, confidence)
    esty = esty_interval(fof, confidence, method="score")
    return {
        "n": fof.n,
        "distinct": fof.distinct,
        "n1": fof.f1,
        "n2": fof.f2,
        "singleton_rate": fof.f1 / fof.n,
        "missing_mass_low": mm.low,
        "missing_mass_high": mm.high,
        "esty_low": esty.low,
        "esty_high": esty.high,
    }


AGGREGATES = (
    "sum(n)::bigint as n, count(*) as distinct_, count_if(n = 1) as n1, count_if(n = 2) as n2, "
    "singleton_rate(n), missing_mass_low(n), missing_mass_high(n), esty_low(n), esty_high(n)"
)
FIELDS = (
    "n",
    "distinct",
    "n1",
    "n2",
    "singleton_rate",
    "missing_mass_low",
    "missing_mass_high",
    "esty_low",
    "esty_high",
)
SELECT_FIELDS = ", ".join(f'"{f}"' for f in FIELDS)


def _sql_estimates(con, table: str, column: str, where: str = "true") -> dict[str, float]:
    row = con.execute(
        f"select {AGGREGATES} from (select {column} as n, * exclude ({column}) from {table}) "
        f"where {where}"
    ).fetchone()
    return dict(zip(FIELDS, row, strict=True))


def _close(got: dict[str, float], want: dict[str, float]) -> None:
    for name in FIELDS:
        assert got[name] == pytest.approx(want[name], rel=1e-12, abs=1e-15), name


def test_slice_macros_match_python_and_the_estimates_table(con, facts, sample_run) -> None:
    confidence = run_settings(sample_run).confidence
    rows = facts.to_pylist()
    estimates = {
        (r[0], r[1], r[2]): dict(zip(FIELDS, r[3:], strict=True))
        for r in con.execute(f"select scope, unit, key, {SELECT_FIELDS} from estimates").fetchall()
    }
    attributes = sorted({r["attribute"] for r in rows})
    for unit, column in UNITS.items():
        # the whole run and every attribute: equal to the run's own estimates
        _close(_sql_estimates(con, "facts", column), estimates["all", unit, "fact"])
        _close(
            _sql_estimates(con, "prompts", column), estimates["all", unit, "prompt"]
        )  # prompts are their own key
        for attr in attributes:
            got = _sql_estimates(con, "facts", column, f"attribute = '{attr}'")
            _close(got, estimates[f"attribute={attr}", unit, "fact"])
            want = _python_estimates(
                [r[column] for r in rows if r["attribute"] == attr], confidence
            )
            _close(got, want)
        # any other slice: entities starting with a letter, within one attribute
        where = "attribute = 'birth_date' and entity >= 'a' and entity < 'n'"
        sliced = [
            r[column] for r in rows if r["attribute"] == "birth_date" and "a" <= r["entity"] < "n"
        ]
        assert len(sliced) > 20
        _close(_sql_estimates(con, "facts", column, where), _python_estimates(sliced, confidence))


def test_interval_confidence_argument(con, facts) -> None:
    counts = [r["mention_count"] for r in facts.to_pylist()]
    for level in (0.5, 0.9, 0.99):
        mm = missing_mass_interval(FreqOfFreq.from_counts(counts), level)
        got = con.execute(
            f"select missing_mass_low(mention_count, confidence := {level}), "
            f"missing_mass_high(mention_count, confidence := {level}) from facts"
        ).fetchone()
        assert got == pytest.approx((mm.low, mm.high), rel=1e-12)


def test_good_turing_struct_and_group_by(con, facts, sample_run) -> None:
    confidence = run_settings(sample_run).confidence
    rows = facts.to_pylist()
    got = con.execute(
        "select attribute, unnest(good_turing(doc_count)) from facts group by attribute"
    ).fetchall()
    assert got
    for attr, *values in got:
        want = _python_estimates(
            [r["doc_count"] for r in rows if r["attribute"] == attr], confidence
        )
        _close(dict(zip(FIELDS, values, strict=True)), want)


def test_attribute_ranking(con) -> None:
    ranking = con.execute(
        f"select key, unit, attribute, rank, {SELECT_FIELDS} from attribute_ranking"
    ).fetchall()
    estimates = {
        (r[0], r[1], r[2]): r[3:]
        for r in con.execute(
            f"select scope, unit, key, {SELECT_FIELDS} from estimates "
            "where scope like 'attribute=%'"
        ).fetchall()
    }
    assert len(ranking) == len(estimates) > 0
    for key, unit, attr, _rank, *values in ranking:
        assert values == pytest.approx(list(estimates[f"attribute={attr}", unit, key]), rel=1e-12)
    for key in KEYS:
        for unit in UNITS:
            part = [r for r in ranking if r[0] == key and r[1] == unit]
            rates = [r[4 + FIELDS.index("singleton_rate")] for r in part]
            assert rates == sorted(rates, reverse=True)  # ranked, highest first
            assert part[0][3] == 1


def test_lookup_fact(con, facts, sample_run) -> None:
    rare_max = run_settings(sample_run).rare_max
    rows = sorted(facts.to_pylist(), key=lambda r: (-r["mention_count"], r["entity"]))
    picks = [rows[0], *(r for r in rows if r["mention_count"] == 1)][:3]
    picks.append(next(r for r in rows if 1 < r["mention_count"] <= rare_max))
    for fact in picks:
        got = con.execute(
            "select * from lookup_fact(?, ?, ?)", [fact["entity"], fact["attribute"], fact["value"]]
        ).df()
        assert list(got["key"]) == ["fact", "fact"]
        assert list(got["unit"]) == ["mention", "document"]
        for unit, column in UNITS.items():
            row = got[got["unit"] == unit].iloc[0]
            assert row["count"] == fact[column]
            assert row["risk_class"] == risk_class(fact[column], rare_max)
            assert row["entity_text"] == fact["entity_text"]
    absent = con.execute("select * from lookup_fact('nobody at all', 'birth_date', '1900')").df()
    assert list(absent["count"]) == [0, 0]
    assert list(absent["risk_class"]) == ["unseen", "unseen"]
    assert set(absent["risk_class"]) <= set(RISK_CLASSES)


def test_lookup_prompt(con, sample_run) -> None:
    prompts = ds.dataset(sample_run / "prompts", format="parquet", partitioning="hive")
    rows = prompts.to_table().to_pylist()
    prompt = max(rows, key=lambda r: (r["n_values"], r["mention_count"]))
    got = con.execute(
        "select key, unit, count, risk_class, n_values from lookup_prompt(?, ?)",
        [prompt["entity"], prompt["attribute"]],
    ).fetchall()
    rare_max = run_settings(sample_run).rare_max
    assert got == [
        ("prompt", unit, prompt[col], risk_class(prompt[col], rare_max), prompt["n_values"])
        for unit, col in UNITS.items()
    ]


def test_key_functions(con, sample_run: Path) -> None:
    assert con.execute("select entity_key('Dr. Marie  Curie''s')").fetchone() == (
        entity_key("Dr. Marie  Curie's"),
    )
    assert con.execute("select value_key('birth_date', '7 November 1867')").fetchone() == (
        "1867-11-07",
    )
    assert con.execute("select value_key('birth_place', 'Warsaw, Poland')").fetchone() == (
        "warsaw",
    )
    assert con.execute("select value_key('birth_date', 'not a date')").fetchone() == (None,)
    assert con.execute("select entity_key(null)").fetchone() == (None,)
    # the run's normalization, exactly as `singletons score` keys a question's value
    keys = run_keys(json.loads((sample_run / "manifest.json").read_text()))
    for attribute, text in (
        ("nationality", "French"),
        ("occupation", "an actress"),
        ("birth date", "1867-11"),
        ("educated_at", "the University of Paris"),
    ):
        relation = keys.relations[keys.attribute(attribute)]
        want = written_value_key(relation, text)
        assert con.execute("select value_key(?, ?)", [attribute, text]).fetchone() == (
            want[0] if want else None,
        )
    assert con.execute("select value_key('nationality', 'French')").fetchone() == (
        country_key("French"),
    )
    with pytest.raises(duckdb.Error, match="unknown attribute"):
        con.execute("select value_key('shoe_size', '42')").fetchall()
    # raw text straight into a lookup: keyed as the run keyed it
    fact = con.execute(
        "select entity_text, value_text, attribute from facts where attribute = 'birth_date' "
        "order by mention_count desc limit 1"
    ).fetchone()
    got = con.execute(
        "select count from lookup_fact(entity_key(?), ?, value_key(?, ?))",
        [fact[0], fact[2], fact[2], fact[1]],
    ).fetchall()
    assert got[0][0] > 0


# --- read-only ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def writable_copy(sample_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample run that write attempts aim at (the shared fixture stays clean)."""
    copy = tmp_path_factory.mktemp("readonly") / "run"
    shutil.copytree(sample_run, copy)
    return copy


def _attempts(run: Path) -> list[str]:
    part = next((run / "facts").rglob("*.parquet"))
    return [
        f"copy facts to '{run}/facts/extra.parquet' (format parquet)",
        f"copy (select 1 as x) to '{part}' (format parquet, use_tmp_file false)",
        f"copy (select 1 as x) to '{run}/manifest.json' (format csv)",
        f"export database '{run}/export'",
        f"attach '{run}/new.duckdb' as x",
        f"attach '{run}/{CATALOG}' as c",
        "drop view facts",
        "create table t as select 1",
        "create or replace view facts as select 1",
        "insert into facts values (1)",
        "set enable_external_access = true",
        "install httpfs",
        "load httpfs",
        "checkpoint",
        "pragma version",
        "call pragma_version()",
        "set variable x = 1",
        "pivot facts on attribute using sum(mention_count)",
        f"explain analyze copy facts to '{run}/x.csv'",
        f"select 1; copy facts to '{run}/y.csv'",  # refused whole: nothing runs
        f"  /* comment */ copy facts to '{run}/z.csv'",
    ]


def test_write_attempts_are_refused_and_files_unchanged(writable_copy: Path) -> None:
    before = _snapshot(writable_copy)
    c = connect(writable_copy)
    for sql in _attempts(writable_copy):
        with pytest.raises(ReadOnlyError, match="read-only"):
            for statement in check_read_only(c, sql):
                c.execute(statement)
    c.close()
    assert _snapshot(writable_copy) == before


def test_queries_pass_the_check(con) -> None:
    for sql in (
        "select 1",
        "from facts limit 1",
        "with x as (select 1) select * from x",
        "values (1)",
        "describe facts",
        "show tables",
        "summarize estimates",
        "explain select * from facts",
        "explain analyze select count(*) from facts",
        "select * from lookup_fact('a', 'b', 'c'); select 2",
    ):
        for statement in check_read_only(con, sql):
            con.execute(statement).fetchall()


def test_the_engine_reaches_only_the_run_folder(writable_copy: Path, tmp_path: Path) -> None:
    """Below the statement check: the connection itself cannot touch files elsewhere."""
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    before = _snapshot(writable_copy)
    c = connect(writable_copy)
    with pytest.raises(duckdb.PermissionException):
        c.execute(f"select * from read_csv('{outside}')").fetchall()
    with pytest.raises(duckdb.PermissionException):
        c.execute(f"copy (select 1) to '{tmp_path / 'out.csv'}'")
    with pytest.raises(duckdb.Error, match="locked"):
        c.execute("set enable_external_access = true")
    with pytest.raises(duckdb.Error, match="locked"):
        c.execute("set allowed_directories = ['/']")
    assert not (tmp_path / "out.csv").exists()
    assert c.execute("select count(*) from facts").fetchone()[0] > 0
    c.close()
    assert _snapshot(writable_copy) == before


# --- catalog.duckdb -----------------------------------------------------------------------

OUTSIDE_CLIENT = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
if len(sys.argv) > 2:
    con.execute("set file_search_path = '" + sys.argv[2] + "'")
out = {
    "facts": con.execute("select count(*) from facts").fetchone()[0],
    "estimates": con.execute("select count(*) from estimates").fetchone()[0],
    "lookup": con.execute(
        "select unit, count, risk_class from lookup_fact(?, ?, ?)", sys.argv[3:6]
    ).fetchall() if len(sys.argv) > 5 else None,
    "ranking": con.execute("select count(*) from attribute_ranking").fetchone()[0],
}
print(json.dumps(out))
"""


def test_catalog_opens_from_a_moved_copy(sample_run: Path, con, tmp_path: Path) -> None:
    assert (sample_run / CATALOG).is_file()
    moved = tmp_path / "elsewhere" / "moved-run"
    shutil.copytree(sample_run, moved)
    fact = con.execute(
        "select entity, attribute, value, mention_count from facts order by mention_count desc "
        "limit 1"
    ).fetchone()
    want = {
        "facts": con.execute("select count(*) from facts").fetchone()[0],
        "estimates": con.execute("select count(*) from estimates").fetchone()[0],
        "ranking": con.execute("select count(*) from attribute_ranking").fetchone()[0],
    }
    # no absolute path is stored: the views name the tables' folders relative to the run
    check = duckdb.connect(str(moved / CATALOG), read_only=True)
    sql = " ".join(r[0] for r in check.execute("select sql from duckdb_views()").fetchall())
    check.close()
    assert str(sample_run) not in sql and "facts/*/*.parquet" in sql
    # a plain DuckDB client, another process, inside the moved folder
    client = [sys.executable, "-c", OUTSIDE_CLIENT]
    proc = subprocess.run([*client, CATALOG], cwd=moved, capture_output=True, text=True, check=True)
    got = json.loads(proc.stdout)
    assert {k: got[k] for k in want} == want
    # … and from anywhere, with file_search_path naming the folder
    proc = subprocess.run(
        [*client, str(moved / CATALOG), str(moved), *fact[:3]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(proc.stdout)
    assert {k: got[k] for k in want} == want
    assert got["lookup"][0] == ["mention", fact[3], risk_class(fact[3])]


def test_write_catalog_on_an_older_run(sample_run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "old"
    shutil.copytree(sample_run, copy)
    (copy / CATALOG).unlink()
    c = connect(copy)  # an older run without catalog.duckdb: views built in memory
    assert c.execute("select count(*) from facts").fetchone()[0] > 0
    c.close()
    target = write_catalog(copy)
    check = duckdb.connect(str(target), read_only=True)
    check.execute(f"set file_search_path = '{copy}'")
    assert check.execute("select count(*) from facts").fetchone()[0] > 0
    check.close()


def test_key_value_folders_above_the_run_are_not_columns(sample_run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "day=3" / "run"
    shutil.copytree(sample_run, copy)
    c = connect(copy)
    columns = [d[0] for d in c.execute("select * from facts limit 0").description]
    assert "day" not in columns and "attribute" in columns
    assert (
        c.execute("select count(*) from facts").fetchone()
        == connect(sample_run).execute("select count(*) from facts").fetchone()
    )
    c.close()
