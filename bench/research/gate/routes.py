"""Step 3c: which cue ("route") of which pattern lets each span through, enumerated in full.

The same rules as sim2.py's set S (whole entries, cues, value shapes, sharp lifespans), but
instead of a yes/no each passing span gets the list of "pattern:route" labels that fire, so
that the marginal value of every route (chars it alone lets through, mentions that depend on
it alone) can be computed afterwards (route_value.py). Routes:

  copula   pred        copula/anchor word before the entry (the predicate noun)
           pred_lead   ... with nothing before the copula in the span (the page's lead,
                       "is a Japanese football player": the name was lost from the text)
           app_after   entry + Name ("physicist Marie Curie")
           app_comma   entry + , + Name ("the cookie magnate, Hermann Bahlsen")
           app_list    plural entry + list opener + Name
           app_before  Name , (det)(words) entry ("Curie, a physicist")
           each + ":Cap" when the entry's first token is capitalised mid-sentence
  any_noun pred
  verb_arg date_after / date_before / prep_after / prep_before / as_noun
  verb_object obj ; possessed poss ; hyphenated hyph ; lifespan life

PYTHONPATH=src_e8c3997/pipeline:. /work/main/.venv/bin/python routes.py TAG [WC=8 ...]
"""

from __future__ import annotations

import sys
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from spacy.lang.en.stop_words import STOP_WORDS

from gatelib import read_corpus
from sim import OUT, POSSESSIVES, Span, anchor_positions, country_phrases, find_any, find_any_back, \
    noun_phrases, word_phrases
from sim2 import LIST_OPENERS, NP_FILLERS, ORG_PRONOUNS, PRONOUNS, Rules2, is_name
from singleton_rate.extract.kinds import kind as kind_of
from singleton_rate.extract.kinds.copula import NON_PERSON_NOUNS


CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")"})


