"""Progress while Spark works: the stage of the run, its tasks done, and elapsed time.

Spark's own console bar is off (it floods logs that are not terminals); this reporter polls
the status tracker from a daemon thread and writes one updating line to stderr on a
terminal, or a line every ``interval_log`` seconds otherwise.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


class Progress:
    """Names the run's steps, times them, and shows Spark's task progress within each."""

    def __init__(self, sc: Any | None = None, stream: TextIO | None = None, *, quiet: bool = False):
        self.sc = sc
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.timings: dict[str, float] = {}

    def _tasks(self) -> tuple[int, int] | None:
        if self.sc is None:
            return None
        tracker = self.sc.statusTracker()
        done = total = 0
        for stage_id in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage_id)
            if info is not None:
                done += info.numCompletedTasks
                total += info.numTasks
        return (done, total) if total else None

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step; while it runs, show its Spark tasks."""
        start = time.monotonic()
        stop = threading.Event()

        def watch() -> None:
            last_log = start
            while not stop.wait(0.5):
                tasks = self._tasks()
                elapsed = time.monotonic() - start
                text = f"  {name}: {elapsed:5.0f}s"
                if tasks:
                    text += f"  tasks {tasks[0]}/{tasks[1]}"
                if self.tty:
                    self.stream.write("\r" + text.ljust(60))
                    self.stream.flush()
                elif time.monotonic() - last_log >= 15:
                    self.stream.write(text + "\n")
                    last_log = time.monotonic()

        if not self.quiet:
            self.stream.write(f"» {name}\n")
        thread = threading.Thread(target=watch, daemon=True)
        if not self.quiet:
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread.is_alive():
                thread.join(timeout=2)
            elapsed = time.monotonic() - start
            self.timings[name] = round(elapsed, 3)
            if not self.quiet:
                if self.tty:
                    self.stream.write("\r" + " " * 60 + "\r")
                self.stream.write(f"  {name}: done in {elapsed:.1f}s\n")
                self.stream.flush()
