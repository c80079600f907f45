"""summarize(): one flat row per table, with the pathology flags (theory.md §4.6)."""

import dataclasses
import math

import pyarrow as pa
import pytest

from singleton_rate.estimate import (
    FreqOfFreq,
    Summary,
    chao1,
    esty_interval,
    hallucination_bounds,
    missing_mass_interval,
    sample_coverage,
    summarize,
)

REQUIRED_FIELDS = [
    "n",
    "distinct",
    "n1",
    "n2",
    "singleton_rate",
    "singleton_share",
    "missing_mass",
    "missing_mass_low",
    "missing_mass_high",
    "missing_mass_confidence",
    "esty_low",
    "esty_high",
    "esty_method",
    "coverage",
    "hallucination_floor",
    "hallucination_floor_raw",
    "hallucination_ceiling",
    "floor_term_error_set",
    "floor_term_sampling",
    "floor_term_calibration",
    "ceiling_term_sampling",
    "floor_informative_from_n",
    "theorem_confidence",
    "error_set_min",
    "error_set_max",
    "chao1",
    "chao1_low",
    "chao1_high",
    "chao1_bc",
    "sgt_p0",
    "sgt_slope",
    "flag_f2_zero",
    "flag_all_singletons",
    "flag_sgt_slope",
    "flag_coverage_degenerate",
    "flag_floor_uninformative",
]


def test_summary_by_hand() -> None:
    fof = FreqOfFreq.from_pairs({1: 3, 2: 1, 3: 1})
    got = summarize(fof, error_set_min=364, error_set_max=364)
    assert (got.n, got.distinct, got.n1, got.n2) == (8, 5, 3, 1)
    assert got.singleton_rate == 0.375  # 3/8
    assert got.singleton_share == 0.6  # 3/5
    assert got.missing_mass == 0.375
    assert got.coverage == pytest.approx(121 / 184)
    assert got.chao1 == pytest.approx(8.9375)
    assert got.chao1_bc == pytest.approx(6.3125)
    assert got.sgt_p0 == 0.375
    assert got.sgt_slope == pytest.approx(-1.062990, abs=1e-6)
    # 2/364; 6·ln(3·8/γ)/√8 with γ = 1 − 0.99
    assert got.floor_term_error_set == pytest.approx(2 / 364)
    assert got.floor_term_sampling == pytest.approx(6 * math.log(3 * 8 / 0.01) / math.sqrt(8))
    assert got.hallucination_floor == 0.0 and got.hallucination_floor_raw < 0
    assert got.flag_floor_uninformative
    assert got.hallucination_ceiling == 1.0
    assert not got.flag_f2_zero and not got.flag_all_singletons
    assert not got.flag_sgt_slope and not got.flag_coverage_degenerate
    assert got.theorem_confidence == 0.99 and got.missing_mass_confidence == 0.95
    # Esty's score form (tests/test_estimate_goodturing.py works it out by hand)
    assert got.esty_method == "score"
    assert got.esty_low == pytest.approx(0.017079751, abs=1e-9)
    assert got.esty_high == pytest.approx(0.814022141, abs=1e-9)
    assert not got.flag_esty_degenerate


def test_summary_agrees_with_the_estimators() -> None:
    fof = FreqOfFreq.from_pairs({1: 200, 2: 100, 5: 100})
    got = summarize(
        fof,
        error_set_min=10,
        error_set_max=50,
        confidence=0.9,
        theorem_confidence=0.95,
        calibration_error=0.01,
    )
    free = missing_mass_interval(fof, 0.9)
    esty = esty_interval(fof, 0.9, method="score")
    bounds = hallucination_bounds(
        200 / 900, 900, error_set_min=10, error_set_max=50, gamma=0.05, calibration_error=0.01
    )
    rich = chao1(fof, confidence=0.9)
    assert (got.missing_mass_low, got.missing_mass_high) == (free.low, free.high)
    assert (got.esty_low, got.esty_high) == (esty.low, esty.high)
    assert got.esty_method == esty.method == "score"
    # the score form, not Esty's plain normal one, is what the row reports
    plain = esty_interval(fof, 0.9)
    assert (got.esty_low, got.esty_high) != (plain.low, plain.high)
    assert got.hallucination_floor_raw == pytest.approx(bounds.floor_raw)
    assert got.hallucination_ceiling == pytest.approx(bounds.ceiling)
    assert got.floor_term_calibration == 0.01
    assert got.ceiling_term_sampling == pytest.approx(bounds.ceiling_term_sampling)
    assert (got.chao1, got.chao1_low, got.chao1_high) == (rich.estimate, rich.low, rich.high)
    assert got.coverage == sample_coverage(fof)
    assert (got.error_set_min, got.error_set_max) == (10, 50)


