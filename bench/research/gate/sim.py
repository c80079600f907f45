"""Step 3: sharper gate rules, derived from the catalog, simulated on the same pre-parse spans.

Every rule is a restriction of the current gate (it is applied only to spans the current gate
passes). Rules are built per pattern from its catalog fields (kind, words, preps, deps, nouns,
take, appositive, any_noun, value type), never per word:

  R1 whole entries   a pattern that restricts a noun needs a whole entry of its `nouns` (a
                     lexicon entry as a token sequence, "major general", "member of the
                     legislative council", "founding member"; the last word pluralised for
                     appositive patterns), not just an entry's last word; a country word
                     needs a whole country-lexicon entry, capitalised.
  R2 noun cue+value  copula kind: a whole entry AND (one of the pattern's `words` within
                     WC tokens before it, or, when appositive, an apposition cue: a capitalised
                     token right after the entry, or "Name, (det) (adj..) entry" / "Name (…" )
                     AND the value its `take` needs: modifier -> a country entry (country
                     values) or a capitalised token (entity values) within WM tokens before
                     the entry; prep -> one of `preps` within 2 tokens after the entry and
                     a value shape within WV tokens after the prep; noun -> nothing more.
                     any_noun: a copula word, then within WC tokens a capitalised country
                     entry followed by a lower-case word.
  R3 anchor+value    verb_arg: an anchor word with the relation's value shape near it: date
                     -> a date (normalize.find_dates) within WD tokens after the anchor or a
                     prep+date within WB tokens before it; place/entity -> one of `preps`
                     within WA tokens after (or WB before) the anchor followed by a
                     capitalised token within WV tokens; text -> `as` + a whole entry.
                     verb_object: a capitalised token within WO tokens after the anchor.
                     possessed: a possessive (his/her/their/'s) within 3 tokens before the
                     noun and a capitalised token within WO tokens after it. hyphenated:
                     "Capitalised-anchor" glued by the hyphen.
  R4 lifespan        the parenthesis must hold what lifespan accepts: two dates
                     (find_dates), or one date that is open-ended, approximate, not a bare
                     year, or after a birth/death mark.

Output: out/rules.parquet, one row per passing span: (doc_id, i, <rule columns>).

PYTHONPATH=src_e8c3997/pipeline:. /work/main/.venv/bin/python sim.py
"""

from __future__ import annotations

import functools
import re
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from gatelib import read_corpus
from singleton_rate.extract.catalog import _entries, load_catalog, plural
from singleton_rate.extract.kinds import kind as kind_of
from singleton_rate.extract.kinds.lifespan import _LIFESPAN_MARKS, _OPEN_END
from singleton_rate.extract.lexicon import load_lexicon
from singleton_rate.extract.patterns import LIFESPAN_MAX_CHARS
from singleton_rate.normalize import find_dates

OUT = Path(__file__).parent / "out"
TOKEN = re.compile(r"\w+|[^\w\s]")
PAREN = re.compile(rf"\(([^()]{{0,{LIFESPAN_MAX_CHARS}}})\)")
POSSESSIVES = frozenset({"his", "her", "their", "its"})
DETS = frozenset({"a", "an", "the"})


def toks(text: str) -> tuple[str, ...]:
    return tuple(TOKEN.findall(text.lower()))


class Phrases:
    """Whole entries as token sequences, found by their first token."""

    def __init__(self, entries, cap_first: bool = False):
        self.by_first: dict[str, set[tuple[str, ...]]] = {}
        for e in entries:
            t = toks(e)
            if t:
                self.by_first.setdefault(t[0], set()).add(t)
        self.cap_first = cap_first

    def find(self, span) -> list[tuple[int, int]]:
        low, text = span.low, span.text
        out = []
        for i, t in enumerate(low):
            cands = self.by_first.get(t)
            if not cands:
                continue
            if self.cap_first and not text[i][:1].isupper():
                continue
            for e in cands:
                n = len(e)
                if tuple(low[i : i + n]) == e:
                    out.append((i, i + n))
        return out


