"""15 lost mentions sampled (seeded) from a lost_*.csv of evaluate.py.
/work/main/.venv/bin/python sample_lost.py out/lost_....csv"""
import sys
import duckdb
con = duckdb.connect()
rows = con.execute(f"""select doc_id, attribute, entity_text, value_text, status, sentence
  from '{sys.argv[1]}' using sample reservoir(15 rows) repeatable (7)""").fetchall()
for d, a, e, v, s, sent in rows:
    print(f"- {d} | {a}({e}) = {v} [{s}] | {' '.join(sent.split())[:300]!r}")
