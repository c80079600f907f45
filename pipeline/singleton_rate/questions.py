"""Probe questions drawn from a run: stratified by how often the corpus states each prompt.

``singletons questions RUN`` splits the run's documents as ``singletons validate`` does
(:func:`singleton_rate.validate.split_of`: md5 of seed and document id), counts every prompt
(entity, attribute) on the *train* documents (the counted part) and draws prompts per count
class:

- ``unseen``: prompts stated only in held-out documents: their gold is known (the held-out
  text states it) while the counted part never does;
- ``singleton``, ``rare``, ``common``: train count 1, 2…``rare_max``, more (the run's
  ``rare_max``), at the chosen unit (``document`` by default: a (document, prompt) pair is
  one occurrence);
- ``weighted`` (optional): a *prompt-weighted* sample, held-out (document, prompt)
  occurrences of single-valued attributes drawn uniformly, as a fresh draw from the corpus
  would ask. Its share of prompts unseen in train estimates the train missing mass
  (``validate``), and the hallucination rate a model shows on it is the number to set beside
  Theorem 2's floor (``singletons grade``).

Each drawn prompt becomes one question from the relation's templates in the catalog
(``[relation.questions]``, several phrasings), with the corpus's values as gold: every value
key the whole run (train and held-out) gives the prompt, its precision, its surfaces and its
train document count. The counts a question carries are train counts: a model that read the
held-out documents has seen the ``unseen`` stratum's facts.

Drawing and templating are pure functions (:func:`count_class`, :func:`draw_strata`,
:func:`draw_weighted`, :func:`question_text`); :func:`build_questions` reads the run through
DuckDB.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from singleton_rate.contract import ASSERTED, MANIFEST, UNITS, read_manifest
from singleton_rate.extract.catalog import Relation
from singleton_rate.risk import COMMON, RARE, SINGLETON, UNSEEN, risk_class
from singleton_rate.score import ScoreError, _atomic_write, run_keys
from singleton_rate.validate import (
    _HASH_HEX_DIGITS,
    _check_holdout,
    _mentions_glob,
    split_threshold,
)

WEIGHTED = "weighted"
STRATA: tuple[str, ...] = (UNSEEN, SINGLETON, RARE, COMMON, WEIGHTED)
WRITE_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
LIST_COLUMNS = ("gold", "gold_precision", "gold_surfaces", "gold_doc_counts")

QUESTION_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("stratum", pa.string()),
        ("question", pa.string()),
        ("template", pa.int64()),  # index into the relation's templates
        ("entity", pa.string()),  # a surface of the entity as the corpus writes it
        ("attribute", pa.string()),
        ("entity_key", pa.string()),
        ("single_valued", pa.bool_()),
        ("count_unit", pa.string()),
        ("count", pa.int64()),  # the prompt's train count at count_unit
        ("count_class", pa.string()),
        ("prompt_mention_count", pa.int64()),  # train
        ("prompt_doc_count", pa.int64()),  # train
        ("heldout_doc_count", pa.int64()),
        ("gold", pa.list_(pa.string())),  # value keys (the whole run)
        ("gold_precision", pa.list_(pa.string())),
        ("gold_surfaces", pa.list_(pa.list_(pa.string()))),
        ("gold_doc_counts", pa.list_(pa.int64())),  # train documents stating each value
        ("doc_id", pa.string()),  # the held-out document of a weighted draw
    ]
)


@dataclass(frozen=True, slots=True)
class PromptCount:
    """A prompt's train and held-out counts (one row of the split prompts table)."""

    attribute: str
    entity: str
    train_mentions: int
    train_docs: int
    heldout_docs: int

    def count(self, unit: str) -> int:
        return self.train_docs if unit == "document" else self.train_mentions


def count_class(prompt: PromptCount, unit: str = "document", rare_max: int = 5) -> str:
    """The stratum of a prompt by its train count: ``unseen`` 0, ``singleton`` 1, … .

    Examples
    --------
    >>> count_class(PromptCount("birth_date", "ada", 0, 0, 2))
    'unseen'
    >>> count_class(PromptCount("birth_date", "ada", 4, 3, 0), "document", rare_max=5)
    'rare'
    >>> count_class(PromptCount("birth_date", "ada", 7, 3, 0), "mention", rare_max=5)
    'common'
    """
    return risk_class(prompt.count(unit), rare_max)