class Span:
    __slots__ = ("raw", "text", "low", "starts", "ends", "_cache", "_dates")

    def __init__(self, raw: str):
        self.raw = raw
        ms = list(TOKEN.finditer(raw))
        self.text = [m.group() for m in ms]
        self.low = [t.lower() for t in self.text]
        self.starts = [m.start() for m in ms]
        self.ends = [m.end() for m in ms]
        self._cache = {}
        self._dates = None

    def phrases(self, ph: Phrases):
        k = id(ph)
        if k not in self._cache:
            self._cache[k] = ph.find(self)
        return self._cache[k]

    def cap(self, i: int) -> bool:
        return 0 <= i < len(self.text) and self.text[i][:1].isupper()

    def date_tokens(self) -> set[int]:
        """Token indices covered by a date find_dates sees in the span."""
        if self._dates is None:
            cover = set()
            for s, e, _ in find_dates(self.raw):
                for j, (a, b) in enumerate(zip(self.starts, self.ends)):
                    if a < e and s < b:
                        cover.add(j)
            self._dates = cover
        return self._dates

    def glued(self, i: int) -> bool:
        """token i ends where token i+1 starts (no space)."""
        return self.ends[i] == self.starts[i + 1]


@functools.cache
def noun_phrases(nouns: tuple[str, ...], appositive: bool) -> Phrases:
    entries = set(e.lower() for e in _entries(nouns))
    if appositive:  # "poets Du Fu and Fang Gan": the last word plural
        more = set()
        for e in entries:
            w = e.split(" ")
            more.add(" ".join([*w[:-1], plural(w[-1])]))
        entries |= more
    return Phrases(entries)


@functools.cache
def country_phrases() -> Phrases:
    return Phrases(load_lexicon("countries").entries, cap_first=True)


def anchor_positions(span: Span, words: tuple[str, ...]) -> list[int]:
    return [s for s, _ in span.phrases(word_phrases(words))]


@functools.cache
def word_phrases(words: tuple[str, ...]) -> Phrases:
    return Phrases(words)


def find_any(span: Span, lo: int, hi: int, pred) -> bool:
    lo = max(lo, 0)
    hi = min(hi, len(span.low))
    for j in range(lo, hi):
        if span.low[j] == ";":
            return False
        if pred(j):
            return True
    return False


def find_any_back(span: Span, lo: int, hi: int, pred) -> bool:
    """pred over j in [lo, hi) scanning right to left from hi-1, stopping at ';'."""
    lo = max(lo, 0)
    for j in range(min(hi, len(span.low)) - 1, lo - 1, -1):
        if span.low[j] == ";":
            return False
        if pred(j):
            return True
    return False


