"""Extraction on a batch of documents: spaCy once per batch, patterns, subjects, keys.

Plain Python, no Spark: :mod:`singleton_rate.spark` feeds it Arrow batches inside workers, and
tests call it directly. One :class:`DocResult` comes back for every document given, so the
run can account for each document (processed, skipped by the prefilter, or failed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from spacy.attrs import LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from singleton_rate.contract import ASSERTED, UNKEYED
from singleton_rate.corpus.document import Document
from singleton_rate.extract.catalog import Catalog, Pattern, Relation
from singleton_rate.extract.chunk import split_text
from singleton_rate.extract.keys import key_value
from singleton_rate.extract.kinds import kind
from singleton_rate.extract.model import load_model
from singleton_rate.extract.patterns import (
    DOC_TEXT_KEY,
    INSTITUTION_HEADS,
    Candidate,
    SentenceView,
    doc_text,
)
from singleton_rate.extract.prefilter import build_prefilter, trigger_words
from singleton_rate.extract.sentences import select_pieces, sentence_spans
from singleton_rate.extract.subject import (
    MainEntity,
    main_entity,
    pronoun_of,
    resolve,
    surname_owners,
)
from singleton_rate.extract.words import word_list
from singleton_rate.normalize import entity_key, value_key

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Mention:
    """One extracted fact occurrence with its keys, surfaces and provenance."""

    doc_id: str
    source: str | None
    entity: str
    attribute: str
    value: str
    value_precision: str
    entity_text: str
    subject_text: str
    resolution: str
    value_text: str
    sentence: str
    sentence_start: int
    start: int
    end: int
    pattern: str
    status: str


@dataclass(frozen=True, slots=True)
class DocResult:
    """What happened to one document."""

    doc_id: str
    location: str
    source: str | None
    n_chars: int
    n_words: int
    n_chunks: int = 0  # pieces of the text that went through the parser
    parsed_chars: int = 0  # characters in those pieces (the rest skipped the parser)
    n_sentences: int = 0  # sentences spaCy found in those pieces
    parsed: bool = False  # False when the prefilter ruled out every pattern
    error: str | None = None
    mentions: tuple[Mention, ...] = field(default_factory=tuple)


def _unparsed(doc: Document, error: str | None = None) -> DocResult:
    """The result of a document the parser never saw: ruled out by the prefilter, or failed."""
    return DocResult(
        doc_id=doc.doc_id,
        location=doc.location,
        source=doc.source,
        n_chars=len(doc.text),
        n_words=len(doc.text.split()),
        error=error,
    )


class Extractor:
    """The catalog's patterns run over spaCy parses, batch by batch.

    Build one per worker process (the model load is the expensive part) and call
    :meth:`extract` on each batch.
    """

    def __init__(
        self,
        catalog: Catalog,
        model_name: str,
        *,
        batch_size: int = 64,
        max_chunk_chars: int = 100_000,
        nlp: Language | None = None,
        prefilter: str = "sentence",
    ) -> None:
        self.catalog = catalog
        self.nlp = nlp if nlp is not None else load_model(model_name)
        self.batch_size = batch_size
        self.max_chunk_chars = max_chunk_chars
        self.prefilter = prefilter
        self.could_match = build_prefilter(catalog)
        # Each pattern with its kind (its interpreter), looked up once, not per sentence.
        self._plan = [(r, p, kind(p.kind)) for r in catalog.relations for p in r.patterns]
        # spaCy's hash of each lower-cased trigger word, as token.lower holds it.
        self._trigger_hashes = np.array(
            sorted(self.nlp.vocab.strings.add(w) for w in trigger_words(catalog)),
            dtype=np.uint64,
        )

    def extract(self, docs: Sequence[Document]) -> list[DocResult]:
        """One :class:`DocResult` per document, in input order."""
        try:
            return list(self._extract(docs))
        except Exception:  # one bad document must not lose the batch: isolate it
            if len(docs) == 1:
                raise
            log.warning("batch of %d failed; retrying document by document", len(docs))
            return [self._extract_one(d) for d in docs]

    def _extract_one(self, doc: Document) -> DocResult:
        try:
            return next(iter(self._extract([doc])))
        except Exception as exc:
            return _unparsed(doc, error=f"{type(exc).__name__}: {exc}"[:500])

    def _extract(self, docs: Sequence[Document]) -> Iterator[DocResult]:
        if self.prefilter == "off":
            wanted = list(docs)
        else:
            wanted = [d for d in docs if self.could_match(d.text)]
        eager, openings = {}, {}
        for i, d in enumerate(wanted):
            eager[i], openings[i] = self._pieces(d.text)
        parsed = self._parse(eager)
        # Patterns first; a document's opening is parsed only when one fired in it, since
        # only then is its main entity needed (most parsed documents state no fact).
        found = {i: self._find(d, parsed.get(i, [])) for i, d in enumerate(wanted)}
        late = self._parse({i: openings[i] for i in found if found[i] and openings[i]})
        results = {}
        for i, d in enumerate(wanted):
            chunks = [*late.get(i, []), *parsed.get(i, [])]
            if not chunks:
                continue  # no sentence of it can hold a fact
            main = main_entity([c for _, c in chunks], d.title) if found[i] else None
            if main is not None:
                main = replace(main, pronoun=pronoun_of(d.text))
            results[id(d)] = replace(
                _unparsed(d),
                parsed=True,
                n_chunks=len(chunks),
                parsed_chars=sum(len(doc_text(c)) for _, c in chunks),
                n_sentences=sum(_count_sentences(c) for _, c in chunks),
                mentions=tuple(
                    _prefer_specific(_dedupe(_mentions(d, found[i], main)), self.catalog)
                ),
            )
        for d in docs:
            if id(d) in results:
                yield results[id(d)]
            else:
                yield _unparsed(d)

    def _parse(self, pieces: dict[int, list[tuple[int, str]]]) -> dict[int, list[tuple[int, Doc]]]:
        """spaCy over every ``(offset, text)`` piece, in one ``nlp.pipe``; by document."""
        jobs = [(text, (i, offset, text)) for i, ps in pieces.items() for offset, text in ps]
        parsed: dict[int, list[tuple[int, Doc]]] = {}
        for spacy_doc, (i, offset, text) in self.nlp.pipe(
            jobs, as_tuples=True, batch_size=self.batch_size
        ):
            # spaCy keeps the text exactly: no need to join the tokens again (doc_text).
            spacy_doc.user_data[DOC_TEXT_KEY] = text
            parsed.setdefault(i, []).append((offset, spacy_doc))
        return parsed

    def _pieces(self, text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """The ``(offset, piece)`` parts of a document for the parser: those that can hold a
        fact, and the opening, parsed only if a pattern fires (its main entity is needed).

        The opening introduces the document's main entity, which pronouns and partial names
        resolve to. ``off`` parses everything; ``document`` every long-document chunk that
        can hold a fact; ``sentence`` only the runs of sentences that can (see
        :mod:`singleton_rate.extract.sentences`). An opening next to such a run joins it, as if
        it could hold a fact.
        """
        chunks = split_text(text, self.max_chunk_chars)
        if self.prefilter == "off":
            return chunks, []
        if self.prefilter == "document":
            keep = [self.could_match(c) for _, c in chunks]
            eager = [c for c, k in zip(chunks, keep, strict=True) if k]
            return eager, ([] if keep[0] else chunks[:1])
        spans = sentence_spans(text)
        keep = [self.could_match(text[a:b]) for a, b in spans]
        opening: list[tuple[int, str]] = []
        if keep and not keep[0]:
            if len(keep) > 1 and keep[1]:
                keep[0] = True
            else:
                first = [True] + [False] * (len(keep) - 1)
                opening = self._split(select_pieces(text, first, spans))
        return self._split(select_pieces(text, keep, spans)), opening

    def _split(self, runs: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
        # A run longer than the parser's limit (text without sentence punctuation).
        return [
            (offset + o, p)
            for offset, run in runs
            for o, p in split_text(run, self.max_chunk_chars)
        ]

    def _find(self, doc: Document, chunks: list[tuple[int, Doc]]) -> list[_Found]:
        """Every pattern match in the parsed pieces, before subjects are resolved."""
        found: list[_Found] = []
        for offset, spacy_doc in chunks:
            text = doc_text(spacy_doc)
            # A pattern fires only on a sentence with a token of its trigger words (or, for
            # a lifespan, an opening parenthesis): found for all tokens at once, this spares
            # indexing the tokens of the many sentences that have none.
            hits = np.isin(spacy_doc.to_array(LOWER), self._trigger_hashes)
            if not hits.any() and "(" not in text:
                continue
            seen = np.concatenate(([0], np.cumsum(hits)))
            for sent in spacy_doc.sents:
                if (
                    seen[sent.end] == seen[sent.start]
                    and "(" not in text[sent.start_char : sent.end_char]
                ):
                    continue
                view = SentenceView.of(sent)
                for relation, pattern, spec in self._plan:
                    if not view.could_fire(pattern):
                        continue
                    if not spec.anchored and not view.openers:
                        continue
                    found.extend(
                        (relation, pattern, cand, sent, offset)
                        for cand in spec.match(view, pattern, relation.value)
                    )
        return found


# A pattern match: relation, pattern, candidate, its sentence and the piece's offset.
_Found = tuple[Relation, Pattern, Candidate, Span, int]


def _mentions(doc: Document, found: list[_Found], main: MainEntity | None) -> list[Mention]:
    mentions = []
    owners: dict[str, dict[str, str]] | None = None  # read once per document, when needed
    for relation, pattern, cand, sent, offset in found:
        mention = _mention(doc, relation, pattern, cand, sent, offset, main)
        if mention is None:
            continue
        if _surname_as_value(mention, cand, sent):
            if owners is None:
                owners = surname_owners(doc.text)
            if mention.value in owners:
                # "King and UConn sophomore Ricky Moore" on a page that names Kirk King: the
                # capitalised word is his surname, not a post of Moore's
                continue
        one_word = " " not in mention.entity and (main is None or mention.entity != main.key)
        if relation.subject == "PERSON" and mention.resolution == "name" and one_word:
            # "Carr died of cancer …" on a page that names Eric Carr: the fact is his, under
            # his whole name, when the page names one person of that surname; a lone word
            # the page never completes (a mononym: "Dido", "Ludacris") stays as it is
            if owners is None:
                owners = surname_owners(doc.text)
            full = owners.get(mention.entity, {})
            if len(full) == 1:
                key, text = next(iter(full.items()))
                mention = replace(mention, entity=key, entity_text=text, resolution="surname")
        mentions.append(mention)
    return mentions


def _surname_as_value(mention: Mention, cand: Candidate, sent: Span) -> bool:
    """Whether a text value is one capitalised word, not the sentence's first, that the NER
    labels a person and the parser does not make a complement ("was elected Surveyor"): a
    surname, when the page names someone whose last word it is."""
    text = cand.value_text
    if mention.value_precision != "text" or " " in text or not text[:1].isupper():
        return False
    start = cand.value_start - sent.start_char
    if start <= 0:
        return False  # a sentence's first word is capitalised anyway
    token = sent.char_span(start, start + len(text))
    if token is None:
        return False
    return token[0].ent_type_ == "PERSON" and token[0].dep_ not in ("attr", "oprd", "pobj")


def _count_sentences(doc: Doc) -> int:
    """Sentences spaCy found in ``doc``, from its sentence-start flags (no span objects)."""
    if not len(doc):
        return 0
    starts = doc.to_array(SENT_START)
    return int((starts == 1).sum()) + (0 if starts[0] == 1 else 1)


def _key_value(
    relation: Relation, cand: Candidate, main: MainEntity | None
) -> tuple[str, str] | None:
    """The value's key and precision, or ``None`` when it cannot be keyed."""
    if cand.value_ref is not None:  # "He founded Microsoft": the founder is whoever "He" is
        ref = resolve(cand.value_ref, "subject", "PERSON", main)
        if ref is None:
            return None
        return value_key(relation.value, ref.text)
    text = cand.value_norm if cand.value_norm is not None else cand.value_text
    return key_value(relation.value, text)  # shared with question scoring (singleton_rate.score)


