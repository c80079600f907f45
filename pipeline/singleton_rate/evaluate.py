"""Extraction quality against annotated corpora: documents, gold facts, and a scored report.

Pure functions, no Spark and no spaCy: the evaluation corpora are turned into
:class:`~singleton_rate.corpus.Document` records (which any runner can extract from: the
:class:`~singleton_rate.extract.extractor.Extractor` in plain Python, or a Spark run over the
same documents written as JSONL), and extracted mentions are scored against gold facts.

Scoring follows the rules of ``../shared/corpora/README.md``:

* A gold fact is (subject, relation, object), where the subject and the object each count
  with their aliases. It is *found* when some asserted mention, in any document, has the
  subject's key as its entity and a value that matches the object (recall over gold facts).
* Precision is judged only on extracted facts whose (subject, relation) pair has gold: the
  texts state many true facts nobody labelled, and those can be neither right nor wrong.
  It is reported per distinct extracted fact (``precision``) and per mention
  (``mention_precision``: every asserted statement, as the counts see them).
* Values are compared as keys (:func:`singleton_rate.normalize.value_key`, and the extractor's
  country key for nationalities), so "Warsaw, Poland" matches a gold "Warsaw". Gold that
  is only a year (Google-RE birth dates) matches any extracted date in that year.

Corpora:

* **Google-RE** (:func:`google_re_documents`, :func:`google_re_gold`): each evidence snippet
  (a paragraph of the subject's Wikipedia article) is one document, titled by its URL.
* **T-REx** (:func:`trex_documents`, :func:`trex_gold`): each evidence sentence, with
  ``[MASK]`` replaced by the object's surface form, is one document, titled by the fact's
  ``sub_label``. The title stands for the page the sentence comes from (T-REx aligns
  sentences of the subject's own Wikipedia abstract), so that "He was born in …" has a main
  entity, as it would in the page itself. The evidence's ``obj_surface`` forms count as
  aliases of the object (they are how the text names it: "actress" for *actor*).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote

from singleton_rate.contract import COUNTED_STATUS
from singleton_rate.corpus import Document
from singleton_rate.extract.countries import country_key
from singleton_rate.normalize import entity_key, title_entity, value_key

# Google-RE files and the catalog attribute each one labels.
GOOGLE_RE_RELATIONS: dict[str, str] = {
    "place_of_birth": "birth_place",
    "date_of_birth": "birth_date",
}
# T-REx (Wikidata) relations and the catalog attribute each maps onto. P69 (educated at) and
# Wikidata's founder/inception/spouse properties are not in the LAMA subset.
TREX_RELATIONS: dict[str, str] = {
    "P19": "birth_place",
    "P20": "death_place",
    "P27": "nationality",
    "P106": "occupation",
    "P108": "employer",
    "P159": "headquarters",
}
# How the gold object of each attribute is keyed; the extractor keys its values the same way.
VALUE_TYPES: dict[str, str] = {
    "birth_date": "date",
    "death_date": "date",
    "birth_place": "place",
    "death_place": "place",
    "nationality": "country",
    "occupation": "text",
    "employer": "entity",
    "headquarters": "place",
}
DEFAULT_SAMPLE = 20


class MentionRow(NamedTuple):
    """The fields of an extracted mention that scoring reads (a Spark or DuckDB row fits)."""

    doc_id: str
    entity: str
    attribute: str
    value: str
    status: str
    sentence: str


@dataclass(frozen=True, slots=True)
class GoldFact:
    """One labelled fact, with every key its subject and object may be found under."""

    fact_id: str
    corpus: str
    source_relation: str  # the corpus's own name: "place_of_birth", "P19"
    attribute: str  # the catalog attribute it is scored as
    subject: str  # the label, for display
    obj: str  # the label, for display
    subjects: frozenset[str]  # entity keys of the label and aliases
    objects: frozenset[str]  # value keys of the label and aliases
    year_only: bool = False  # the gold states a year: any date in that year matches
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gold:
    """A set of gold facts, indexed by (subject key, attribute)."""

    facts: tuple[GoldFact, ...]

    def pairs(self) -> dict[tuple[str, str], list[GoldFact]]:
        """Every (subject key, attribute) that has gold, with its facts."""
        out: dict[tuple[str, str], list[GoldFact]] = defaultdict(list)
        for fact in self.facts:
            for subject in fact.subjects:
                out[(subject, fact.attribute)].append(fact)
        return dict(out)

    def __add__(self, other: Gold) -> Gold:
        return Gold(self.facts + other.facts)


@dataclass(frozen=True, slots=True)
class RelationScore:
    """Precision, recall and F1 of one attribute, with samples of both kinds of error."""

    attribute: str
    gold_facts: int
    found: int
    recall: float | None
    extracted_judged: int  # distinct (entity, attribute, value) whose pair has gold
    correct: int
    precision: float | None
    f1: float | None
    mentions_judged: int
    mentions_correct: int
    mention_precision: float | None
    extracted_unjudged: int  # distinct facts about subjects without gold (not scored)
    false_positives: tuple[dict[str, Any], ...] = ()
    false_negatives: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """Scores per attribute, in the order the gold lists them."""

    relations: dict[str, RelationScore] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {name: asdict(score) for name, score in self.relations.items()}

    def table(self) -> str:
        """A fixed-width table of the headline numbers, one line per attribute."""
        head = (
            f"{'attribute':<14}{'gold':>7}{'found':>7}{'recall':>8}"
            f"{'judged':>8}{'correct':>8}{'prec':>8}{'F1':>8}{'m.prec':>8}"
        )
        lines = [head]
        for s in self.relations.values():
            lines.append(
                f"{s.attribute:<14}{s.gold_facts:>7}{s.found:>7}{_fmt(s.recall):>8}"
                f"{s.extracted_judged:>8}{s.correct:>8}{_fmt(s.precision):>8}"
                f"{_fmt(s.f1):>8}{_fmt(s.mention_precision):>8}"
            )
        return "\n".join(lines)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None or p + r == 0:
        return None if p is None or r is None else 0.0
    return round(2 * p * r / (p + r), 4)


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------


def gold_value_keys(attribute: str, surfaces: Iterable[str]) -> frozenset[str]:
    """The keys an extracted value of ``attribute`` may have to match one of ``surfaces``.

    Parameters
    ----------
    attribute : str
        A catalog attribute named in :data:`VALUE_TYPES`.
    surfaces : iterable of str
        The gold object's label and aliases as written.

    Returns
    -------
    frozenset of str
        Value keys, keyed as the extractor keys that attribute's values (dates keep the text's
        precision; a caller scoring year-only gold compares the year, see :func:`matches`).
    """
    value_type = VALUE_TYPES.get(attribute, "text")
    keys: set[str] = set()
    for surface in surfaces:
        if value_type == "country":
            key = country_key(surface)
            if key:
                keys.add(key)
            continue
        keyed = value_key(value_type, surface)
        if keyed is not None:
            keys.add(keyed[0])
    return frozenset(keys)


def matches(fact: GoldFact, value: str) -> bool:
    """Whether an extracted value key matches a gold fact's object."""
    if fact.year_only:
        return value[:4] in fact.objects
    return value in fact.objects


