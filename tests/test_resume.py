"""`singletons run --resume`: extraction in chunks kept once done; a killed run continued
gives the tables of an uninterrupted one."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.config import RunConfig
from singleton_rate.corpus import InputFile, WorkUnit
from singleton_rate.resume import (
    PENDING,
    SETTINGS,
    Chunk,
    cache_folder,
    extract_chunks,
    extraction_settings,
    finish,
    plan_chunks,
    prepare,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"


def unit(name: str, size: int, part: int = 0, n_parts: int = 1) -> WorkUnit:
    f = InputFile(path=f"/d/{name}", name=name, format="jsonl", compression="none", size=size,
                  mtime=1.0)  # fmt: skip
    return WorkUnit(file=f, part=part, n_parts=n_parts)


# --- planning and the cache, without Spark --------------------------------------------------


def test_chunks_group_consecutive_units_and_keys_name_their_units() -> None:
    units = [unit("a", 40), unit("b", 70), unit("c", 10), unit("d", 200), unit("e", 5)]
    chunks = plan_chunks(units, 100)
    assert [[u.file.name for u in c.units] for c in chunks] == [["a", "b"], ["c", "d"], ["e"]]
    assert [c.bytes for c in chunks] == [110, 210, 5]
    assert len({c.key for c in chunks}) == 3
    # the same units, the same keys; a file added at the end changes only the last chunk
    grown = plan_chunks([*units, unit("f", 1)], 100)
    assert [c.key for c in grown[:2]] == [c.key for c in chunks[:2]]
    assert grown[2].key != chunks[2].key
    # a changed file (size) changes its chunk's key and no other
    changed = plan_chunks([units[0], units[1], unit("c", 11), units[3], units[4]], 100)
    assert [c.key == d.key for c, d in zip(changed, chunks, strict=True)] == [True, False, True]
    assert len(plan_chunks(units, 100, single=True)) == 1
    assert plan_chunks([], 100) == []


def test_parquet_row_groups_share_their_file_size() -> None:
    units = [unit("p.parquet", 90, part=i, n_parts=3) for i in range(3)]
    assert [c.bytes for c in plan_chunks(units, 60)] == [60, 30]


def settings(**changes: object) -> dict[str, object]:
    config = RunConfig(inputs=("x",), out="o")
    model = {"name": "core_web_sm", "version": "3.8.0"}
    return {**extraction_settings(config, "f00d", model, "0.1.0"), **changes}


def fake_extract(calls: list[str], fail_at: str | None = None):
    """An extractor that writes one Parquet file per chunk (and can fail on one)."""

    def extract(chunk: Chunk, folder: str) -> int:
        if chunk.units[0].file.name == fail_at:
            Path(folder, "kind=doc").mkdir(parents=True)  # a half-written chunk
            raise RuntimeError("killed")
        calls.append(chunk.units[0].file.name)
        Path(folder, "kind=doc").mkdir(parents=True)
        pq.write_table(pa.table({"doc_id": [chunk.key]}), Path(folder, "kind=doc", "p.parquet"))
        return 2

    return extract


def test_a_failed_pass_keeps_finished_chunks_and_resume_does_the_rest(tmp_path: Path) -> None:
    lines: list[str] = []
    final = tmp_path / "run"
    chunks = plan_chunks([unit(n, 10) for n in "abcd"], 10)
    cache = prepare(final, settings(), resume=False, say=lines.append)
    assert cache == cache_folder(final) == tmp_path / ".run.extract"
    calls: list[str] = []
    with pytest.raises(RuntimeError):
        extract_chunks(cache, chunks, fake_extract(calls, fail_at="c"))
    assert calls == ["a", "b"]
    assert sorted(p.name for p in cache.glob("chunk=*")) == sorted(c.folder for c in chunks[:2])
    assert (cache / PENDING).exists()  # the half-written chunk, never taken as done
    assert lines == []

    cache = prepare(final, settings(), resume=True, say=lines.append)
    assert lines == [] and not (cache / PENDING).exists()
    calls = []
    done = extract_chunks(cache, chunks, fake_extract(calls))
    assert calls == ["c", "d"]
    assert (done.chunks, done.reused, done.tasks) == (4, 2, 8)
    ids = pq.read_table(cache, columns=["doc_id"]).column("doc_id").to_pylist()
    assert sorted(ids) == sorted(c.key for c in chunks)
    finish(final)
    assert not cache.exists()


def test_changed_settings_or_no_resume_mean_a_fresh_extraction_said_in_one_line(
    tmp_path: Path,
) -> None:
    final = tmp_path / "run"
    chunks = plan_chunks([unit(n, 10) for n in "ab"], 10)
    lines: list[str] = []
    prepare(final, settings(), resume=True, say=lines.append)
    assert lines == [f"resume: no interrupted run of {final} to continue: extracting everything"]
    extract_chunks(cache_folder(final), chunks, fake_extract([]))

    lines = []
    cache = prepare(final, settings(prefilter="off"), resume=True, say=lines.append)
    assert lines == [
        "resume: prefilter: 'sentence' → 'off' since the interrupted run: extracting afresh"
    ]
    assert not list(cache.glob("chunk=*"))
    assert json.loads((cache / SETTINGS).read_text())["prefilter"] == "off"

    extract_chunks(cache, chunks, fake_extract([]))
    lines = []
    cache = prepare(final, settings(prefilter="off"), resume=False, say=lines.append)
    assert lines == [
        f"dropping the extraction an interrupted run left in {cache} (--resume reuses it)"
    ]
    assert not list(cache.glob("chunk=*"))


def test_chunks_of_units_no_longer_planned_are_dropped(tmp_path: Path) -> None:
    final = tmp_path / "run"
    cache = prepare(final, settings(), resume=False, say=print)
    extract_chunks(cache, plan_chunks([unit(n, 10) for n in "abc"], 10), fake_extract([]))
    calls: list[str] = []
    now = plan_chunks([unit("a", 10), unit("b", 12)], 10)  # b changed, c gone
    done = extract_chunks(cache, now, fake_extract(calls))
    assert calls == ["b"] and done.reused == 1
    assert sorted(p.name for p in cache.glob("chunk=*")) == sorted(c.folder for c in now)


# --- a real run killed mid-extraction, then resumed -------------------------------------------


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 960 sample documents in 24 files of 40: with one chunk per file, the pass
    is 24 Spark jobs, long enough to be killed in the middle."""
    folder = tmp_path_factory.mktemp("corpus") / "shards"
    folder.mkdir()
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)[:960]
    for i in range(24):
        (folder / f"part-{i:02d}.jsonl").write_text("".join(lines[i * 40 : (i + 1) * 40]))
    return folder


