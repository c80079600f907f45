"""The throughput harness (bench/harness.py) and its corpus generator, on tiny sizes.

No figure is asserted: throughput depends on the machine and on what else runs. The harness
runs in-process on the session's Spark here (a fresh JVM per run, as the real benchmark
starts, would cost about 25 s a run); the plain-spaCy baseline runs as the subprocesses the
benchmark uses. Both need the shared corpora (real paragraphs) and skip without them.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench(name: str) -> ModuleType:
    """A script of bench/ as a module (bench/ is not a package)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return __import__(name)


def test_linear_fit_recovers_a_line() -> None:
    harness = _bench("harness")
    fit = harness.linear_fit([1.0, 5.0, 20.0], [12.0, 20.0, 50.0])
    assert fit["slope"] == pytest.approx(2.0)
    assert fit["intercept"] == pytest.approx(10.0)
    assert fit["r2"] == pytest.approx(1.0)
    assert fit["max_rel_residual"] == pytest.approx(0.0, abs=1e-9)
    assert harness.linear_fit([1.0, 2.0], [3.0, 3.0])["r2"] is None  # flat: R² undefined
    with pytest.raises(ValueError):
        harness.linear_fit([1.0, 1.0], [2.0, 3.0])


def test_split_sentences_keeps_abbreviations() -> None:
    rc = _bench("realistic_corpus")
    text = "Brian Murphy (b. 1941 in Cork) is a writer. He lived in St. Louis. Dr. Ames came."
    assert rc.split_sentences(text) == [
        "Brian Murphy (b. 1941 in Cork) is a writer.",
        "He lived in St. Louis.",
        "Dr. Ames came.",
    ]


def test_generator_is_seeded_a_prefix_and_plausible(tmp_path: Path, shared_corpora: Path) -> None:
    rc = _bench("realistic_corpus")
    small = rc.generate(0.05, tmp_path / "a.jsonl", seed=3, corpora=shared_corpora)
    rc.generate(0.05, tmp_path / "b.jsonl", seed=3, corpora=shared_corpora)
    large = rc.generate(0.15, tmp_path / "c.jsonl", seed=3, corpora=shared_corpora)
    rc.generate(0.05, tmp_path / "d.jsonl", seed=4, corpora=shared_corpora)
    a, c = (tmp_path / "a.jsonl").read_bytes(), (tmp_path / "c.jsonl").read_bytes()
    assert a == (tmp_path / "b.jsonl").read_bytes()  # seeded
    assert c.startswith(a) and len(c) > len(a)  # a smaller size is a prefix
    assert a != (tmp_path / "d.jsonl").read_bytes()  # another seed, another corpus

    records = [json.loads(line) for line in c.decode("utf-8").splitlines()]
    assert len({r["id"] for r in records}) == len(records)
    assert all(r["text"].strip() and r["title"] for r in records)
    assert {r["source"] for r in records} <= set(rc.SOURCE_WEIGHTS)
    assert "encyclopedia" in {r["source"] for r in records}  # real paragraphs are in

    stats = json.loads(rc.stats_path(tmp_path / "c.jsonl").read_text("utf-8"))
    assert stats == json.loads(json.dumps(large))
    assert stats["documents"] == len(records)
    assert stats["words"] == sum(len(r["text"].split()) for r in records)
    assert 0.15 <= stats["mb"] < 0.15 + 0.1  # stops at the first document past the size
    assert stats["mb"] == pytest.approx(len(c) / rc.MB, abs=1e-4)
    assert stats["sentences"] > 5 * stats["documents"]
    # Most sentences hold no fact and do not pass the prefilter; trigger sentences do.
    assert 0.02 < stats["share_passing_prefilter"] < 0.15
    assert 0 < stats["share_holding_fact"] < stats["share_passing_prefilter"]
    assert stats["by_kind"]["trigger"]["share_passing_prefilter"] > 0.8
    assert stats["by_kind"]["plain"]["share_passing_prefilter"] < 0.1
    assert small["documents"] < stats["documents"]


def _positive_rates(rates: dict[str, float]) -> None:
    for key in ("seconds", "docs_per_s", "mb_per_s", "words_per_s"):
        assert rates[key] > 0 and math.isfinite(rates[key]), key