# --------------------------------------------------------------------------------------------
# Google-RE
# --------------------------------------------------------------------------------------------


def title_from_url(url: str) -> str:
    """The page title a Wikipedia URL names: ``…/wiki/Marie_Curie`` → ``Marie Curie``."""
    return unquote(url.rstrip("/").rsplit("/", 1)[-1]).replace("_", " ")


def _google_re_files(path: Path) -> list[tuple[Path, str, str]]:
    out = []
    for stem, attribute in GOOGLE_RE_RELATIONS.items():
        file = path / f"{stem}_test.jsonl"
        if file.is_file():
            out.append((file, stem, attribute))
    if not out:
        raise FileNotFoundError(f"{path}: no Google-RE files (*_test.jsonl)")
    return out


def _read_jsonl(file: Path, limit: int | None = None) -> Iterable[dict[str, Any]]:
    with file.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def google_re_documents(path: str | Path, limit: int | None = None) -> list[Document]:
    """Every Google-RE evidence snippet as a document.

    Parameters
    ----------
    path : str or Path
        The ``google_re`` folder (``place_of_birth_test.jsonl``, ``date_of_birth_test.jsonl``).
    limit : int, optional
        Read only the first ``limit`` facts of each file.

    Returns
    -------
    list of Document
        ``doc_id`` the fact's uuid, ``title`` from the evidence URL, ``text`` the snippet,
        ``source`` the file's relation (``place_of_birth``). A snippet that is evidence for
        several facts is kept once (the first uuid wins), as a corpus would hold it once.
    """
    seen: set[tuple[str, str]] = set()
    docs: list[Document] = []
    for file, stem, _ in _google_re_files(Path(path)):
        for n, fact in enumerate(_read_jsonl(file, limit)):
            for i, evidence in enumerate(fact.get("evidences", [])):
                title = title_from_url(evidence.get("url", ""))
                text = evidence.get("snippet", "")
                if not text.strip() or (title, text) in seen:
                    continue
                seen.add((title, text))
                doc_id = fact["uuid"] if i == 0 else f"{fact['uuid']}:{i}"
                docs.append(Document(doc_id, text, title or None, stem, f"{file.name}:{n + 1}"))
    return docs


