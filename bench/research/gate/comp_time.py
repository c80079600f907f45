"""python bench/research/gate/comp_time.py: per-component time of en_core_web_sm on the pieces the prefilter passes (600 seeded real Wikipedia articles; best of 2, batch 256, one process)."""
import gzip, json, random, time
import spacy
from singleton_rate.extract.catalog import load_catalog
from singleton_rate.extract.prefilter import build_prefilter
from singleton_rate.extract.sentences import sentence_spans as split_sentences
from singleton_rate.extract.model import resolve_model_name
rows=[json.loads(l) for l in gzip.open('/work/shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz','rt')]
random.seed(3); rows=random.sample(rows, 600)
f=build_prefilter(load_catalog())
pieces=[]
for r in rows:
    t=r['text']
    for a,b in split_sentences(t):
        if f(t[a:b]): pieces.append(t[a:b])
print(len(pieces), sum(map(len,pieces)), "chars")
nlp=spacy.load(resolve_model_name(None), exclude=["lemmatizer"])
print(nlp.pipe_names)
def run(disable):
    with nlp.select_pipes(disable=disable):
        t=time.perf_counter(); n=sum(1 for _ in nlp.pipe(pieces, batch_size=256)); return time.perf_counter()-t
run([])
res={}
for name, dis in [("all",[]),("no ner",["ner"]),("no parser",["parser"]),("no ner+parser",["ner","parser"]),("tok2vec+tagger only",["ner","parser","attribute_ruler"])]:
    res[name]=min(run(dis) for _ in range(2))
    print(f"{name:22s} {res[name]:.2f} s")
