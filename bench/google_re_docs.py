"""Turn the LAMA Google-RE evidence snippets into a JSONL corpus the analyzer can run on.

    python bench/google_re_docs.py --out bench/out/google_re/docs.jsonl

Each evidence snippet (a paragraph of the subject's Wikipedia article) becomes one document:
``id`` is the fact's uuid, ``title`` the article title from the evidence URL, ``text`` the
snippet, ``source`` the relation file. The same paragraph serves as evidence for several
facts; it is kept once (the first uuid wins), since a corpus would hold it once. The data is
read from ``../shared/corpora/google_re`` and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import unquote

DEFAULT_SRC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "google_re"


def title_from_url(url: str) -> str:
    return unquote(url.rstrip("/").rsplit("/", 1)[-1]).replace("_", " ")


def convert(src: Path, out: Path) -> dict[str, int]:
    """Write the documents; return counts (facts read, snippets, documents written)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    seen: set[tuple[str, str]] = set()
    counts = {"facts": 0, "snippets": 0, "documents": 0}
    with out.open("w", encoding="utf-8") as sink:
        for path in sorted(src.glob("*.jsonl")):
            for line in path.open(encoding="utf-8"):
                fact = json.loads(line)
                counts["facts"] += 1
                for evidence in fact.get("evidences", []):
                    counts["snippets"] += 1
                    title = title_from_url(evidence.get("url", ""))
                    text = evidence.get("snippet", "")
                    if (title, text) in seen:
                        continue
                    seen.add((title, text))
                    doc = {"id": fact["uuid"], "title": title, "text": text, "source": path.stem}
                    sink.write(json.dumps(doc, ensure_ascii=False) + "\n")
                    counts["documents"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=Path("bench/out/google_re/docs.jsonl"))
    args = parser.parse_args()
    if not args.src.is_dir():
        print(f"{args.src} is absent: the shared Google-RE corpus is not beside this checkout")
        return 1
    print(json.dumps(convert(args.src, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