def google_re_gold(path: str | Path, limit: int | None = None) -> Gold:
    """Google-RE facts as gold.

    Parameters
    ----------
    path : str or Path
        The ``google_re`` folder.
    limit : int, optional
        Read only the first ``limit`` facts of each file (use the same limit as for the
        documents).

    Returns
    -------
    Gold
        Subjects are ``sub_label`` and ``sub_aliases``; objects ``obj_label`` and
        ``obj_aliases``. Birth dates are gold as years (``year_only``).
    """
    facts: list[GoldFact] = []
    for file, stem, attribute in _google_re_files(Path(path)):
        for fact in _read_jsonl(file, limit):
            surfaces = [fact["obj_label"], *fact.get("obj_aliases", [])]
            year_only = attribute.endswith("_date")
            if year_only:
                objects = frozenset(s[:4] for s in surfaces if s[:4].isdigit())
            else:
                objects = gold_value_keys(attribute, surfaces)
            # A few labels are still percent-encoded ("Santiago I%C3%B1iguez"): decode them.
            labels = [unquote(s) for s in [fact["sub_label"], *fact.get("sub_aliases", [])]]
            subjects = frozenset(k for k in (entity_key(s) for s in labels) if k)
            evidence = tuple(
                s for e in fact.get("evidences", []) for s in e.get("considered_sentences", [])
            ) or tuple(e.get("snippet", "") for e in fact.get("evidences", []))
            facts.append(
                GoldFact(
                    fact_id=fact["uuid"],
                    corpus="google_re",
                    source_relation=stem,
                    attribute=attribute,
                    subject=labels[0],
                    obj=fact["obj_label"],
                    subjects=subjects,
                    objects=objects,
                    year_only=year_only,
                    evidence=evidence,
                )
            )
    return Gold(tuple(facts))


# --------------------------------------------------------------------------------------------
# T-REx
# --------------------------------------------------------------------------------------------


def unmask(evidence: Mapping[str, Any]) -> str:
    """A T-REx evidence sentence with ``[MASK]`` put back as the object's surface form."""
    return str(evidence.get("masked_sentence", "")).replace(
        "[MASK]", str(evidence.get("obj_surface", ""))
    )


def _trex_files(path: Path, relations: Sequence[str]) -> list[tuple[Path, str]]:
    out = []
    for rel in relations:
        file = path / f"{rel}.jsonl"
        if not file.is_file():
            raise FileNotFoundError(f"{file}: no such T-REx relation file")
        out.append((file, rel))
    return out


def trex_documents(
    path: str | Path,
    relations: Sequence[str] = tuple(TREX_RELATIONS),
    limit: int | None = None,
) -> list[Document]:
    """Every T-REx evidence sentence of ``relations`` as a document.

    Parameters
    ----------
    path : str or Path
        The ``trex`` folder (``P19.jsonl``, …).
    relations : sequence of str
        Wikidata property ids to read.
    limit : int, optional
        Read only the first ``limit`` facts of each file.

    Returns
    -------
    list of Document
        ``text`` the unmasked sentence, ``title`` the fact's ``sub_label`` (see the module
        notes), ``doc_id`` ``P19:<uuid>:<n>``, ``source`` the property id. A (title, text)
        pair seen before, under any relation, is kept once.
    """
    seen: set[tuple[str, str]] = set()
    docs: list[Document] = []
    for file, rel in _trex_files(Path(path), relations):
        for n, fact in enumerate(_read_jsonl(file, limit)):
            title = str(fact["sub_label"])
            for i, evidence in enumerate(fact.get("evidences", [])):
                text = unmask(evidence)
                if not text.strip() or (title, text) in seen:
                    continue
                seen.add((title, text))
                docs.append(
                    Document(f"{rel}:{fact['uuid']}:{i}", text, title, rel, f"{file.name}:{n + 1}")
                )
    return docs


