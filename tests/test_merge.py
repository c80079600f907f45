"""`singletons merge`: runs over disjoint documents merged into one run equal to a single run
over the union, table for table; and the refusals, each one line naming what differs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.cli import main
from singleton_rate.config import RunConfig
from singleton_rate.merge import (
    MUST_MATCH,
    NOT_COMPARED,
    MergeError,
    SourceRun,
    check_compatible,
    check_disjoint,
    load_runs,
    merge,
    merged_accounting,
)
from singleton_rate.progress import Progress
from singleton_rate.query import connect
from singleton_rate.run import run
from singleton_rate.store import TABLES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"

# What may differ between a merged run and the single run over the union, and why:
# the run's identity and times, where it was written, and the extraction tasks (the merged
# runs' tasks are summed: each run split its own input).
MANIFEST_DIFFERS = {"run_id", "started_at", "finished_at", "timings_s", "merged_from"}


# --- the checks, on manifests alone (no Spark) ---------------------------------------------


def manifest(**changes: Any) -> dict[str, Any]:
    """A manifest with the fields merge reads, as a run writes them."""
    config = {**RunConfig().to_dict(), "inputs": ["/data/a.jsonl"], "out": "/runs/a"}
    base: dict[str, Any] = {
        "catalog": {"fingerprint": "f00d"},
        "versions": {"model": {"name": "core_web_sm", "version": "3.8.0"}, "spacy": "3.8.2",
                     "singletons": "0.1.0"},
        "config": config,
        "inputs": [{"name": "a.jsonl", "path": "/data/a.jsonl", "size": 10, "mtime": 1.0}],
        "files": [{"file": "a.jsonl", "records_read": 3, "documents": 3}],
        "documents": {"records_read": 3, "documents": 3, "processed": 3, "parsed": 2},
        "mentions": {"by_status": {"asserted": 5, "negated": 1}},
    }  # fmt: skip
    for key, value in changes.items():
        target = base
        *path, last = key.split("__")
        for part in path:
            target = target[part]
        target[last] = value
    return base


def other(**changes: Any) -> dict[str, Any]:
    """A second run's manifest: another input file, unless changed."""
    entry = {"name": "b.jsonl", "path": "/data/b.jsonl", "size": 20, "mtime": 2.0}
    return manifest(
        **{"inputs": [entry], "files": [{"file": "b.jsonl", "records_read": 4}], **changes}
    )


def pair(a: dict[str, Any], b: dict[str, Any]) -> list[SourceRun]:
    return [SourceRun(Path("/runs/a"), a), SourceRun(Path("/runs/b"), b)]


def test_every_setting_is_either_compared_or_said_not_to_matter() -> None:
    names = {f.name for f in fields(RunConfig)}
    assert set(MUST_MATCH) | set(NOT_COMPARED) == names
    assert not set(MUST_MATCH) & set(NOT_COMPARED)


def test_compatible_runs_pass_and_execution_settings_may_differ() -> None:
    b = other(config__master="spark://h:7077", config__extract_partitions=9,
              config__limit_docs=100)  # fmt: skip
    check_compatible(pair(manifest(), b))


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            {"catalog__fingerprint": "beef"},
            "the catalog fingerprint differs: 'f00d' in /runs/a, 'beef' in /runs/b",
        ),
        (
            {"versions__model": {"name": "core_web_sm", "version": "3.7.1"}},
            "the spaCy model differs",
        ),
        ({"versions__spacy": "3.7.0"}, "the spaCy version differs"),
        (
            {"config__text_field": "raw_content"},
            "the setting text_field differs: 'text' in /runs/a, 'raw_content' in /runs/b",
        ),
        ({"config__source_field": "source"}, "the setting source_field differs"),
        ({"config__prefilter": "off"}, "the setting prefilter differs"),
        ({"config__error_set_sizes": {"birth_place": 5000}}, "the setting error_set_sizes differs"),
        ({"config__audit_seed": 3}, "the setting audit_seed differs"),
    ],
)
def test_runs_made_differently_are_refused_naming_what_differs(
    change: dict[str, Any], named: str
) -> None:
    with pytest.raises(MergeError) as err:
        check_compatible(pair(manifest(), other(**change)))
    assert named in str(err.value)
    assert "\n" not in str(err.value)


