"""Step 3b: the rules of sim.py, refined, as option sets; one output column per option set.

Beyond sim.py (R1-R4), every refinement is again a property of a pattern's kind and fields or
of a shipped word list, not of single words:

  name token     a capitalised token whose lower case is not an English stop word (spaCy's
                 STOP_WORDS): "The", "His", "In" open sentences, they name nobody.
  subj           copula kind: the copula's subject must look like one: a name token, a
                 pronoun of words.toml (`pronouns`, `org_pronouns` for ORG relations) or the
                 ")" closing "X (born …)" within WS tokens before the copula.
  tight          copula kind: no clause punctuation (, ; : ( ) ") between the copula and the
                 entry (the predicate noun complements the verb: "was an American film
                 director"); apposition must be "entry Name", "entry, Name", plural entry +
                 `list_openers` + Name, or "Name, (det) (words) entry" with no other
                 punctuation between.
  person_noun    any_noun: the lower-case words after the country entry must hold no noun of
                 the kind's own NON_PERSON_NOUNS ("an American racing team", "a 1943 American
                 mystery film"), and the copula's subject must look like one (subj).
  np_object      verb_object: between the verb and the capitalised object only determiners or
                 possessives ("founded the Hebrew University", not "started in Paris").
  wp             take = "prep" copulas: the prep may be up to WP tokens after the entry
                 ("a Bachelor of Arts from Furman University", "a PhD in History from X").

PYTHONPATH=src_e8c3997/pipeline:. /work/main/.venv/bin/python sim2.py TAG [limit=N] [split=dev|test]
"""

from __future__ import annotations

import sys
import time
import zlib

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from spacy.lang.en.stop_words import STOP_WORDS

from gatelib import read_corpus
from sim import (
    DETS,
    OUT,
    POSSESSIVES,
    Rules,
    Span,
    anchor_positions,
    country_phrases,
    find_any,
    find_any_back,
    noun_phrases,
    word_phrases,
)
from singleton_rate.extract.kinds import kind as kind_of
from singleton_rate.extract.kinds.copula import NON_PERSON_NOUNS
from singleton_rate.extract.words import word_list

PRONOUNS = word_list("pronouns")
ORG_PRONOUNS = word_list("org_pronouns")
LIST_OPENERS = word_list("list_openers") | {"such"}
CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", '"', "“", "”"})
NP_FILLERS = DETS | POSSESSIVES | {"its"}


def is_name(span: Span, j: int) -> bool:
    return 0 <= j < len(span.text) and span.text[j][:1].isupper() and span.low[j] not in STOP_WORDS


