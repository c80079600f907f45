"""Shared helpers: the run's code (git e8c3997, exported to src_e8c3997/), the corpus reader,
and an explaining re-implementation of prefilter.build_prefilter's could_match.

Import with PYTHONPATH=/work/notes/gate/src_e8c3997/pipeline:/work/notes/gate
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator

from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.kinds import kind
from singleton_rate.extract.prefilter import _has_lifespan, build_prefilter

CORPUS = "/work/shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz"
RUN = "/work/runs/wiki_now"
_PLAIN_WORD = re.compile(r"\w+")


def read_corpus(path: str = CORPUS) -> Iterator[tuple[str, str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield r["id"], r.get("title") or "", r["text"]


class ExplainingGate:
    """The same decision as build_prefilter(catalog), plus which patterns let a text pass and
    through which of their trigger words."""

    def __init__(self, catalog=None):
        self.catalog = catalog or load_catalog()
        self.could_match = build_prefilter(self.catalog)
        self.patterns = []  # (pattern name, relation name, trigger groups)
        self.lifespan_patterns = []
        for r in self.catalog.relations:
            for p in r.patterns:
                if kind(p.kind).anchored:
                    self.patterns.append((p.name, r.name, p.trigger_groups, p))
                else:
                    self.lifespan_patterns.append(p.name)
        vocab = {w for _, _, gs, _ in self.patterns for g in gs for w in g}
        self.vocabulary = frozenset(vocab)
        special = sorted({w for w in vocab if not _PLAIN_WORD.fullmatch(w)}, key=len, reverse=True)
        self.special_re = re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, special)) + r")(?!\w)", re.IGNORECASE
        )

    def words(self, text: str) -> set[str]:
        found = {w.lower() for w in _PLAIN_WORD.findall(text)}
        found.update(m.group(0).lower() for m in self.special_re.finditer(text))
        return found & self.vocabulary

    @staticmethod
    def _sat(groups, words) -> bool:
        return all(not g.isdisjoint(words) for g in groups)

    def explain(self, text: str):
        """(passes, satisfied pattern names, {pattern: enabling words}, lifespan, critical words).

        critical words: trigger words whose removal alone would make the text fail.
        """
        if not text:
            return False, [], {}, False, []
        words = self.words(text)
        sat = {}
        for name, _, gs, _ in self.patterns:
            if words and self._sat(gs, words):
                sat[name] = sorted(set().union(*(g & words for g in gs)))
        life = bool(self.lifespan_patterns) and _has_lifespan(text)
        passes = bool(sat) or life
        critical = []
        if passes and not life:
            for w in sorted({w for ws in sat.values() for w in ws}):
                rest = words - {w}
                if not any(self._sat(gs, rest) for _, _, gs, _ in self.patterns):
                    critical.append(w)
        return passes, sorted(sat), sat, life, critical
