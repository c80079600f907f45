"""Turn the LAMA T-REx evidence sentences into a JSONL corpus the analyzer can run on.

    python bench/trex_docs.py --out bench/out/trex/docs.jsonl

Each evidence sentence, with ``[MASK]`` replaced by the object's surface form, becomes one
document: ``id`` = ``<fact uuid>:<evidence index>``, ``title`` = the subject's label (so
"He was born in …" has an entity to resolve to), ``source`` = the Wikidata relation. The same
sentence often serves as evidence for several facts and relations, and it is kept every time:
that repetition is the natural, skewed count distribution this corpus is used for. The data is
read from ``../shared/corpora/trex`` and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_SRC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "trex"


def convert(src: Path, out: Path) -> dict[str, int]:
    """Write the documents; return counts of facts and documents."""
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = {"facts": 0, "documents": 0}
    with out.open("w", encoding="utf-8") as sink:
        for path in sorted(src.glob("P*.jsonl")):
            for line in path.open(encoding="utf-8"):
                fact = json.loads(line)
                counts["facts"] += 1
                for i, evidence in enumerate(fact.get("evidences", [])):
                    text = evidence["masked_sentence"].replace("[MASK]", evidence["obj_surface"])
                    doc = {
                        "id": f"{fact['uuid']}:{i}",
                        "title": fact["sub_label"],
                        "text": text,
                        "source": fact["predicate_id"],
                    }
                    sink.write(json.dumps(doc, ensure_ascii=False) + "\n")
                    counts["documents"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=Path("bench/out/trex/docs.jsonl"))
    args = parser.parse_args()
    if not args.src.is_dir():
        print(f"{args.src} is absent: the shared T-REx corpus is not beside this checkout")
        return 1
    print(json.dumps(convert(args.src, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