class Rules2(Rules):
    def __init__(self, P: dict, opts: dict):
        super().__init__(P)
        self.o = opts

    # ----- cues -----------------------------------------------------------------------------
    def subject_ok(self, span: Span, c: int, r) -> bool:
        prons = PRONOUNS | (ORG_PRONOUNS if r.subject != "PERSON" else frozenset())
        return find_any_back(span, c - self.P["WS"], c, lambda j: is_name(span, j)
                             or span.low[j] in prons or span.low[j] == ")")

    def predicate_cue(self, span: Span, s: int, p, r) -> bool:
        words = set(p.words)
        for c in range(max(s - self.P["WC"], 0), s):
            if span.low[c] not in words:
                continue
            if self.o.get("tight") and any(span.low[j] in CLAUSE_PUNCT for j in range(c + 1, s)):
                continue
            if self.o.get("subj") and not self.subject_ok(span, c, r):
                continue
            return True
        return False

    def apposition(self, span: Span, s: int, e: int) -> bool:
        if not self.o.get("tight"):
            return super().apposition(span, s, e)
        # "physicist Marie Curie", "the cookie magnate, Hermann Bahlsen", "poets like X"
        if is_name(span, e):
            return True
        if e < len(span.low) and span.low[e] in (",", "(") and is_name(span, e + 1):
            return True
        if e < len(span.low) and span.low[e] in LIST_OPENERS and is_name(span, e + 1):
            return True
        # "Curie, a physicist", "Smith, the former chief executive", "X (a painter"
        for j in range(s - 1, max(s - 1 - self.P["WAPP"], -1), -1):
            t = span.low[j]
            if t in (",", "("):
                return j >= 1 and (is_name(span, j - 1) or span.low[j - 1] == ")")
            if t in CLAUSE_PUNCT or t == ".":
                return False
        return False

    # ----- kinds ----------------------------------------------------------------------------
    def copula(self, span: Span, r, p) -> bool:
        P, o = self.P, self.o
        v = r.value
        if p.option("any_noun", False):
            cops = anchor_positions(span, p.words)
            if not cops:
                return False
            countries = span.phrases(country_phrases())
            for a in cops:
                if o.get("person_noun") and not self.subject_ok(span, a, r):
                    continue
                for s, e in countries:
                    if not (a < s <= a + P["WC"]):
                        continue
                    if o.get("tight") and any(span.low[j] in CLAUSE_PUNCT for j in range(a + 1, s)):
                        continue
                    if not (e < len(span.low) and span.text[e].isalpha() and span.text[e].islower()):
                        continue
                    if o.get("person_noun"):
                        run = []
                        j = e
                        while j < len(span.low) and span.text[j].isalpha() and span.text[j].islower() \
                                and span.low[j] not in STOP_WORDS:
                            run.append(span.low[j])
                            j += 1
                        if not run or any(w in NON_PERSON_NOUNS for w in run):
                            continue
                    return True
            return False
        entries = span.phrases(noun_phrases(p.nouns, p.appositive))
        for s, e in entries:
            cue = self.predicate_cue(span, s, p, r)
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
                elif find_any(span, s - P["WM"], s, lambda j: is_name(span, j) if o.get("tight")
                              else span.cap(j)):
                    return True
            elif p.take == "prep":
                prep_at = {a for a, _ in span.phrases(word_phrases(p.preps))}
                wp = P["WP"] if o.get("wp") else 2
                if find_any(span, e, e + wp, lambda j: j in prep_at
                            and self.shape_after(span, j, v, p, P["WV"])):
                    return True
        return False

    def r23(self, span, r, p, use_r2=True, use_r3=True, use_r4=True) -> bool:
        if p.kind == "verb_object" and self.o.get("np_object"):
            for a in anchor_positions(span, p.words):
                for j in range(a + 1, min(a + 1 + self.P["WO"], len(span.low))):
                    if span.cap(j):
                        return True
                    if span.low[j] not in NP_FILLERS:
                        break
            return False
        return super().r23(span, r, p, use_r2, use_r3, use_r4)

    def passes(self, raw: str, want_patterns: bool = False):
        span = Span(raw)
        if not any(self.r1(span, r, p) for r, p in self.pats):
            return False, []
        if want_patterns:
            pats = [p.name for r, p in self.pats if self.r23(span, r, p, True, True, True)]
            return bool(pats), pats
        return any(self.r23(span, r, p, True, True, True) for r, p in self.pats), []


DEFAULT = dict(WC=8, WM=4, WV=4, WA=6, WB=6, WD=8, WO=4, WAPP=6, WS=6, WP=8)
SETS = {
    "ALL": {},
    "ALL+tight": {"tight": 1},
    "ALL+subj": {"subj": 1},
    "ALL+tight+subj": {"tight": 1, "subj": 1},
    "ALL+tight+subj+pn": {"tight": 1, "subj": 1, "person_noun": 1},
    "ALL+tight+subj+pn+np": {"tight": 1, "subj": 1, "person_noun": 1, "np_object": 1},
    "S": {"tight": 1, "subj": 1, "person_noun": 1, "np_object": 1, "wp": 1},
}


def main(tag: str, limit: int = 0, sets: str = "", detail: str = "S", **over):
    P = {**DEFAULT, **over}
    names = sets.split(",") if sets else list(SETS)
    rules = {n: Rules2(P, SETS[n]) for n in names}
    con = duckdb.connect()
    passing = {}
    for doc_id, i, a, b in con.execute(
        "select doc_id, i, start, \"end\" from read_parquet('out/spans.parquet') where passes"
    ).fetchall():
        passing.setdefault(doc_id, []).append((i, a, b))
    cols: dict[str, list] = {"doc_id": [], "i": [], **{n: [] for n in names}, f"{detail}_patterns": []}
    t0 = time.time()
    for n, (doc_id, _t, text) in enumerate(read_corpus()):
        if limit and n >= limit:
            break
        for i, a, b in passing.get(doc_id, ()):
            raw = text[a:b]
            cols["doc_id"].append(doc_id)
            cols["i"].append(i)
            for name, ru in rules.items():
                ok, pats = ru.passes(raw, want_patterns=(name == detail))
                cols[name].append(ok)
                if name == detail:
                    cols[f"{detail}_patterns"].append(pats)
            if detail not in rules:
                cols[f"{detail}_patterns"].append([])
        if n % 5000 == 0:
            print(n, f"{time.time() - t0:.0f}s", file=sys.stderr)
    pq.write_table(pa.table(cols), OUT / f"rules_{tag}.parquet")
    print(f"done {time.time() - t0:.0f}s params {P} sets {names}", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    tag = args[0]
    kw = dict(a.split("=", 1) for a in args[1:])
    ints = {k: int(v) for k, v in kw.items() if k not in ("sets", "detail")}
    main(tag, sets=kw.get("sets", ""), detail=kw.get("detail", "S"), **ints)