def tables(path: Path) -> dict[str, list[tuple]]:
    from singleton_rate.query import connect
    from singleton_rate.store import TABLES

    con = connect(path)
    return {
        t: con.execute(f"select * from {t} order by all").fetchall()
        for t in (*TABLES, "error_sets")
    }


@pytest.mark.spark
def test_a_run_killed_mid_extraction_resumes_to_the_same_tables(
    spark: object, shards: Path, tmp_path: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from singleton_rate.progress import Progress
    from singleton_rate.run import run

    settings = dict(source_field="source", extract_chunk_bytes=1)
    reference = run(
        RunConfig(inputs=(str(shards),), out=str(tmp_path / "whole"), **settings),
        spark=spark,
        progress=Progress(quiet=True),
    )
    assert reference.manifest["spark"]["extract_chunks"] == 24
    assert not cache_folder(reference.path).exists(), "a committed run leaves no cache"

    out = tmp_path / "killed"
    config_file = tmp_path / "run.toml"
    config_file.write_text('source_field = "source"\nextract_chunk_bytes = 1\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "singleton_rate.cli", "run", str(shards), "--out", str(out),
         "--config", str(config_file), "--master", "local[2]",
         "--conf", "spark.ui.enabled=false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    cache = cache_folder(out)
    try:
        deadline = time.monotonic() + 300
        while len(list(cache.glob("chunk=*"))) < 6:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "extraction did not get under way"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver, its JVM and the Python workers
        proc.wait()
    kept = len(list(cache.glob("chunk=*")))
    assert 6 <= kept < 24, kept
    assert not out.exists()

    resumed = run(
        RunConfig(inputs=(str(shards),), out=str(out), **settings),
        spark=spark,
        progress=Progress(quiet=True),
        resume=True,
    )
    assert resumed.manifest["spark"]["extract_chunks_reused"] == kept
    assert (
        resumed.manifest["spark"]["extract_tasks"] == reference.manifest["spark"]["extract_tasks"]
    )
    assert tables(resumed.path) == tables(reference.path)
    assert resumed.manifest["documents"] == reference.manifest["documents"]
    assert resumed.manifest["fingerprints"] == reference.manifest["fingerprints"]
    assert not cache.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["killed", "run.toml", "whole"]