def test_a_file_read_by_two_runs_is_refused() -> None:
    with pytest.raises(
        MergeError, match=r"input file /data/a.jsonl was read by both /runs/a and /runs/b"
    ):
        check_compatible(pair(manifest(), manifest()))
    clash = other(inputs=[{"name": "a.jsonl", "path": "/crawl2/a.jsonl", "size": 1, "mtime": 1.0}])
    with pytest.raises(MergeError, match=r"share the name 'a\.jsonl'.*common parent folder"):
        check_compatible(pair(manifest(), clash))


def test_older_manifest_without_a_field_is_one_line() -> None:
    old = other()
    del old["catalog"]
    with pytest.raises(MergeError, match=r"/runs/b: manifest has no catalog.fingerprint"):
        check_compatible(pair(manifest(), old))


def test_accounting_adds_up() -> None:
    per_file, statuses = merged_accounting(pair(other(), manifest()))
    assert [f["file"] for f in per_file] == ["a.jsonl", "b.jsonl"]
    assert statuses == {"asserted": 10, "negated": 2}


def fake_run(folder: Path, doc_ids: list[str], data: dict[str, Any] | None = None) -> Path:
    """A folder with a manifest and a documents table of ``doc_ids`` (enough for the checks)."""
    for table in ("mentions", "documents", "rejects"):
        (folder / table).mkdir(parents=True)
    pq.write_table(pa.table({"doc_id": doc_ids}), folder / "documents" / "part-0.parquet")
    (folder / "manifest.json").write_text(json.dumps(data or manifest()))
    return folder


def test_shared_documents_are_refused_with_the_first_id(tmp_path: Path) -> None:
    a = fake_run(tmp_path / "a", ["d1", "d2", "d3", "d4"])
    b = fake_run(tmp_path / "b", ["d9", "d3", "d2"], other())
    check_disjoint(load_runs([str(a), str(fake_run(tmp_path / "c", ["d5"], other()))]))
    with pytest.raises(MergeError) as err:
        check_disjoint(load_runs([str(a), str(b)]))
    assert str(err.value) == (
        f"cannot merge: document 'd2' is in both {a} and {b} (and 1 more shared ids); "
        "merged runs must read disjoint documents"
    )


def test_what_is_not_a_set_of_runs_is_refused(tmp_path: Path) -> None:
    a = fake_run(tmp_path / "a", ["d1"])
    with pytest.raises(MergeError, match="at least two runs, got 1"):
        load_runs([str(a)])
    with pytest.raises(MergeError, match="named twice"):
        load_runs([str(a), str(tmp_path / "a" / ".." / "a")])
    (tmp_path / "half").mkdir()
    with pytest.raises(MergeError, match=r"half: not a complete run folder \(no manifest.json\)"):
        load_runs([str(a), str(tmp_path / "half")])


