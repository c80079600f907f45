"""Wasted characters left by a simulated rule, by the patterns that still let the span through.
/work/main/.venv/bin/python waste_rule.py TAG"""
import sys, duckdb
tag = sys.argv[1]; col = sys.argv[2] if len(sys.argv) > 2 else "ALL"
con = duckdb.connect(); con.execute("set threads=1"); con.execute(open("q1.sql").read())
con.execute(f"""
create table ms as select distinct doc_id, sa, sb from m;
create table yspan as select distinct s.doc_id, s.i from ms join spans s on s.doc_id = ms.doc_id and s.a < ms.sb and ms.sa < s.b;
create table w as select s.doc_id, s.i, s.len, r."{col}_patterns" pats, (y.i is not null) yields, s.lifespan
  from spans s join read_parquet('out/rules_{tag}.parquet') r using (doc_id, i) left join yspan y using (doc_id, i) where r."ALL";
""")
con.sql("select yields, count(*), sum(len) from w group by 1").show()
con.sql("""with u as (select unnest(pats) pattern, len, yields, len(pats) = 1 sole from w)
select pattern, sum(case when not yields then len else 0 end) wasted_any, sum(case when not yields and sole then len else 0 end) wasted_sole,
 sum(case when yields then len else 0 end) yielding_any, round(sum(case when yields then len else 0 end)/sum(len),3) prec
from u group by 1 order by 2 desc""").show(max_rows=50)