def draw_key(seed: int, stratum: str, *parts: str) -> int:
    """The draw's sort key: the first 16 hex digits of ``md5("seed:stratum:part:…")``.

    Ordering a pool by this key and taking the first ``n`` is a uniform draw without
    replacement (a pseudo-random permutation), the same in Python and in DuckDB's ``md5``, and
    independent per stratum: changing one stratum's size leaves the others alone, and a
    larger size extends a smaller one's draw.

    Examples
    --------
    >>> draw_key(0, "singleton", "birth_date", "ada") == int(
    ...     hashlib.md5(b"0:singleton:birth_date:ada").hexdigest()[:16], 16)
    True
    """
    text = ":".join((str(int(seed)), stratum, *parts))
    return int(hashlib.md5(text.encode("utf-8")).hexdigest()[:16], 16)


def _rng(seed: int, stratum: str) -> random.Random:
    """A stream for the template choice (not for the draws)."""
    return random.Random(draw_key(seed, stratum))


def draw_strata(
    prompts: Sequence[PromptCount],
    sizes: Mapping[str, int],
    *,
    seed: int = 0,
    unit: str = "document",
    rare_max: int = 5,
) -> dict[str, list[PromptCount]]:
    """Draw ``sizes[c]`` prompts of each count class ``c`` uniformly without replacement.

    The prompts of a class are ordered by :func:`draw_key` ``(seed, c, attribute, entity)``
    (ties by attribute, entity) and the first ``sizes[c]`` taken: the rule
    :func:`build_questions` applies in SQL, so the draw depends on the seed and the run only,
    not on the order the run's files are read in. A class with fewer prompts than asked
    gives all it has (the caller reports the shortfall).

    Examples
    --------
    >>> ps = [PromptCount("a", f"e{i}", i, i, 1) for i in range(10)]
    >>> got = draw_strata(ps, {"unseen": 1, "singleton": 1, "rare": 2, "common": 9}, seed=3)
    >>> [p.entity for p in got["unseen"]], [p.entity for p in got["singleton"]]
    (['e0'], ['e1'])
    >>> len(got["rare"]), len(got["common"])  # 4 rare (2..5) prompts, 4 common (6..9)
    (2, 4)
    >>> got == draw_strata(list(reversed(ps)), {"unseen": 1, "singleton": 1, "rare": 2,
    ...                                         "common": 9}, seed=3)
    True
    """
    unknown = set(sizes) - set(STRATA[:-1])
    if unknown:
        raise ValueError(f"unknown strata {sorted(unknown)} (expected {STRATA[:-1]})")
    by_class: dict[str, list[PromptCount]] = {c: [] for c in sizes}
    for prompt in prompts:
        cls = count_class(prompt, unit, rare_max)
        if cls in by_class:
            by_class[cls].append(prompt)
    out: dict[str, list[PromptCount]] = {}
    for cls, size in sizes.items():
        if size < 0:
            raise ValueError(f"size of {cls} must be >= 0, got {size}")
        pool = sorted(
            by_class[cls],
            key=lambda p, c=cls: (draw_key(seed, c, p.attribute, p.entity), p.attribute, p.entity),
        )
        out[cls] = pool[:size]
    return out


def draw_weighted(
    occurrences: Sequence[tuple[str, str, str]], size: int, *, seed: int = 0
) -> list[tuple[str, str, str]]:
    """Draw ``size`` held-out (doc_id, attribute, entity) occurrences uniformly.

    Each occurrence (a held-out document stating a prompt) is equally likely, so a prompt is
    drawn in proportion to the held-out documents that state it: the corpus's own prompt
    distribution, over which Good–Turing's missing mass is defined. Ordered by
    :func:`draw_key` ``(seed, "weighted", doc_id, attribute, entity)``, the first ``size``.

    Examples
    --------
    >>> occ = [("d1", "a", "x"), ("d2", "a", "x"), ("d3", "a", "y")]
    >>> len(draw_weighted(occ, 2, seed=1)), sorted(draw_weighted(occ, 5)) == occ
    (2, True)
    """
    if size < 0:
        raise ValueError(f"size of {WEIGHTED} must be >= 0, got {size}")
    return sorted(occurrences, key=lambda o: (draw_key(seed, WEIGHTED, *o), o))[:size]


def question_text(relation: Relation, entity: str, choice: int) -> tuple[str, int]:
    """The question for ``entity`` from the relation's template number ``choice`` (mod count).

    Examples
    --------
    >>> from singleton_rate.extract.catalog import load_catalog
    >>> question_text(load_catalog().relation("death_place"), "Ada García", 0)
    ('Where did Ada García die?', 0)
    >>> question_text(load_catalog().relation("death_place"), "Ada García", 4)[1]
    1
    """
    templates = relation.question_templates or (
        f"What is the {relation.name.replace('_', ' ')} of {{entity}}?",
    )
    index = choice % len(templates)
    return templates[index].replace("{entity}", entity), index