def test_cli_refusal_is_one_line_before_spark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = fake_run(tmp_path / "a", ["d1"])
    b = fake_run(tmp_path / "b", ["d2"], other(config__id_field="uid"))
    code = main(["merge", str(a), str(b), "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"singletons: error: cannot merge: the setting id_field differs: 'id' in {a}, "
        f"'uid' in {b}\n"
    )
    assert not (tmp_path / "m").exists()


# --- real runs: two shards of the sample merged vs one run over both -------------------------


@pytest.fixture(scope="module")
def shards(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Runs over two shards of the sample (60 documents each, in two folders) and over both
    files; runs over two files of three documents from which nothing is extracted, and over
    both."""
    root = tmp_path_factory.mktemp("shards")
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)[:120]
    (root / "a").mkdir()
    (root / "b").mkdir()
    (root / "a" / "shard-a.jsonl").write_text("".join(lines[:60]))
    (root / "b" / "shard-b.jsonl").write_text("".join(lines[60:]))
    (root / "e").mkdir()
    for name, prefix in (("nothing.jsonl", "e"), ("nothing-either.jsonl", "f")):
        (root / "e" / name).write_text(
            "".join(
                json.dumps({"id": f"{prefix}{i}", "source": "x", "text": "No one was born here."})
                + "\n"
                for i in range(3)
            )
        )
    runs = {
        "a": (root / "a" / "shard-a.jsonl",),
        "b": (root / "b" / "shard-b.jsonl",),
        "union": (root / "a" / "shard-a.jsonl", root / "b" / "shard-b.jsonl"),
        "empty": (root / "e" / "nothing.jsonl",),
        "empty2": (root / "e" / "nothing-either.jsonl",),
        "empties": (root / "e" / "nothing.jsonl", root / "e" / "nothing-either.jsonl"),
    }
    for name, inputs in runs.items():
        config = RunConfig(
            inputs=tuple(map(str, inputs)), out=str(root / "runs" / name), source_field="source"
        )
        run(config, spark=spark, progress=Progress(quiet=True))
    return {name: root / "runs" / name for name in runs} | {"root": root}


def tables(path: Path) -> dict[str, list[tuple]]:
    con = connect(path)
    return {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in (*TABLES, "error_sets")
    }


def without(manifest: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k not in keys}


@pytest.mark.spark
def test_merged_shards_equal_one_run_over_both(shards: dict[str, Path], spark: Any) -> None:
    out = shards["root"] / "merged"
    result = merge([str(shards["a"]), str(shards["b"])], out, spark=spark,
                   progress=Progress(quiet=True))  # fmt: skip
    assert result.path == out
    union, merged = tables(shards["union"]), tables(out)
    assert set(merged) == set(union)
    for table, rows in union.items():
        assert merged[table] == rows, table
    # every table, not a trivial one: the sample holds facts, singletons and all the rest
    assert {t for t, rows in union.items() if not rows} == {"rejects"}
    assert len(union["audit"]) == 200
    single = json.loads((shards["union"] / "manifest.json").read_text())
    both = json.loads((out / "manifest.json").read_text())
    assert without(both, MANIFEST_DIFFERS | {"config", "spark"}) == without(
        single, MANIFEST_DIFFERS | {"config", "spark"}
    )
    assert without(both["config"], {"out"}) == without(single["config"], {"out"})
    summed = {"extract_tasks", "extract_chunks"}  # each shard's own, added up
    assert without(both["spark"], summed) == without(single["spark"], summed)
    assert both["spark"]["extract_chunks"] == 2
    # the fingerprints say "same input, same settings" as for the single run
    assert both["fingerprints"] == single["fingerprints"]
    assert [m["path"] for m in both["merged_from"]] == [str(shards["a"]), str(shards["b"])]
    assert not list(out.parent.glob(".merged.*")), "no temporary folder may be left"


@pytest.mark.spark
def test_a_run_that_extracted_nothing_adds_documents_and_no_facts(
    shards: dict[str, Path], spark: Any
) -> None:
    out = shards["root"] / "with-empty"
    result = merge([str(shards["empty"]), str(shards["a"])], out, spark=spark,
                   progress=Progress(quiet=True))  # fmt: skip
    alone, merged = tables(shards["a"]), tables(out)
    for table in ("mentions", "facts", "prompts", "freq_of_freq", "estimates", "audit"):
        assert merged[table] == alone[table], table
    assert len(merged["documents"]) == len(alone["documents"]) + 3
    assert result.manifest["documents"]["records_read"] == 63
    # nothing extracted anywhere: the N = 0 run a single run over both files gives
    nothing = merge([str(shards["empty"]), str(shards["empty2"])], shards["root"] / "nothing",
                    spark=spark, progress=Progress(quiet=True))  # fmt: skip
    assert tables(nothing.path) == tables(shards["empties"])
    assert nothing.manifest["estimates_note"] is not None


@pytest.mark.spark
def test_real_runs_that_overlap_or_differ_are_refused(shards: dict[str, Path]) -> None:
    root = shards["root"]
    out = root / "refused"
    with pytest.raises(MergeError, match=r"shard-a\.jsonl was read by both"):
        merge([str(shards["a"]), str(shards["union"])], out)
    # the same documents under another file name: caught by their ids
    copy = root / "copy-of-a"
    shutil.copytree(shards["a"], copy)
    data = json.loads((copy / "manifest.json").read_text())
    data["inputs"][0]["name"] = "renamed.jsonl"
    (copy / "manifest.json").write_text(json.dumps(data))
    with pytest.raises(MergeError, match=r"document 'sample-00000' is in both .* \(and 59 more"):
        merge([str(shards["a"]), str(copy)], out)
    with pytest.raises(MergeError, match="one of the runs merged"):
        merge([str(shards["a"]), str(shards["b"])], shards["b"], overwrite=True)
    assert not out.exists()


@pytest.mark.spark
def test_cli_merge(shards: dict[str, Path]) -> None:
    out = shards["root"] / "cli"
    proc = subprocess.run(
        [sys.executable, "-m", "singleton_rate.cli", "merge", str(shards["a"]), str(shards["b"]),
         "--out", str(out), "--master", "local[2]", "--conf", "spark.ui.enabled=false"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"run folder: {out}" in proc.stdout
    assert "merged 2 runs: 120 records read" in proc.stdout
    assert tables(out)["estimates"] == tables(shards["union"])["estimates"]