def trex_gold(
    path: str | Path,
    relations: Sequence[str] = tuple(TREX_RELATIONS),
    limit: int | None = None,
) -> Gold:
    """T-REx facts of ``relations`` as gold, each scored as its :data:`TREX_RELATIONS` attribute.

    Parameters
    ----------
    path : str or Path
        The ``trex`` folder.
    relations : sequence of str
        Wikidata property ids, each a key of :data:`TREX_RELATIONS`.
    limit : int, optional
        Read only the first ``limit`` facts of each file.

    Returns
    -------
    Gold
        Subject: ``sub_label`` and the evidences' ``sub_surface`` forms; object: ``obj_label``
        and the evidences' ``obj_surface`` forms.
    """
    facts: list[GoldFact] = []
    for file, rel in _trex_files(Path(path), relations):
        attribute = TREX_RELATIONS[rel]
        for fact in _read_jsonl(file, limit):
            evidences = fact.get("evidences", [])
            surfaces = [fact["obj_label"], *(e.get("obj_surface", "") for e in evidences)]
            subjects = frozenset(
                k
                for k in (
                    entity_key(title_entity(s))
                    for s in [fact["sub_label"], *(e.get("sub_surface", "") for e in evidences)]
                )
                if k
            )
            facts.append(
                GoldFact(
                    fact_id=fact["uuid"],
                    corpus="trex",
                    source_relation=rel,
                    attribute=attribute,
                    subject=fact["sub_label"],
                    obj=fact["obj_label"],
                    subjects=subjects,
                    objects=gold_value_keys(attribute, [s for s in surfaces if s]),
                    evidence=tuple(dict.fromkeys(unmask(e) for e in evidences)),
                )
            )
    return Gold(tuple(facts))


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def mention_rows(results: Iterable[Any]) -> list[MentionRow]:
    """The :class:`MentionRow` of every mention of some extractor results (``DocResult``)."""
    return [
        MentionRow(m.doc_id, m.entity, m.attribute, m.value, m.status, m.sentence)
        for r in results
        for m in r.mentions
    ]


def score(
    mentions: Iterable[Sequence[Any]],
    gold: Gold,
    *,
    sample: int = DEFAULT_SAMPLE,
    attributes: Sequence[str] | None = None,
) -> Report:
    """Score extracted mentions against gold, per attribute.

    Parameters
    ----------
    mentions : iterable of (doc_id, entity, attribute, value, status, sentence)
        Extracted mentions in any form that unpacks to these six fields
        (:class:`MentionRow`, a Spark or DuckDB row). Only ``asserted`` ones are scored.
    gold : Gold
        The labelled facts.
    sample : int
        How many errors of each kind to keep per attribute (the first ones, in a stable
        order: false positives by subject, false negatives in gold order).
    attributes : sequence of str, optional
        Attributes to report, in this order; by default those the gold has.

    Returns
    -------
    Report
        Per attribute: recall over gold facts, precision over the distinct extracted facts
        whose (subject, attribute) pair has gold, the same per mention, F1 of the fact-level
        precision and recall, and samples of false positives (with a sentence that stated
        them) and false negatives (with the gold evidence and what was extracted instead).
    """
    pairs = gold.pairs()
    # (entity, attribute) -> value -> [mention count, first sentence, first doc]
    extracted: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(dict)
    for row in mentions:
        doc_id, entity, attribute, value, status, sentence = tuple(row)[:6]
        if status != COUNTED_STATUS or not value:
            continue
        slot = extracted[(entity, attribute)].setdefault(value, [0, sentence, doc_id])
        slot[0] += 1
    names = list(attributes) if attributes is not None else []
    if attributes is None:
        for fact in gold.facts:
            if fact.attribute not in names:
                names.append(fact.attribute)
    report: dict[str, RelationScore] = {}
    for attribute in names:
        facts = [f for f in gold.facts if f.attribute == attribute]
        found = 0
        misses: list[dict[str, Any]] = []
        for fact in facts:
            got = {
                v: s
                for subj in fact.subjects
                for v, s in extracted.get((subj, attribute), {}).items()
            }
            if any(matches(fact, v) for v in got):
                found += 1
            elif len(misses) < sample:
                misses.append(
                    {
                        "subject": fact.subject,
                        "gold": fact.obj,
                        "extracted": sorted(got),
                        "evidence": list(fact.evidence[:3]),
                        "fact_id": fact.fact_id,
                    }
                )
        judged = correct = m_judged = m_correct = unjudged = 0
        wrong: list[dict[str, Any]] = []
        for (entity, attr), values in sorted(extracted.items()):
            if attr != attribute:
                continue
            gold_facts = pairs.get((entity, attr))
            if gold_facts is None:
                unjudged += len(values)
                continue
            for value, (count, sentence, doc_id) in sorted(values.items()):
                ok = any(matches(f, value) for f in gold_facts)
                judged += 1
                m_judged += count
                if ok:
                    correct += 1
                    m_correct += count
                elif len(wrong) < sample:
                    wrong.append(
                        {
                            "subject": entity,
                            "value": value,
                            "gold": sorted({f.obj for f in gold_facts}),
                            "mentions": count,
                            "sentence": sentence,
                            "doc_id": doc_id,
                        }
                    )
        precision = _ratio(correct, judged)
        recall = _ratio(found, len(facts))
        report[attribute] = RelationScore(
            attribute=attribute,
            gold_facts=len(facts),
            found=found,
            recall=recall,
            extracted_judged=judged,
            correct=correct,
            precision=precision,
            f1=_f1(precision, recall),
            mentions_judged=m_judged,
            mentions_correct=m_correct,
            mention_precision=_ratio(m_correct, m_judged),
            extracted_unjudged=unjudged,
            false_positives=tuple(wrong),
            false_negatives=tuple(misses),
        )
    return Report(report)