# --------------------------------------------------------------------------------------------
# Reading the run
# --------------------------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _open_split(run: Path, holdout: float, seed: int) -> duckdb.DuckDBPyConnection:
    """The run's asserted mentions with validate's split as a ``heldout`` column."""
    glob = _mentions_glob(run)
    con = duckdb.connect()
    source = (
        f"read_parquet({_sql_string(glob)}, hive_partitioning = true, hive_types_autocast = false)"
    )
    con.execute(
        f"""
        CREATE TEMP VIEW m AS
        SELECT coalesce(CAST(doc_id AS VARCHAR), '') AS doc_id,
               CAST(attribute AS VARCHAR) AS attribute, entity, value, value_precision,
               value_text, entity_text,
               ('0x' || substr(md5('{int(seed)}:' || coalesce(CAST(doc_id AS VARCHAR), '')), 1,
                   {_HASH_HEX_DIGITS}))::UBIGINT < {split_threshold(holdout)}::UBIGINT AS heldout
        FROM {source}
        WHERE status = '{ASSERTED}' AND entity IS NOT NULL AND value IS NOT NULL
        """
    )
    return con


@dataclass(frozen=True, slots=True)
class QuestionSet:
    """The drawn questions and what made them."""

    table: pa.Table
    meta: dict[str, Any] = field(default_factory=dict)