class Rules:
    def __init__(self, P: dict):
        self.P = P
        self.cat = load_catalog()
        self.pats = [(r, p) for r in self.cat.relations for p in r.patterns]

    # --- value shapes -------------------------------------------------------------
    def shape(self, span: Span, j: int, value: str, pattern=None) -> bool:
        if value == "date":
            return j in span.date_tokens()
        if value in ("place", "entity", "country"):
            return span.cap(j)
        if value == "text":
            ph = noun_phrases(pattern.nouns, False)
            return any(s == j for s, _ in span.phrases(ph))
        return True

    def shape_after(self, span, j, value, pattern, width) -> bool:
        """a value shape starting within `width` tokens after j (skipping determiners etc.)."""
        return find_any(span, j + 1, j + 1 + width, lambda k: self.shape(span, k, value, pattern))

    # --- R1: whole entries ------------------------------------------------------------
    def r1(self, span: Span, r, p) -> bool:
        k = kind_of(p.kind)
        if not k.anchored:
            return self.lifespan_current(span)
        if p.option("any_noun", False):
            return bool(anchor_positions(span, p.words)) and bool(span.phrases(country_phrases()))
        if p.nouns:
            entries = span.phrases(noun_phrases(p.nouns, p.appositive))
            if not entries:
                return False
            if p.appositive:
                return True
        return bool(anchor_positions(span, p.words))

    # --- R2 + R3: cue and value shape ------------------------------------------------------
    def r23(self, span: Span, r, p, use_r2=True, use_r3=True, use_r4=True) -> bool:
        P = self.P
        k = kind_of(p.kind)
        if not k.anchored:
            return self.lifespan_sharp(span) if use_r4 else self.lifespan_current(span)
        if p.kind == "copula":
            if not use_r2:
                return self.r1(span, r, p)
            return self.copula(span, r, p)
        if not use_r3:
            return self.r1(span, r, p)
        anchors = anchor_positions(span, p.words)
        if not anchors:
            return False
        v = r.value
        if p.kind == "verb_arg":
            preps = word_phrases(p.preps)
            prep_at = {s for s, _ in span.phrases(preps)} if p.preps else set()
            for a in anchors:
                if v == "date":
                    # "born 7 May 1900", "born on 7 May", "(b. c. 1500)"; "In 1998 X was founded"
                    if find_any(span, a + 1, a + 1 + P["WD"], lambda j: j in span.date_tokens()):
                        return True
                    if find_any_back(span, a - P["WB"], a, lambda j: j in span.date_tokens()
                                     and (j - 1 in prep_at or j - 2 in prep_at)):
                        return True
                elif v == "text":
                    if find_any(span, a + 1, a + 1 + P["WA"], lambda j: j in prep_at
                                and self.shape_after(span, j, v, p, P["WV"])):
                        return True
                else:
                    if find_any(span, a + 1, a + 1 + P["WA"], lambda j: j in prep_at
                                and self.shape_after(span, j, v, p, P["WV"])):
                        return True
                    if find_any_back(span, a - P["WB"], a, lambda j: j in prep_at
                                     and self.shape_after(span, j, v, p, P["WV"])):
                        return True
            return False
        if p.kind == "verb_object":
            return any(find_any(span, a + 1, a + 1 + P["WO"], span.cap) for a in anchors)
        if p.kind == "possessed":
            for a in anchors:
                poss = find_any(span, a - 3, a, lambda j: span.low[j] in POSSESSIVES
                                or (span.low[j] == "s" and j >= 1 and span.low[j - 1] in ("'", "’")))
                if poss and find_any(span, a + 1, a + 1 + P["WO"], span.cap):
                    return True
            return False
        if p.kind == "hyphenated":
            for a in anchors:
                if a >= 2 and span.low[a - 1] == "-" and span.glued(a - 1) and span.glued(a - 2) \
                        and span.cap(a - 2):
                    return True
            return False
        return True

    def copula(self, span: Span, r, p) -> bool:
        P = self.P
        v = r.value
        words = set(p.words)
        if p.option("any_noun", False):
            cops = anchor_positions(span, p.words)
            if not cops:
                return False
            countries = span.phrases(country_phrases())
            for a in cops:
                for s, e in countries:
                    if a < s <= a + P["WC"] and e < len(span.low) and span.text[e].isalpha() \
                            and span.text[e].islower():
                        return True
            return False
        entries = span.phrases(noun_phrases(p.nouns, p.appositive))
        for s, e in entries:
            cue = find_any(span, s - P["WC"], s, lambda j: span.low[j] in words)
            if not cue and p.appositive:
                cue = self.apposition(span, s, e)
            if not cue:
                continue
            if p.take == "noun":
                return True
            if p.take == "modifier":
                if v == "country":
                    if any(s - P["WM"] <= ce <= s and cs < s for cs, ce in span.phrases(country_phrases())):
                        return True
                elif find_any(span, s - P["WM"], s, span.cap):
                    return True
            elif p.take == "prep":
                prep_at = {a for a, _ in span.phrases(word_phrases(p.preps))}
                if find_any(span, e, e + 2, lambda j: j in prep_at
                            and self.shape_after(span, j, v, p, P["WV"])):
                    return True
        return False

    def apposition(self, span: Span, s: int, e: int) -> bool:
        # "physicist Marie Curie", "CEO Tim Cook", "poets Du Fu"
        if span.cap(e):
            return True
        # "Curie, a physicist", "Smith, the former chief executive", "X (a painter)"
        for j in range(s - 1, max(s - 1 - self.P["WAPP"], -1), -1):
            t = span.low[j]
            if t in (",", "(", "–", "—"):
                return j >= 1 and (span.cap(j - 1) or span.low[j - 1] == ")")
            if t in (";", ".", ":"):
                return False
        return False

    # --- lifespans ------------------------------------------------------------------------
    @staticmethod
    def lifespan_current(span: Span) -> bool:
        return any(re.search(r"\d", m.group(1)) for m in PAREN.finditer(span.raw))

    @staticmethod
    def lifespan_sharp(span: Span) -> bool:
        for m in PAREN.finditer(span.raw):
            inner = m.group(1)
            if not re.search(r"\d", inner):
                continue
            if m.start() == 0:
                continue  # nothing before the parenthesis to name
            found = find_dates(inner)
            if len(found) >= 2:
                return True
            if len(found) == 1:
                _, e1, date = found[0]
                if _OPEN_END.search(inner[e1:]) or date.precision != "year" or date.approximate \
                        or _LIFESPAN_MARKS.match(inner):
                    return True
        return False

    # --- a span's verdicts -------------------------------------------------------------------
    def verdicts(self, raw: str) -> dict[str, bool]:
        span = Span(raw)
        out = {}
        out["R1"] = any(self.r1(span, r, p) for r, p in self.pats)
        def any_of(r2, r3, r4):
            return any(self.r23(span, r, p, r2, r3, r4) for r, p in self.pats)
        out["R1+R2"] = out["R1"] and any_of(True, False, False)
        out["R1+R3"] = out["R1"] and any_of(False, True, False)
        out["R1+R4"] = out["R1"] and any_of(False, False, True)
        out["R1+R2+R3"] = out["R1+R2"] and out["R1+R3"] and any_of(True, True, False)
        out["ALL"] = out["R1+R2+R3"] and any_of(True, True, True)
        out["ALL_patterns"] = [p.name for r, p in self.pats if self.r23(span, r, p, True, True, True)] \
            if out["R1"] else []
        return out


