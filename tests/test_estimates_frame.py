"""From (r, N_r) rows to the estimates table and its printed summary, without Spark."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.config import RunConfig
from pipeline.run import estimates_frame, scope_attributes
from pipeline.summary import format_estimates

FOF = pd.DataFrame(
    [
        # scope, unit, key, r, n_r
        ("all", "mention", "fact", 1, 4),
        ("all", "mention", "fact", 2, 1),
        ("attribute=birth_date", "mention", "fact", 1, 3),
        ("attribute=birth_place", "mention", "fact", 1, 1),
        ("attribute=birth_place", "mention", "fact", 2, 1),
        *[(f"source=s{i}", "mention", "fact", 1, 1) for i in range(10)],
    ],
    columns=["scope", "unit", "key", "r", "n_r"],
)
SIZES = {"birth_date": 364, "birth_place": 1}


def test_scope_attributes_decide_error_sets() -> None:
    spans = scope_attributes(
        sorted(FOF["scope"].unique()), SIZES, {"birth_date": "PERSON", "birth_place": "PERSON"}
    )
    assert spans["attribute=birth_date"] == ["birth_date"]
    assert spans["all"] == ["birth_date", "birth_place"] == spans["source=s3"]
    est, extra = estimates_frame(FOF, RunConfig(), SIZES, spans)
    row = est.set_index("scope").loc["all"]
    # N = 4·1 + 1·2 = 6, N1 = 4: sr = 4/6; E_min = 1 (birth_place), E_max = 364 (birth_date)
    assert (row["n"], row["n1"], row["error_set_min"], row["error_set_max"]) == (6, 4, 1, 364)
    assert row["singleton_rate"] == pytest.approx(4 / 6)
    assert row["floor_term_error_set"] == pytest.approx(2 / 1)
    assert est.set_index("scope").loc["attribute=birth_date", "error_set_min"] == 364
    assert list(est["scope"])[:3] == ["all", "attribute=birth_date", "attribute=birth_place"]
    assert len(extra) == 10 * len(est)


def test_summary_prints_every_scope_but_caps_sources() -> None:
    spans = scope_attributes(sorted(FOF["scope"].unique()), SIZES, {})
    est, _ = estimates_frame(FOF, RunConfig(), SIZES, spans)
    text = format_estimates(est)
    assert "attribute=birth_place" in text and "source=s0" in text and "source=s9" not in text
    assert "… and 2 more source scopes" in text
    assert "0.6667" in text  # N1/N of the whole
    assert "floor = 0 (uninformative)" in text
