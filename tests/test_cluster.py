"""The same jobs on a real Spark standalone cluster: one master and two workers on 127.0.0.1,
started from the installed pyspark, give results identical to local mode, also when a worker
is lost in mid-run. Everything started here is stopped here."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from singleton_rate.config import RunConfig
from singleton_rate.progress import Progress
from singleton_rate.query import connect
from singleton_rate.run import run
from singleton_rate.spark import ensure_java

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.cluster]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"
MASTER = "org.apache.spark.deploy.master.Master"
WORKER = "org.apache.spark.deploy.worker.Worker"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.5)


class Cluster:
    """A standalone cluster driven through the pip package's sbin/spark-daemon.sh."""

    def __init__(self, workdir: Path) -> None:
        import pyspark

        ensure_java()
        self.home = Path(pyspark.__file__).parent
        self.port = free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.logs = workdir / "logs"
        self.env = {
            **os.environ,
            "SPARK_HOME": str(self.home),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_MASTER_HOST": "127.0.0.1",
            "SPARK_LOG_DIR": str(self.logs),
            "SPARK_PID_DIR": str(workdir / "pids"),
            "PYSPARK_PYTHON": sys.executable,
            # executors import this checkout's `pipeline`, as a shipped archive would provide
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }

    def daemon(self, action: str, cls: str, instance: int, *args: str) -> None:
        script = self.home / "sbin" / "spark-daemon.sh"
        subprocess.run(
            ["bash", str(script), action, cls, str(instance), *args],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def worker_log(self, instance: int) -> str:
        logs = list(self.logs.glob(f"*Worker-{instance}-*.out"))
        return logs[0].read_text(errors="replace") if logs else ""

    def start(self) -> None:
        self.daemon(
            "start", MASTER, 1, "--host", "127.0.0.1", "--port", str(self.port), "--webui-port", "0"
        )
        wait_for(lambda: port_open(self.port), "the master's port")
        for instance in (1, 2):
            self.daemon(
                "start", WORKER, instance, "--host", "127.0.0.1", "--webui-port", "0",
                "--cores", "1", "--memory", "2g", self.url,
            )  # fmt: skip
        for instance in (1, 2):
            wait_for(
                lambda i=instance: "Successfully registered with master" in self.worker_log(i),
                f"worker {instance} to register",
            )

    def stop_worker(self, instance: int) -> None:
        self.daemon("stop", WORKER, instance)

    def stop(self) -> None:
        for instance in (1, 2):
            with contextlib.suppress(subprocess.CalledProcessError):  # stopped by the test
                self.stop_worker(instance)
        self.daemon("stop", MASTER, 1)
        wait_for(lambda: not port_open(self.port), "the master's port to close", timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("cluster"))
    c.start()
    try:
        yield c
    finally:
        c.stop()


def tables(path: Path) -> dict[str, list[tuple]]:
    con = connect(path)
    return {
        table: con.execute(f"select * from {table} order by all").fetchall()
        for table in ("facts", "prompts", "freq_of_freq", "estimates")
    }


def cluster_run(cluster: Cluster, out: Path, limit: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "singleton_rate.cli", "run", str(SAMPLE), "--out", str(out),
         "--master", cluster.url, "--limit-docs", str(limit), "--source-field", "source",
         "--conf", "spark.executor.memory=1g"],
        env=cluster.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def local_reference(spark: Any, out: Path, limit: int) -> dict[str, list[tuple]]:
    config = RunConfig(inputs=(str(SAMPLE),), out=str(out), limit_docs=limit, source_field="source")
    return tables(run(config, spark=spark, progress=Progress(quiet=True)).path)


@pytest.fixture(scope="module")
def reference(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    """The local-mode result on the first 150 sample documents."""
    return local_reference(spark, tmp_path_factory.mktemp("local") / "run", 150)


def test_cluster_equals_local(cluster: Cluster, reference, tmp_path: Path) -> None:
    proc = cluster_run(cluster, tmp_path / "cluster", 150)
    output = proc.communicate(timeout=600)[0].decode(errors="replace")
    assert proc.returncode == 0, output[-3000:]
    assert tables(tmp_path / "cluster") == reference


def test_losing_a_worker_mid_run_changes_nothing(
    cluster: Cluster, spark: Any, tmp_path: Path
) -> None:
    out = tmp_path / "cluster"
    proc = cluster_run(cluster, out, 400)
    temporaries = lambda: list(out.parent.glob(f".{out.name}.tmp-*"))  # noqa: E731
    # lose worker 2 once extraction is under way: its tasks must run again on worker 1
    wait_for(lambda: any((t / "_work").exists() for t in temporaries()), "extraction to start", 180)
    time.sleep(3)
    cluster.stop_worker(2)
    output = proc.communicate(timeout=900)[0].decode(errors="replace")
    assert proc.returncode == 0, output[-3000:]
    assert tables(out) == local_reference(spark, tmp_path / "local", 400)


def test_spark_submit_job_equals_local(cluster: Cluster, reference, tmp_path: Path) -> None:
    out = tmp_path / "submitted"
    proc = subprocess.run(
        [str(cluster.home / "bin" / "spark-submit"), "--master", cluster.url,
         "--conf", "spark.executor.memory=1g", str(ROOT / "jobs" / "run_corpus.py"),
         str(SAMPLE), "--out", str(out), "--limit-docs", "150", "--source-field", "source"],
        env=cluster.env,
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spark"]["master"] == cluster.url
    assert tables(out) == reference