def _mention(
    doc: Document,
    relation: Relation,
    pattern: Pattern,
    cand: Candidate,
    sent: Span,
    offset: int,
    main: MainEntity | None,
) -> Mention | None:
    if cand.subject is None:
        return None
    if cand.route == "lead" and (
        doc.text[: offset + cand.subject.idx].strip()
        or (main is not None and main.text.lower() in sent.text.lower())
    ):
        # A subjectless verb names the page's subject only when it opens the page, and not
        # when the sentence names the page's subject as someone else ("is a club affiliated
        # with Pakistan Steel Mills" on that page).
        return None
    subject = resolve(cand.subject, cand.route, relation.subject, main)
    if subject is None:
        return None
    entity = entity_key(subject.text)
    if not entity:
        return None
    keyed = _key_value(relation, cand, main)
    status = cand.status
    if keyed is None:
        if cand.value_ref is not None:
            return None  # a pronoun value that names no one: nothing was stated
        value, precision = "", ""
        if status == ASSERTED:
            status = UNKEYED
    else:
        value, precision = keyed
        if relation.value == "entity" and value == entity:
            return None  # "X married X": a resolution slip, not a statement
        if relation.value == "entity" and value in BARE_HEADS:
            return None  # "Chairman of the Association": refers back to a body, names none
    return Mention(
        doc_id=doc.doc_id,
        source=doc.source,
        entity=entity,
        attribute=relation.name,
        value=value,
        value_precision=precision,
        entity_text=subject.text,
        subject_text=subject.mention,
        resolution=subject.resolution,
        value_text=cand.value_text,
        sentence=sent.text,
        sentence_start=offset + sent.start_char,
        start=offset + cand.value_start,
        end=offset + cand.value_end,
        pattern=pattern.name,
        status=status,
    )


