"""Held-out validation of the Good–Turing missing-mass estimate on a run folder.

Split the run's DOCUMENTS into train and held-out, estimate the missing mass of the train
sample from its frequency-of-frequencies table, and compare with what the held-out documents
actually show: the share of held-out occurrences whose key never occurs in train.

Everything that touches mentions runs in DuckDB over the run's ``mentions/`` Parquet dataset;
only the frequency-of-frequencies rows (a few hundred) and a handful of counts per scope reach
Python, so this scales with DuckDB, not with the interpreter.

The split
---------
A document is held out when

``int(md5(f"{seed}:{doc_id}")[:16], 16) < floor(holdout · 2⁶⁴)``

that is, when the first 16 hex digits of the MD5 of the UTF-8 string ``"<seed>:<doc_id>"``,
read as an unsigned 64-bit integer, fall below ``holdout`` of the 64-bit range. MD5 is the
same in every engine and on every machine, so the split is stable across runs, machines and
DuckDB versions, and :func:`split_of` reproduces it in Python. A mention with a null
``doc_id`` is treated as belonging to the document ``""``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from singleton_rate.contract import ALL, COUNTED_STATUS, UNITS, Key, Unit
from singleton_rate.contract import KEY_COLUMNS as KEYS
from singleton_rate.estimate import FreqOfFreq, esty_interval, missing_mass_interval
from singleton_rate.estimate._checks import confidence_level, whole_number
from singleton_rate.estimate.cluster import (
    cluster_estimates,
    heldout_cluster_std_error,
    heldout_share_interval,
)

REQUIRED_COLUMNS = ("doc_id", "entity", "attribute", "value", "status")
_HASH_HEX_DIGITS = 16
_HASH_RANGE = 2**64


# --------------------------------------------------------------------------------------------
# The split
# --------------------------------------------------------------------------------------------


def _check_holdout(holdout: float) -> float:
    try:
        share = float(holdout)
    except (TypeError, ValueError):
        raise ValueError(f"holdout must be a number in (0, 1), got {holdout!r}") from None
    if not 0.0 < share < 1.0:
        raise ValueError(f"holdout must lie strictly between 0 and 1, got {holdout!r}")
    return share


def _check_seed(seed: int) -> int:
    return whole_number(seed, "seed")


def split_threshold(holdout: float) -> int:
    """``floor(holdout · 2⁶⁴)``: a document is held out when its hash falls below this."""
    return int(_check_holdout(holdout) * _HASH_RANGE)


def split_hash(doc_id: str | None, seed: int = 0) -> int:
    """The 64-bit split hash: the first 16 hex digits of ``md5("<seed>:<doc_id>")`` as an int."""
    text = f"{_check_seed(seed)}:{'' if doc_id is None else doc_id}"
    return int(hashlib.md5(text.encode("utf-8")).hexdigest()[:_HASH_HEX_DIGITS], 16)


def split_of(
    doc_id: str | None, *, holdout: float = 0.2, seed: int = 0
) -> Literal["train", "heldout"]:
    """Which side of the split a document falls on (the same rule the SQL applies)."""
    return "heldout" if split_hash(doc_id, seed) < split_threshold(holdout) else "train"


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValidationRow:
    """One (scope, unit, key): the train estimate, its intervals, and the held-out truth.

    Attributes
    ----------
    scope, unit, key
        ``"all"`` or ``"attribute=NAME"``; ``"mention"`` or ``"document"``; ``"fact"`` or
        ``"prompt"`` (as in the run's ``estimates`` table).
    n_train, distinct_train
        Train occurrences ``N`` and distinct train keys.
    n_heldout, heldout_unseen
        Held-out occurrences, and how many of them have a key absent from train.
    estimate, low, high
        ``N1/N`` on train with the distribution-free interval (McAllester & Ortiz 2003; Kalai
        et al. 2025, Corollary 3). ``None`` when train has no occurrence in this scope.
    esty_low, esty_high
        The score form of Esty's interval on train: this project's Wilson-type inversion
        of Esty's (1983) pivot (``singleton_rate.estimate.esty_interval(method="score")``), not
        Esty's own normal interval; i.i.d. occurrences assumed.
    heldout_unseen_share
        ``heldout_unseen / n_heldout``: the held-out estimate of the train missing mass
        (``None`` without held-out occurrences).
    heldout_std_error
        ``√(share·(1 − share)/n_heldout)``: the binomial standard error of that share, valid
        when held-out occurrences are independent draws (a guide to how noisy the truth is).
    heldout_cluster_std_error
        The cluster-robust standard error of the same share with held-out documents as the
        independent units (:func:`singleton_rate.estimate.cluster.heldout_cluster_std_error`):
        ``√(h/(h − 1)·Σ_d (y_d − share·x_d)²)/Σ_d x_d``. Occurrences of one document are
        correlated (one entity, repeated facts), so the binomial one is too small on real
        corpora; this one is not (coverage in ``bench/cluster_coverage.md``).
    heldout_low, heldout_high
        A ``confidence`` interval for the train missing mass from the held-out side alone:
        the score (Wilson-type) interval of the share at the design effect of
        ``heldout_cluster_std_error``
        (:func:`singleton_rate.estimate.cluster.heldout_share_interval`); ``share ± z·se`` is not
        used because it under-covers when few held-out occurrences are unseen.
    inside, esty_inside
        Whether ``heldout_unseen_share`` lies in ``[low, high]`` / ``[esty_low, esty_high]``
        (``None`` when either side is missing).
    difference
        ``heldout_unseen_share − estimate``.
    combined_std_error
        ``√(s_Esty² + heldout_std_error²)``: the standard error of ``difference`` when train
        and held-out are independent, ``s_Esty`` being Esty's (unclipped) standard error of
        ``N1/N − M0`` on train.
    combined_inside
        ``|difference| ≤ z·combined_std_error`` (``z`` the normal quantile of
        ``confidence``): whether the estimate and the held-out truth agree within BOTH
        sampling errors. This is the calibration check for Esty's interval; ``esty_inside``
        ignores the held-out noise and so fails more often than its level says.
    lodo_estimate, jackknife_low, jackknife_high
        The train sample's leave-one-document-out estimate ``Y/N`` (``= N1/N`` at the
        document unit) and its delete-a-group jackknife interval over documents
        (:mod:`singleton_rate.estimate.cluster`), the cluster-robust counterparts of ``estimate``
        and Esty's interval.
    difference_lodo, combined_std_error_cluster, combined_inside_cluster
        ``heldout_unseen_share − lodo_estimate``, ``√(s_J² + heldout_cluster_std_error²)``
        (``s_J`` the jackknife standard error on train) and whether
        ``|difference_lodo| ≤ z·combined_std_error_cluster``: the same check with documents
        as the independent units on both sides.
    confidence, holdout, seed
        The settings that produced the row.
    """

    scope: str
    unit: Unit
    key: Key
    n_train: int
    distinct_train: int
    n_heldout: int
    heldout_unseen: int
    estimate: float | None
    low: float | None
    high: float | None
    esty_low: float | None
    esty_high: float | None
    heldout_unseen_share: float | None
    heldout_std_error: float | None
    inside: bool | None
    esty_inside: bool | None
    difference: float | None
    combined_std_error: float | None
    combined_inside: bool | None
    confidence: float
    holdout: float
    seed: int
    heldout_cluster_std_error: float | None = None
    heldout_low: float | None = None
    heldout_high: float | None = None
    lodo_estimate: float | None = None
    jackknife_low: float | None = None
    jackknife_high: float | None = None
    difference_lodo: float | None = None
    combined_std_error_cluster: float | None = None
    combined_inside_cluster: bool | None = None

    def as_dict(self) -> dict[str, str | int | float | bool | None]:
        """The fields in declaration order, as a plain dict (one table row)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


