"""Coverage of the intervals labelled 95% on i.i.d., clustered and near-duplicate designs.

A short run of ``bench/cluster_coverage.py`` (the 1,000-trial table is
``bench/cluster_coverage.md``): fewer seeded trials, so a looser tolerance (0.88 where the
bench requires 0.93; with 200 trials the standard error of a 0.95 coverage is 0.015). The
bench's numpy sums are checked against the count stage's SQL here too, so the table measures
what a run computes.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from singleton_rate.estimate.cluster import document_group
from singleton_rate.tally import as_table, tally

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
import cluster_coverage as cc  # noqa: E402

NEW = (
    "jackknife over documents, LODO (new)",
    "held-out share, score interval at cluster deff (new)",
    "distribution-free at N_eff, LODO (new)",
)


def _coverage(design: str, trials: int) -> dict:
    out: defaultdict = defaultdict(list)
    for t in range(trials):
        cc.run_trial(design, t, out)
    return {k: float(np.mean(v)) for k, v in out.items() if not k[1].endswith("width")}


def test_numpy_sums_equal_the_count_stage_sql(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    corpus = cc.clustered_corpus(rng)
    keep = corpus.doc < 300  # a few hundred documents: a fast tally
    doc, prompt, fact = corpus.doc[keep], corpus.keys["prompt"][keep], corpus.keys["fact"][keep]
    ids = [f"doc{d}" for d in doc]
    rows = [
        {
            "doc_id": i,
            "source": None,
            "entity": str(p // cc.A),
            "attribute": f"a{p % cc.A}",
            "value": str(f % (cc.V + 1)),
            "value_precision": "x",
            "entity_text": "e",
            "value_text": "v",
            "status": "asserted",
        }
        for i, p, f in zip(ids, prompt, fact, strict=True)
    ]
    table = as_table([pa.RecordBatch.from_pylist(rows, schema=as_table([]).schema)])
    result = tally(table, tmp_path / "f", tmp_path / "p", "part-0")
    assert result.groups is not None and result.lodo is not None
    sql = result.groups.to_pandas().groupby(["unit", "key", "group"])[["n_g", "lodo_delta"]].sum()
    lodo = result.lodo.to_pandas().groupby(["unit", "key"])["lodo"].sum()
    n_docs = int(doc.max()) + 1
    groups = np.array([document_group(f"doc{d}") for d in range(n_docs)])
    for key, codes in (("prompt", prompt), ("fact", fact)):
        for unit in ("mention", "document"):
            s = cc.group_sums(doc, codes, groups, unit)
            part = sql.loc[(unit, key)]
            assert s.lodo == lodo[(unit, key)]
            assert sorted((s.n - part["n_g"]).tolist()) == sorted(s.n_minus.tolist())
            assert sorted((s.lodo + part["lodo_delta"]).tolist()) == sorted(s.lodo_minus.tolist())


@pytest.mark.slow
@pytest.mark.parametrize(("design", "trials"), [("iid-zipf1.1", 300), ("clustered", 200)])
def test_new_intervals_cover_on_iid_and_clustered_designs(design: str, trials: int) -> None:
    cov = _coverage(design, trials)
    for (tag, name), value in cov.items():
        if name in NEW:
            assert value >= 0.88, (tag, name, value)
    if design == "clustered":
        # what was reported before does not: Esty's score interval at the document unit, and
        # every as-before interval at the mention unit
        assert cov[("clustered|prompt/document", "Esty score, N1/N (as before)")] < 0.88
        assert cov[("clustered|prompt/mention", "Esty score, N1/N (as before)")] < 0.1
        # the LODO estimate is unbiased where the mention-unit N1/N is not
        assert abs(cov[("clustered|prompt/mention", "bias LODO")]) < 0.005
        assert cov[("clustered|prompt/mention", "bias N1/N")] < -0.2


@pytest.mark.slow
def test_near_duplicates_defeat_every_interval() -> None:
    # Copies turn singletons into doubletons: N1/N itself is biased and no variance
    # correction helps. Documented, not hidden: the fix is deduplication before counting.
    cov = _coverage("neardup", 25)
    for cell in ("prompt/document", "fact/document"):
        assert cov[(f"neardup|{cell}", "jackknife over documents, LODO (new)")] < 0.2
        assert cov[(f"neardup|{cell}", "bias LODO")] < -0.1
