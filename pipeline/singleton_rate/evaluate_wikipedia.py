"""Extraction quality on whole real articles: the hand-annotated Wikipedia gold.

The gold (``tests/data/wikipedia_gold/``: ``docs.jsonl``, ``facts.jsonl``, rules in its
README) lists every fact of the catalog's 12 attributes that a seeded sample of articles of
``../shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz`` states, about the page's
subject (``subject_kind = "title"``) and about anyone else (``"other"``). The gold holds
offsets only; the text is read from the shared corpus by ``doc_id`` and checked against the
SHA-1 each ``docs.jsonl`` line records.

Scoring (the README's rules):

* Both sides are keyed with the run's own normalization: subjects by
  :func:`singleton_rate.normalize.entity_key`, values as a mention of the attribute is keyed
  (:func:`singleton_rate.extract.keys.written_value_key`: the catalog's value type, lexicon entries
  by their canonical form).
* An extracted fact is the distinct ``(doc_id, entity, attribute, value)`` of the asserted
  mentions of an annotated article. It *matches* a gold fact of the same article with the
  same attribute when its entity is one of the gold subject's keys and its value one of the
  gold value's keys; ``spouse`` is symmetric (gold ``spouse(A) = B`` also matches an
  extracted ``spouse(B) = A``).
* **Recall** is over ``clear`` gold facts: found when some extracted fact of its article
  matches it. **Precision** is over every extracted fact of the annotated articles: correct
  when it matches a ``clear`` gold fact; left out (neither right nor wrong) when it matches
  only ``borderline`` ones; wrong otherwise (the annotation is exhaustive).
* Both are reported with Wilson 95% intervals, overall, per subject kind, per stratum group
  (``long``: the ``long_person`` and ``long_org`` strata; ``short``: the others) and per
  attribute × subject kind. An extracted fact's subject kind is its matched gold fact's, or,
  when it matches none, ``title`` if its entity is a key of the page's subject (its title or
  a title-subject gold fact's subject) and ``other`` otherwise.

The extractor runs in plain Python (:class:`~singleton_rate.extract.extractor.Extractor`, the
code Spark runs in its workers), as ``bench/eval_extract.py`` does for Google-RE and T-REx.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from singleton_rate.contract import COUNTED_STATUS
from singleton_rate.corpus import Document
from singleton_rate.estimate.proportion import wilson_interval
from singleton_rate.extract.catalog import Catalog
from singleton_rate.extract.keys import written_value_key
from singleton_rate.normalize import entity_key, title_entity

GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "wikipedia_gold"
CORPUS_FILE = Path("wikipedia") / "enwiki_2018_articles.jsonl.gz"  # under the corpora folder
LONG_STRATA = frozenset({"long_person", "long_org"})
KINDS = ("title", "other")
CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class WikiDoc:
    """One annotated article, as ``docs.jsonl`` lists it."""

    doc_id: str
    title: str
    stratum: str
    n_chars: int
    sha1: str
    page_kind: str | None = None

    @property
    def group(self) -> str:
        """``long`` for the long-article strata, ``short`` for the others."""
        return "long" if self.stratum in LONG_STRATA else "short"


@dataclass(frozen=True, slots=True)
class WikiFact:
    """One gold fact with every key its subject and value may be extracted under."""

    fact_id: str  # doc_id:line of facts.jsonl
    doc_id: str
    subject: str
    subject_kind: str
    attribute: str
    value: str
    status: str
    subjects: frozenset[str]  # entity keys of the subject and its aliases
    objects: frozenset[str]  # value keys of the value and its aliases
    # spouse only: the value's names as entity keys, the subject's as value keys
    reverse_subjects: frozenset[str] = frozenset()
    reverse_objects: frozenset[str] = frozenset()
    evidence: tuple[int, int] = (0, 0)
    note: str = ""

    def matches(self, entity: str, value: str) -> bool:
        """Whether an extracted ``(entity, value)`` of this attribute states this fact.

        Examples
        --------
        >>> f = WikiFact("d:1", "d", "Ann Lee", "title", "spouse", "Bo Lee", "clear",
        ...              frozenset({"ann lee"}), frozenset({"bo lee"}),
        ...              frozenset({"bo lee"}), frozenset({"ann lee"}))
        >>> f.matches("ann lee", "bo lee"), f.matches("bo lee", "ann lee")
        (True, True)
        >>> f.matches("ann lee", "ann lee")
        False
        """
        if entity in self.subjects and value in self.objects:
            return True
        return entity in self.reverse_subjects and value in self.reverse_objects


@dataclass(frozen=True, slots=True)
class Rate:
    """A proportion with its Wilson interval (``None`` when nothing was counted)."""

    hits: int
    n: int

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.hits, self.n, CONFIDENCE) if self.n else None

    def text(self) -> str:
        """``0.750 [0.301, 0.954] (3/4)``, or ``-`` for an empty count.

        Examples
        --------
        >>> Rate(3, 4).text()
        '0.750 [0.301, 0.954] (3/4)'
        >>> Rate(0, 0).text()
        '-'
        """
        if not self.n:
            return "-"
        low, high = self.interval  # type: ignore[misc]
        return f"{self.hits / self.n:.3f} [{low:.3f}, {high:.3f}] ({self.hits}/{self.n})"

    def to_dict(self) -> dict[str, Any]:
        iv = self.interval
        return {
            "hits": self.hits,
            "n": self.n,
            "value": None if self.value is None else round(self.value, 4),
            "low": None if iv is None else round(iv[0], 4),
            "high": None if iv is None else round(iv[1], 4),
        }


@dataclass(frozen=True, slots=True)
class WikiReport:
    """Recall and precision by group, and every miss and false extraction."""

    recall: dict[str, Rate]  # "all", "title", "other", "short/title", "attr/kind", …
    precision: dict[str, Rate]  # "all", "title", "short", "attr", "attr/kind", …
    excluded: int  # extracted facts matching only borderline gold (left out of precision)
    documents: int
    misses: tuple[dict[str, Any], ...] = ()
    false_extractions: tuple[dict[str, Any], ...] = ()
    attributes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "excluded_borderline": self.excluded,
            "recall": {k: r.to_dict() for k, r in self.recall.items()},
            "precision": {k: r.to_dict() for k, r in self.precision.items()},
        }

    def table(self) -> str:
        """The headline numbers, then one line per attribute (recall per kind, precision)."""
        lines = [
            f"{self.documents} articles; {self.excluded} extracted facts matched only "
            "borderline gold (left out of precision)",
            "",
        ]
        lines.append(f"{'':<16}{'recall':<34}{'precision':<34}")
        for name in (
            "all",
            "title",
            "other",
            "short",
            "long",
            "short/title",
            "short/other",
            "long/title",
            "long/other",
        ):
            r, p = self.recall.get(name, Rate(0, 0)), self.precision.get(name, Rate(0, 0))
            lines.append(f"{name:<16}{r.text():<34}{p.text():<34}")
        # Present only when the run was given a whole-corpus run's fact counts.
        for name, label in (
            ("docs:1", "in 1 document"),
            ("docs:2+", "in 2+ documents"),
            ("docs:absent", "not in the run"),
        ):
            if name in self.precision:
                lines.append(f"{label:<16}{'':<34}{self.precision[name].text():<34}")
        lines.append("")
        lines.append(
            f"{'attribute':<14}{'recall, title':<32}{'recall, other':<32}{'precision':<32}"
        )
        for a in self.attributes:
            lines.append(
                f"{a:<14}{self.recall.get(f'{a}/title', Rate(0, 0)).text():<32}"
                f"{self.recall.get(f'{a}/other', Rate(0, 0)).text():<32}"
                f"{self.precision.get(a, Rate(0, 0)).text():<32}"
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Reading the gold and the articles
# --------------------------------------------------------------------------------------------


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def read_gold(folder: str | Path = GOLD_DIR) -> tuple[list[WikiDoc], list[dict[str, Any]]]:
    """The annotated articles and the raw gold facts of a gold folder.

    Raises
    ------
    FileNotFoundError
        When ``docs.jsonl`` or ``facts.jsonl`` is missing.
    ValueError
        When a fact names an article ``docs.jsonl`` does not list.
    """
    folder = Path(folder)
    docs = [
        WikiDoc(
            d["doc_id"],
            d["title"],
            d.get("stratum", ""),
            int(d.get("n_chars", 0)),
            d.get("sha1", ""),
            d.get("page_kind"),
        )
        for d in _jsonl(folder / "docs.jsonl")
    ]
    facts = _jsonl(folder / "facts.jsonl")
    known = {d.doc_id for d in docs}
    for n, f in enumerate(facts, 1):
        if f.get("doc_id") not in known:
            raise ValueError(
                f"{folder / 'facts.jsonl'}:{n}: doc_id {f.get('doc_id')!r} is not in docs.jsonl"
            )
        f.setdefault("_line", n)
    return docs, facts


def read_articles(docs: Sequence[WikiDoc], corpus_file: str | Path) -> list[Document]:
    """The annotated articles' text from the shared corpus, checked against their SHA-1.

    Parameters
    ----------
    docs : sequence of WikiDoc
        The annotated articles.
    corpus_file : str or Path
        ``enwiki_2018_articles.jsonl.gz`` (JSON lines with ``id``, ``title``, ``text``).

    Returns
    -------
    list of Document
        In the order of ``docs``; ``source`` is the article's stratum.

    Raises
    ------
    ValueError
        When an article is missing from the corpus or its text's SHA-1 differs from the gold's
        (the corpus changed: offsets and facts would be scored against another text).
    """
    wanted = {d.doc_id: d for d in docs}
    found: dict[str, dict[str, Any]] = {}
    with gzip.open(corpus_file, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if '"id"' not in line:
                continue
            row = json.loads(line)
            if row.get("id") in wanted:
                found[row["id"]] = {**row, "_line": n}
    out = []
    for doc_id, d in wanted.items():
        row = found.get(doc_id)
        if row is None:
            raise ValueError(f"{corpus_file}: no article {doc_id} ({d.title!r})")
        sha1 = hashlib.sha1(row["text"].encode()).hexdigest()
        if d.sha1 and sha1 != d.sha1:
            raise ValueError(
                f"{corpus_file}: article {doc_id} ({d.title!r}) has SHA-1 {sha1}, "
                f"the gold was annotated on {d.sha1}"
            )
        out.append(
            Document(
                doc_id,
                row["text"],
                row.get("title") or d.title,
                d.stratum,
                f"{Path(corpus_file).name}:{row['_line']}",
            )
        )
    return out


def _keys(values: Iterable[str], key: Any) -> frozenset[str]:
    out = set()
    for v in values:
        k = key(v) if isinstance(v, str) and v.strip() else None
        if k:
            out.add(k)
    return frozenset(out)


def key_facts(raw: Iterable[Mapping[str, Any]], catalog: Catalog) -> tuple[WikiFact, ...]:
    """Gold facts keyed as the run keys entities and values.

    Subjects (``subject``, ``subject_aliases``) by :func:`~singleton_rate.normalize.entity_key`;
    values (``value``, ``value_aliases``) by
    :func:`~singleton_rate.extract.keys.written_value_key` for the attribute's catalog relation.
    For ``spouse`` the reverse keys are filled too (the value's names as entities, the
    subject's as values).

    Raises
    ------
    ValueError
        For an attribute the catalog has no relation for.
    """
    relations = {r.name: r for r in catalog.relations}
    out = []
    for f in raw:
        attribute = f["attribute"]
        relation = relations.get(attribute)
        if relation is None:
            raise ValueError(f"gold attribute {attribute!r} is not a catalog relation")
        subject_names = [f["subject"], *f.get("subject_aliases", [])]
        value_names = [f["value"], *f.get("value_aliases", [])]

        def value_of(text: str, rel: Any = relation) -> str | None:
            keyed = written_value_key(rel, text)
            return keyed[0] if keyed else None

        reverse_subjects = reverse_objects = frozenset()
        if attribute == "spouse":
            reverse_subjects = _keys(value_names, entity_key)
            reverse_objects = _keys(subject_names, value_of)
        out.append(
            WikiFact(
                fact_id=f"{f['doc_id']}:{f.get('_line', 0)}",
                doc_id=f["doc_id"],
                subject=f["subject"],
                subject_kind=f["subject_kind"],
                attribute=attribute,
                value=f["value"],
                status=f.get("status", "clear"),
                subjects=_keys(subject_names, entity_key),
                objects=_keys(value_names, value_of),
                reverse_subjects=reverse_subjects,
                reverse_objects=reverse_objects,
                evidence=(int(f.get("evidence_start") or 0), int(f.get("evidence_end") or 0)),
                note=f.get("note", ""),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def _get(m: Any, name: str, default: Any = "") -> Any:
    return m.get(name, default) if isinstance(m, Mapping) else getattr(m, name, default)


def score_wikipedia(
    mentions: Iterable[Any],
    docs: Sequence[WikiDoc],
    facts: Sequence[WikiFact],
    *,
    texts: Mapping[str, str] | None = None,
    doc_counts: Mapping[tuple[str, str, str], int] | None = None,
) -> WikiReport:
    """Score extracted mentions against the Wikipedia gold (rules in the module notes).

    Parameters
    ----------
    mentions : iterable
        Extracted mentions: :class:`~singleton_rate.extract.extractor.Mention` objects or mappings
        with ``doc_id``, ``entity``, ``attribute``, ``value``, ``status`` (and, for the error
        lists, ``sentence``, ``pattern``, ``entity_text``, ``value_text``). Only ``asserted``
        mentions of annotated articles count.
    docs : sequence of WikiDoc
        The annotated articles (any number).
    facts : sequence of WikiFact
        Their keyed gold facts (:func:`key_facts`).
    texts : mapping, optional
        Article text by ``doc_id``: the misses then quote their evidence.
    doc_counts : mapping, optional
        Documents stating each fact key ``(entity, attribute, value)`` in a run over the
        whole corpus (its ``facts`` table, :func:`read_doc_counts`). Precision is then also
        split by that count: ``docs:1`` (singleton facts), ``docs:2+`` (facts counted in two
        or more documents: repetition is no sign of truth, so these are scored on their own)
        and ``docs:absent`` (a fact the run did not count: the run was made with other code).

    Returns
    -------
    WikiReport
        ``recall`` and ``precision`` keyed ``all``, ``title``/``other``, ``short``/``long``,
        ``short/title`` …, ``<attribute>`` and ``<attribute>/<kind>``; misses (clear gold not
        found, with what was extracted for that subject and attribute) and false extractions
        (with the sentence and pattern), sorted by article.

    Examples
    --------
    >>> docs = [WikiDoc("d", "Ann Lee", "person", 30, "")]
    >>> gold = [WikiFact("d:1", "d", "Ann Lee", "title", "occupation", "poet", "clear",
    ...                  frozenset({"ann lee"}), frozenset({"poet"}))]
    >>> m = [{"doc_id": "d", "entity": "ann lee", "attribute": "occupation",
    ...       "value": "poet", "status": "asserted"},
    ...      {"doc_id": "d", "entity": "ann lee", "attribute": "occupation",
    ...       "value": "singer", "status": "asserted"}]
    >>> r = score_wikipedia(m, docs, gold)
    >>> r.recall["all"].text(), r.precision["all"].hits, r.precision["all"].n
    ('1.000 [0.207, 1.000] (1/1)', 1, 2)
    """
    by_doc = {d.doc_id: d for d in docs}
    gold_by_doc: dict[str, list[WikiFact]] = defaultdict(list)
    for f in facts:
        gold_by_doc[f.doc_id].append(f)
    title_keys: dict[str, set[str]] = {}
    for d in docs:
        keys = {entity_key(title_entity(d.title)), entity_key(d.title)}
        keys |= {k for f in gold_by_doc[d.doc_id] if f.subject_kind == "title" for k in f.subjects}
        title_keys[d.doc_id] = {k for k in keys if k}

    # (doc, entity, attribute, value) -> first mention, count
    extracted: dict[tuple[str, str, str, str], list[Any]] = {}
    for m in mentions:
        doc_id = _get(m, "doc_id")
        if doc_id not in by_doc or _get(m, "status") != COUNTED_STATUS or not _get(m, "value"):
            continue
        key = (doc_id, _get(m, "entity"), _get(m, "attribute"), _get(m, "value"))
        slot = extracted.setdefault(key, [m, 0])
        slot[1] += 1

    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()

    def count(table: str, names: Iterable[str], ok: bool) -> None:
        for name in names:
            totals[f"{table}:{name}"] += 1
            hits[f"{table}:{name}"] += ok

    def groups(attribute: str, kind: str, group: str) -> list[str]:
        return ["all", kind, group, f"{group}/{kind}", attribute, f"{attribute}/{kind}"]

    misses: list[dict[str, Any]] = []
    for f in facts:
        if f.status != "clear" or f.doc_id not in by_doc:
            continue
        found = any(
            attr == f.attribute and f.matches(entity, value)
            for (doc_id, entity, attr, value) in extracted
            if doc_id == f.doc_id
        )
        count("recall", groups(f.attribute, f.subject_kind, by_doc[f.doc_id].group), found)
        if not found:
            got = sorted(
                f"{entity} = {value}"
                for (doc_id, entity, attr, value) in extracted
                if doc_id == f.doc_id
                and attr == f.attribute
                and (entity in f.subjects or entity in f.reverse_subjects)
            )
            text = (texts or {}).get(f.doc_id)
            misses.append(
                {
                    "kind": "miss",
                    "doc_id": f.doc_id,
                    "title": by_doc[f.doc_id].title,
                    "subject": f.subject,
                    "subject_kind": f.subject_kind,
                    "attribute": f.attribute,
                    "gold": f.value,
                    "extracted_for_subject": got,
                    "evidence": text[f.evidence[0] : f.evidence[1]] if text else list(f.evidence),
                    "note": f.note,
                }
            )

    excluded = 0
    wrong: list[dict[str, Any]] = []
    for (doc_id, entity, attribute, value), (m, n) in extracted.items():
        matched = [
            f for f in gold_by_doc[doc_id] if f.attribute == attribute and f.matches(entity, value)
        ]
        clear = [f for f in matched if f.status == "clear"]
        if matched and not clear:
            excluded += 1
            continue
        if clear:
            kind = clear[0].subject_kind
        else:
            kind = "title" if entity in title_keys[doc_id] else "other"
        names = groups(attribute, kind, by_doc[doc_id].group)
        n_docs = None
        if doc_counts is not None:
            n_docs = doc_counts.get((entity, attribute, value), 0)
            names.append("docs:absent" if not n_docs else "docs:1" if n_docs == 1 else "docs:2+")
        count("precision", names, bool(clear))
        if not clear:
            wrong.append(
                {
                    "kind": "false",
                    "doc_id": doc_id,
                    "title": by_doc[doc_id].title,
                    "subject_kind": kind,
                    "attribute": attribute,
                    "entity": entity,
                    "value": value,
                    "mentions": n,
                    # documents of the --counts-run stating it (None without one): which
                    # false facts repeat
                    "documents": n_docs,
                    "entity_text": _get(m, "entity_text"),
                    "value_text": _get(m, "value_text"),
                    "pattern": _get(m, "pattern"),
                    "resolution": _get(m, "resolution"),
                    "sentence": _get(m, "sentence"),
                    "gold_for_subject": sorted(
                        f.value
                        for f in gold_by_doc[doc_id]
                        if f.attribute == attribute and entity in f.subjects
                    ),
                }
            )

    def rates(table: str) -> dict[str, Rate]:
        prefix = f"{table}:"
        return {
            k[len(prefix) :]: Rate(hits[k], n)
            for k, n in sorted(totals.items())
            if k.startswith(prefix)
        }

    attributes = tuple(dict.fromkeys([f.attribute for f in facts] + [k[2] for k in extracted]))
    return WikiReport(
        recall=rates("recall"),
        precision=rates("precision"),
        excluded=excluded,
        documents=len(docs),
        misses=tuple(sorted(misses, key=lambda x: (x["doc_id"], x["attribute"]))),
        false_extractions=tuple(sorted(wrong, key=lambda x: (x["doc_id"], x["attribute"]))),
        attributes=tuple(sorted(attributes)),
    )


def read_doc_counts(run: str | Path) -> dict[tuple[str, str, str], int]:
    """Documents per fact key in a finished run: its ``facts`` table's ``doc_count``.

    Parameters
    ----------
    run : str or Path
        A run folder (``singletons run --out``), best one over the whole shared Wikipedia
        corpus made with the same code and catalog as the evaluation.

    Returns
    -------
    dict
        ``(entity, attribute, value)`` → documents that state it.

    Raises
    ------
    FileNotFoundError
        When the folder has no ``facts`` table.
    """
    import duckdb

    from singleton_rate.contract import tables

    folder = Path(run) / tables.FACTS
    if not folder.is_dir():
        raise FileNotFoundError(f"{run}: no {tables.FACTS}/ table (is it a finished run folder?)")
    rows = duckdb.sql(
        "select entity, attribute, value, doc_count from read_parquet(?, hive_partitioning=true)",
        params=[str(folder / "**" / "*.parquet")],
    ).fetchall()
    return {(e, a, v): int(n) for e, a, v, n in rows}


# --------------------------------------------------------------------------------------------
# `singletons evaluate --corpus wikipedia`
# --------------------------------------------------------------------------------------------


def run_wikipedia(
    corpora: str | Path,
    out: str | Path,
    *,
    gold: str | Path = GOLD_DIR,
    extractor: Any = None,
    batch: int = 16,
    counts_run: str | Path | None = None,
) -> WikiReport:
    """Extract from every annotated article and score it; write the report and error list.

    Parameters
    ----------
    corpora : str or Path
        The shared corpora folder (holding ``wikipedia/enwiki_2018_articles.jsonl.gz``).
    out : str or Path
        Folder for ``wikipedia.json`` (the scores), ``wikipedia.txt`` (the table) and
        ``wikipedia_errors.jsonl`` (every miss and false extraction, for error analysis).
    gold : str or Path
        The gold folder.
    extractor : Extractor, optional
        Default: the shipped catalog and model, sentence prefilter (a run's defaults).
    batch : int
        Documents per extractor call.
    counts_run : str or Path, optional
        A run over the whole corpus: precision is also split by how many of its documents
        state each extracted fact (:func:`score_wikipedia`'s ``doc_counts``).

    Returns
    -------
    WikiReport
    """
    from singleton_rate.extract.catalog import load_catalog

    corpus_file = Path(corpora) / CORPUS_FILE
    if not corpus_file.is_file():
        raise FileNotFoundError(f"{corpus_file}: the shared Wikipedia corpus is absent")
    docs, raw = read_gold(gold)
    catalog = extractor.catalog if extractor is not None else load_catalog()
    facts = key_facts(raw, catalog)
    articles = read_articles(docs, corpus_file)
    if extractor is None:
        from singleton_rate.extract.extractor import Extractor
        from singleton_rate.extract.model import resolve_model_name

        extractor = Extractor(catalog, resolve_model_name(), batch_size=64, prefilter="sentence")
    mentions = []
    for i in range(0, len(articles), batch):
        for result in extractor.extract(articles[i : i + batch]):
            mentions.extend(result.mentions)
    doc_counts = read_doc_counts(counts_run) if counts_run is not None else None
    report = score_wikipedia(
        mentions, docs, facts, texts={a.doc_id: a.text for a in articles}, doc_counts=doc_counts
    )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "wikipedia.json").write_text(
        json.dumps({"catalog": catalog.label, **report.to_dict()}, indent=2, ensure_ascii=False)
        + "\n",
        "utf-8",
    )
    (out / "wikipedia.txt").write_text(report.table() + "\n", "utf-8")
    with (out / "wikipedia_errors.jsonl").open("w", encoding="utf-8") as sink:
        for row in (*report.misses, *report.false_extractions):
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    return report


__all__ = [
    "GOLD_DIR",
    "Rate",
    "WikiDoc",
    "WikiFact",
    "WikiReport",
    "key_facts",
    "read_articles",
    "read_doc_counts",
    "read_gold",
    "run_wikipedia",
    "score_wikipedia",
]
