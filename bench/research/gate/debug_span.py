"""Print a document's pre-parse spans around a string, with the current gate and each rule's verdict.
PYTHONPATH=src_e8c3997/pipeline:. python debug_span.py DOC_ID 'substring' [TAG]"""
import sys, duckdb
from gatelib import read_corpus
doc, sub = sys.argv[1], sys.argv[2]
tag = sys.argv[3] if len(sys.argv) > 3 else "default"
con = duckdb.connect()
for d, t, text in read_corpus():
    if d == doc:
        break
pos = text.find(sub)
rows = con.execute(f"""select s.i, s.start, s."end", s.passes, s.patterns, r.* exclude(doc_id, i)
  from read_parquet('out/spans.parquet') s left join read_parquet('out/rules_{tag}.parquet') r using (doc_id, i)
  where s.doc_id = '{doc}' and s."end" > {pos - 200} and s.start < {pos + len(sub) + 200} order by s.i""").fetchall()
for r in rows:
    print(r[0], r[1], r[2], r[3], r[5:], repr(text[r[1]:r[2]])[:300])
    print('   ', r[4])