# A one-word entity value that is only a common noun for a body refers back to one named
# elsewhere ("the Association", "the College"): it keys no fact.
BARE_HEADS: frozenset[str] = INSTITUTION_HEADS | word_list("referring_heads")


def _coarse_patterns(catalog: Catalog) -> frozenset[str]:
    """Patterns of a ``coarse`` kind (hyphenated) in single-valued place relations: "an
    Azerbaijani-born athlete" gives a country, less specific than a place the same sentence
    may name."""
    return frozenset(
        p.name
        for r in catalog.relations
        if r.single_valued and r.value == "place"
        for p in r.patterns
        if kind(p.kind).coarse
    )


def _prefer_specific(mentions: list[Mention], catalog: Catalog) -> list[Mention]:
    """Drop a country read from a demonym ("Azerbaijani-born") when the same sentence gives
    the same subject another value of that single-valued place relation ("born … in Baku,
    Azerbaijan … is an Azerbaijani-born sprinter"): the relation's value is the most
    specific named place."""
    coarse = _coarse_patterns(catalog)
    if not coarse or not any(m.pattern in coarse for m in mentions):
        return mentions
    specific = {
        (m.attribute, m.entity, m.sentence_start)
        for m in mentions
        if m.pattern not in coarse and m.status == ASSERTED and m.value
    }
    return [
        m
        for m in mentions
        if m.pattern not in coarse or (m.attribute, m.entity, m.sentence_start) not in specific
    ]


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per (attribute, subject, value span): two patterns may find the same
    statement. The subject is part of the key: one noun may describe several people ("poets
    Du Fu and Fang Gan")."""
    seen: set[tuple[str, str, int, int]] = set()
    out = []
    for m in mentions:
        key = (m.attribute, m.entity, m.start, m.end)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