def build_questions(
    run: str | Path,
    sizes: Mapping[str, int],
    *,
    weighted: int = 0,
    holdout: float = 0.2,
    seed: int = 0,
    split_seed: int = 0,
    unit: str = "document",
    attributes: Sequence[str] = (),
) -> QuestionSet:
    """Draw a stratified probe set from the run folder ``run``.

    Parameters
    ----------
    run
        A complete run folder (its ``mentions/`` and ``manifest.json``).
    sizes
        Questions per count class (``unseen``, ``singleton``, ``rare``, ``common``).
    weighted
        Size of the prompt-weighted sample of held-out occurrences (single-valued attributes).
    holdout, split_seed
        The document split, :func:`singleton_rate.validate.split_of` with ``validate``'s
        ``--holdout`` and ``--seed`` (``split_seed``).
    seed
        Seeds the draws (:func:`draw_key`) and the choice of template.
    unit
        ``document`` or ``mention``: the count the classes are read from.
    attributes
        Only these attributes (default all the run counts).

    Returns
    -------
    QuestionSet
        One row per question (:data:`QUESTION_SCHEMA`) and ``meta`` (run, split, sizes
        asked and drawn, catalog fingerprint, a digest of the templates used).
    """
    if unit not in UNITS:
        raise ScoreError(f"unit must be one of {UNITS}, got {unit!r}")
    holdout = _check_holdout(holdout)
    folder = Path(run)
    if not (folder / MANIFEST).is_file():
        raise ScoreError(f"{folder}: not a complete run folder (no manifest.json)")
    manifest = read_manifest(folder)
    try:
        con = _open_split(folder, holdout, split_seed)
    except ValueError as exc:
        raise ScoreError(str(exc)) from exc
    run_attributes = [r[0] for r in con.execute("select distinct attribute from m").fetchall()]
    keys = run_keys(manifest, run_attributes)
    wanted = list(attributes) or sorted(run_attributes)
    missing = [a for a in wanted if a not in keys.relations]
    if missing:
        raise ScoreError(f"attributes not in the run's catalog: {missing}")
    con.register("wanted", pa.table({"attribute": pa.array(wanted, pa.string())}))
    for stratum, size in sizes.items():
        if stratum not in STRATA[:-1]:
            raise ScoreError(f"unknown stratum {stratum!r} (expected {STRATA[:-1]})")
        if size < 0:
            raise ScoreError(f"size of {stratum} must be >= 0, got {size}")
    if weighted < 0:
        raise ScoreError(f"size of {WEIGHTED} must be >= 0, got {weighted}")
    count = "td" if unit == "document" else "tm"
    rare_max = int(keys.rare_max)
    # The draw of draw_strata, in SQL: order each class by md5(seed:class:attribute:entity).
    con.execute(
        f"""
        create temp table pc as
        select attribute, entity,
               count(*) filter (where not heldout) as tm,
               count(distinct doc_id) filter (where not heldout) as td,
               count(distinct doc_id) filter (where heldout) as hd
        from m where attribute in (select attribute from wanted)
        group by attribute, entity;
        create temp table classed as
        select *, case when {count} = 0 then 'unseen' when {count} = 1 then 'singleton'
                       when {count} <= {rare_max} then 'rare' else 'common' end as cls
        from pc
        """
    )
    available = dict(con.execute("select cls, count(*) from classed group by cls").fetchall())
    con.register(
        "sizes",
        pa.table(
            {
                "cls": pa.array(list(sizes), pa.string()),
                "size": pa.array([int(v) for v in sizes.values()], pa.int64()),
            }
        ),
    )
    rows = con.execute(
        f"""
        select cls, attribute, entity, tm, td, hd from (
            select c.*, s.size, row_number() over (
                partition by c.cls
                order by ('0x' || substr(md5('{int(seed)}:' || c.cls || ':' || c.attribute
                          || ':' || c.entity), 1, 16))::UBIGINT, c.attribute, c.entity
            ) as rn
            from classed c join sizes s on s.cls = c.cls
        ) where rn <= size order by cls, rn
        """
    ).fetchall()
    by_stratum: dict[str, list[PromptCount]] = {s: [] for s in sizes}
    for cls, a, e, tm, td, hd in rows:
        by_stratum[cls].append(PromptCount(a, e, int(tm), int(td), int(hd)))
    picks: list[tuple[str, PromptCount, str | None]] = [
        (stratum, p, None) for stratum in sizes for p in by_stratum[stratum]
    ]
    single = [a for a in wanted if keys.relations[a].single_valued]
    n_occurrences = 0
    if weighted:
        con.register("single", pa.table({"attribute": pa.array(single, pa.string())}))
        n_occurrences = int(
            con.execute(
                "select count(*) from (select distinct doc_id, attribute, entity from m "
                "where heldout and attribute in (select attribute from single))"
            ).fetchone()[0]
        )
        for d, a, e, tm, td, hd in con.execute(
            f"""
            select o.doc_id, o.attribute, o.entity, pc.tm, pc.td, pc.hd from (
                select distinct doc_id, attribute, entity from m
                where heldout and attribute in (select attribute from single)
            ) o join pc using (attribute, entity)
            order by ('0x' || substr(md5('{int(seed)}:{WEIGHTED}:' || o.doc_id || ':'
                      || o.attribute || ':' || o.entity), 1, 16))::UBIGINT,
                     o.doc_id, o.attribute, o.entity
            limit {int(weighted)}
            """
        ).fetchall():
            picks.append((WEIGHTED, PromptCount(a, e, int(tm), int(td), int(hd)), d))
    chosen = pa.table(
        {
            "attribute": pa.array([p.attribute for _, p, _ in picks], pa.string()),
            "entity": pa.array([p.entity for _, p, _ in picks], pa.string()),
        }
    )
    con.register("chosen", chosen)
    values: dict[tuple[str, str], list[tuple[str, str, list[str], int]]] = {}
    for a, e, v, prec, surfaces, train_docs in con.execute(
        """
        select m.attribute, m.entity, m.value, mode(m.value_precision),
               list(distinct m.value_text order by m.value_text),
               count(distinct m.doc_id) filter (where not m.heldout)
        from m semi join (select distinct attribute, entity from chosen) c
             on m.attribute = c.attribute and m.entity = c.entity
        group by all order by 1, 2, 6 desc, 3
        """
    ).fetchall():
        values.setdefault((a, e), []).append((v, prec, [s for s in surfaces if s], int(train_docs)))
    surface = dict(
        ((a, e), t)
        for a, e, t in con.execute(
            """
            select m.attribute, m.entity, mode(m.entity_text)
            from m semi join (select distinct attribute, entity from chosen) c
                 on m.attribute = c.attribute and m.entity = c.entity
            where m.entity_text is not null group by all
            """
        ).fetchall()
    )
    con.close()
    template_rng = _rng(seed, "template")
    records = []
    for number, (stratum, p, doc_id) in enumerate(picks):
        relation = keys.relations[p.attribute]
        loaded = _with_templates(relation)
        entity_text = surface.get((p.attribute, p.entity)) or p.entity
        text, template = question_text(loaded, entity_text, template_rng.randrange(1 << 30))
        gold = values.get((p.attribute, p.entity), [])
        records.append(
            {
                "id": f"q{number:06d}",
                "stratum": stratum,
                "question": text,
                "template": template,
                "entity": entity_text,
                "attribute": p.attribute,
                "entity_key": p.entity,
                "single_valued": loaded.single_valued,
                "count_unit": unit,
                "count": p.count(unit),
                "count_class": count_class(p, unit, keys.rare_max),
                "prompt_mention_count": p.train_mentions,
                "prompt_doc_count": p.train_docs,
                "heldout_doc_count": p.heldout_docs,
                "gold": [g[0] for g in gold],
                "gold_precision": [g[1] for g in gold],
                "gold_surfaces": [g[2] for g in gold],
                "gold_doc_counts": [g[3] for g in gold],
                "doc_id": doc_id,
            }
        )
    table = pa.Table.from_pylist(records, schema=QUESTION_SCHEMA)
    templates = {a: list(_with_templates(keys.relations[a]).question_templates) for a in wanted}
    meta = {
        "run": str(folder),
        "run_id": manifest.get("run_id"),
        "catalog": {
            k: (manifest.get("catalog") or {}).get(k) for k in ("name", "version", "fingerprint")
        },
        "templates_digest": hashlib.sha256(
            json.dumps(templates, sort_keys=True).encode()
        ).hexdigest()[:16],
        "holdout": holdout,
        "split_seed": split_seed,
        "seed": seed,
        "unit": unit,
        "rare_max": keys.rare_max,
        "attributes": wanted,
        "single_valued_attributes": single,
        "sizes_asked": {**dict(sizes), WEIGHTED: weighted},
        "sizes_drawn": {s: sum(1 for x, _, _ in picks if x == s) for s in (*sizes, WEIGHTED)},
        "available": {c: int(available.get(c, 0)) for c in STRATA[:-1]},
        "weighted_occurrences": n_occurrences,
        "counts_are": "train documents of the split (the counted part); gold from all documents",
        "notes": list(keys.notes),
    }
    return QuestionSet(table, meta)


