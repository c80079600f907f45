"""The bundled sample through the real pipeline, checked against the generator's truth.

The generator knows every fact statement it wrote and the exact probability of every fact,
so this checks both extraction (against the statements) and estimation (the Good–Turing
estimate against the true missing mass).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from singleton_rate.config import RunConfig
from singleton_rate.estimate import FreqOfFreq, missing_mass_interval
from singleton_rate.progress import Progress
from singleton_rate.query import connect
from singleton_rate.run import RunResult, run

pytestmark = [pytest.mark.spark, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
FOUR = ("birth_date", "birth_place", "death_date", "death_place")


@pytest.fixture(scope="module")
def sample_run(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    out = tmp_path_factory.mktemp("sample") / "run"
    config = RunConfig(inputs=(str(SAMPLE / "corpus.jsonl"),), out=str(out))
    return run(config, spark=spark, progress=Progress(quiet=True))


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    return json.loads((SAMPLE / "truth.json").read_text())


def test_every_document_processed(sample_run: RunResult, truth: dict[str, Any]) -> None:
    docs = sample_run.manifest["documents"]
    assert docs["records_read"] == truth["counts"]["documents"] == docs["processed"]
    assert docs["failed"] == 0 and docs["rejected_at_read"] == 0


def test_extraction_against_the_statements(sample_run: RunResult) -> None:
    con = duckdb.connect()
    con.execute(
        f"create view m as select * from read_parquet('{sample_run.path}/mentions/**/*.parquet', "
        "hive_partitioning = true) where status = 'asserted' "
        "and attribute in ('birth_date', 'birth_place', 'death_date', 'death_place')"
    )
    con.execute(
        f"create view t as select * from read_json_auto('{SAMPLE / 'truth_mentions.jsonl'}')"
    )
    on = "m.doc_id = t.doc_id and m.attribute = t.attribute and m.start = t.start"
    truth_n = con.execute("select count(*) from t").fetchone()[0]
    found = con.execute(f"select count(*) from t semi join m on {on}").fetchone()[0]
    spurious = con.execute(f"select count(*) from m anti join t on {on}").fetchone()[0]
    extracted = con.execute("select count(*) from m").fetchone()[0]
    recall, precision = found / truth_n, 1 - spurious / extracted
    assert recall >= 0.98, f"recall {recall:.4f} ({found}/{truth_n})"
    assert precision >= 0.995, f"precision {precision:.4f} ({spurious} spurious of {extracted})"


@pytest.mark.parametrize("unit", ["mention", "document"])
def test_missing_mass_interval_holds_the_true_value(
    sample_run: RunResult, truth: dict[str, Any], unit: str
) -> None:
    # The generator's truth covers the four date and place attributes; its occupation and
    # study sentences are distractors to it but facts to the wider catalog. Compare on the
    # four: their union's (r, N_r) is the sum of their per-attribute tables.
    fof = sample_run_fof(sample_run)
    table = FreqOfFreq.from_pairs(
        fof[(fof.unit == unit) & (fof.key == "fact")].groupby("r")["n_r"].sum().items()
    )
    interval = missing_mass_interval(table, 0.95)
    true_mass = truth["missing_mass"][unit]["true_missing_mass"]
    assert interval.low <= true_mass <= interval.high, (
        f"{unit}: true {true_mass:.4f} outside [{interval.low:.4f}, {interval.high:.4f}]"
    )
    # Extraction error, apart from sampling error: the estimate is close to the oracle
    # N1/N computed from the generator's own statements.
    assert interval.estimate == pytest.approx(
        truth["missing_mass"][unit]["oracle_good_turing"], abs=0.01
    )


def sample_run_fof(sample_run: RunResult):
    con = connect(sample_run.path)
    return con.execute(
        "select unit, key, r, n_r from freq_of_freq where scope in ("
        + ", ".join(f"'attribute={a}'" for a in FOUR)
        + ")"
    ).df()
