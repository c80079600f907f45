"""How many Spark tasks a run plans for its input (pure arithmetic, no Spark)."""

from __future__ import annotations

import pytest

from singleton_rate.spark import MIN_TASK_BYTES, TARGET_TASK_BYTES, TASKS_PER_CORE, extract_tasks

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("total", "cores", "expected"),
    [
        (0, 2, 2),  # never fewer tasks than cores
        (1000, 2, 2),
        (MB, 2, 4),  # 1 MB: tasks of 256 KB
        (6 * MB, 2, 24),  # small corpora: many short tasks, so the last wave is short
        (20 * MB, 2, 2 * TASKS_PER_CORE),  # capped at 16 per core
        (1024 * MB, 2, 256),  # large corpora: tasks of ~4 MB
        (1024 * MB, 64, 1024),  # a cluster: 16 per core while that keeps tasks ≥ 256 KB
    ],
)
def test_extract_tasks(total: int, cores: int, expected: int) -> None:
    assert extract_tasks(total, cores) == expected


def test_task_sizes_are_ordered() -> None:
    assert MIN_TASK_BYTES < TARGET_TASK_BYTES