class RouteRules(Rules2):
    def __init__(self, P):
        super().__init__(P, {"tight": 1, "subj": 1, "person_noun": 1, "np_object": 1, "wp": 1})

    def subject_kind(self, span, c, r):
        """'lead' when nothing precedes the copula; 'subj' when a name (or the ")" of
        "X (born …)") stands within WS tokens before it; 'pron' when only a pronoun does."""
        if c == 0:
            return "lead"
        prons = PRONOUNS | (ORG_PRONOUNS if r.subject != "PERSON" else frozenset())
        if find_any_back(span, c - self.P["WS"], c, lambda j: is_name(span, j) or span.low[j] == ")"):
            return "subj"
        if find_any_back(span, c - self.P["WS"], c, lambda j: span.low[j] in prons):
            return "pron"
        return None

    def pred_routes(self, span, s, p, r):
        words = set(p.words)
        out = set()
        for c in range(max(s - self.P["WC"], 0), s):
            if span.low[c] not in words:
                continue
            if any(span.low[j] in CLAUSE_PUNCT for j in range(c + 1, s)):
                continue
            k = self.subject_kind(span, c, r)
            out.add({"subj": "pred", "lead": "pred_lead", "pron": "pred_pron"}.get(k, "pred_nosubj"))
        return out

    def app_routes(self, span, s, e):
        out = set()
        n = len(span.low)
        if is_name(span, e):
            out.add("app_after")
        if e < n and span.low[e] in (",", "(") and is_name(span, e + 1):
            out.add("app_comma")
        if e < n and span.low[e] in LIST_OPENERS and is_name(span, e + 1):
            out.add("app_list")
        for j in range(s - 1, max(s - 1 - self.P["WAPP"], -1), -1):
            t = span.low[j]
            if t in (",", "("):
                if j >= 1 and (is_name(span, j - 1) or span.low[j - 1] == ")"):
                    out.add("app_before")
                break
            if t in CLAUSE_PUNCT or t == ".":
                break
        return out

    def extra_routes(self, span, s, e):
        """Cues of a predicate noun without a copula before it:
        app_poss  "Britain's greatest actors", "the country's first woman judge"
        one_of    "one of the leading sculptors", "one of Australia's early campaigners"
        as_entry  "with Sō Watanabe as character designer", "known as a painter"
        """
        out = set()
        lo = max(s - self.P["WAPP"], 0)
        window = span.low[lo:s]
        if any(t in CLAUSE_PUNCT for t in window):
            cut = max(j for j in range(lo, s) if span.low[j] in CLAUSE_PUNCT) + 1
        else:
            cut = lo
        for j in range(cut, s):
            if span.low[j] == "s" and j >= 1 and span.low[j - 1] in ("'", "’"):
                out.add("app_poss")
            if span.low[j] == "of" and j >= 1 and span.low[j - 1] == "one":
                out.add("one_of")
            if span.low[j] == "as" and s - j <= 4:
                out.add("as_entry")
        return out

    def value_ok(self, span, s, e, p, r):
        P, v = self.P, r.value
        if p.take == "noun":
            return True
        if p.take == "modifier":
            if v == "country":
                return any(s - P["WM"] <= ce <= s and cs < s for cs, ce in span.phrases(country_phrases()))
            return find_any(span, s - P["WM"], s, lambda j: is_name(span, j))
        prep_at = {a for a, _ in span.phrases(word_phrases(p.preps))}
        return find_any(span, e, e + P["WP"], lambda j: j in prep_at
                        and self.shape_after(span, j, v, p, P["WV"]))

    def routes(self, raw: str) -> list[str]:
        span = Span(raw)
        if not any(self.r1(span, r, p) for r, p in self.pats):
            return []
        out = set()
        P = self.P
        for r, p in self.pats:
            k = kind_of(p.kind)
            if not k.anchored:
                if self.lifespan_sharp(span):
                    out.add("lifespan:life")
                continue
            if p.kind == "copula" and p.option("any_noun", False):
                countries = span.phrases(country_phrases())
                for a in anchor_positions(span, p.words):
                    sk = self.subject_kind(span, a, r)
                    for s, e in countries:
                        if not (a < s <= a + P["WC"]) or any(span.low[j] in CLAUSE_PUNCT for j in range(a + 1, s)):
                            continue
                        if not (e < len(span.low) and span.text[e].isalpha() and span.text[e].islower()):
                            continue
                        run, j = [], e
                        while j < len(span.low) and span.text[j].isalpha() and span.text[j].islower() \
                                and span.low[j] not in STOP_WORDS:
                            run.append(span.low[j])
                            j += 1
                        if not run:
                            continue
                        np = "" if not any(w in NON_PERSON_NOUNS for w in run) else "_thing"
                        out.add(f"{p.name}:pred{ {'subj': '', 'lead': '_lead', 'pron': '_pron'}.get(sk, '_nosubj') }{np}")
                continue
            if p.kind == "copula":
                for s, e in span.phrases(noun_phrases(p.nouns, p.appositive)):
                    if not self.value_ok(span, s, e, p, r):
                        continue
                    rs = self.pred_routes(span, s, p, r)
                    if p.appositive:
                        rs |= self.app_routes(span, s, e)
                        rs |= self.extra_routes(span, s, e)
                    cap = ":Cap" if (s > 0 and span.text[s][:1].isupper()) else ""
                    out.update(f"{p.name}:{x}{cap}" for x in rs)
                continue
            anchors = anchor_positions(span, p.words)
            if not anchors:
                continue
            v = r.value
            if p.kind == "verb_arg":
                prep_at = {s for s, _ in span.phrases(word_phrases(p.preps))} if p.preps else set()
                if v == "date" and len(span.low) > 1 and 0 in prep_at and 1 in span.date_tokens():
                    out.add(f"{p.name}:date_open")
                for a in anchors:
                    if v == "date":
                        if find_any(span, a + 1, a + 1 + P["WD"], lambda j: j in span.date_tokens()):
                            out.add(f"{p.name}:date_after")
                        elif find_any(span, a + 1, a + 1 + P["WDFAR"], lambda j: j in span.date_tokens()):
                            out.add(f"{p.name}:date_far")
                        if find_any_back(span, a - P["WB"], a, lambda j: j in span.date_tokens()
                                         and (j - 1 in prep_at or j - 2 in prep_at)):
                            out.add(f"{p.name}:date_before")
                    elif v == "text":
                        if find_any(span, a + 1, a + 1 + P["WA"], lambda j: j in prep_at
                                    and self.shape_after(span, j, v, p, P["WVT"])):
                            out.add(f"{p.name}:as_noun")
                    else:
                        if find_any(span, a + 1, a + 1 + P["WA"], lambda j: j in prep_at
                                    and self.shape_after(span, j, v, p, P["WV"])):
                            out.add(f"{p.name}:prep_after")
                        elif find_any(span, a + 1, a + 1 + P["WAFAR"], lambda j: j in prep_at
                                      and self.shape_after(span, j, v, p, P["WVFAR"])):
                            out.add(f"{p.name}:prep_far")
                        if find_any_back(span, a - P["WB"], a, lambda j: j in prep_at
                                         and self.shape_after(span, j, v, p, P["WV"])):
                            out.add(f"{p.name}:prep_before")
            elif p.kind == "verb_object":
                for a in anchors:
                    for j in range(a + 1, min(a + 1 + P["WO"], len(span.low))):
                        if span.cap(j):
                            out.add(f"{p.name}:obj")
                            break
                        if span.low[j] not in NP_FILLERS:
                            break
                    # "joined the faculty of Brown University", "joined lawfirm BakerHostetler"
                    if f"{p.name}:obj" not in out and find_any(
                            span, a + 1, a + 1 + P["WOFAR"], lambda j: span.cap(j) and
                            all(span.text[k].isalpha() for k in range(a + 1, j))):
                        out.add(f"{p.name}:obj_far")
            elif p.kind == "possessed":
                for a in anchors:
                    poss = find_any(span, a - 3, a, lambda j: span.low[j] in POSSESSIVES
                                    or (span.low[j] == "s" and j >= 1 and span.low[j - 1] in ("'", "’")))
                    if poss and find_any(span, a + 1, a + 1 + P["WO"], span.cap):
                        out.add(f"{p.name}:poss")
            elif p.kind == "hyphenated":
                for a in anchors:
                    if a >= 2 and span.low[a - 1] == "-" and span.glued(a - 1) and span.glued(a - 2) \
                            and span.cap(a - 2):
                        out.add(f"{p.name}:hyph")
        return sorted(out)