@pytest.mark.spark
def test_harness_end_to_end_on_tiny_sizes(tmp_path: Path, spark: Any, shared_corpora: Path) -> None:
    harness = _bench("harness")
    # Two sizes 20× apart, the comparisons on the smaller: three Spark runs, and two more for
    # the real-text rows (a few Wikipedia articles and T-REx subjects; the synthetic row
    # reuses the comparison's runs), each a few seconds of fixed cost on a warm session.
    report = harness.run_harness(
        [0.005, 0.1],
        parts=["scaling", "tax", "prefilter", "real"],
        compare_size=0.005,
        out=tmp_path,
        corpora=shared_corpora,
        wiki_docs=6,
        trex_docs=6,
        spark=spark,
        note=lambda _: None,
    )
    written = json.loads((tmp_path / "harness.json").read_text("utf-8"))
    assert written == json.loads(json.dumps(report))
    assert written["parts"] == ["scaling", "tax", "prefilter", "real"]
    md = (tmp_path / "harness.md").read_text("utf-8")
    for heading in (
        "## Machine",
        "## Corpora",
        "## Scaling",
        "## No Spark tax",
        "## Prefilter",
        "## Real text",
    ):
        assert heading in md

    runs = written["scaling"]["runs"]
    assert [r["prefilter"] for r in runs] == ["sentence"] * 2
    assert written["sizes_mb"][-1] / written["sizes_mb"][0] >= 20
    assert runs[0]["input_mb"] < runs[1]["input_mb"]
    assert written["prefilter"]["sentence"] == runs[0]  # the scaling run, reused
    stages = set(runs[0]["stages"])
    assert {"read + extract", "count", "estimate"} <= stages
    pipelines = [*runs, written["tax"]["pipeline"], written["prefilter"]["off"]]
    for run in pipelines:
        assert set(run["stages"]) == stages
        for rates in run["stages"].values():
            _positive_rates(rates)
        _positive_rates(run["end_to_end"])
        assert run["peak_rss_mb"] > 0 and run["documents"] > 0 and run["words"] > 0
    assert written["tax"]["pipeline"]["prefilter"] == "off"

    fits = written["scaling"]["fits"]
    assert stages | {"in pipeline (sum of stages)", "end to end (wall)"} == set(fits)
    for fit in fits.values():
        assert math.isfinite(fit["slope"]) and math.isfinite(fit["intercept"])
        assert fit["r2"] is None or fit["r2"] <= 1
        assert len(fit["seconds_per_mb_at_each_size"]) == 2

    plains = written["tax"]["plain"]
    assert [p["mode"] for p in plains] == ["pool", "nprocess"]
    for plain in plains:
        _positive_rates(plain["end_to_end"])
        _positive_rates(plain["parse"])
        assert plain["documents"] == written["tax"]["pipeline"]["documents"]
        assert plain["words"] == written["tax"]["pipeline"]["words"]  # same documents
        assert plain["peak_rss_mb"] > 0
    tax = written["tax"]["comparison"]
    assert tax["baseline_mode"] in ("pool", "nprocess") and tax["ratio_end_to_end"] > 0
    pre = written["prefilter"]["comparison"]
    assert pre["speedup_end_to_end"] > 0 and pre["speedup_extract"] > 0
    assert written["machine"]["cores"] >= 1 and written["machine"]["spark"]

    real = written["real"]
    assert [r["corpus"] for r in real["rows"]] == ["wikipedia", "trex", "synthetic"]
    assert real["pipelines"]["synthetic"] == runs[0]  # reused, not run again
    assert real["plain"]["synthetic"]["mode"] == "nprocess"
    for row in real["rows"]:
        assert row["documents"] == 6 or row["corpus"] == "synthetic"
        assert row["ratio"] > 0 and math.isfinite(row["ratio"])
        pipe, plain = row["pipeline"], row["plain"]
        assert pipe["words_per_s"] > 0 and plain["words_per_s"] > 0
        assert 0 <= pipe["parsed_chars"] <= row["chars"] == plain["parsed_chars"]
        assert pipe["mentions"] >= pipe["asserted"] >= 0
    # Wikipedia: the file's first articles, whole; T-REx: one document per subject.
    wiki = [json.loads(x) for x in (tmp_path / "corpora" / "wikipedia-first6.jsonl").open()]
    trex = [json.loads(x) for x in (tmp_path / "corpora" / "trex-subjects6.jsonl").open()]
    assert len(wiki) == 6 and all(r["id"].startswith("enwiki-") for r in wiki)
    assert len({r["title"] for r in trex}) == 6


def test_real_text_examples() -> None:
    import doctest

    result = doctest.testmod(_bench("real_text"))
    assert result.attempted > 0 and result.failed == 0