DEFAULT = dict(WC=8, WM=4, WV=4, WA=6, WB=6, WD=8, WO=4, WAPP=6)


def main(tag: str = "default", limit: int = 0, **over):
    P = {**DEFAULT, **over}
    rules = Rules(P)
    con = duckdb.connect()
    passing = {}
    for doc_id, i, a, b in con.sql(
        "select doc_id, i, start, \"end\" from read_parquet('out/spans.parquet') where passes"
    ).fetchall():
        passing.setdefault(doc_id, []).append((i, a, b))
    cols: dict[str, list] = {"doc_id": [], "i": []}
    t0 = time.time()
    for n, (doc_id, _t, text) in enumerate(read_corpus()):
        for i, a, b in passing.get(doc_id, ()):
            v = rules.verdicts(text[a:b])
            cols["doc_id"].append(doc_id)
            cols["i"].append(i)
            for k, x in v.items():
                cols.setdefault(k, []).append(x)
        if limit and n >= limit:
            break
        if n % 5000 == 0:
            print(n, f"{time.time() - t0:.0f}s", file=sys.stderr)
    pq.write_table(pa.table(cols), OUT / f"rules_{tag}.parquet")
    print(f"done {time.time() - t0:.0f}s params {P}", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    tag = args[0] if args else "default"
    over = dict((k, int(v)) for k, v in (a.split("=") for a in args[1:]))
    main(tag, **over)
