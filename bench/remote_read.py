"""Reading a snapshot from an S3-compatible server versus from disk (issue 15, item 1).

Usage::

    PYTHONPATH=pipeline .venv/bin/python bench/remote_read.py --mb 64   # ~1 min

Starts moto's S3 server on a free 127.0.0.1 port, uploads the same shards it writes to a
local folder (JSONL.gz, JSONL.zst and Parquet made from the bundled sample, repeated to
``--mb`` of uncompressed text each), then times :func:`singleton_rate.corpus.read_unit`, the
code a worker runs, over every work unit from disk and from S3, and checks the records are
identical. It measures the read path only (ranged GETs, decompression, parsing), not
extraction, which dominates a real run by far. moto serves from memory in one Python
process on the same cores, so the S3 numbers are a floor for a real store's throughput on
this machine's part, not the store's.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"


def shards(mb: int) -> dict[str, bytes]:
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    out = io.BytesIO()
    i = 0
    while out.tell() < mb * 1024 * 1024:
        record = json.loads(lines[i % len(lines)])
        record["id"] = f"{record['id']}-{i}"
        out.write((json.dumps(record) + "\n").encode())
        i += 1
    raw = out.getvalue()
    rows = [json.loads(line) for line in raw.splitlines()]
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(rows), sink, row_group_size=5000)
    return {
        "a.jsonl.gz": gzip.compress(raw, compresslevel=6, mtime=0),
        "b.jsonl.zst": zstandard.ZstdCompressor(level=3).compress(raw),
        "c.parquet": sink.getvalue().to_pybytes(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=64, help="uncompressed MB per shard")
    args = parser.parse_args()

    import boto3

    from singleton_rate.corpus import FieldNames, discover, plan_units, read_unit

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        os.environ.update(
            AWS_ENDPOINT_URL=endpoint,
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_REGION="us-east-1",
        )
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket="bench")
        data = shards(args.mb)
        with tempfile.TemporaryDirectory() as tmp:
            for name, blob in data.items():
                (Path(tmp) / name).write_bytes(blob)
                client.put_object(Bucket="bench", Key=f"snap/{name}", Body=blob)
            print("| shard | stored bytes | from | records | seconds | records/s | text MB/s |")
            print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
            for where, root in (("disk", tmp), ("s3", "s3://bench/snap/")):
                units = plan_units(discover([root]))
                by_file: dict[str, list] = {}
                for unit in units:
                    by_file.setdefault(unit.file.name, []).append(unit)
                for name, file_units in by_file.items():
                    start = time.perf_counter()
                    n = sum(1 for u in file_units for _ in read_unit(u, FieldNames()))
                    seconds = time.perf_counter() - start
                    size = file_units[0].file.size
                    print(
                        f"| {name} | {size} | {where} | {n} | {seconds:.2f} | "
                        f"{n / seconds:,.0f} | {args.mb / seconds:.1f} |"
                    )
            same = all(
                list(read_unit(a, FieldNames())) == list(read_unit(b, FieldNames()))
                for a, b in zip(
                    plan_units(discover([tmp])),
                    plan_units(discover(["s3://bench/snap/"])),
                    strict=True,
                )
            )
            print(f"\nrecords identical from disk and S3: {same}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
