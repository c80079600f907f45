"""Step 2: current gate vs the run's mentions, and where the wasted characters come from.

PYTHONPATH=src_e8c3997/pipeline:. /work/main/.venv/bin/python breakdown.py > out/breakdown.txt
"""

from __future__ import annotations

import duckdb

from gatelib import ExplainingGate

con = duckdb.connect()
con.execute("set threads=1")
con.execute(open("q1.sql").read())

gate = ExplainingGate()


def pclass(p) -> str:
    gs = p.trigger_groups
    if p.option("any_noun", False):
        return "copula+country word (any_noun)"
    if p.kind == "copula" and p.appositive and p.nouns:
        return "noun alone (appositive copula)"
    if len(gs) == 2:
        return "anchor word + noun"
    return f"anchor word ({p.kind})"


rows = [(name, rel, pclass(p)) for name, rel, _, p in gate.patterns]
con.execute("create table pc(pattern varchar, rel varchar, cls varchar)")
con.executemany("insert into pc values (?,?,?)", rows)
for r in rows:
    print(r)


def show(title, sql):
    """A markdown table of the query's result."""
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    print("\n####", title, "\n")
    print("| " + " | ".join(names) + " |")
    print("|" + "|".join("---" for _ in names) + "|")
    for r in rows:
        print("| " + " | ".join(str(x) if isinstance(x, bool) else f"{x:,}" if isinstance(x, int) else str(x) for x in r) + " |")


con.execute("""
create table ms as select distinct doc_id, sa, sb from m;
create table yspan as select distinct s.doc_id, s.i from ms join spans s
  on s.doc_id = ms.doc_id and s.a < ms.sb and ms.sa < s.b;
create table w as select s.*, (y.i is not null) yields from spans s left join yspan y using (doc_id, i)
  where s.passes;
""")
show("passing spans: yielding or not", "select yields, count(*) spans, sum(len) chars from w group by 1")

# the set of trigger classes that let each passing span through
con.execute("""
create table wc as
with u as (select doc_id, i, unnest(patterns) pattern from w),
 c as (select doc_id, i, list_sort(list_distinct(list(cls))) classes from u join pc using (pattern) group by 1, 2)
select w.doc_id, w.i, w.len, w.yields, w.lifespan, coalesce(c.classes, []) classes
from w left join c using (doc_id, i);
""")
show("passing spans by the set of trigger classes satisfied (chars), top 25", """
select array_to_string(classes || case when lifespan then ['lifespan'] else [] end, ' + ') classes,
  sum(case when not yields then len else 0 end) wasted, sum(case when yields then len else 0 end) yielding,
  round(sum(case when yields then len else 0 end)/sum(len),3) prec
from wc group by 1 order by 2 desc limit 25""")

show("per trigger class: wasted chars of spans it lets through (any) and of spans only it lets through (sole)", """
with u as (select unnest(classes || case when lifespan then ['lifespan'] else [] end) cls, len, yields,
  len(classes) + lifespan::int = 1 sole from wc)
select cls, sum(case when not yields then len else 0 end) wasted_any,
  sum(case when not yields and sole then len else 0 end) wasted_sole,
  sum(case when yields then len else 0 end) yielding_any,
  sum(case when yields and sole then len else 0 end) yielding_sole from u group by 1 order by 2 desc""")

show("per pattern (any = spans the pattern lets through; sole = only that pattern)", """
with u as (select unnest(patterns) pattern, len, yields, len(patterns)=1 and not lifespan sole from w)
select pattern, sum(case when not yields then len else 0 end) wasted_any,
  sum(case when not yields and sole then len else 0 end) wasted_sole,
  sum(case when yields then len else 0 end) yielding_any,
  round(sum(case when yields then len else 0 end)/sum(len),3) prec from u group by 1 order by 2 desc""")

show("per relation (any / sole relation)", """
with u as (select doc_id, i, len, yields, lifespan, list_distinct(list_transform(patterns, lambda x: split_part(x,'/',1))) rels from w),
 v as (select unnest(rels) rel, len, yields, len(rels)=1 and not lifespan sole from u)
select rel, sum(case when not yields then len else 0 end) wasted_any,
  sum(case when not yields and sole then len else 0 end) wasted_sole,
  sum(case when yields then len else 0 end) yielding_any,
  round(sum(case when yields then len else 0 end)/sum(len),3) prec from v group by 1 order by 2 desc""")

show("top 30 trigger words by wasted chars where the word is CRITICAL (removing it alone fails the span)", """
with u as (select unnest(critical) word, len, yields from w)
select word, sum(case when not yields then len else 0 end) wasted, count(*) filter (where not yields) wasted_spans,
  sum(case when yields then len else 0 end) yielding, count(*) filter (where yields) yielding_spans,
  round(sum(case when yields then len else 0 end)/sum(len),3) prec
from u group by 1 order by 2 desc limit 30""")

show("top 30 trigger words by wasted chars where the word ENABLES some satisfied pattern (any)", """
with u as (select unnest(words) word, len, yields from w)
select word, sum(case when not yields then len else 0 end) wasted, count(*) filter (where not yields) wasted_spans,
  sum(case when yields then len else 0 end) yielding,
  round(sum(case when yields then len else 0 end)/sum(len),3) prec
from u group by 1 order by 2 desc limit 30""")

show("wasted spans with no critical word (passing for >= 2 independent reasons, or lifespan)", """
select lifespan, count(*) spans, sum(len) chars from w where not yields and len(critical)=0 group by 1""")

show("top 30 (pattern, trigger word) pairs by wasted chars", """
with u as (select unnest(pat_words) pw, len, yields from w)
select pw, sum(case when not yields then len else 0 end) wasted,
  sum(case when yields then len else 0 end) yielding from u group by 1 order by 2 desc limit 30""")

show("span length: passing spans, wasted vs yielding", """
select yields, count(*) n, round(avg(len)) mean_len, quantile_cont(len, 0.5) median, quantile_cont(len,0.9) p90,
  sum(case when len > 1000 then len else 0 end) chars_in_spans_over_1000 from w group by 1""")
