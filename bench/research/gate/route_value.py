"""Step 3d: the marginal value of each route (routes.py), and a greedy choice of route families.

For a set of enabled routes, a span passes when one of its routes is enabled; a mention is lost
when the span of its value or of its subject's surface no longer passes (the opening rule
and the late opening are left to evaluate.py). Greedy: starting from every route, drop the
family (route type, across all patterns: "app_after:Cap") or the label ("pattern:route")
whose removal saves the most wasted characters per mention lost, while the mentions lost stay
under a budget. Dev/test halves: documents by crc32(doc_id) parity; the greedy runs on dev
and is scored on test.

PYTHONPATH=src_e8c3997/pipeline:. /work/main/.venv/bin/python route_value.py TAG [budget_pct] [level]
  level: family (default) | label
Writes out/routes_TAG_choice_LEVEL.txt (the dropped routes in order) and
out/rules_TAG_LEVEL.parquet (columns G0.5, G0.8, G1.0 ...: the greedy sets at those budgets).
"""

from __future__ import annotations

import sys
import zlib
from collections import defaultdict

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

tag = sys.argv[1]
level = sys.argv[3] if len(sys.argv) > 3 else "family"
BUDGETS = [0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0]  # total dev loss, % of dev mentions

con = duckdb.connect()
con.execute("set threads=1")
con.execute(open("q1.sql").read())
con.execute(f"""
create table ms as select distinct doc_id, sa, sb from m;
create table yspan as select distinct s.doc_id, s.i from ms join spans s on s.doc_id = ms.doc_id and s.a < ms.sb and ms.sa < s.b;
create table w as select s.doc_id, s.i, s.len, r.routes, (y.i is not null) yields
  from spans s join read_parquet('out/routes_{tag}.parquet') r using (doc_id, i) left join yspan y using (doc_id, i);
create table mss as select *, case when instr(sentence, subject_text) > 0
    then sa + instr(sentence, subject_text) - 1 end as ss from m;
create table mspan as
  select m.doc_id, m.sa, m.va, m.pattern,
    (select s.i from spans s where s.doc_id = m.doc_id and s.a <= m.ss and m.ss < s.b) i_s,
    (select s.i from spans s where s.doc_id = m.doc_id and s.a <= m.va and m.va < s.b) i_v
  from mss m;
""")
spans = con.execute("select doc_id, i, len, routes, yields from w").fetchall()
idx = {(d, i): k for k, (d, i, *_r) in enumerate(spans)}
lens = [s[2] for s in spans]
yields = [s[4] for s in spans]
dev = [zlib.crc32(s[0].encode()) % 2 == 0 for s in spans]


# a page is about a person when its opening (spans 0-1) has a birth, death, lifespan or
# predicate-occupation route (the extractor's main entity is then a person)
PERSON_ROUTES = {"lifespan:life", "birth_date_v2/born:date_after", "birth_place_v2/born:prep_after",
                 "occupation_v3/copula:pred", "occupation_v3/copula:pred_lead",
                 "occupation_v3/copula:pred_pron", "death_date_v3/died:date_after"}
person_doc = defaultdict(bool)
for d, i, _l, rs, _y in spans:
    if i <= 1 and PERSON_ROUTES & set(rs):
        person_doc[d] = True


def family(label: str, doc_id: str) -> str:
    base = label.split(":", 1)[1] if level.startswith("family") else label
    # label_doc: the pattern's own route, qualified by the page type
    if level.endswith("_doc"):
        base += "@P" if person_doc[doc_id] else "@N"
    return base


span_routes = [frozenset(family(x, s[0]) for x in s[3]) for s in spans]
# mentions: the spans they depend on (an unknown span = not passing now: cannot happen)
mention_spans = []
mention_dev = []
for d, sa, va, pat, i_s, i_v in con.execute("select * from mspan").fetchall():
    ks = {idx.get((d, i_s)), idx.get((d, i_v))}
    ks.discard(None)
    mention_spans.append(frozenset(ks))
    mention_dev.append(zlib.crc32(d.encode()) % 2 == 0)
N = {True: sum(mention_dev), False: len(mention_dev) - sum(mention_dev)}
by_span = defaultdict(list)
for mi, ks in enumerate(mention_spans):
    for k in ks:
        by_span[k].append(mi)
routes_all = sorted(set().union(*span_routes))


