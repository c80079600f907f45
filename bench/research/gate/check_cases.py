"""The shipped [[case]] tables (relations/core_cases.toml, wikipedia_cases.toml at e8c3997)
through a route set: how many cases that must yield facts would have every pre-parse sentence
dropped, or at least one dropped, by the gate (a cheap regression test an implementation
could keep). The page type (@P/@N) is read from the case's own first two sentences.

PYTHONPATH=src_e8c3997/pipeline:. /work/main/.venv/bin/python check_cases.py SETFILE LEVEL
  LEVEL: family | family_doc | label | label_doc (as route_value.py)
"""

from __future__ import annotations

import sys

from routes import DEFAULT, RouteRules
from singleton_rate.extract.cases import shipped_cases
from singleton_rate.extract.prefilter import build_prefilter
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.sentences import sentence_spans

PERSON_ROUTES = {"lifespan:life", "birth_date_v2/born:date_after", "birth_place_v2/born:prep_after",
                 "occupation_v3/copula:pred", "occupation_v3/copula:pred_lead",
                 "occupation_v3/copula:pred_pron", "death_date_v3/died:date_after"}

setfile, level = sys.argv[1], sys.argv[2]
enabled = set(open(setfile).read().split())
rules = RouteRules(DEFAULT)
gate = build_prefilter(load_catalog())


def label(route: str, person: bool) -> str:
    base = route.split(":", 1)[1] if level.startswith("family") else route
    if level.endswith("_doc"):
        base += "@P" if person else "@N"
    return base


n = all_dropped = some_dropped = 0
examples = []
for case in shipped_cases():
    if True:
        if not case.facts:
            continue
        n += 1
        text = case.text
        spans = sentence_spans(text)
        routes = [rules.routes(text[a:b]) if gate(text[a:b]) else [] for a, b in spans]
        person = any(PERSON_ROUTES & set(rs) for rs in routes[:2])
        keep = [any(label(r, person) in enabled for r in rs) for rs in routes]
        if len(keep) > 1 and keep[1]:
            keep[0] = True
        cur = [gate(text[a:b]) for a, b in spans]
        if not any(keep):
            all_dropped += 1
            examples.append((case.where, text[:160], sorted(case.facts)[:2]))
        elif not all(k or not c for k, c in zip(keep, cur)):
            some_dropped += 1
print(f"{setfile}: {n} cases with facts; every sentence dropped in {all_dropped}; "
      f"a sentence the current gate keeps dropped in {some_dropped}")
for w, t, f in examples[:40]:
    print(" -", w, "|", t.replace("\n", " "), "|", f)

# routes that would rescue the failing cases (every route label their sentences have)
need = set()
for case in shipped_cases():
    if not case.facts:
        continue
    text = case.text
    spans = sentence_spans(text)
    routes = [rules.routes(text[a:b]) if gate(text[a:b]) else [] for a, b in spans]
    person = any(PERSON_ROUTES & set(rs) for rs in routes[:2])
    if not any(label(r, person) in enabled for rs in routes for r in rs):
        need |= {label(r, person) for rs in routes for r in rs}
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as f:
        f.write("\n".join(sorted(enabled | need)) + "\n")
print("routes that would rescue them:", sorted(need))