def test_large_corpus_floor_is_informative() -> None:
    # N = 10^6 with sr = 0.3: floor = 0.3 − 2/364 − 0.117116 = 0.177390 (see the bounds tests)
    fof = FreqOfFreq.from_pairs({1: 300_000, 2: 100_000, 5: 100_000})
    got = summarize(fof, error_set_min=364, error_set_max=364)
    assert got.n == 300_000 + 200_000 + 500_000
    assert got.hallucination_floor == pytest.approx(0.177390, abs=1e-5)
    assert not got.flag_floor_uninformative


def test_flags_every_key_a_singleton() -> None:
    got = summarize(FreqOfFreq.from_pairs({1: 5}), error_set_min=1, error_set_max=1)
    assert got.flag_all_singletons and got.flag_f2_zero and got.flag_sgt_slope
    assert got.sgt_slope is None
    # the plain normal interval would be the point [1, 1]; the score form is Wilson's
    # [N/(N + z²), 1] = [5/8.841458821, 1] = [0.565517535, 1]
    assert got.flag_esty_degenerate
    assert got.esty_low == pytest.approx(0.565517535, abs=1e-9) and got.esty_high == 1.0
    assert got.coverage == pytest.approx(1 / 9) and not got.flag_coverage_degenerate


def test_flags_single_key_and_n_equal_one() -> None:
    single = summarize(FreqOfFreq.from_counts([7]), error_set_min=3, error_set_max=3)
    assert single.coverage == 1.0 and single.flag_coverage_degenerate
    assert single.singleton_rate == 0.0 and single.singleton_share == 0.0
    # one key seen 7 times: Chao1 = 1 with SpadeR's observed-count interval above it
    assert single.chao1 == single.chao1_low == 1.0 < single.chao1_high
    # N1 = N2 = 0: Esty's score form is [0, z²/(N + z²)] = [0, 3.841458821/10.841458821]
    assert single.flag_esty_degenerate and single.esty_low == 0.0
    assert single.esty_high == pytest.approx(0.354330435, abs=1e-9)
    one = summarize(FreqOfFreq.from_counts([1]), error_set_min=3, error_set_max=3)
    assert one.n == 1 and one.flag_coverage_degenerate and one.flag_all_singletons
    assert one.hallucination_ceiling == 1.0 and one.flag_floor_uninformative


def test_flag_near_zero_coverage() -> None:
    # 1000 singletons and one doubleton: A = 1001·1000/(1001·1000 + 2), Ĉ = 1 − (1000/1002)·A
    got = summarize(FreqOfFreq.from_pairs({1: 1000, 2: 1}), error_set_min=9, error_set_max=9)
    assert got.coverage < 0.01 and got.flag_coverage_degenerate


def test_summary_validates() -> None:
    fof = FreqOfFreq.from_pairs({1: 3})
    with pytest.raises(ValueError):
        summarize(fof, error_set_min=0, error_set_max=3)
    with pytest.raises(ValueError):
        summarize(fof, error_set_min=3, error_set_max=3, theorem_confidence=1.0)
    with pytest.raises(ValueError):
        summarize(fof, error_set_min=3, error_set_max=3, confidence=0.0)


def test_summary_row_shape_and_parquet_types() -> None:
    rows = [
        summarize(FreqOfFreq.from_pairs(t), error_set_min=364, error_set_max=364).as_dict()
        for t in ({1: 3, 2: 1, 3: 1}, {1: 5}, {7: 1})
    ]
    assert list(rows[0])[: len(REQUIRED_FIELDS)] == REQUIRED_FIELDS
    assert list(rows[0]) == [f.name for f in dataclasses.fields(Summary)]
    assert all(isinstance(v, int | float | bool | str | None) for row in rows for v in row.values())
    assert {k for row in rows for k, v in row.items() if isinstance(v, str)} == {"esty_method"}
    assert [row["esty_method"] for row in rows] == ["score"] * 3
    table = pa.Table.from_pylist(rows)
    assert table.num_rows == 3
    assert table.schema.field("sgt_slope").type == pa.float64()
    assert table.column("sgt_slope").null_count == 2
    assert table.schema.field("flag_f2_zero").type == pa.bool_()
    assert table.schema.field("n").type == pa.int64()
    assert table.schema.field("esty_method").type == pa.string()


def test_summary_is_frozen() -> None:
    got = summarize(FreqOfFreq.from_pairs({1: 3, 2: 1}), error_set_min=2, error_set_max=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.n = 4  # type: ignore[misc]


def test_theorem2_false_leaves_its_fields_empty() -> None:
    got = summarize(
        FreqOfFreq.from_pairs({1: 3, 2: 1}), error_set_min=2, error_set_max=2, theorem2=False
    )
    assert got.singleton_rate == pytest.approx(3 / 5)
    theorem = [
        "hallucination_floor",
        "hallucination_floor_raw",
        "hallucination_ceiling",
        "floor_term_error_set",
        "floor_term_sampling",
        "floor_term_calibration",
        "ceiling_term_sampling",
        "floor_informative_from_n",
        "error_set_min",
        "error_set_max",
        "flag_floor_uninformative",
    ]
    assert all(getattr(got, f) is None for f in theorem)
