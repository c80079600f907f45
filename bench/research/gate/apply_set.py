"""A route set file as a rule column, for evaluate.py.
PYTHONPATH=src_e8c3997/pipeline:. python apply_set.py TAG OUT_TAG LEVEL NAME=SETFILE ...
(LEVEL as route_value.py; the page type as there: spans 0-1 with a PERSON_ROUTES route)"""
import sys
from collections import defaultdict
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

PERSON_ROUTES = {"lifespan:life", "birth_date_v2/born:date_after", "birth_place_v2/born:prep_after",
                 "occupation_v3/copula:pred", "occupation_v3/copula:pred_lead",
                 "occupation_v3/copula:pred_pron", "death_date_v3/died:date_after"}
tag, out_tag, level = sys.argv[1:4]
sets = dict(a.split("=", 1) for a in sys.argv[4:])
rows = duckdb.connect().execute(f"select doc_id, i, routes from read_parquet('out/routes_{tag}.parquet')").fetchall()
person = defaultdict(bool)
for d, i, rs in rows:
    if i <= 1 and PERSON_ROUTES & set(rs):
        person[d] = True


def label(r, d):
    base = r.split(":", 1)[1] if level.startswith("family") else r
    if level.endswith("_doc"):
        base += "@P" if person[d] else "@N"
    return base


cols = {"doc_id": [d for d, _, _ in rows], "i": [i for _, i, _ in rows]}
for name, f in sets.items():
    en = set(open(f).read().split())
    cols[name] = [any(label(r, d) in en for r in rs) for d, _, rs in rows]
pq.write_table(pa.table(cols), f"out/rules_{out_tag}.parquet")
