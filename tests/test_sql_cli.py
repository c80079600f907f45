"""``singletons sql``: output formats, one-line errors, refused writes, the piped prompt."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from singleton_rate.cli import main
from singleton_rate.query import connect
from singleton_rate.sqlshell import shell

QUERY = (
    "select entity, attribute, value, mention_count, doc_count from facts "
    "order by mention_count desc, entity, attribute, value limit 7"
)


def _expected(run: Path) -> list[tuple]:
    con = connect(run)
    rows = con.execute(QUERY).fetchall()
    con.close()
    return rows


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_table_output(sample_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sql", str(sample_run), QUERY]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["entity", "attribute", "value", "mention_count", "doc_count"]
    assert set(out[1].replace(" ", "")) == {"-"}
    assert out[-1] == "(7 rows)"
    top = _expected(sample_run)[0]
    assert out[2].split()[-2:] == [str(top[3]), str(top[4])]


def test_table_output_is_cut_at_max_rows(sample_run: Path, capsys) -> None:
    assert main(["sql", str(sample_run), "select * from facts", "--max-rows", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 + 3 + 1 and out[-1].startswith("(3 of ")


def test_csv_json_parquet(sample_run: Path, tmp_path: Path, capsys) -> None:
    want = _expected(sample_run)
    assert main(["sql", str(sample_run), QUERY, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["entity", "attribute", "value", "mention_count", "doc_count"]
    assert [(*r[:3], int(r[3]), int(r[4])) for r in rows[1:]] == want

    assert main(["sql", str(sample_run), QUERY, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [tuple(r.values()) for r in records] == want

    target = tmp_path / "out.parquet"
    assert (
        main(["sql", str(sample_run), QUERY, "--format", "parquet", "--output", str(target)]) == 0
    )
    table = pq.read_table(target)
    assert [tuple(r.values()) for r in table.to_pylist()] == want

    target = tmp_path / "out.csv"
    assert main(["sql", str(sample_run), QUERY, "--format", "csv", "--output", str(target)]) == 0
    assert len(target.read_text().splitlines()) == len(want) + 1


def test_macro_output_names_unit_and_key(sample_run: Path, capsys) -> None:
    assert (
        main(["sql", str(sample_run), "select * from attribute_ranking", "--format", "json"]) == 0
    )
    records = json.loads(capsys.readouterr().out)
    assert {(r["key"], r["unit"]) for r in records} == {
        (k, u) for k in ("fact", "prompt") for u in ("mention", "document")
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["select 1"], "not a complete run"),  # run = tmp_path, not a run
        (["selec 1"], "Parser Error"),
        (["select * from no_such_table"], "no_such_table"),
        (["copy facts to 'x.csv'"], "read-only"),
        (["drop view facts"], "read-only"),
        (["select 1", "--format", "parquet"], "--output"),
        (["select 1; select 2", "--format", "csv"], "one statement"),
    ],
)
def test_errors_are_one_line_exit_2(
    sample_run: Path, tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    run = tmp_path if message == "not a complete run" else sample_run
    assert main(["sql", str(run), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("singletons: error:") and message in err
    assert err.count("\n") == 1


def test_output_inside_the_run_is_refused(sample_run: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "run"
    shutil.copytree(sample_run, copy)
    before = _snapshot(copy)
    part = next((copy / "facts").rglob("*.parquet"))
    for target in (part, copy / "new.csv", copy / "facts" / "x.parquet"):
        code = main(["sql", str(copy), "select 1", "--format", "csv", "--output", str(target)])
        assert code == 2
        assert "read-only" in capsys.readouterr().err
    assert main(["sql", str(copy), f"copy facts to '{part}' (use_tmp_file false)"]) == 2
    assert _snapshot(copy) == before


def test_prompt_reads_piped_statements(sample_run: Path) -> None:
    stdin = io.StringIO(
        ".tables\n"
        "select count(*) as n\n  from facts;\n"
        "drop view facts;\n"  # refused, the prompt goes on
        "select rare_max() as r;\n"
        "select 41 + 1 as answer"  # the last statement may lack its ';'
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    code = shell(sample_run, stdin=stdin, stdout=stdout, stderr=stderr)
    out = stdout.getvalue()
    assert "facts" in out.splitlines()[0] and "attribute_ranking" in out.splitlines()[0]
    assert "answer" in out and "42" in out
    assert stderr.getvalue().startswith("error: DROP statements are refused")
    assert code == 2  # a piped script with a failed statement says so


def test_prompt_as_a_process(sample_run: Path) -> None:
    """The real entry point with stdin piped, as a script would use it."""
    proc = subprocess.run(
        [sys.executable, "-m", "singleton_rate.cli", "sql", str(sample_run)],
        input="select count(*) as n from estimates;\n.quit\nselect 1;\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].strip() == "n"
    assert proc.stdout.count("(1 row)") == 1  # nothing after .quit
    assert "leaked" not in proc.stderr  # connections with Python functions close cleanly