# --------------------------------------------------------------------------------------------
# `singletons evaluate`: the real pipeline (Spark, the shipped catalog) over the corpora
# --------------------------------------------------------------------------------------------


def write_documents(docs: Sequence[Document], path: Path) -> None:
    """Documents as JSONL (id, title, text, source), the format `singletons run` reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as sink:
        for d in docs:
            record = {"id": d.doc_id, "title": d.title, "text": d.text, "source": d.source}
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_evaluation(
    corpora: str | Path,
    out: str | Path,
    *,
    spark: Any,
    limit: int | None = None,
    sample: int = DEFAULT_SAMPLE,
    only: Sequence[str] = ("google_re", "trex"),
) -> dict[str, Report]:
    """Run the pipeline over Google-RE and T-REx and score each run against its gold.

    ``only`` names the corpora to run (both by default).

    For each corpus: its documents are written as JSONL under ``out/_docs``, run through
    :func:`singleton_rate.run.run` into ``out/<corpus>`` (a normal run folder), and the run's
    asserted mentions are scored by :func:`score`. ``limit`` reads only the first ``limit``
    facts of each corpus file (for a quick look; the gold is cut the same way). Writes
    ``out/report.json`` (every score and error sample) and ``out/report.parquet`` (one row
    per corpus and attribute) and returns the reports.
    """
    import pandas as pd

    from singleton_rate.config import RunConfig
    from singleton_rate.progress import Progress
    from singleton_rate.query import connect
    from singleton_rate.run import run

    corpora, out = Path(corpora), Path(out)
    plans = {
        "google_re": (google_re_documents, google_re_gold, GOOGLE_RE_RELATIONS),
        "trex": (trex_documents, trex_gold, TREX_RELATIONS),
    }
    reports: dict[str, Report] = {}
    for corpus, (documents, gold_of, relations) in plans.items():
        if corpus not in only:
            continue
        src = corpora / corpus
        docs_path = out / "_docs" / f"{corpus}.jsonl"
        write_documents(documents(src, limit=limit), docs_path)
        config = RunConfig(
            inputs=(str(docs_path),), out=str(out / corpus), source_field="source", overwrite=True
        )
        result = run(config, spark=spark, progress=Progress(spark.sparkContext))
        attributes = sorted(set(relations.values()))
        listed = ", ".join(f"'{a}'" for a in attributes)
        mentions = (
            connect(result.path)
            .execute(
                "select doc_id, entity, attribute, value, status, sentence from mentions "
                f"where status = '{COUNTED_STATUS}' and attribute in ({listed})"
            )
            .fetchall()
        )
        reports[corpus] = score(mentions, gold_of(src, limit=limit), sample=sample)
    (out / "report.json").write_text(
        json.dumps({c: r.to_dict() for c, r in reports.items()}, indent=2, ensure_ascii=False)
        + "\n",
        "utf-8",
    )
    rows = [
        {
            "corpus": corpus,
            **{
                k: v
                for k, v in asdict(s).items()
                if k not in ("false_positives", "false_negatives")
            },
        }
        for corpus, report in reports.items()
        for s in report.relations.values()
    ]
    pd.DataFrame(rows).to_parquet(out / "report.parquet", index=False)
    return reports