def score(enabled: frozenset[str], half: bool | None):
    passed = [bool(r & enabled) for r in span_routes]
    chars = sum(l for l, p, dv in zip(lens, passed, dev) if p and (half is None or dv == half))
    waste = sum(l for l, p, y, dv in zip(lens, passed, yields, dev) if p and not y and (half is None or dv == half))
    lost = sum(1 for ks, mdv in zip(mention_spans, mention_dev)
               if (half is None or mdv == half) and not all(passed[k] for k in ks))
    return chars, waste, lost


def marginal(enabled: frozenset[str], half: bool):
    """For each enabled route: (waste chars saved, mentions lost) if it alone is dropped."""
    saved = defaultdict(int)
    lost = defaultdict(int)
    sole = {}
    for k, r in enumerate(span_routes):
        if dev[k] != half:
            continue
        on = r & enabled
        if len(on) == 1:
            (x,) = on
            sole[k] = x
            if not yields[k]:
                saved[x] += lens[k]
            else:
                saved[x] += 0
    # mentions that depend on a span passing only through x
    for mi, ks in enumerate(mention_spans):
        if mention_dev[mi] != half:
            continue
        xs = {sole[k] for k in ks if k in sole}
        for x in xs:
            lost[x] += 1
    return saved, lost


# ---- single-route table (whole corpus) ------------------------------------------------------
enabled = frozenset(routes_all)
saved_all, lost_all = defaultdict(int), defaultdict(int)
for half in (True, False):
    s, l = marginal(enabled, half)
    for x, v in s.items():
        saved_all[x] += v
    for x, v in l.items():
        lost_all[x] += v
any_chars = defaultdict(int)
any_waste = defaultdict(int)
for k, r in enumerate(span_routes):
    for x in r:
        any_chars[x] += lens[k]
        if not yields[k]:
            any_waste[x] += lens[k]
out = open(f"out/routes_{tag}_value_{level}.txt", "w")
print(f"{'route':<58} {'chars any':>10} {'waste any':>10} {'waste sole':>10} {'lost if dropped':>15}", file=out)
for x in sorted(routes_all, key=lambda x: -saved_all[x]):
    print(f"{x:<58} {any_chars[x]:>10,} {any_waste[x]:>10,} {saved_all[x]:>10,} {lost_all[x]:>15,}", file=out)
out.close()

# ---- greedy on dev ----------------------------------------------------------------------------
choice = open(f"out/routes_{tag}_choice_{level}.txt", "w")
c0, w0, l0 = score(enabled, True)
print(f"dev start: chars {c0:,} waste {w0:,} lost {l0}", file=choice)
budget_max = max(BUDGETS) / 100 * N[True]
lost_now = l0  # the all-routes set's own loss counts against the budgets
snapshots = {}
dropped = []
while True:
    saved, lost = marginal(enabled, True)
    best, best_val = None, 0.0
    for x in enabled:
        s, l = saved.get(x, 0), lost.get(x, 0)
        if s <= 0 or lost_now + l > budget_max:
            continue
        val = s / (l + 0.5)
        if val > best_val:
            best, best_val = x, val
    if best is None or best_val < 300:  # under 300 wasted chars saved per mention lost: stop
        break
    for b in BUDGETS:
        if b not in snapshots and lost_now + lost.get(best, 0) > b / 100 * N[True]:
            snapshots[b] = enabled
    enabled = enabled - {best}
    lost_now += lost.get(best, 0)
    dropped.append(best)
    cd, wd, ld = score(enabled, True)
    ct, wt, lt = score(enabled, False)
    print(f"drop {best:<55} saves {saved[best]:>9,} loses {lost.get(best, 0):>4}  "
          f"dev chars {cd:>11,} lost {ld:>5} ({100 * ld / N[True]:.2f}%)  "
          f"test chars {ct:>11,} lost {lt:>5} ({100 * lt / N[False]:.2f}%)", file=choice)
for b in BUDGETS:
    snapshots.setdefault(b, enabled)
choice.close()

cols = {"doc_id": [s[0] for s in spans], "i": [s[1] for s in spans]}
for b, en in snapshots.items():
    cols[f"G{b}"] = [bool(r & en) for r in span_routes]
    with open(f"out/routes_{tag}_set_{level}_G{b}.txt", "w") as f:
        f.write("\n".join(sorted(en)) + "\n")
cols["S_all_routes"] = [bool(r) for r in span_routes]
pq.write_table(pa.table(cols), f"out/rules_{tag}_{level}.parquet")
print(open(f"out/routes_{tag}_choice_{level}.txt").read())
