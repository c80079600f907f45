"""Step 4: score each simulated rule (a boolean column of out/rules_TAG.parquet) against the run.

For a rule: a span passes when the current gate passes it and the rule does; the first span
is kept also when the second is (Extractor._pieces); a document none of whose spans is kept is
not parsed. Parsed characters = kept spans + the opening (span 0) parsed late when the document
still yields a mention (the extractor parses it when a pattern fired; this approximation gives
30,748,225 for the current gate against the run's 30,766,475).

A mention is LOST when the pre-parse span holding its value's first character, or the one
holding its subject's surface (subject_text, found in the sentence), is no longer kept: the
parser would no longer see them together. Bounds: "all-spans" loses it when any pre-parse span
overlapping its spaCy sentence is dropped (too strict: spaCy often joins a pre-parse span cut
at "C.S. " or a quote to the next one); "any-span" only when none is kept (too lenient).
Yielding characters = the spaCy sentences of the run's mentions (all statuses), as in issue 17.
Halves: documents by crc32(doc_id) parity (dev = even), as in route_value.py.

/work/main/.venv/bin/python evaluate.py TAG [--detail RULE] [--half dev|test]
"""

from __future__ import annotations

import sys
import zlib

import duckdb

args = sys.argv[1:]
tag = args[0]
detail = args[args.index("--detail") + 1] if "--detail" in args else None
half = args[args.index("--half") + 1] if "--half" in args else None

con = duckdb.connect()
con.execute("set threads=1")
con.create_function("crc_even", lambda s: zlib.crc32(s.encode()) % 2 == 0, ["VARCHAR"], "BOOLEAN")
con.execute(open("q1.sql").read())
con.execute(f"create table r as select * from read_parquet('out/rules_{tag}.parquet')")
rules = [c[0] for c in con.execute("describe r").fetchall()]
rules = [c for c in rules if c not in ("doc_id", "i") and not c.endswith("_patterns")]
if half:
    want = "true" if half == "dev" else "false"
    con.execute(f"create table keepdocs as select distinct doc_id from spans where crc_even(doc_id) = {want}")
else:
    con.execute("create table keepdocs as select distinct doc_id from spans")
con.execute("""
create table sp as select * from spans where doc_id in (select doc_id from keepdocs);
create table mm as select *, case when instr(sentence, subject_text) > 0
    then sa + instr(sentence, subject_text) - 1 end as ss from m where doc_id in (select doc_id from keepdocs);
create table ms as select distinct doc_id, sa, sb from mm;
create table hit as select distinct ms.doc_id, ms.sa, ms.sb, s.i from ms join sp s
  on s.doc_id = ms.doc_id and s.a < ms.sb and ms.sa < s.b;
-- the span of each mention's value and of its subject
create table mpos as select mm.doc_id, mm.sa, mm.va, mm.ss, mm.pattern, mm.attribute, mm.status,
    mm.entity_text, mm.value_text, mm.sentence,
    (select s.i from sp s where s.doc_id = mm.doc_id and s.a <= mm.va and mm.va < s.b) i_v,
    (select s.i from sp s where s.doc_id = mm.doc_id and s.a <= mm.ss and mm.ss < s.b) i_s,
    mm.sb
  from mm;
""")
Y = con.execute("select sum(sb - sa) from ms").fetchall()[0][0]
N = con.execute("select count(*) from mm").fetchall()[0][0]
total = con.execute("select sum(len) from sp").fetchall()[0][0]
print(f"{'half ' + half if half else 'whole corpus'}: {total:,} chars; yielding chars (spaCy sentences "
      f"of the run's mentions): {Y:,}; mentions: {N:,}")
print(f"{'rule':<14} {'pass chars':>12} {'parsed chars':>13} {'share':>6} {'ratio':>6} "
      f"{'lost':>6} {'%':>6} {'all-spans %':>11} {'any-span %':>10} {'ratio/kept-yield':>16}")


def score(col: str | None):
    expr = "s.passes" if col is None else f"s.passes and coalesce(r.\"{col}\", false)"
    con.execute(f"""
    create or replace table k as
    with base as (select s.doc_id, s.i, s.len, {expr} as p from sp s left join r using (doc_id, i)),
    w as (select *, lead(p) over (partition by doc_id order by i) p1 from base)
    select doc_id, i, len, p, (p or (i = 0 and coalesce(p1, false))) kept from w""")
    passc = con.execute("select sum(case when p then len else 0 end) from k").fetchall()[0][0]
    keptc = con.execute("select sum(case when kept then len else 0 end) from k").fetchall()[0][0]
    con.execute("""
    create or replace table surv as select h.doc_id, h.sa, h.sb, bool_and(k.kept) all_spans, bool_or(k.kept) any_span
    from hit h join k using (doc_id, i) group by all""")
    con.execute("""
    create or replace table ml as select p.*, s.all_spans, s.any_span,
      coalesce(kv.kept, false) and coalesce(ks.kept, true) as kept
    from mpos p join surv s using (doc_id, sa, sb)
      left join k kv on kv.doc_id = p.doc_id and kv.i = p.i_v
      left join k ks on ks.doc_id = p.doc_id and ks.i = p.i_s""")
    lost, lost_a, lost_l = con.execute(
        "select count(*) filter (where not kept), count(*) filter (where not all_spans), "
        "count(*) filter (where not any_span) from ml").fetchall()[0]
    late = con.execute("""
    select coalesce(sum(k.len), 0) from k where k.i = 0 and not k.kept
      and k.doc_id in (select distinct doc_id from ml where kept)
      and k.doc_id in (select doc_id from k where kept)""").fetchall()[0][0]
    kept_y = con.execute("select sum(sb - sa) from (select distinct doc_id, sa, sb from ml where kept)").fetchall()[0][0]
    return passc, keptc + late, lost, lost_a, lost_l, kept_y


for col in [None, *rules]:
    passc, parsed, lost, lost_a, lost_l, kept_y = score(col)
    print(f"{(col or 'current'):<14} {passc:>12,} {parsed:>13,} {parsed / total:>6.3f} {parsed / Y:>6.3f} "
          f"{lost:>6,} {100 * lost / N:>6.2f} {100 * lost_a / N:>11.2f} {100 * lost_l / N:>10.2f} "
          f"{parsed / kept_y:>16.3f}")

if detail:
    score(detail)
    print(f"\n## {detail}: lost mentions by pattern")
    con.sql("""select pattern, count(*) filter (where not kept) lost, count(*) mentions,
      round(100.0 * count(*) filter (where not kept) / count(*), 2) pct
      from ml group by 1 order by 2 desc""").show(max_rows=60)
    print(f"\n## {detail}: lost mentions by relation (asserted only)")
    con.sql("""select attribute, count(*) filter (where not kept) lost, count(*) mentions,
      round(100.0 * count(*) filter (where not kept) / count(*), 2) pct
      from ml where status = 'asserted' group by 1 order by 2 desc""").show(max_rows=60)
    name = f"out/lost_{tag}_{detail.replace('+', '_')}.csv"
    con.execute(f"""copy (select doc_id, pattern, attribute, entity_text, value_text, status, sentence from ml
      where not kept order by hash(doc_id || sa || pattern)) to '{name}' (header)""")
    print("lost mentions written to", name)
con.close()
