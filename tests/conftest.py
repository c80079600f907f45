"""Shared fixtures: one SparkSession for the whole test session (local[2], UI off)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from pipeline.spark import build_session

    session = build_session(
        "local[2]",
        app_name="singletons-tests",
        shuffle_partitions=2,
        extra_conf={"spark.ui.enabled": "false", "spark.default.parallelism": "2"},
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The annotated corpora beside the project; tests that need them skip without them."""
    path = SHARED / "corpora"
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the shared annotated corpora are not beside this checkout")
    return path
