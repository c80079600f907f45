"""From (r, N_r) rows to the estimates table and its printed summary, without Spark."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from singleton_rate.estimate.table import (
    HEADLINE,
    Relations,
    beside_rows,
    estimates_frame,
    freq_of_freq_all_scopes,
    headline_row,
    scope_attributes,
    theorem2_reason,
    union_scopes,
)
from singleton_rate.summary import format_estimates, format_headline

RELATIONS = Relations(
    subject_types={"birth_date": "PERSON", "birth_place": "PERSON", "occupation": "PERSON"},
    single_valued=frozenset({"birth_date", "birth_place"}),
)
COUNTED = pd.DataFrame(
    [
        # scope, unit, key, r, n_r
        ("attribute=birth_date", "document", "prompt", 1, 3),
        ("attribute=birth_place", "document", "prompt", 1, 1),
        ("attribute=birth_place", "document", "prompt", 2, 1),
        ("attribute=occupation", "document", "prompt", 1, 2),
        ("attribute=birth_date", "document", "fact", 1, 3),
        ("attribute=birth_place", "document", "fact", 1, 3),
        ("attribute=occupation", "document", "fact", 1, 2),
        *[(f"source=s{i}", "document", "prompt", 1, 1) for i in range(10)],
    ],
    columns=["scope", "unit", "key", "r", "n_r"],
)
SIZES = {"birth_date": 364, "birth_place": 1, "occupation": 50}


def frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    fof = freq_of_freq_all_scopes(COUNTED, RELATIONS)
    spans = scope_attributes(sorted(fof["scope"].unique()), SIZES, RELATIONS)
    return estimates_frame(fof, sizes=SIZES, spans=spans, relations=RELATIONS)


def test_union_scopes_name_the_single_valued_relations() -> None:
    groups = union_scopes(["birth_date", "birth_place", "occupation"], RELATIONS)
    assert groups["single_valued"] == ["birth_date", "birth_place"]
    assert groups["all"] == ["birth_date", "birth_place", "occupation"]
    assert groups["entity_type=PERSON"] == groups["all"]
    assert "single_valued" not in union_scopes(["occupation"], RELATIONS)


def test_single_valued_scope_sums_its_attributes() -> None:
    fof = freq_of_freq_all_scopes(COUNTED, RELATIONS)
    sel = fof[(fof["scope"] == "single_valued") & (fof["key"] == "prompt")]
    # birth_date r=1:3 + birth_place r=1:1, r=2:1 → {1: 4, 2: 1}
    assert dict(zip(sel["r"], sel["n_r"], strict=True)) == {1: 4, 2: 1}


def test_theorem2_only_for_single_valued_prompts() -> None:
    est, extra = frame()
    by = est.set_index(["scope", "unit", "key"])
    head = by.loc[HEADLINE]
    # N = 4·1 + 1·2 = 6, N1 = 4: sr = 4/6; E_min = 1 (birth_place), E_max = 364
    assert (head["n"], head["n1"], head["error_set_min"], head["error_set_max"]) == (6, 4, 1, 364)
    assert head["singleton_rate"] == pytest.approx(4 / 6)
    assert head["floor_term_error_set"] == pytest.approx(2 / 1)
    assert head["theorem2_applies"] and head["rate_name"] == "singleton rate"
    assert math.isinf(head["floor_informative_from_n"])  # 2/1 > 4/6: no N helps
    multi = by.loc[("all", "document", "prompt")]
    assert not multi["theorem2_applies"]
    assert multi["hallucination_floor"] is None or math.isnan(multi["hallucination_floor"])
    assert "occupation" in multi["theorem2_reason"]
    fact = by.loc[("attribute=birth_date", "document", "fact")]
    assert fact["rate_name"] == "monofact rate" and "fact key" in fact["theorem2_reason"]
    assert by.loc[("attribute=birth_date", "document", "prompt"), "error_set_min"] == 364
    # the headline scope leads, prompt before fact
    assert tuple(est.iloc[0][["scope", "unit", "key"]]) == HEADLINE
    no_floor = extra[extra["key"] == "fact"]
    for column in ("predicted_floor", "predicted_floor_low", "predicted_floor_high"):
        assert no_floor[column].isna().all()
    head_ext = extra[(extra["scope"] == "single_valued") & (extra["key"] == "prompt")]
    # the point floor to 2×N (with the Chao–Jost point), the band's floors from 1×N to 100×N
    assert head_ext["predicted_floor"].notna().tolist() == (head_ext["t"] <= 2).tolist()
    assert head_ext["predicted_floor_high"].notna().tolist() == (head_ext["t"] >= 1).tolist()
    assert str(head_ext["band_informative"].dtype) == "boolean"


def test_theorem2_reason_texts() -> None:
    assert theorem2_reason("prompt", ["birth_date"], RELATIONS) is None
    assert "multi-valued" in str(theorem2_reason("prompt", ["occupation"], RELATIONS))
    assert theorem2_reason("prompt", [], RELATIONS) == "no attribute in scope"


def test_headline_and_beside_rows() -> None:
    est, _ = frame()
    row = headline_row(est)
    assert row is not None and row["scope"] == "single_valued"
    beside = [(r["scope"], r["key"]) for r in beside_rows(est)]
    assert beside == [("single_valued", "fact"), ("all", "prompt")]
    text = format_headline(est)
    assert "Headline: singleton rate = 0.6667" in text
    assert "scope single_valued, unit document, key prompt" in text
    assert "no corpus size makes it positive" in text
    assert "calibrated (δ = 0, assumed, not measured)" in text
    assert "monofact rate = " in text and "Theorem 2 does not apply" in text
    assert "no fact of a single-valued" in format_headline(est[est["scope"] != "single_valued"])


def test_headline_says_when_the_floor_would_turn_positive() -> None:
    counted = pd.DataFrame(
        [
            ("attribute=birth_date", "document", "prompt", 1, 300),
            ("attribute=birth_date", "document", "prompt", 2, 350),
        ],
        columns=["scope", "unit", "key", "r", "n_r"],
    )
    fof = freq_of_freq_all_scopes(counted, RELATIONS)
    sizes = {"birth_date": 364}
    spans = scope_attributes(sorted(fof["scope"].unique()), sizes, RELATIONS)
    est, _ = estimates_frame(fof, sizes=sizes, spans=spans, relations=RELATIONS)
    # sr = 300/1000 = 0.3 at |E_c| = 364: informative from N = 126,403 (bounds doctest)
    assert headline_row(est)["floor_informative_from_n"] == 126403.0  # type: ignore[index]
    assert "from N ≈ 126,403 occurrences" in format_headline(est)


def test_summary_prints_every_scope_but_caps_sources() -> None:
    est, _ = frame()
    text = format_estimates(est)
    assert "attribute=birth_place" in text and "source=s0" in text and "source=s9" not in text
    assert "… and 2 more source scopes" in text
    assert "0.6667" in text  # N1/N of the single-valued scope
    assert "floor = 0 (uninformative)" in text
    assert "floor n/a in" in text and " n/a " in text


def test_printed_interval_is_the_jackknife_one_where_present() -> None:
    est, _ = frame()
    assert "]*" in format_estimates(est)  # no document groups: distribution-free, marked
    est = est.assign(lodo_rate=0.5, jackknife_low=0.4, jackknife_high=0.6)
    text = format_estimates(est)
    assert "0.5000 [0.4000, 0.6000]" in text and "]*" not in text
    assert "jackknife over documents" in text