# --------------------------------------------------------------------------------------------
# SQL
# --------------------------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _mentions_glob(run: Path) -> str:
    if not run.is_dir():
        raise ValueError(f"{run}: not a run folder (no such directory)")
    mentions = run / "mentions"
    if not mentions.is_dir():
        raise ValueError(f"{run}: not a run folder (it has no mentions/ dataset)")
    if not any(p.is_file() for p in mentions.rglob("*.parquet")):
        raise ValueError(f"{run}: not a run folder (mentions/ holds no Parquet file)")
    return str(mentions / "**" / "*.parquet")


def _open(glob: str, run: Path, holdout: float, seed: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    source = (
        f"read_parquet({_sql_string(glob)}, hive_partitioning = true, hive_types_autocast = false)"
    )
    try:
        columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    except duckdb.Error as exc:
        con.close()
        raise ValueError(f"{run}: cannot read mentions/: {exc}") from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        con.close()
        raise ValueError(
            f"{run}: not a run folder (mentions/ lacks column(s) {missing}; "
            "attribute comes from the attribute=NAME folders)"
        )
    # The split, in SQL: the same rule as split_hash/split_threshold. Only integers and an
    # escaped path are interpolated.
    con.execute(
        f"""
        CREATE TEMP VIEW asserted AS
        SELECT
            coalesce(CAST(doc_id AS VARCHAR), '') AS doc_id,
            CAST(attribute AS VARCHAR) AS attribute,
            entity,
            value,
            ('0x' || substr(md5('{seed}:' || coalesce(CAST(doc_id AS VARCHAR), '')), 1,
                {_HASH_HEX_DIGITS}))::UBIGINT < {split_threshold(holdout)}::UBIGINT AS heldout
        FROM {source}
        WHERE status = '{COUNTED_STATUS}'
        """
    )
    return con


HeldSums = tuple[int, int, int, int, int, int]
"""Held-out per-document sums ``(h, Σx, Σy, Σx², Σy², Σxy)``: ``x_d`` a held-out document's
occurrences, ``y_d`` those whose key is absent from train."""
TrainGroups = tuple[int, dict[int, tuple[int, int]]]
"""Train ``(Y, {group: (n_g, Y^(−g) − Y)})``: the document-group sums of the count stage
(:func:`singleton_rate.tally.groups_sql`), on the train documents."""


@dataclass(frozen=True, slots=True)
class Gathered:
    """What :func:`_gather` reads for one key kind, per (attribute, unit) and for ``all``."""

    fof: dict[tuple[str, Unit], dict[int, int]]
    heldout: dict[tuple[str, Unit], tuple[int, int]]
    held_sums: dict[tuple[str, Unit], HeldSums]  # scope "all" under attribute ""
    train_groups: dict[tuple[str, Unit], TrainGroups]


def _gather(con: duckdb.DuckDBPyConnection, key: Key) -> Gathered:
    """Per (attribute, unit): the train fof ``{r: N_r}``, held-out ``(n, unseen)``, the
    held-out per-document sums and the train document-group sums."""
    from singleton_rate.contract import group_sql
    from singleton_rate.tally import groups_sql

    cols = KEYS[key]
    select_cols = ", ".join(("attribute", *cols))
    match = " AND ".join(
        ["h.attribute = t.attribute", *(f"h.{c} IS NOT DISTINCT FROM t.{c}" for c in cols)]
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE train_keys AS
        SELECT {select_cols},
               count(*) AS mention_count,
               count(DISTINCT doc_id) AS doc_count
        FROM asserted
        WHERE NOT heldout
        GROUP BY ALL
        """
    )
    fof: dict[tuple[str, Unit], dict[int, int]] = {}
    for attribute, unit, r, n_r in con.execute(
        """
        SELECT attribute, 'mention' AS unit, mention_count AS r, count(*) AS n_r
        FROM train_keys GROUP BY ALL
        UNION ALL
        SELECT attribute, 'document' AS unit, doc_count AS r, count(*) AS n_r
        FROM train_keys GROUP BY ALL
        """
    ).fetchall():
        fof.setdefault((attribute, unit), {})[int(r)] = int(n_r)
    heldout: dict[tuple[str, Unit], tuple[int, int]] = {}
    held_sums: dict[tuple[str, Unit], HeldSums] = {}
    occurrences: dict[Unit, str] = {
        # Each held-out mention is an occurrence …
        "mention": f"SELECT doc_id, {select_cols} FROM asserted WHERE heldout",
        # … or each distinct (held-out document, key) pair.
        "document": f"SELECT DISTINCT doc_id, {select_cols} FROM asserted WHERE heldout",
    }
    sums = (
        "count(*), sum(x)::BIGINT, sum(y)::BIGINT, sum(x * x)::BIGINT, sum(y * y)::BIGINT, "
        "sum(x * y)::BIGINT"
    )
    for unit, occurrence_sql in occurrences.items():
        # x_d, y_d per (attribute, held-out document): the cluster-robust standard error
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE held_docs AS
            SELECT h.attribute, h.doc_id, count(*) AS x,
                   count(*) FILTER (WHERE t.mention_count IS NULL) AS y
            FROM ({occurrence_sql}) AS h
            LEFT JOIN train_keys AS t ON {match}
            GROUP BY h.attribute, h.doc_id
            """
        )
        for attribute, n, unseen in con.execute(
            "SELECT attribute, sum(x), sum(y) FROM held_docs GROUP BY attribute"
        ).fetchall():
            heldout[(attribute, unit)] = (int(n), int(unseen))
        for attribute, *vals in con.execute(
            f"SELECT attribute, {sums} FROM held_docs GROUP BY attribute"
        ).fetchall():
            held_sums[(attribute, unit)] = tuple(int(v) for v in vals)  # type: ignore[assignment]
        row = con.execute(
            f"SELECT {sums} FROM (SELECT doc_id, sum(x) AS x, sum(y) AS y FROM held_docs "
            "GROUP BY doc_id)"
        ).fetchone()
        if row is not None and row[0]:
            held_sums[("", unit)] = tuple(int(v) for v in row)  # type: ignore[assignment]
    # The train side's document-group sums, with the count stage's own SQL.
    docs, table = ("fact_docs", "facts") if key == "fact" else ("prompt_docs", "prompts")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {docs} AS
        SELECT {select_cols}, doc_id, {group_sql("doc_id")} AS g, count(*) AS m
        FROM asserted WHERE NOT heldout
        GROUP BY ALL
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT {select_cols}, sum(m)::BIGINT AS mention_count, count(*)::BIGINT AS doc_count
        FROM {docs} GROUP BY ALL
        """
    )
    train_groups: dict[tuple[str, Unit], TrainGroups] = {}
    for attribute, lodo_m, lodo_d in con.execute(
        f"""
        SELECT attribute, sum(mention_count) FILTER (WHERE doc_count = 1),
               count(*) FILTER (WHERE doc_count = 1)
        FROM {table} GROUP BY attribute
        """
    ).fetchall():
        train_groups[(attribute, "mention")] = (int(lodo_m or 0), {})
        train_groups[(attribute, "document")] = (int(lodo_d or 0), {})
    for scope, unit, _, group, n_g, delta in con.execute(groups_sql(key)).fetchall():
        attribute = scope.removeprefix("attribute=")
        train_groups[(attribute, unit)][1][int(group)] = (int(n_g), int(delta))
    return Gathered(fof, heldout, held_sums, train_groups)


def _row(
    scope: str,
    unit: Unit,
    key: Key,
    table: dict[int, int],
    heldout: tuple[int, int],
    *,
    confidence: float,
    holdout: float,
    seed: int,
    held_sums: HeldSums | None = None,
    train_groups: TrainGroups | None = None,
) -> ValidationRow:
    n_heldout, unseen = heldout
    share = unseen / n_heldout if n_heldout else None
    std_error = math.sqrt(share * (1.0 - share) / n_heldout) if share is not None else None
    estimate = low = high = e_low = e_high = difference = combined = None
    inside = esty_inside = combined_inside = None
    n_train = distinct_train = 0
    if table:
        fof = FreqOfFreq.from_pairs(table)
        n_train, distinct_train = fof.n, fof.distinct
        free = missing_mass_interval(fof, confidence)
        esty = esty_interval(fof, confidence, method="score")
        estimate, low, high, e_low, e_high = free.estimate, free.low, free.high, esty.low, esty.high
        if share is not None and std_error is not None:
            inside = low <= share <= high
            esty_inside = e_low <= share <= e_high
            difference = share - estimate
            combined = math.hypot(esty.std_error, std_error)
            combined_inside = abs(difference) <= esty.z * combined
    cluster_se = heldout_cluster_std_error(*held_sums) if held_sums is not None else None
    held_interval = (
        heldout_share_interval(*held_sums, confidence=confidence) if held_sums is not None else None
    )
    lodo = jk_low = jk_high = diff_lodo = combined_cluster = None
    inside_cluster = None
    if table and train_groups is not None:
        y, unordered = train_groups
        # In group order: the groups come from unordered SQL, and a float sum in another
        # order differs in the last bit, so two identical calls would not compare equal.
        per_group = dict(sorted(unordered.items()))
        if sum(n for n, _ in per_group.values()) == n_train:
            ce = cluster_estimates(
                n=n_train,
                n1=fof.f1,
                n2=fof.f2,
                lodo=y,
                n_minus=[n_train - n for n, _ in per_group.values()],
                lodo_minus=[y + d for _, d in per_group.values()],
                confidence=confidence,
            )
            lodo, jk_low, jk_high = ce.lodo_rate, ce.jackknife_low, ce.jackknife_high
            if (
                share is not None
                and cluster_se is not None
                and not math.isnan(ce.jackknife_std_error)
            ):
                diff_lodo = share - lodo
                combined_cluster = math.hypot(ce.jackknife_std_error, cluster_se)
                z = esty_interval(fof, confidence).z
                inside_cluster = abs(diff_lodo) <= z * combined_cluster
    return ValidationRow(
        scope=scope,
        unit=unit,
        key=key,
        n_train=n_train,
        distinct_train=distinct_train,
        n_heldout=n_heldout,
        heldout_unseen=unseen,
        estimate=estimate,
        low=low,
        high=high,
        esty_low=e_low,
        esty_high=e_high,
        heldout_unseen_share=share,
        heldout_std_error=std_error,
        inside=inside,
        esty_inside=esty_inside,
        difference=difference,
        combined_std_error=combined,
        combined_inside=combined_inside,
        confidence=confidence,
        holdout=holdout,
        seed=seed,
        heldout_cluster_std_error=cluster_se,
        heldout_low=None if held_interval is None else held_interval[0],
        heldout_high=None if held_interval is None else held_interval[1],
        lodo_estimate=lodo,
        jackknife_low=jk_low,
        jackknife_high=jk_high,
        difference_lodo=diff_lodo,
        combined_std_error_cluster=combined_cluster,
        combined_inside_cluster=inside_cluster,
    )


# --------------------------------------------------------------------------------------------
# The entry points
# --------------------------------------------------------------------------------------------


def validate(
    run: str | Path, *, holdout: float = 0.2, seed: int = 0, confidence: float = 0.95
) -> list[ValidationRow]:
    """Held-out check of the Good–Turing missing mass, per scope, count unit and key.

    Parameters
    ----------
    run
        A run folder: it must hold a ``mentions/`` Parquet dataset partitioned by
        ``attribute`` (``attribute=NAME/`` folders) with columns ``doc_id``, ``entity``,
        ``value`` and ``status``. Only ``status = 'asserted'`` mentions count.
    holdout
        The share of documents held out, strictly between 0 and 1.
    seed
        A whole number selecting the split (see the module docstring for the hash).
    confidence
        The level of both intervals.

    Returns
    -------
    list[ValidationRow]
        For each scope (``all``, then ``attribute=NAME`` in name order), each key (``fact``:
        (entity, attribute, value); ``prompt``: (entity, attribute)) and each unit
        (``mention``, ``document``): the train estimate ``N1/N`` with its distribution-free
        and Esty intervals, and the held-out unseen share.

    Raises
    ------
    ValueError
        For ``holdout`` or ``confidence`` outside ``(0, 1)``, a seed that is not a whole
        number, a folder that is not a run (missing, no ``mentions/`` Parquet, missing
        columns), no asserted mention, or a split that leaves either side without documents.

    Notes
    -----
    **What is compared.** Good–Turing on train estimates the missing mass ``M0`` of the train
    sample: the probability that the NEXT occurrence has a key train never saw. The held-out
    documents are not one next draw but many, about ``holdout/(1 − holdout)·N_train``
    occurrences. Each held-out occurrence, though, is (if occurrences are i.i.d.) a fresh draw
    from the same distribution, independent of train; the indicator "its key is absent from
    train" has conditional mean exactly ``M0``. So the share of held-out occurrences whose key
    never appears in train is an unbiased estimate of ``M0`` itself: the right quantity to
    compare with the train estimate, and it needs no correction for the held-out sample size
    (a key new to train counts every time it recurs in held-out, as a next draw would).

    **Which unit to trust.** Independence is what breaks. A document that states a fact three
    times contributes three correlated held-out mentions (and three train mentions, turning a
    would-be singleton into a tripleton), so for the mention unit both the estimate and the
    truth are distorted: ``N1/N`` runs low and the held-out share high. Splitting by document
    keeps every repeat on one side, and the document unit counts a (document, key) pair once,
    which is the honest comparison; documents must still be independent (near-duplicate pages
    break it).

    **Reading ``inside``.** The intervals are for ``M0``; the held-out share is itself a noisy
    estimate of ``M0`` (``heldout_std_error``), so containment mixes both errors. The
    distribution-free interval is wide enough to absorb that; Esty's interval, which accounts
    only for the train side, contains the held-out share less often than its nominal level
    when ``n_heldout`` is not much larger than ``n_train`` (at ``holdout = 0.2`` the held-out
    noise is the larger of the two). ``combined_inside`` adds both errors and is the check to
    read for calibration. Measured on 50 synthetic runs (independent documents, Zipf facts,
    facts restated 1 + Poisson(0.5) times per document; ``tests/test_validate.py``), document
    unit: distribution-free 100%, Esty 64–72%, combined 92–98%, mean difference within
    ±0.009; mention unit: the held-out share exceeded ``N1/N`` by 0.10–0.15 on average and
    the combined check never passed.
    """
    share = _check_holdout(holdout)
    level = confidence_level(confidence)
    chosen_seed = _check_seed(seed)
    folder = Path(run)
    glob = _mentions_glob(folder)
    con = _open(glob, folder, share, chosen_seed)
    try:
        counts = con.execute(
            """
            SELECT count(*),
                   count(DISTINCT doc_id) FILTER (WHERE NOT heldout),
                   count(DISTINCT doc_id) FILTER (WHERE heldout)
            FROM asserted
            """
        ).fetchone()
        assert counts is not None
        total, train_docs, heldout_docs = (int(x) for x in counts)
        if total == 0:
            raise ValueError(f"{folder}: no asserted mentions: nothing to validate")
        if train_docs == 0 or heldout_docs == 0:
            side = "train" if train_docs == 0 else "held-out"
            raise ValueError(
                f"{folder}: the split (holdout = {share}, seed = {chosen_seed}) leaves no "
                f"document with asserted mentions on the {side} side "
                f"({train_docs} train, {heldout_docs} held-out): choose another seed or holdout"
            )
        gathered = {key: _gather(con, key) for key in KEYS}
    finally:
        con.close()

    attributes = sorted({attr for g in gathered.values() for attr, _ in (*g.fof, *g.heldout)})
    rows: list[ValidationRow] = []
    for scope in (ALL, *(f"attribute={a}" for a in attributes)):
        wanted = attributes if scope == ALL else [scope.removeprefix("attribute=")]
        for key, g in gathered.items():
            for unit in UNITS:
                table: dict[int, int] = {}
                n_held = unseen = 0
                y = 0
                groups: dict[int, tuple[int, int]] = {}
                # A key belongs to one attribute, so the "all" scope is the sum of the
                # per-attribute tables and counts (not the held-out sums of squares: a
                # document spans attributes, so "all" has its own, under attribute "").
                for attribute in wanted:
                    for r, n_r in g.fof.get((attribute, unit), {}).items():
                        table[r] = table.get(r, 0) + n_r
                    n, u = g.heldout.get((attribute, unit), (0, 0))
                    n_held += n
                    unseen += u
                    a_y, a_groups = g.train_groups.get((attribute, unit), (0, {}))
                    y += a_y
                    for grp, (n_g, delta) in a_groups.items():
                        before = groups.get(grp, (0, 0))
                        groups[grp] = (before[0] + n_g, before[1] + delta)
                held_sums = g.held_sums.get(("" if scope == ALL else wanted[0], unit))
                rows.append(
                    _row(
                        scope,
                        unit,
                        key,
                        table,
                        (n_held, unseen),
                        confidence=level,
                        holdout=share,
                        seed=chosen_seed,
                        held_sums=held_sums,
                        train_groups=(y, groups),
                    )
                )
    return rows


def _fmt(value: float | None, digits: int = 4) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _fmt_interval(low: float | None, high: float | None) -> str:
    return "—" if low is None or high is None else f"[{low:.4f}, {high:.4f}]"


def _fmt_bool(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "NO")


def _z(difference: float | None, std_error: float | None) -> str:
    if difference is None or std_error is None:
        return "—"
    if std_error == 0.0:
        return "0.00" if difference == 0.0 else "inf"
    return f"{difference / std_error:+.2f}"


def format_validation(rows: list[ValidationRow]) -> str:
    """A readable fixed-width table of :func:`validate`'s rows, one line per row.

    Columns: scope, unit, key, train and held-out occurrences, the train estimate ``N1/N``,
    its distribution-free interval and whether the held-out share is inside it, the score
    form of Esty's interval and the same, the held-out unseen share with its binomial and
    cluster-robust standard errors, ``z = (share − N1/N)/combined_std_error`` with whether
    ``|z|`` is within the normal quantile (``combined_inside``), then the train LODO estimate,
    its jackknife interval and ``z (docs) = difference_lodo/combined_std_error_cluster`` with
    ``combined_inside_cluster``.
    """
    if not rows:
        return "(no rows)"
    first = rows[0]
    header = (
        "scope",
        "unit",
        "key",
        "n_train",
        "n_heldout",
        "N1/N",
        f"interval [{first.confidence:.0%}]",
        "in",
        "Esty",
        "in",
        "held-out unseen",
        "se (binomial)",
        "se (docs)",
        "held-out [docs]",
        "z",
        "in",
        "LODO",
        "jackknife",
        "z (docs)",
        "in",
    )
    body = [
        (
            row.scope,
            row.unit,
            row.key,
            str(row.n_train),
            str(row.n_heldout),
            _fmt(row.estimate),
            _fmt_interval(row.low, row.high),
            _fmt_bool(row.inside),
            _fmt_interval(row.esty_low, row.esty_high),
            _fmt_bool(row.esty_inside),
            _fmt(row.heldout_unseen_share),
            _fmt(row.heldout_std_error),
            _fmt(row.heldout_cluster_std_error),
            _fmt_interval(row.heldout_low, row.heldout_high),
            _z(row.difference, row.combined_std_error),
            _fmt_bool(row.combined_inside),
            _fmt(row.lodo_estimate),
            _fmt_interval(row.jackknife_low, row.jackknife_high),
            _z(row.difference_lodo, row.combined_std_error_cluster),
            _fmt_bool(row.combined_inside_cluster),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]
    numeric = {3, 4, 5, 10, 11, 12, 14, 16, 18}

    def render(line: tuple[str, ...]) -> str:
        cells = (
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        return "  ".join(cells).rstrip()

    caption = (
        f"held-out validation: {first.holdout:.0%} of documents held out (md5 split, seed "
        f"{first.seed}); 'held-out unseen' is the share of held-out occurrences whose key is "
        "absent from train, the truth N1/N on train estimates, with its binomial s.e. (occurrences "
        "independent) and its cluster-robust s.e. (documents independent) with the score "
        "interval it gives ('held-out [docs]'); z is their difference "
        "over Esty's and the binomial s.e.; LODO is the train leave-one-document-out estimate "
        "(= N1/N at the document unit) with its jackknife interval over documents, and z (docs) "
        "the difference over the jackknife and the cluster-robust s.e. Read the (docs) columns: "
        "a document's occurrences are not independent"
    )
    return "\n".join([caption, render(header), *(render(line) for line in body)])
