"""PySpark's Python worker daemon, with spaCy imported and the model loaded before it forks.

Spark starts one daemon per executor (``python -m <spark.python.daemon.module>``) and forks
every Python worker from it. With the stock daemon (``pyspark.daemon``) each worker imports
spaCy and loads the model itself, about 0.9 s of CPU per worker on an idle core and several
seconds when the cores are shared; forked from this daemon, a worker inherits both (copy on
write), and :func:`singleton_rate.extract.model.load_model` finds the model in its cache.

Not the default daemon: on 2 idle cores a 10-document run gained nothing (the two workers
load in parallel, the daemon once but before the first task; bench/RESULTS.md, issue 17).
Opt in with ``--conf spark.python.daemon.module=singleton_rate.worker_daemon``: it may help
where cores are shared or many workers start. The model to load is the environment
variable :data:`PRELOAD_ENV`, which a run sets for the executors (``spark.executorEnv``, see
:func:`singleton_rate.spark.build_session`), else the installed default. A failed preload is
reported on stderr and the daemon starts anyway: the workers then load the model
themselves, as with the stock daemon.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback

PRELOAD_ENV = "SINGLETONS_PRELOAD_MODEL"
MODULE = "singleton_rate.worker_daemon"


def preload(name: str | None) -> bool:
    """Import spaCy and load the model ``name`` into this process; whether it was loaded.

    Stdout is the daemon's channel to the JVM (it writes its port there first), so anything
    an import prints goes to stderr instead.
    """
    if not name:
        return False
    try:
        with contextlib.redirect_stdout(sys.stderr):
            from singleton_rate.extract.model import load_model

            load_model(name)
    except Exception:  # the workers load it themselves, as without this daemon
        print(f"singletons: preloading {name} in the worker daemon failed:", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return False
    return True


def model_to_preload() -> str | None:
    """The run's model (:data:`PRELOAD_ENV`), else the first installed candidate."""
    if os.environ.get(PRELOAD_ENV):
        return os.environ[PRELOAD_ENV]
    from singleton_rate.extract.model import ModelError, resolve_model_name

    try:
        return resolve_model_name()
    except ModelError:
        return None


if __name__ == "__main__":
    preload(model_to_preload())
    from pyspark import daemon

    daemon.manager()
