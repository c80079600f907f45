"""The Wikipedia gold packer (bench/wikipedia_gold.py): adding articles to a packed set.

`pack --append` must keep every line of the articles it is not packing byte for byte (the
annotators' raw files they came from need not exist any more), order docs by the sample's
draw order and facts by (doc_id, evidence_start, attribute). Pure Python: no corpus needed.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _module():
    spec = importlib.util.spec_from_file_location(
        "wikipedia_gold", ROOT / "bench" / "wikipedia_gold.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _line(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


# Old lines written with unusual spacing and key order: a re-serialisation would change them.
OLD_DOCS = ['{"doc_id":"d2","title":"Zoë"}\n', '{"title": "B", "doc_id": "d4"}\n']
OLD_FACTS = [
    '{"doc_id":"d2","evidence_start":40,"attribute":"spouse","value":"Ann"}\n',
    '{"evidence_start": 0, "doc_id": "d4", "attribute": "founded", "value": "1901"}\n',
    '{"doc_id":"d4","evidence_start":0,"attribute":"founder","value":"Zoë"}\n',
]


def test_append_keeps_old_lines_and_interleaves_new_ones() -> None:
    merge = _module().merge_gold
    new_docs = [_line(doc_id="d1", title="A"), _line(doc_id="d3", title="C")]
    new_facts = [
        _line(doc_id="d1", evidence_start=7, attribute="birth_date", value="1950"),
        _line(doc_id="d3", evidence_start=0, attribute="nationality", value="France"),
        _line(doc_id="d3", evidence_start=0, attribute="employer", value="IBM"),
    ]
    docs, facts = merge(OLD_DOCS, OLD_FACTS, new_docs, new_facts, ["d1", "d2", "d3", "d4"])
    assert docs == [new_docs[0], OLD_DOCS[0], new_docs[1], OLD_DOCS[1]]
    # d1 < d2 < d3 < d4; inside d3 both facts start at 0: "employer" before "nationality".
    assert facts == [
        new_facts[0],
        OLD_FACTS[0],
        new_facts[2],
        new_facts[1],
        OLD_FACTS[1],
        OLD_FACTS[2],
    ]
    assert set(OLD_DOCS + OLD_FACTS) <= set(docs + facts)  # nothing old lost or rewritten


def test_repacking_an_article_replaces_its_lines() -> None:
    merge = _module().merge_gold
    new_docs = [_line(doc_id="d2", title="Zoë", page_kind="person")]
    new_facts = [_line(doc_id="d2", evidence_start=3, attribute="birth_place", value="Oslo")]
    docs, facts = merge(OLD_DOCS, OLD_FACTS, new_docs, new_facts, ["d4", "d2"])
    assert docs == [OLD_DOCS[1], new_docs[0]]  # draw order: d4 first
    assert facts == [new_facts[0], OLD_FACTS[1], OLD_FACTS[2]]  # d2's spouse fact is gone


def test_bad_input_is_refused() -> None:
    merge = _module().merge_gold
    with pytest.raises(ValueError, match="not in the sample: d4"):
        merge(OLD_DOCS, OLD_FACTS, [], [], ["d2"])
    with pytest.raises(ValueError, match="without a docs line: d9"):
        merge(
            OLD_DOCS,
            OLD_FACTS,
            [],
            [_line(doc_id="d9", evidence_start=0, attribute="founded")],
            ["d2", "d4", "d9"],
        )
