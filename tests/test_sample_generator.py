"""The bundled sample corpus and its generator (``data/generate_sample.py``).

The sample's ground truth is what lets the rest of the project be checked against a known
missing mass, so these tests pin the generator down: it is deterministic, its truth files
agree with its corpus and with each other, the committed ``data/sample/`` is exactly what the
default command regenerates, and the oracle Good–Turing estimate (from the truth mentions, so
without extraction error) lies within the distribution-free interval of the true missing mass.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "data" / "generate_sample.py"
COMMITTED = ROOT / "data" / "sample"
FILES = ("corpus.jsonl", "truth.json", "truth_facts.jsonl", "truth_mentions.jsonl")
UNITS = ("mention", "document")
ATTRIBUTES = ("birth_date", "birth_place", "death_date", "death_place")


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_sample", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_generator()


def run_cli(out: Path, *args: str, hashseed: str = "0") -> None:
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out), *args],
        check=True,
        capture_output=True,
        env=env,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def oracle(mentions: list[dict[str, Any]], unit: str) -> tuple[int, int]:
    """(N1, N) of the truth mentions for one unit."""
    if unit == "mention":
        counts = Counter((m["entity"], m["attribute"], m["value"]) for m in mentions)
    else:
        pairs = {(m["doc_id"], m["entity"], m["attribute"], m["value"]) for m in mentions}
        counts = Counter(p[1:] for p in pairs)
    return sum(1 for c in counts.values() if c == 1), sum(counts.values())


def halfwidth(n: int, delta: float = 0.05) -> float:
    return 1 / n + (1 + math.sqrt(2)) * math.sqrt(math.log(4 / delta) / n)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    run_cli(out, "--docs", "200")
    return out


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Path:
    out = tmp_path_factory.mktemp("default")
    assert gen.main(["--out", str(out)]) == 0
    return out


def test_same_seed_gives_identical_bytes(small: Path, tmp_path: Path) -> None:
    # a second run in a fresh interpreter with another hash seed: no set or dict-order leaks
    run_cli(tmp_path, "--docs", "200", hashseed="12345")
    for name in FILES:
        assert (small / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_other_seed_gives_another_sample(small: Path, tmp_path: Path) -> None:
    run_cli(tmp_path, "--docs", "200", "--seed", "7")
    assert (small / "corpus.jsonl").read_bytes() != (tmp_path / "corpus.jsonl").read_bytes()


def test_committed_sample_is_what_the_default_command_makes(regenerated: Path) -> None:
    committed = sorted(p.name for p in COMMITTED.iterdir())
    assert committed == sorted(FILES)
    for name in FILES:
        assert (COMMITTED / name).read_bytes() == (regenerated / name).read_bytes(), (
            f"data/sample/{name} drifted from its generator: run `python data/generate_sample.py`"
        )


def test_fewer_documents_give_a_prefix(small: Path) -> None:
    head = (small / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    full = (COMMITTED / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert head == full[: len(head)]


@pytest.mark.parametrize("where", ["small", "committed"])
def test_truth_is_consistent_with_the_corpus(where: str, small: Path) -> None:
    out = small if where == "small" else COMMITTED
    docs = read_jsonl(out / "corpus.jsonl")
    mentions = read_jsonl(out / "truth_mentions.jsonl")
    facts = read_jsonl(out / "truth_facts.jsonl")
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))

    by_id = {d["id"]: d for d in docs}
    assert len(by_id) == len(docs)
    for k, d in enumerate(docs):
        assert d["id"] == f"sample-{k:05d}"
        assert set(d) == {"id", "title", "text", "source"}
        assert d["source"] in {"encyclopedia.example", "news.example", "blog.example"}
    for m in mentions:
        doc = by_id[m["doc_id"]]
        assert m["entity"] == doc["title"]
        assert m["surface"] in doc["text"]
        assert doc["text"][m["start"] : m["end"]] == m["surface"]
        assert m["attribute"] in ATTRIBUTES
        assert m["subject_form"] in {"name", "pronoun", "surname", "lead"}
        assert ", " not in m["value"]  # "Warsaw, Poland" is recorded as "Warsaw"
        if m["attribute"].endswith("_date"):
            assert len(m["value"]) == {"year": 4, "month": 7, "day": 10}[m["precision"]]
        else:
            assert m["precision"] is None and m["surface"].startswith(m["value"])

    counts = truth["counts"]
    keys = Counter((m["entity"], m["attribute"], m["value"]) for m in mentions)
    assert counts["documents"] == len(docs) == truth["parameters"]["documents"]
    assert counts["statements"] == len(mentions)
    assert counts["distinct_facts"] == len(keys) == len(facts)
    for unit in UNITS:
        n1, n = oracle(mentions, unit)
        summary = truth["missing_mass"][unit]
        assert (summary["N1"], summary["N"]) == (n1, n)
        assert summary["oracle_good_turing"] == pytest.approx(n1 / n, abs=1e-11)
        assert summary["distinct_facts"] == len(keys)
    assert counts["document_fact_pairs"] == truth["missing_mass"]["document"]["N"]

    # truth_facts lists exactly the observed facts; the unseen rest is the true missing mass
    for f in facts:
        assert keys[(f["entity"], f["attribute"], f["value"])] == f["mentions"]
    for unit in UNITS:
        seen = math.fsum(f[f"p_{unit}"] for f in facts)
        missing = truth["missing_mass"][unit]["true_missing_mass"]
        assert 0 < missing < 1
        assert seen + missing == pytest.approx(1, abs=1e-8)
        for attribute in ATTRIBUTES:
            part = truth["per_attribute"][attribute][unit]
            assert 0 < part["true_missing_mass"] < 1
            n1, n = oracle([m for m in mentions if m["attribute"] == attribute], unit)
            assert (part["N1"], part["N"]) == (n1, n)
        shares = math.fsum(truth["per_attribute"][a][unit]["share"] for a in ATTRIBUTES)
        assert shares == pytest.approx(1, abs=1e-9)


def test_fact_probabilities_sum_to_one(gen: ModuleType) -> None:
    sample = gen.generate(20251, 50)
    assert math.fsum(sample.pi) == pytest.approx(1, abs=1e-12)
    for weight in ("expected_count", "u"):
        w = [getattr(f, weight) for f in sample.facts]
        assert min(w) > 0
        z = math.fsum(w)
        p = [x / z for x in w]
        assert math.fsum(p) == pytest.approx(1, abs=1e-12)
    # E[statements per document] = sum over attributes of pi * q_a * (1 + r)
    expected = math.fsum(
        sample.pi[p.pid] * gen.STATE_PROB[a] * (1 + gen.REPEAT_PROB)
        for p in sample.people
        for a in p.attributes
    )
    total = math.fsum(f.expected_count for f in sample.facts)
    assert total == pytest.approx(expected, rel=1e-12)
    assert len({f.key for f in sample.facts}) == len(sample.facts)


def test_documents_follow_the_model(gen: ModuleType) -> None:
    sample = gen.generate(20251, 300)
    alternatives = {p.name: (p.alt_birth_date.year, p.alt_birth_place) for p in sample.people}
    for d in sample.docs:
        assert gen.MIN_SENTENCES <= d.sentences <= gen.MAX_SENTENCES
        assert d.text.startswith(d.title) or d.text.split(" ", 1)[1].startswith(d.title)
        for m in d.mentions:
            if m["alternative"] and m["attribute"] == "birth_date":
                assert m["value"][:4] == str(alternatives[d.title][0])
            if m["alternative"] and m["attribute"] == "birth_place":
                assert m["value"] == alternatives[d.title][1]
            if m["sentence"] == 0:
                assert m["subject_form"] == "lead"
                assert m["phrasing"].startswith("lead_")
            else:
                assert m["subject_form"] != "lead"


@pytest.mark.parametrize("unit", UNITS)
def test_oracle_good_turing_is_within_the_interval(unit: str) -> None:
    truth = json.loads((COMMITTED / "truth.json").read_text(encoding="utf-8"))
    summary = truth["missing_mass"][unit]
    n1, n = oracle(read_jsonl(COMMITTED / "truth_mentions.jsonl"), unit)
    w = halfwidth(n)
    assert summary["interval_halfwidth"] == pytest.approx(w, rel=1e-9)
    assert abs(n1 / n - summary["true_missing_mass"]) <= w
