"""The readable summary a run ends with: the estimates table, for people."""

from __future__ import annotations

import math

import pandas as pd

from singleton_rate.estimate.table import CLAIM, HEADLINE, beside_rows, headline_row

COLUMNS: tuple[tuple[str, str], ...] = (
    ("scope", "scope"),
    ("unit", "unit"),
    ("key", "key"),
    ("n", "N"),
    ("distinct", "distinct"),
    ("n1", "N1"),
    ("n2", "N2"),
    ("singleton_rate", "N1/N"),
    ("singleton_share", "N1/S"),
    ("missing_mass_ci", "missing mass [95%]†"),
    ("hallucination_floor", "floor"),
    ("hallucination_ceiling", "ceiling"),
)


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"  # Theorem 2 does not apply to this row (see theorem2_reason)
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _count(value: object) -> str:
    return f"{int(value):,}"  # type: ignore[call-overload]


def _where(row: dict[str, object]) -> str:
    return f"scope {row['scope']}, unit {row['unit']}, key {row['key']}"


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def headline_notes(row: dict[str, object]) -> list[str]:
    """The headline's |E_c| sensitivity and its "wrong together" share, as sentences (plain
    text; the report escapes them)."""
    notes = []
    if _present(row.get("error_set_effective_min")):
        sign = (
            "the floor's sign DEPENDS on this choice"
            if row.get("flag_floor_sign_depends_on_error_set")
            else "the floor's sign does not depend on it"
        )
        notes.append(
            f"|E_c| sensitivity: from the observed values K = "
            f"{float(row['error_set_effective_min']):.4g} and κ = "  # type: ignore[arg-type]
            f"{float(row['error_set_kappa']):.4f} give the floor "  # type: ignore[arg-type]
            f"{float(row['hallucination_floor_effective']):.4f} (raw "  # type: ignore[arg-type]
            f"{float(row['hallucination_floor_effective_raw']):.4f}; this project's "  # type: ignore[arg-type]
            f"extension of the proof to non-uniform answers, not the paper's); {sign}"
        )
    if _present(row.get("conflicting_prompt_share")):
        majority = row.get("majority_value_share")
        tail = (
            f", and {float(majority):.0%} of their mentions give the most-stated value"  # type: ignore[arg-type]
            if _present(majority)
            else ""
        )
        notes.append(
            f"wrong together: {float(row['conflicting_prompt_share']):.1%} of these prompts "  # type: ignore[arg-type]
            f"are stated with conflicting values{tail}; Good–Turing measures how often a "
            "prompt is stated, not whether its value is true"
        )
    return notes


def format_headline(
    estimates: pd.DataFrame,
    *,
    confidence: float = 0.95,
    theorem_confidence: float = 0.99,
    calibration_error: float = 0.0,
) -> str:
    """The number a run leads with, what it means, and the rows beside it, as plain text.

    The headline is :data:`singleton_rate.estimate.table.HEADLINE`: the singleton rate of the
    prompts (entity, attribute) of single-valued relations, one occurrence per (document,
    prompt), the only row where Theorem 2's hypotheses hold. When the floor is 0 it says from
    which N it would turn positive at this rate.
    """
    row = headline_row(estimates)
    if row is None:
        scope, unit, key = HEADLINE
        return (
            f"Headline (scope {scope}, unit {unit}, key {key}): no fact of a single-valued "
            "relation was extracted, so Theorem 2's floor has nothing to apply to; the rows "
            "below are rates without its constants."
        )
    out = [
        f"Headline: singleton rate = {row['singleton_rate']:.4f}  ({_where(row)})",
        f"  {_count(row['n1'])} prompts (entity, attribute) of single-valued relations are "
        f"stated in exactly one document, of {_count(row['n'])} (document, prompt) occurrences",
        f"  missing mass, {confidence:.0%} only if occurrences were independent: "
        f"{row['esty_low']:.4f} to {row['esty_high']:.4f} "
        f"(Esty-type score interval), {row['missing_mass_low']:.4f} to "
        f"{row['missing_mass_high']:.4f} (distribution-free); both assume independent "
        "occurrences",
    ]
    jk_low, jk_high = row.get("jackknife_low"), row.get("jackknife_high")
    if jk_low is not None and jk_high is not None and not pd.isna(jk_low):
        deff = row.get("design_effect")
        d_text = "n/a" if deff is None or pd.isna(deff) else f"{float(deff):.2f}"
        n_eff = float(row["n_effective"])  # type: ignore[arg-type]
        out.append(
            f"  cluster-robust {confidence:.0%} (documents as the independent units, "
            f"delete-a-group jackknife over {int(row['jackknife_groups'])} document groups): "
            f"{float(jk_low):.4f} to {float(jk_high):.4f}; design effect {d_text}, "
            f"effective N {n_eff:,.0f}"
        )
    terms = (
        f"2/min|E_c| = {row['floor_term_error_set']:.4f} "
        f"(min|E_c| = {_count(row['error_set_min'])}), "
        f"sampling {row['floor_term_sampling']:.4f}, δ = {row['floor_term_calibration']:g}"
    )
    floor = float(row["hallucination_floor"])  # type: ignore[arg-type]
    if floor > 0:
        out.append(
            f"  Theorem 2 floor at {theorem_confidence:.0%}: {floor:.4f} "
            f"(N1/N minus {terms}); ceiling {row['hallucination_ceiling']:.4f}"
        )
    else:
        from_n = float(row["floor_informative_from_n"])  # type: ignore[arg-type]
        when = (
            f"it would turn positive from N ≈ {from_n:,.0f} occurrences at this rate"
            if math.isfinite(from_n)
            else "no corpus size makes it positive at this rate (the error-set and δ terms "
            "alone exceed it)"
        )
        out.append(
            f"  Theorem 2 floor at {theorem_confidence:.0%}: 0, uninformative: its terms "
            f"({terms}) exceed N1/N at N = {_count(row['n'])}; {when}; ceiling "
            f"{row['hallucination_ceiling']:.4f}"
        )
    floor_neff = row.get("hallucination_floor_neff")
    if floor_neff is not None and not pd.isna(floor_neff):
        out.append(
            f"  with the sampling term at the effective N "
            f"({float(row['floor_term_sampling_neff']):.4f}): floor "
            f"{float(floor_neff):.4f}"
        )
    out.extend(f"  {line}" for line in headline_notes(row))
    out.append("  " + CLAIM.format(delta=calibration_error, confidence=theorem_confidence))
    beside = beside_rows(estimates)
    if beside:
        out.append("Beside it (other questions, no Theorem 2 floor unless stated):")
        for r in beside:
            name = r["rate_name"]
            floor_note = "" if r["theorem2_applies"] else "; Theorem 2 does not apply"
            out.append(f"  {name} = {r['singleton_rate']:.4f}  ({_where(r)}{floor_note})")
    return "\n".join(out)