def _with_templates(relation: Relation) -> Relation:
    """The relation, with templates from this checkout's catalog when the run's lacks them."""
    if relation.question_templates:
        return relation
    from singleton_rate.extract.catalog import load_catalog

    try:
        shipped = load_catalog().relation(relation.name)
    except KeyError:
        return relation
    if shipped.value != relation.value:
        return relation
    from dataclasses import replace

    return replace(
        relation,
        question_templates=shipped.question_templates,
        question_aliases=shipped.question_aliases,
        single_valued=relation.single_valued or shipped.single_valued,
    )


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_questions(qs: QuestionSet, path: str | Path) -> Path:
    """Write the questions as JSON lines, CSV (list columns as JSON text) or Parquet, and
    ``NAME.meta.json`` beside them."""
    out = Path(path)
    kind = WRITE_FORMATS.get(out.suffix.lower())
    if kind is None:
        raise ScoreError(
            f"{out}: unknown output format (expected one of {', '.join(WRITE_FORMATS)})"
        )

    def write(tmp: str) -> None:
        if kind == "parquet":
            pq.write_table(qs.table, tmp)
        elif kind == "csv":
            table = qs.table
            for name in LIST_COLUMNS:
                i = table.schema.get_field_index(name)
                as_json = [
                    json.dumps(v, ensure_ascii=False) for v in table.column(name).to_pylist()
                ]
                table = table.set_column(i, name, pa.array(as_json, pa.string()))
            pacsv.write_csv(table, tmp)
        else:
            with open(tmp, "w", encoding="utf-8") as fh:
                for rec in qs.table.to_pylist():
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    _atomic_write(out, write)
    meta = out.with_name(out.stem + ".meta.json")
    text = json.dumps(qs.meta, indent=2, ensure_ascii=False) + "\n"
    _atomic_write(meta, lambda tmp: Path(tmp).write_text(text, "utf-8"))
    return out


def format_meta(meta: Mapping[str, Any]) -> str:
    """A few lines on what was drawn (the CLI prints this)."""
    lines = [
        f"questions from {meta['run']}: split holdout {meta['holdout']}, split seed "
        f"{meta['split_seed']}; draws seeded {meta['seed']}; "
        f"classes by the train {meta['unit']} count (rare 2–{meta['rare_max']})",
    ]
    for stratum, asked in meta["sizes_asked"].items():
        got = meta["sizes_drawn"].get(stratum, 0)
        pool = (
            meta["available"].get(stratum)
            if stratum != WEIGHTED
            else meta.get("weighted_occurrences")
        )
        short = "" if got >= asked else f"  (only {pool} available)"
        lines.append(f"  {stratum:<10} {got:>6} of {asked}{short}")
    lines.extend(f"note: {n}" for n in meta.get("notes", []))
    return "\n".join(lines)
