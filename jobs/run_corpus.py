"""spark-submit entry point: the same run as ``singletons run``, for a cluster.

    spark-submit --master spark://HOST:7077 jobs/run_corpus.py PATH... --out DIR

The session comes from spark-submit (its --master and --conf settings win); everything
else is the library's :func:`singleton_rate.run.run`, exactly as the CLI calls it. Outside
a checkout the installed :mod:`singleton_rate.job` is the same job
(``spark-submit "$(python -m singleton_rate.job --path)" PATH... --out DIR``).
"""

from __future__ import annotations

import sys

from singleton_rate.job import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