DEFAULT = dict(WC=8, WM=4, WV=4, WVT=8, WA=6, WB=6, WD=8, WO=4, WAPP=6, WS=6, WP=8, WDFAR=16, WAFAR=12, WOFAR=6, WVFAR=8)


def main(tag: str, limit: int = 0, **over):
    P = {**DEFAULT, **over}
    rules = RouteRules(P)
    con = duckdb.connect()
    passing = {}
    for doc_id, i, a, b in con.execute(
        "select doc_id, i, start, \"end\" from read_parquet('out/spans.parquet') where passes"
    ).fetchall():
        passing.setdefault(doc_id, []).append((i, a, b))
    cols = {"doc_id": [], "i": [], "routes": []}
    t0 = time.time()
    for n, (doc_id, _t, text) in enumerate(read_corpus()):
        if limit and n >= limit:
            break
        for i, a, b in passing.get(doc_id, ()):
            cols["doc_id"].append(doc_id)
            cols["i"].append(i)
            cols["routes"].append(rules.routes(text[a:b]))
        if n % 5000 == 0:
            print(n, f"{time.time() - t0:.0f}s", file=sys.stderr)
    pq.write_table(pa.table(cols), OUT / f"routes_{tag}.parquet")
    print(f"done {time.time() - t0:.0f}s params {P}", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], **{k: int(v) for k, v in (a.split("=") for a in args[1:])})
