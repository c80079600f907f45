"""The run folder's contract against what documents it (the README) and what writes it.

The README's run-folder table and its estimates column table must name exactly the contract's
tables and columns; the estimate stage's frames must have the contract's schemas; a real run
folder must hold them (Spark, on the shared sample run).
"""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from singleton_rate import contract
from singleton_rate.config import RunConfig
from singleton_rate.contract import (
    CATALOG,
    ESTIMATES,
    MANIFEST,
    OPTIONAL_TABLES,
    PARTITIONED,
    SCHEMAS,
    TABLES,
)

README = Path(__file__).resolve().parent.parent / "README.md"
IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
# Values of extrapolation's missing_mass_method that the README names in backticks beside the
# columns: words, not columns.
VALUE_WORDS = {"rarefaction", "observed", "chao_jost", "none"}


def _table_after(text: str, marker: str) -> list[list[str]]:
    """The cells of the first Markdown table after the line starting with ``marker``."""
    lines = text[text.index(marker) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2 :]:  # after the header and the |---| line
        if not line.startswith("|"):
            break
        # cells split on unescaped pipes (\| is |E_c| inside a cell)
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return rows


def _ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _expand(tokens: list[str]) -> list[str]:
    """Column names from backticked text: ``x_low``/``_high`` and ``x(_raw)`` shorthands."""
    out: list[str] = []
    for token in tokens:
        if token.startswith("_") and out:  # `predicted_floor_low`/`_high`
            out.append(out[-1].rpartition("_")[0] + token)
        elif m := re.fullmatch(r"([a-z0-9_]+)\((_[a-z0-9_]+)\)", token):
            out += [m[1], m[1] + m[2]]
        else:
            out.append(token)
    return out


def readme_tables() -> dict[str, tuple[set[str], set[str]]]:
    """Per table of the README's run-folder table: (columns named, backticked identifiers)."""
    out = {}
    for name_cell, per_cell, columns_cell in _table_after(
        README.read_text("utf-8"), "### The run folder"
    ):
        name, *partition = _ticked(name_cell)
        keys = []
        for item in per_cell.strip("()").split(","):
            item = item.strip()
            keys += [item] if IDENT.match(item) else _ticked(item)
        ticked = [t for t in _expand(_ticked(columns_cell)) if IDENT.match(t)]
        named = set(partition) | set(keys) | set(ticked)
        out[name.rstrip("/")] = (named, set(ticked))
    return out


def test_readme_lists_every_table_of_the_contract() -> None:
    listed = set(readme_tables())
    expected = {*TABLES, *OPTIONAL_TABLES, CATALOG, MANIFEST}
    assert listed == expected, (
        f"README run-folder table: missing {sorted(expected - listed)}, "
        f"not in the contract {sorted(listed - expected)}"
    )


@pytest.mark.parametrize("table", sorted(set(SCHEMAS) - {ESTIMATES}))
def test_readme_columns_are_the_contract_columns(table: str) -> None:
    named, ticked = readme_tables()[table]
    columns = set(SCHEMAS[table].names)
    assert columns <= named, f"README row {table}/ lacks {sorted(columns - named)}"
    stray = ticked - columns - VALUE_WORDS
    assert not stray, f"README row {table}/ names {sorted(stray)}, not columns of the contract"


def test_readme_partitions_are_the_contract_partitions() -> None:
    for name, (named, _) in readme_tables().items():
        row = next(
            r for r in _table_after(README.read_text(), "### The run folder") if name in r[0]
        )
        partition = _ticked(row[0])[1:]
        assert partition == ([PARTITIONED[name]] if name in PARTITIONED else []), name
        assert not partition or partition[0] in named


