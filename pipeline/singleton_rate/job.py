"""The ``spark-submit`` entry point, installed with the package.

    spark-submit --master spark://HOST:7077 "$(python -m singleton_rate.job --path)"
        PATH... --out DIR
    singletons-job PATH... --out DIR    # the same, as a console script (local or --master)

The session comes from spark-submit (its ``--master`` and ``--conf`` settings win);
everything else is :func:`singleton_rate.run.run`, exactly as ``singletons run`` calls it.
``jobs/run_corpus.py`` in a checkout is this module.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """``singletons run ARGV...``; ``--path`` alone prints this file's path (for spark-submit)."""
    from singleton_rate.cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--path"]:
        print(__file__)
        return 0
    return cli_main(["run", *args])


if __name__ == "__main__":
    sys.exit(main())
