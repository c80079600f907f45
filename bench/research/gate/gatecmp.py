"""python bench/research/gate/gatecmp.py OUT.json [N] [sentence|document|off]: in-process extraction of N seeded Wikipedia articles; mentions (keys) and chars parsed."""
import gzip, json, random, sys, time
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.extractor import Extractor
from singleton_rate.extract.model import resolve_model_name
from singleton_rate.corpus import Document
import singleton_rate
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
rows=[json.loads(l) for l in gzip.open('/work/shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz','rt')]
random.seed(11); rows=random.sample(rows, n)
docs=[Document(r['id'], r['text'], r['title'], None, 'x') for r in rows]
ex = Extractor(load_catalog(()), resolve_model_name(None), prefilter=(sys.argv[3] if len(sys.argv) > 3 else "sentence"))
t=time.perf_counter(); res=list(ex.extract(docs)); dt=time.perf_counter()-t
keys=sorted({(d.doc_id, m.entity, m.attribute, m.value, m.status) for d, r in zip(docs, res) for m in r.mentions})
out={"file": singleton_rate.__file__, "seconds": dt, "mentions": sum(len(r.mentions) for r in res),
     "parsed_chars": sum(r.parsed_chars for r in res), "chars": sum(len(d.text) for d in docs), "keys": keys}
json.dump(out, open(sys.argv[1], "w"))
print(out["file"], f"{dt:.1f}s", out["mentions"], "mentions", out["parsed_chars"], "of", out["chars"], "chars parsed")