def test_readme_estimates_columns_are_the_contract_columns() -> None:
    text = README.read_text("utf-8")
    section = text[text.index("### What the numbers mean") :]
    rows = _table_after(section, "Columns (formulas:")
    section = section[: section.index(rows[-1][-1]) + len(rows[-1][-1])]
    # every backticked name in the section (prose and both cells) may document a column ...
    documented = set(_expand([t.split(" ")[0] for t in _ticked(section)]))
    # ... and the first cells name them, some as prefixes (`flag_*`, `chao1*`)
    first = _expand([t for row in rows for t in _ticked(row[0])])
    prefixes = [t.rstrip("*") for t in first if t.endswith("*")]
    columns = set(SCHEMAS[ESTIMATES].names) - {"scope", "unit", "key"}
    missing = {
        c for c in columns if c not in documented and not any(c.startswith(p) for p in prefixes)
    }
    assert not missing, f"README estimates columns lack {sorted(missing)}"
    stray = [
        t
        for t in first
        if not (t.endswith("*") and any(c.startswith(t.rstrip("*")) for c in columns))
        and t not in columns
    ]
    assert not stray, f"README estimates table names {stray}, not columns of the contract"


def test_the_check_would_catch_a_drift(monkeypatch: pytest.MonkeyPatch) -> None:
    """A column added to the contract but not to the README fails the check."""
    wider = SCHEMAS["rejects"].append(pa.field("new_column", pa.string()))
    monkeypatch.setitem(SCHEMAS, "rejects", wider)
    with pytest.raises(AssertionError, match="lacks \\['new_column'\\]"):
        test_readme_columns_are_the_contract_columns("rejects")


def _estimate_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The estimate stage's tables on a small hand-made count (no Spark)."""
    from singleton_rate.estimate.errorset import attribute_error_set
    from singleton_rate.estimate.table import (
        Relations,
        add_cluster_columns,
        add_conflicts,
        estimates_frame,
        scope_attributes,
    )
    from singleton_rate.extract.catalog import load_catalog

    relations = Relations.of(load_catalog(()).relations)
    attr = sorted(relations.single_valued)[0]
    fof = pd.DataFrame(
        [
            {"scope": s, "unit": u, "key": k, "r": r, "n_r": n}
            for s in ("all", "single_valued", f"attribute={attr}")
            for u in ("mention", "document")
            for k in ("fact", "prompt")
            for r, n in ((1, 30), (2, 8), (3, 4), (5, 1))
        ]
    )
    sizes = {attr: attribute_error_set(attr, "date", ["1900", "1901"], [3, 1])}
    spans = scope_attributes(sorted(fof["scope"].unique()), sizes, relations)
    config = RunConfig()
    estimates, extrapolation = estimates_frame(
        fof,
        sizes=sizes,
        spans=spans,
        relations=relations,
        confidence=config.confidence,
        theorem_confidence=config.theorem_confidence,
        calibration_error=config.calibration_error,
    )
    conflicts = pd.DataFrame(
        [
            {
                "attribute": attr,
                "prompts": 40,
                "conflicting": 2,
                "majority_mentions": 3,
                "conflicting_mentions": 5,
            }
        ]
    )
    estimates = add_conflicts(estimates, conflicts, spans)
    groups = pd.DataFrame(
        [
            {
                "scope": s,
                "unit": u,
                "key": k,
                "group": g,
                "n_g": 4,
                "lodo_delta": -1,
                "n_minus": 56,
                "lodo_minus": 29,
            }
            for s in ("all", "single_valued", f"attribute={attr}")
            for u in ("mention", "document")
            for k in ("fact", "prompt")
            for g in range(5)
        ]
    )
    estimates = add_cluster_columns(
        estimates,
        groups,
        confidence=config.confidence,
        theorem_confidence=config.theorem_confidence,
        calibration_error=config.calibration_error,
    )
    return estimates, extrapolation


def _arrow_schema(frame: pd.DataFrame) -> pa.Schema:
    return pa.Table.from_pandas(frame, preserve_index=False).schema


