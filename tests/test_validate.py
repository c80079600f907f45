"""Held-out validation over a run folder (pipeline/singleton_rate/validate.py), on run folders built by hand.

The split rule is re-implemented here from its documentation (md5 of "<seed>:<doc_id>", first
16 hex digits as an unsigned 64-bit integer, held out below holdout·2⁶⁴), so the test checks
the documented rule, not only the code's agreement with itself. Run with ``-s`` to see the
simulation's containment rates.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from singleton_rate.estimate import FreqOfFreq, esty_interval, missing_mass_interval
from singleton_rate.validate import ValidationRow, format_validation, split_of, validate


def documented_split(doc_id: str, holdout: float, seed: int) -> str:
    value = int(hashlib.md5(f"{seed}:{doc_id}".encode()).hexdigest()[:16], 16)
    return "heldout" if value < int(holdout * 2**64) else "train"


def write_run(root: Path, mentions: list[tuple[str, str, str, str, str]]) -> Path:
    """A run folder with mentions/attribute=NAME/part-0.parquet (Spark's hive layout).

    Each mention is (doc_id, entity, attribute, value, status); the attribute is the folder.
    """
    by_attribute: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for mention in mentions:
        by_attribute.setdefault(mention[2], []).append(mention)
    for attribute, rows in by_attribute.items():
        folder = root / "mentions" / f"attribute={attribute}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.table(
            {
                "doc_id": [r[0] for r in rows],
                "source": pa.nulls(len(rows), pa.string()),
                "entity": [r[1] for r in rows],
                "value": [r[3] for r in rows],
                "value_text": [r[3].title() for r in rows],
                "pattern": [f"{attribute}_v1/born" for _ in rows],
                "status": [r[4] for r in rows],
            }
        )
        pq.write_table(table, folder / "part-0.parquet")
    (root / "manifest.json").write_text("{}")
    return root


# --- a run worked out by hand ------------------------------------------------------------------

HOLDOUT, SEED = 0.25, 0
# md5("0:d1")[:16]/2⁶⁴ = 0.347, d2 0.656, d3 0.687, d4 0.542, d8 0.323 → train (≥ 0.25);
# d5 0.086, d6 0.217 → held out.
TRAIN_DOCS = ("d1", "d2", "d3", "d4", "d8")
HELDOUT_DOCS = ("d5", "d6")
BP, BD, DP = "birth_place", "birth_date", "death_place"
A = "asserted"
HAND_MENTIONS = [
    # train
    ("d1", "curie", BP, "warsaw", A),
    ("d1", "curie", BP, "warsaw", A),  # restated inside d1
    ("d1", "curie", BD, "1867-11-07", A),
    ("d2", "curie", BP, "warsaw", A),
    ("d2", "bohr", BP, "copenhagen", A),
    ("d3", "bohr", BP, "copenhagen", A),
    ("d3", "bohr", BD, "1885-10-07", A),
    ("d4", "tesla", BP, "smiljan", A),
    ("d4", "tesla", BD, "1856-07-10", A),
    ("d4", "einstein", BP, "ulm", "negated"),  # not counted: einstein/ulm stays unseen
    ("d8", "tesla", BP, "smiljan", A),
    ("d8", "curie", BD, "1867", A),  # a second value for the prompt (curie, birth_date)
    # held out
    ("d5", "curie", BP, "warsaw", A),
    ("d5", "curie", BP, "warsaw", A),
    ("d5", "einstein", BP, "ulm", A),
    ("d5", "einstein", BD, "1879-03-14", A),
    ("d5", "curie", DP, "sancellemoz", A),  # an attribute train never saw
    ("d6", "bohr", BP, "copenhagen", A),
    ("d6", "tesla", BP, "paris", A),  # a new fact for a seen prompt
    ("d6", "curie", BD, "1867-11-07", A),
    ("d6", "planck", BD, "1858", "hedged"),  # not counted
]

# Train tables, by hand.
# Facts, mention unit: birth_place curie/warsaw 3, bohr/copenhagen 2, tesla/smiljan 2 → {2: 2, 3: 1};
#   birth_date: four facts seen once → {1: 4}; all: {1: 4, 2: 2, 3: 1} (N = 11, N1 = 4).
# Facts, document unit: birth_place each fact in 2 documents → {2: 3}; birth_date {1: 4};
#   all {1: 4, 2: 3} (N = 10).
# Prompts, mention unit: birth_place as facts {2: 2, 3: 1}; birth_date curie 2 (d1, d8),
#   bohr 1, tesla 1 → {1: 2, 2: 1}; all {1: 2, 2: 3, 3: 1} (N = 11, N1 = 2).
# Prompts, document unit: birth_place {2: 3}; birth_date {1: 2, 2: 1}; all {1: 2, 2: 4}.
TRAIN = {
    ("all", "mention", "fact"): {1: 4, 2: 2, 3: 1},
    ("all", "document", "fact"): {1: 4, 2: 3},
    ("all", "mention", "prompt"): {1: 2, 2: 3, 3: 1},
    ("all", "document", "prompt"): {1: 2, 2: 4},
    (f"attribute={BD}", "mention", "fact"): {1: 4},
    (f"attribute={BD}", "document", "fact"): {1: 4},
    (f"attribute={BD}", "mention", "prompt"): {1: 2, 2: 1},
    (f"attribute={BD}", "document", "prompt"): {1: 2, 2: 1},
    (f"attribute={BP}", "mention", "fact"): {2: 2, 3: 1},
    (f"attribute={BP}", "document", "fact"): {2: 3},
    (f"attribute={BP}", "mention", "prompt"): {2: 2, 3: 1},
    (f"attribute={BP}", "document", "prompt"): {2: 3},
}
# Held-out (n, unseen), by hand.
# Mention unit, facts: birth_place curie/warsaw ×2 seen, einstein/ulm new, bohr seen,
#   tesla/paris new → (5, 2); birth_date einstein new, curie/1867-11-07 seen → (2, 1);
#   death_place (1, 1); all (8, 4).
# Document unit, facts: (d5, curie/warsaw) once → birth_place (4, 2); birth_date (2, 1);
#   death_place (1, 1); all (7, 4).
# Prompts: tesla/birth_place is seen in train, so birth_place mention (5, 1), document (4, 1);
#   birth_date (2, 1) both; death_place (1, 1); all mention (8, 3), document (7, 3).
HELDOUT = {
    ("all", "mention", "fact"): (8, 4),
    ("all", "document", "fact"): (7, 4),
    ("all", "mention", "prompt"): (8, 3),
    ("all", "document", "prompt"): (7, 3),
    (f"attribute={BD}", "mention", "fact"): (2, 1),
    (f"attribute={BD}", "document", "fact"): (2, 1),
    (f"attribute={BD}", "mention", "prompt"): (2, 1),
    (f"attribute={BD}", "document", "prompt"): (2, 1),
    (f"attribute={BP}", "mention", "fact"): (5, 2),
    (f"attribute={BP}", "document", "fact"): (4, 2),
    (f"attribute={BP}", "mention", "prompt"): (5, 1),
    (f"attribute={BP}", "document", "prompt"): (4, 1),
    (f"attribute={DP}", "mention", "fact"): (1, 1),
    (f"attribute={DP}", "document", "fact"): (1, 1),
    (f"attribute={DP}", "mention", "prompt"): (1, 1),
    (f"attribute={DP}", "document", "prompt"): (1, 1),
}


@pytest.fixture
def hand_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", HAND_MENTIONS)


def test_the_split_follows_the_documented_hash() -> None:
    for doc in TRAIN_DOCS:
        assert (
            documented_split(doc, HOLDOUT, SEED)
            == split_of(doc, holdout=HOLDOUT, seed=SEED)
            == "train"
        )
    for doc in HELDOUT_DOCS:
        assert (
            documented_split(doc, HOLDOUT, SEED)
            == split_of(doc, holdout=HOLDOUT, seed=SEED)
            == "heldout"
        )
    # md5("0:d5") begins 15effad9…: 0x15effad9… / 2⁶⁴ ≈ 0.086 < 0.25
    assert hashlib.md5(b"0:d5").hexdigest().startswith("15effad9")


def test_hand_run_numbers(hand_run: Path) -> None:
    rows = validate(hand_run, holdout=HOLDOUT, seed=SEED, confidence=0.95)
    assert [(r.scope, r.unit, r.key) for r in rows[:4]] == [
        ("all", "mention", "fact"),
        ("all", "document", "fact"),
        ("all", "mention", "prompt"),
        ("all", "document", "prompt"),
    ]
    assert [r.scope for r in rows[::4]] == [
        "all",
        f"attribute={BD}",
        f"attribute={BP}",
        f"attribute={DP}",
    ]
    by_id = {(r.scope, r.unit, r.key): r for r in rows}
    assert set(by_id) == set(HELDOUT)
    for ident, (n_heldout, unseen) in HELDOUT.items():
        row = by_id[ident]
        assert (row.n_heldout, row.heldout_unseen) == (n_heldout, unseen), ident
        assert row.heldout_unseen_share == unseen / n_heldout  # exact
        share = unseen / n_heldout
        assert row.heldout_std_error == pytest.approx(math.sqrt(share * (1 - share) / n_heldout))
        assert (row.holdout, row.seed, row.confidence) == (HOLDOUT, SEED, 0.95)
        table = TRAIN.get(ident)
        if table is None:
            # death_place: nothing in train, so no estimate and no verdict
            assert (row.n_train, row.distinct_train) == (0, 0)
            assert row.estimate is row.low is row.esty_low is row.inside is row.esty_inside is None
            continue
        fof = FreqOfFreq.from_pairs(table)
        free, esty = missing_mass_interval(fof, 0.95), esty_interval(fof, 0.95, method="score")
        assert (row.n_train, row.distinct_train) == (fof.n, fof.distinct), ident
        assert row.estimate == fof.f1 / fof.n
        assert (row.low, row.high, row.esty_low, row.esty_high) == (
            free.low,
            free.high,
            esty.low,
            esty.high,
        )
        assert row.inside == (free.low <= share <= free.high)
        assert row.esty_inside == (esty.low <= share <= esty.high)
        assert row.difference == share - fof.f1 / fof.n
        combined = math.sqrt(esty.std_error**2 + share * (1 - share) / n_heldout)
        assert row.combined_std_error == pytest.approx(combined)
        assert row.combined_inside == (abs(row.difference) <= esty.z * combined)
    # A few by hand: all/mention/fact N1/N = 4/11, held-out share 4/8.
    row = by_id[("all", "mention", "fact")]
    assert (row.n_train, row.estimate, row.heldout_unseen_share) == (11, 4 / 11, 0.5)
    # N = 11: w = 1/11 + (1 + √2)·√(ln(80)/11) = 1.615 > 1 → the interval is all of [0, 1].
    assert (row.low, row.high, row.inside) == (0.0, 1.0, True)
    # Esty, score form (N = 11, N1 = 4, N2 = 2, z² = 3.841459): centre
    # (4 + z²/2)/(11 + z²) = 5.920730/14.841459 = 0.398931; root term
    # √(4·7/11 + 2·2·14.841459/11 + z²/4) = √(2.545455 + 5.396894 + 0.960365) = 2.983741;
    # high = 0.398931 + 1.959964·2.983741/14.841459 = 0.398931 + 0.394028 = 0.792958 ∋ 0.5.
    z = 1.959964
    assert row.esty_high == pytest.approx(
        (4 + z * z / 2) / (11 + z * z)
        + z * math.sqrt(4 * 7 / 11 + 2 * 2 * (11 + z * z) / 11 + z * z / 4) / (11 + z * z),
        abs=1e-6,
    )
    assert row.esty_high == pytest.approx(0.792958, abs=1e-5)  # hand arithmetic, 6 places
    assert row.esty_inside is True
    # combined: √(72/121/11 + 0.5·0.5/8) = √(0.05409 + 0.03125) = 0.2921; |0.5 − 4/11| = 0.136
    assert row.combined_std_error == pytest.approx(math.sqrt(72 / 121 / 11 + 0.25 / 8))
    assert row.combined_inside is True
    # birth_date facts are all singletons (N = 4): Esty's score form gives [N/(N + z²), 1] =
    # [4/7.841459, 1] = [0.5101, 1], which the held-out share 1/2 misses; with the held-out
    # s.e. √(0.25/2) = 0.354 the difference −0.5 is z = −1.41, within 1.96.
    row = by_id[(f"attribute={BD}", "mention", "fact")]
    assert (row.estimate, row.esty_high, row.esty_inside) == (1.0, 1.0, False)
    assert row.esty_low == pytest.approx(4 / (4 + z * z), abs=1e-6)
    assert row.combined_std_error == pytest.approx(math.sqrt(0.125))
    assert row.combined_inside is True
    # birth_place prompts, document unit: N1 = 0 in train, held-out share 1/4.
    row = by_id[(f"attribute={BP}", "document", "prompt")]
    assert (row.n_train, row.estimate, row.heldout_unseen_share) == (6, 0.0, 0.25)


def test_validate_is_deterministic_and_the_seed_matters(hand_run: Path) -> None:
    first = validate(hand_run, holdout=HOLDOUT, seed=SEED)
    assert first == validate(str(hand_run), holdout=HOLDOUT, seed=SEED)
    # seed 1 holds out d3 (0.055) and d6 (0.066) instead of d5 and d6: other numbers.
    assert documented_split("d3", HOLDOUT, 1) == documented_split("d6", HOLDOUT, 1) == "heldout"
    other = validate(hand_run, holdout=HOLDOUT, seed=1)
    assert [r.n_heldout for r in other] != [r.n_heldout for r in first]


def test_sql_split_matches_python_on_awkward_ids(tmp_path: Path) -> None:
    # One document per fact, so the held-out mention count is the number of held-out ids.
    ids = [f"doc-{i}" for i in range(300)] + ["Zoë's page", "中文:1", "a'b''c", "x" * 300, ""]
    mentions = [(doc, f"person {i}", BP, f"place {i}", A) for i, doc in enumerate(ids)]
    run = write_run(tmp_path / "run", mentions)
    for seed, holdout in ((0, 0.2), (7, 0.5), (-3, 0.05)):
        row = validate(run, holdout=holdout, seed=seed)[0]
        expected = sum(documented_split(doc, holdout, seed) == "heldout" for doc in ids)
        assert row.n_heldout == expected
        assert row.n_train == len(ids) - expected
        assert row.heldout_unseen_share == 1.0  # every fact is in one document only


def test_null_doc_ids_count_as_one_document(tmp_path: Path) -> None:
    mentions = [(f"d{i}", f"e{i}", BP, "v", A) for i in range(1, 13)]
    run = write_run(tmp_path / "run", mentions)
    folder = run / "mentions" / f"attribute={BP}"
    extra = pa.table(
        {
            "doc_id": pa.array([None, None], pa.string()),
            "entity": ["zz", "zz"],
            "value": ["v", "v"],
            "status": [A, A],
        }
    )
    pq.write_table(extra, folder / "part-1.parquet")
    # The null document is the document "": md5("0:")
    side = documented_split("", 0.5, 0)
    rows = validate(run, holdout=0.5, seed=0)
    document_fact = rows[1]
    heldout_ids = [f"d{i}" for i in range(1, 13) if documented_split(f"d{i}", 0.5, 0) == "heldout"]
    # (zz, v) in one null document: one (document, key) pair on its side
    assert document_fact.n_heldout == len(heldout_ids) + (side == "heldout")
    assert document_fact.n_train == 12 - len(heldout_ids) + (side == "train")


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("holdout", [0, 1, -0.1, 1.5, float("nan"), "half"])
def test_bad_holdout(hand_run: Path, holdout: object) -> None:
    with pytest.raises(ValueError, match="holdout"):
        validate(hand_run, holdout=holdout)  # type: ignore[arg-type]


def test_bad_settings(hand_run: Path) -> None:
    with pytest.raises(ValueError, match="confidence"):
        validate(hand_run, confidence=1.0)
    with pytest.raises(ValueError, match="seed"):
        validate(hand_run, seed=1.5)  # type: ignore[arg-type]


def test_not_a_run(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such directory"):
        validate(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no mentions/ dataset"):
        validate(tmp_path / "empty")
    (tmp_path / "hollow" / "mentions" / "attribute=x").mkdir(parents=True)
    with pytest.raises(ValueError, match="no Parquet file"):
        validate(tmp_path / "hollow")
    folder = tmp_path / "odd" / "mentions" / "attribute=x"
    folder.mkdir(parents=True)
    pq.write_table(
        pa.table({"doc_id": ["d1"], "entity": ["e"], "value": ["v"]}), folder / "p.parquet"
    )
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['status'\]"):
        validate(tmp_path / "odd")
    (tmp_path / "broken" / "mentions").mkdir(parents=True)
    (tmp_path / "broken" / "mentions" / "p.parquet").write_bytes(b"not parquet")
    with pytest.raises(ValueError, match="cannot read"):
        validate(tmp_path / "broken")


def test_no_asserted_mentions(tmp_path: Path) -> None:
    run = write_run(
        tmp_path / "run", [("d1", "e", BP, "v", "negated"), ("d2", "e", BP, "v", "hedged")]
    )
    with pytest.raises(ValueError, match="no asserted mentions"):
        validate(run)


def test_a_split_with_an_empty_side(tmp_path: Path) -> None:
    # One document cannot be split: d1 hashes to 0.347 at seed 0, so it is trained on at
    # holdout 0.25 (nothing held out) and held out at holdout 0.5 (nothing to train on).
    run = write_run(tmp_path / "run", [("d1", "e", BP, "v", A)])
    with pytest.raises(ValueError, match="held-out side"):
        validate(run, holdout=0.25, seed=0)
    with pytest.raises(ValueError, match="train side"):
        validate(run, holdout=0.5, seed=0)


def test_format_validation(hand_run: Path) -> None:
    rows = validate(hand_run, holdout=HOLDOUT, seed=SEED)
    text = format_validation(rows)
    lines = text.splitlines()
    assert len(lines) == 2 + len(rows)
    assert "25% of documents held out" in lines[0] and "seed 0" in lines[0]
    assert lines[1].split()[:5] == ["scope", "unit", "key", "n_train", "n_heldout"]
    assert lines[2].split()[:6] == ["all", "mention", "fact", "11", "8", "0.3636"]
    # share, √(0.5·0.5/8) = 0.1768, cluster-robust 0.125 (test_cluster_robust_numbers)
    cells = lines[2].split("  ")
    cells = [c.strip() for c in cells if c.strip()]
    assert cells[10:13] == ["0.5000", "0.1768", "0.1250"]
    # z = (0.5 − 4/11)/0.2921 = +0.47
    assert cells[14:16] == ["+0.47", "yes"]
    death_place = [line for line in lines if line.startswith(f"attribute={DP}")]
    assert len(death_place) == 4 and all("—" in line for line in death_place)
    assert format_validation([]) == "(no rows)"


def test_cluster_robust_numbers(hand_run: Path) -> None:
    by_id = {(r.scope, r.unit, r.key): r for r in validate(hand_run, holdout=HOLDOUT, seed=SEED)}
    # all/mention/fact, held out: d5 has 5 mentions, 3 of keys absent from train (ulm, einstein's
    # birth date, sancellemoz); d6 has 3, 1 absent (tesla/paris). r = 4/8; residuals
    # 3 − 2.5 = 0.5 and 1 − 1.5 = −0.5: se = √(2/1·0.5)/8 = 0.125.
    row = by_id[("all", "mention", "fact")]
    assert row.heldout_cluster_std_error == pytest.approx(0.125)
    # the train LODO estimate: the four birth-date facts are each in one document (4 of 11)
    assert row.lodo_estimate == pytest.approx(4 / 11)
    assert row.difference_lodo == pytest.approx(0.5 - 4 / 11)
    assert row.jackknife_low is not None and row.jackknife_low <= 4 / 11 <= row.jackknife_high
    # birth_place, document unit, facts: d5 (curie/warsaw seen, ulm new) x = 2, y = 1; d6
    # (copenhagen seen, paris new) x = 2, y = 1: r = 0.5, residuals 0: se = 0.
    row = by_id[(f"attribute={BP}", "document", "fact")]
    assert row.heldout_cluster_std_error == pytest.approx(0.0)
    # death_place: one held-out document only, no standard error
    assert by_id[(f"attribute={DP}", "mention", "fact")].heldout_cluster_std_error is None


# --- simulation: documents drawn independently from a Zipf fact stream -----------------------

SIM_SEEDS = 50
SIM_DOCS = 800
SIM_FACTS = 4_000


def _synthetic_run(root: Path, seed: int) -> Path:
    """Independent documents: each holds 1 + Poisson(2) facts drawn from Zipf(1.1) over 4,000
    facts (two attributes; one fact in five is a conflicting second value of another fact's
    prompt), each fact stated 1 + Poisson(0.5) times in the document."""
    rng = np.random.default_rng(seed)
    weights = np.arange(1, SIM_FACTS + 1, dtype=float) ** -1.1
    p = weights / weights.sum()
    facts_per_doc = 1 + rng.poisson(2.0, SIM_DOCS)
    fact_ids = rng.choice(SIM_FACTS, size=int(facts_per_doc.sum()), p=p)
    doc_of = np.repeat(np.arange(SIM_DOCS), facts_per_doc)
    pairs = np.unique(np.stack([doc_of, fact_ids], axis=1), axis=0)  # a fact once per document
    repeats = 1 + rng.poisson(0.5, len(pairs))
    doc_col = np.repeat(pairs[:, 0], repeats)
    fact_col = np.repeat(pairs[:, 1], repeats)
    # fact i has value v<i>; its prompt is i, except that facts 8 and 9 (mod 10) are second
    # values for the prompts i − 2 (one per attribute); the prompt's parity sets the attribute.
    prompt = np.where(fact_col % 10 >= 8, fact_col - 2, fact_col)
    attribute = np.where(prompt % 2 == 0, BP, BD)
    for name in (BP, BD):
        keep = attribute == name
        folder = root / "mentions" / f"attribute={name}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.table(
            {
                "doc_id": [f"doc-{d}" for d in doc_col[keep]],
                "entity": [f"e{q}" for q in prompt[keep]],
                "value": [f"v{f}" for f in fact_col[keep]],
                "status": [A] * int(keep.sum()),
            }
        )
        pq.write_table(table, folder / "part-0.parquet")
    return root


def test_simulation_document_unit_interval_contains_the_heldout_share(tmp_path: Path) -> None:
    hits: dict[tuple[str, str, str], list[bool]] = {}
    esty_hits: dict[tuple[str, str, str], list[bool]] = {}
    combined_hits: dict[tuple[str, str, str], list[bool]] = {}
    gaps: dict[tuple[str, str, str], list[float]] = {}
    for seed in range(SIM_SEEDS):
        run = _synthetic_run(tmp_path / f"run-{seed}", seed)
        for row in validate(run, holdout=0.2, seed=seed):
            ident = (row.scope, row.unit, row.key)
            assert row.inside is not None and row.esty_inside is not None
            assert row.combined_inside is not None and row.difference is not None
            hits.setdefault(ident, []).append(row.inside)
            esty_hits.setdefault(ident, []).append(row.esty_inside)
            combined_hits.setdefault(ident, []).append(row.combined_inside)
            gaps.setdefault(ident, []).append(row.difference)
    for ident in sorted(hits):
        print(
            f"\n[validate] {'/'.join(ident)}: distribution-free {np.mean(hits[ident]):.2f}, "
            f"Esty {np.mean(esty_hits[ident]):.2f}, combined {np.mean(combined_hits[ident]):.2f}, "
            f"mean held-out share − N1/N {np.mean(gaps[ident]):+.4f} ({SIM_SEEDS} seeds)"
        )
    for ident, inside in hits.items():
        if ident[1] == "document":
            # the honest unit: the 95% intervals hold in at least 90% of seeds
            assert np.mean(inside) >= 0.9, ident
            assert np.mean(combined_hits[ident]) >= 0.9, ident
            assert abs(np.mean(gaps[ident])) < 0.01, ident
        else:
            # restating facts inside documents makes N1/N run low against the held-out truth
            assert np.mean(gaps[ident]) > 0.05, ident


def test_rows_are_plain_records(hand_run: Path) -> None:
    row = validate(hand_run, holdout=HOLDOUT, seed=SEED)[0]
    assert isinstance(row, ValidationRow)
    record = row.as_dict()
    assert list(record)[:5] == ["scope", "unit", "key", "n_train", "distinct_train"]
    assert {
        "estimate",
        "low",
        "high",
        "esty_low",
        "esty_high",
        "heldout_unseen_share",
        "inside",
        "esty_inside",
    } <= set(record)
    with pytest.raises(AttributeError):
        row.scope = "x"  # type: ignore[misc]
