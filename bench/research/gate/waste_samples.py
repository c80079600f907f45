"""Sample wasted spans that only PATTERN lets through under a rule.
PYTHONPATH=src_e8c3997/pipeline:. python waste_samples.py TAG PATTERN [N]"""
import sys, duckdb
from gatelib import read_corpus
tag, pat = sys.argv[1], sys.argv[2]; col = sys.argv[4] if len(sys.argv) > 4 else "ALL"
n = int(sys.argv[3]) if len(sys.argv) > 3 else 15
con = duckdb.connect(); con.execute(open("q1.sql").read())
rows = con.execute(f"""
with ms as (select distinct doc_id, sa, sb from m),
 y as (select distinct s.doc_id, s.i from ms join spans s on s.doc_id = ms.doc_id and s.a < ms.sb and ms.sa < s.b)
select s.doc_id, s.a, s.b from spans s join read_parquet('out/rules_{tag}.parquet') r using (doc_id, i)
 left join y using (doc_id, i) where r."{col}" and y.i is null and r."{col}_patterns" = ['{pat}']
 order by hash(s.doc_id || s.i) limit {n}""").fetchall()
want = {}
for d, a, b in rows:
    want.setdefault(d, []).append((a, b))
for d, _t, text in read_corpus():
    for a, b in want.get(d, ()):
        print("*", repr(text[a:b][:260]))