def test_the_estimate_stage_writes_the_contract_schemas() -> None:
    estimates, extrapolation = _estimate_frames()
    for name, frame in (("estimates", estimates), ("extrapolation", extrapolation)):
        got = _arrow_schema(frame)
        want = SCHEMAS[name]
        assert got.names == want.names, name
        # a column null throughout these rows has no type of its own
        wrong = [
            f.name
            for f in got
            if not pa.types.is_null(f.type) and f.type != want.field(f.name).type
        ]
        assert not wrong, f"{name}: {wrong} typed unlike the contract"


def test_a_run_without_facts_writes_the_contract_schemas() -> None:
    from singleton_rate.estimate.stage import empty_estimates
    from singleton_rate.estimate.table import Relations
    from singleton_rate.extract.catalog import load_catalog

    est, ext = empty_estimates(RunConfig(), Relations.of(load_catalog(()).relations))
    assert est.schema.names == SCHEMAS["estimates"].names
    assert ext.schema.equals(SCHEMAS["extrapolation"])


def test_the_error_sets_table_has_the_contract_columns() -> None:
    from singleton_rate.estimate.errorset import attribute_error_set

    row = attribute_error_set("birth_date", "date", ["1900", "1901"], [3, 1]).as_row()
    table = pa.Table.from_pylist([row], schema=SCHEMAS["error_sets"])
    assert table.column_names == list(row)


def test_the_manifest_is_built_in_the_contract_order() -> None:
    import datetime as dt
    from types import SimpleNamespace

    from singleton_rate.estimate.errorset import attribute_error_set

    file = SimpleNamespace(
        name="a.jsonl", path="/a.jsonl", format="jsonl", compression=None, size=10, mtime=1.0
    )
    per_file = [dict.fromkeys(contract.DOCUMENT_COUNTS, 2)]
    kwargs = dict(
        run_id="r",
        started=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        command=["singletons", "run"],
        files=[file],
        config=RunConfig().to_dict(),
        catalog={"fingerprint": "f"},
        versions={"python": "3"},
        spark={},
        per_file=per_file,
        statuses={"asserted": 3},
        error_sets={"birth_date": attribute_error_set("birth_date", "date", ["1900"], [1])},
        estimates_note=None,
        timings={"count": 1.0},
    )
    fields = list(contract.Manifest.__annotations__)
    without = contract.build_manifest(**kwargs)
    assert list(without) == [f for f in fields if f != "code_version"]
    assert without["documents"] == dict.fromkeys(contract.DOCUMENT_COUNTS, 2)
    assert without["input_bytes"] == 10
    assert list(contract.build_manifest(**kwargs, code_version="git:abc")) == fields


def test_the_manifest_round_trips(tmp_path: Path) -> None:
    manifest = {"run_id": "x", "config": {"rare_max": 7, "confidence": 0.9}, "n": [1, 2]}
    contract.write_manifest(tmp_path, manifest)
    assert contract.read_manifest(tmp_path) == manifest
    assert contract.settings_of(contract.read_manifest(tmp_path)) == contract.RunSettings(7, 0.9)
    assert contract.settings_of({}) == contract.RunSettings()  # a manifest older than both


@pytest.mark.parametrize(
    "module",
    ["singleton_rate.contract.tables", "singleton_rate.contract.groups", "singleton_rate.sqltext"],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0, module


@pytest.mark.spark
def test_a_run_folder_holds_the_contract(sample_run: Path) -> None:
    for name, schema in SCHEMAS.items():
        if name in OPTIONAL_TABLES and not (sample_run / name).is_dir():
            continue
        dataset = ds.dataset(sample_run / name, format="parquet", partitioning="hive")
        got = pa.schema(f for f in dataset.schema if not f.name.startswith("__"))
        assert got.names == schema.names, name
        wrong = [f.name for f in got if f.type != schema.field(f.name).type]
        assert not wrong, f"{name}: {wrong} typed unlike the contract"
    manifest = contract.read_manifest(sample_run)
    fields = list(contract.Manifest.__annotations__)
    assert list(manifest) == [k for k in fields if k in manifest]  # in the contract's order
    assert set(fields) - set(manifest) <= {"code_version"}  # recorded when the run knows it
