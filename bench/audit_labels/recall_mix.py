"""Per-attribute recall for `singletons audit` from subject-kind recalls and a run's mix.

The Wikipedia gold (tests/data/wikipedia_gold) measures recall separately for facts about the
article's own subject and about anyone else. A run's attributes mix the two kinds differently
(founder and headquarters are mostly about other organisations, educated_at almost only about
the subject), so each attribute's recall is :func:`singleton_rate.estimate.extraction.
effective_recall` of its own mix: the share of its counted mentions whose entity key equals
the key of the article's title (disambiguation "(…)" removed). The share is a lower bound on
the subject share (a subject keyed under another name, "Leonardo Luiz e Castro" for "Léo
Castro", counts as other), so the recall is slightly low and the thinning correction slightly
large.

    PYTHONPATH=. python bench/audit_labels/recall_mix.py /work/runs/wikipedia \\
        ../shared/corpora/wikipedia/enwiki_2018_articles.jsonl.gz --subject 0.67 --other 0.24

prints one line per attribute and the ``--recall`` flags to pass to ``singletons audit``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re

import pandas as pd

from singleton_rate.estimate.extraction import effective_recall
from singleton_rate.query import connect


def subject_shares(run: str, corpus: str) -> pd.DataFrame:
    """Per attribute: counted mentions and those whose entity is the article's subject."""
    titles = []
    with gzip.open(corpus, "rt", encoding="utf-8") as source:
        for line in source:
            doc = json.loads(line)
            titles.append((doc["id"], re.sub(r"\s*\([^)]*\)$", "", doc.get("title") or "")))
    con = connect(run, read_only=False)
    try:
        con.register("titles", pd.DataFrame(titles, columns=["doc_id", "title"]))
        con.execute("create temp table tk as select doc_id, entity_key(title) as tkey from titles")
        return con.execute(
            "select m.attribute, count(*) as n, count_if(m.entity = tk.tkey) as subject "
            "from mentions m join tk using (doc_id) where m.status = 'asserted' "
            "group by 1 order by 1"
        ).df()
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("corpus")
    parser.add_argument("--subject", type=float, required=True, help="recall, subject facts")
    parser.add_argument("--other", type=float, required=True, help="recall, other facts")
    args = parser.parse_args()
    shares = subject_shares(args.run, args.corpus)
    flags = []
    for row in shares.itertuples(index=False):
        s = row.subject / row.n
        rho = effective_recall([s, 1 - s], [args.subject, args.other])
        flags.append(f"--recall {row.attribute}={rho:.3f}")
        print(f"{row.attribute:<14} n {row.n:>6}  subject share {s:.3f}  recall {rho:.3f}")
    s = shares.subject.sum() / shares.n.sum()
    overall = effective_recall([s, 1 - s], [args.subject, args.other])
    print(f"{'all':<14} n {shares.n.sum():>6}  subject share {s:.3f}  recall {overall:.3f}")
    print(" ".join(flags))


if __name__ == "__main__":
    main()