MAX_SOURCE_SCOPES = 8


def format_estimates(estimates: pd.DataFrame, *, confidence: float = 0.95) -> str:
    """A fixed-width table of the estimates, one row per (scope, unit, key).

    With many sources, only the first few source scopes are printed (all are in the table).
    """
    if estimates.empty or (estimates["n"] == 0).all():
        return (
            "N = 0: no facts were extracted, so there is nothing to estimate (the estimates "
            "table says N = 0, its rates and bounds null)"
        )
    df = estimates.copy()
    is_source = df["scope"].str.startswith("source=")
    sources = sorted(df.loc[is_source, "scope"].unique())
    hidden = sources[MAX_SOURCE_SCOPES:]
    df = df[~df["scope"].isin(hidden)]
    # The interval printed as 95% is the one that holds when documents cluster: the
    # jackknife over documents around the leave-one-document-out rate (README, "When
    # documents cluster"); rows without it (source scopes) fall back to the distribution-free
    # interval around N1/N, marked "*" as valid only for independent occurrences.
    has_jk = "jackknife_low" in df
    cells = []
    for r in df.to_dict("records"):
        if has_jk and _present(r.get("jackknife_low")):
            cells.append(
                f"{r['lodo_rate']:.4f} [{r['jackknife_low']:.4f}, {r['jackknife_high']:.4f}]"
            )
        else:
            cells.append(
                f"{r['missing_mass']:.4f} [{r['missing_mass_low']:.4f}, "
                f"{r['missing_mass_high']:.4f}]*"
            )
    df["missing_mass_ci"] = cells
    header = [label.replace("95%", f"{confidence:.0%}") for _, label in COLUMNS]
    rows = [[_fmt(r[col]) for col, _ in COLUMNS] for r in df.to_dict("records")]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    numeric = {i for i, (col, _) in enumerate(COLUMNS) if col not in ("scope", "unit", "key")}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [line(header), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    if hidden:
        out.append(f"… and {len(hidden)} more source scopes: query the estimates table for them.")
    out.append(
        "† the leave-one-document-out rate (= N1/N at the document unit) with the jackknife "
        "over documents, the interval that holds when documents cluster; * the "
        "distribution-free interval around N1/N, valid only for independent occurrences."
    )
    applies = df["theorem2_applies"].astype(bool) if "theorem2_applies" in df else None
    flagged = df[df["flag_floor_uninformative"].astype("boolean").fillna(False).astype(bool)]
    n_applies = int(applies.sum()) if applies is not None else len(df)
    if len(flagged):
        out.append("")
        out.append(
            f"floor = 0 (uninformative) in {len(flagged)} of {n_applies} rows where Theorem 2 "
            "applies: its correction terms exceed the singleton rate at this N (see "
            "hallucination_floor_raw and the headline's informative-from N)."
        )
    if applies is not None and (~applies).any():
        out.append(
            f"floor n/a in {int((~applies).sum())} rows: Theorem 2 counts singleton prompts of "
            "relations with one correct value; fact-key rows are monofact rates and scopes "
            "with multi-valued relations have no floor (see theorem2_reason)."
        )
    return "\n".join(out)
