"""Progress while Spark works: each step of the run, and on the long one numbers to plan with.

Spark's own console bar is off (it floods logs that are not terminals); this reporter polls
the status tracker from a daemon thread. During "read + extract" the line shows documents
and MB done of the total, the rate and an ETA (:func:`format_line`, from the counts an
:class:`ExtractMeter` keeps); during the other steps, elapsed time and Spark's tasks. Failed
(retried) tasks are shown when there are any. Where it goes:

- a terminal: one line updated in place (``\\r``);
- a Jupyter kernel (no terminal, an IPython kernel): one updating tqdm line;
- anything else (a log file, a pipe): a line every ``interval_log`` seconds;
- ``quiet``: nothing (the caller's errors and final summary are not progress).

The Spark UI address (``sc.uiWebUrl``) is written once, when the session is attached and
its UI is on. The formatting and the counting are pure functions of numbers, tested
without Spark; the Spark side is the accumulators of :class:`singleton_rate.spark.Counters`.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

MB = 1_000_000  # decimal megabytes, as file listings and object stores count them


def format_duration(seconds: float) -> str:
    """A short duration: ``45s``, ``3m05s``, ``2h07m``.

    Examples
    --------
    >>> format_duration(44.6), format_duration(185), format_duration(7620)
    ('45s', '3m05s', '2h07m')
    """
    s = max(0, round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def eta_seconds(done: float, total: float | None, elapsed: float) -> float | None:
    """Seconds left at the rate so far, or None when that cannot be said.

    None when the total is unknown, nothing is done yet, or more is done than the total
    (which was then an estimate, and a wrong one); 0 when done equals the total.

    Examples
    --------
    >>> eta_seconds(25, 100, 10.0)
    30.0
    >>> eta_seconds(0, 100, 10.0) is None, eta_seconds(5, None, 10.0) is None
    (True, True)
    >>> eta_seconds(120, 100, 10.0) is None, eta_seconds(100, 100, 10.0)
    (True, 0.0)
    """
    if total is None or done <= 0 or elapsed <= 0 or done > total:
        return None
    return elapsed * (total - done) / done


def format_line(
    docs_done: int,
    docs_total: int | None,
    bytes_done: int | None,
    bytes_total: int | None,
    elapsed: float,
    failed_tasks: int = 0,
    *,
    docs_total_estimated: bool = False,
    bytes_done_estimated: bool = False,
) -> str:
    """One progress line of the read + extract pass.

    Parameters
    ----------
    docs_done
        Documents extracted so far.
    docs_total
        Documents to extract, or None when not known yet.
    bytes_done, bytes_total
        Input bytes (as the files are stored, compressed or not) done and in all; None when
        not known (``--limit-docs`` reads an unknown part of the input).
    elapsed
        Seconds since the pass started: the rates and the ETA are the average so far.
    failed_tasks
        Spark tasks that failed (and were retried); shown only when there are any.
    docs_total_estimated, bytes_done_estimated
        Mark the number with ``~``: a total extrapolated from the input read so far, bytes
        done apportioned from the documents done.

    Returns
    -------
    str
        Documents, MB, the rates, and the ETA: from the bytes when both byte counts are
        known, else from the documents; ``ETA ?`` when neither can say.

    Examples
    --------
    >>> format_line(1200, 3000, 2_400_000, 6_000_000, 30.0, bytes_done_estimated=True)
    '1,200/3,000 docs · ~2.4/6.0 MB · 40 docs/s · 0.08 MB/s · ETA 45s'
    >>> format_line(0, None, 0, 6_000_000, 4.0)
    '0 docs · 0.0/6.0 MB · ETA ?'
    >>> format_line(500, 3000, None, None, 10.0, 2, docs_total_estimated=True)
    '500/~3,000 docs · 50 docs/s · ETA 50s · 2 failed tasks'
    >>> format_line(3100, 3000, None, None, 10.0, docs_total_estimated=True)
    '3,100/~3,000 docs · 310 docs/s · ETA ?'
    """
    total = "" if docs_total is None else "/" + ("~" if docs_total_estimated else "")
    total += "" if docs_total is None else f"{docs_total:,}"
    parts = [f"{docs_done:,}{total} docs"]
    if bytes_done is not None and bytes_total is not None:
        mark = "~" if bytes_done_estimated else ""
        parts.append(f"{mark}{bytes_done / MB:.1f}/{bytes_total / MB:.1f} MB")
    if elapsed > 0 and docs_done > 0:
        parts.append(f"{_rate(docs_done / elapsed)} docs/s")
        if bytes_done is not None and bytes_total is not None:
            parts.append(f"{bytes_done / MB / elapsed:.2f} MB/s")
    if bytes_done is not None and bytes_total is not None:
        eta = eta_seconds(bytes_done, bytes_total, elapsed)
    else:
        eta = eta_seconds(docs_done, docs_total, elapsed)
    parts.append("ETA ?" if eta is None else f"ETA {format_duration(eta)}")
    if failed_tasks:
        parts.append(f"{failed_tasks} failed task{'s' if failed_tasks != 1 else ''}")
    return " · ".join(parts)


def _rate(per_second: float) -> str:
    return f"{per_second:.1f}" if per_second < 10 else f"{per_second:,.0f}"


# --- counting the read + extract pass -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """The pass's counters at one moment (Spark accumulators, summed over finished tasks)."""

    units_read: int = 0  # work units whose read task finished
    docs_read: int = 0  # documents those reads produced (rejects not counted)
    docs_extracted: int = 0  # documents whose extraction task finished

    def __sub__(self, other: Tally) -> Tally:
        return Tally(
            self.units_read - other.units_read,
            self.docs_read - other.docs_read,
            self.docs_extracted - other.docs_extracted,
        )


@dataclass(frozen=True, slots=True)
class Counts:
    """What :func:`format_line` shows, as the meter knows it at one moment."""

    docs_done: int
    docs_total: int | None
    bytes_done: int | None
    bytes_total: int | None
    docs_total_estimated: bool = False
    bytes_done_estimated: bool = False


class ExtractMeter:
    """Documents and bytes of the read + extract pass, from the chunks it runs in turn.

    The pass runs one Spark job per chunk (:mod:`singleton_rate.resume`); in each, the read
    tasks (one per work unit) all finish before extraction starts (a shuffle lies between).
    So once a chunk's units are all read, its document count is exact; the documents of
    chunks not read yet are extrapolated from the documents per byte of those read (marked
    ``~``). Bytes done are the bytes of finished chunks plus the running chunk's bytes in
    the share of its documents extracted (its documents are spread evenly over its tasks),
    so they are an estimate until the chunk ends. Accumulators count a retried task's
    documents again, so a run with failed tasks may show more documents done than in all.

    Parameters
    ----------
    chunks
        ``(bytes, work units)`` of each chunk this pass extracts (not those a resumed run
        reuses), in the order they run.
    limit
        ``--limit-docs``: then the total is the limit until the reads say fewer, and bytes
        are not known.
    tally
        The counters now (:meth:`singleton_rate.spark.Counters.tally`).
    """

    def __init__(
        self,
        chunks: Sequence[tuple[int, int]],
        *,
        limit: int | None = None,
        tally: Callable[[], Tally] = Tally,
    ) -> None:
        self.chunks = list(chunks)
        self.limit = limit
        self.tally = tally
        self.finished: list[Tally] = []  # per finished chunk, its own counts
        self.running = False
        self.base = Tally()

    def begin(self) -> None:
        """The next chunk's job starts."""
        self.base = self.tally()
        self.running = True

    def end(self) -> None:
        """The running chunk's job finished."""
        self.finished.append(self.tally() - self.base)
        self.running = False

    def counts(self) -> Counts:
        """Documents and bytes done and in all, now."""
        now = self.tally()
        n = len(self.finished)
        known_docs = sum(t.docs_read for t in self.finished)
        known_bytes = sum(b for b, _ in self.chunks[:n])
        bytes_done = known_bytes
        partial = False
        if self.running and n < len(self.chunks):
            current = now - self.base
            size, units = self.chunks[n]
            if current.units_read >= units:  # read complete: its document count is exact
                known_docs += current.docs_read
                known_bytes += size
                if current.docs_read and current.docs_extracted:
                    share = min(1.0, current.docs_extracted / current.docs_read)
                    bytes_done += math.floor(size * share)
                    partial = share < 1.0
        all_bytes = sum(b for b, _ in self.chunks)
        unread = all_bytes - known_bytes
        docs_total: int | None
        if self.limit is not None:
            docs_total = min(self.limit, known_docs) if unread <= 0 else self.limit
            estimated = unread > 0
        elif unread <= 0:
            docs_total, estimated = known_docs, False
        elif known_bytes > 0:
            docs_total = known_docs + round(unread * known_docs / known_bytes)
            estimated = True
        else:
            docs_total, estimated = None, False
        no_bytes = self.limit is not None
        return Counts(
            docs_done=now.docs_extracted,
            docs_total=docs_total,
            bytes_done=None if no_bytes else bytes_done,
            bytes_total=None if no_bytes else all_bytes,
            docs_total_estimated=estimated,
            bytes_done_estimated=partial,
        )


# --- where the lines go ---------------------------------------------------------------------


def in_notebook() -> bool:
    """True inside a Jupyter (IPython) kernel, where stderr is no terminal but a cell shows
    one updating line."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # an IPython half imported: not a kernel to draw in
        return False
    return shell is not None and hasattr(shell, "kernel")


def _tqdm_class() -> Any:
    # tqdm.auto warns and falls back when ipywidgets is missing; choose quietly instead: the
    # widget when it can be drawn, else tqdm's text line, which a cell updates in place.
    if importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm


class Progress:
    """Names the run's steps, times them, and shows what Spark does within each.

    Parameters
    ----------
    sc
        The SparkContext to poll (attached later by :func:`singleton_rate.spark.session_for`).
    stream
        Where the lines go (default stderr).
    quiet
        Write nothing; the steps are still timed (``timings``, for the manifest).
    interval_log
        Seconds between lines when the stream is neither a terminal nor a notebook.
    notebook
        Draw with tqdm (default: when running in a Jupyter kernel and the stream is not a
        terminal).
    """

    def __init__(
        self,
        sc: Any | None = None,
        stream: TextIO | None = None,
        *,
        quiet: bool = False,
        interval_log: float = 15.0,
        notebook: bool | None = None,
    ):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.interval_log = interval_log
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.notebook = (not self.tty and in_notebook()) if notebook is None else notebook
        self.timings: dict[str, float] = {}
        self.meter: ExtractMeter | None = None
        self._failed: dict[int, int] = {}  # stage id → failed tasks, of this step's stages
        self._last_active: list[int] = []
        self._ui_said = False
        self._sc: Any | None = None
        self.sc = sc

    @property
    def sc(self) -> Any | None:
        return self._sc

    @sc.setter
    def sc(self, sc: Any | None) -> None:
        self._sc = sc
        if sc is not None and not self.quiet and not self._ui_said:
            url = getattr(sc, "uiWebUrl", None)  # None when spark.ui.enabled is false
            if url:
                self.stream.write(f"Spark UI: {url}\n")
                self.stream.flush()
                self._ui_said = True

    def measure(self, meter: ExtractMeter | None) -> None:
        """Show ``meter``'s documents and bytes on the running step's line (until it ends)."""
        self.meter = meter

    def _poll(self) -> tuple[tuple[int, int] | None, int]:
        """Active stages' tasks (done, total), and failed tasks of this step's stages."""
        if self.sc is None:
            return None, 0
        tracker = self.sc.statusTracker()
        done = total = 0
        active = list(tracker.getActiveStageIds())
        # The stages active at the last poll are asked again: a failure late in a stage
        # that ended between two polls still counts. (Not every stage seen: a run of many
        # chunks has hundreds, each a call into the JVM.)
        for stage_id in dict.fromkeys([*active, *self._last_active]):
            info = tracker.getStageInfo(stage_id)
            if info is None:
                continue
            if info.numFailedTasks:
                self._failed[stage_id] = max(self._failed.get(stage_id, 0), info.numFailedTasks)
            if stage_id in active:
                done += info.numCompletedTasks
                total += info.numTasks
        self._last_active = active
        return ((done, total) if total else None), sum(self._failed.values())

    def line(self, elapsed: float) -> tuple[str, tuple[float, float | None]]:
        """The running step's text (without its name), and (done, total) for a bar."""
        tasks, failed = self._poll()
        task_text = f"tasks {tasks[0]}/{tasks[1]}" if tasks else ""
        if self.meter is not None:
            c = self.meter.counts()
            text = format_line(
                c.docs_done,
                c.docs_total,
                c.bytes_done,
                c.bytes_total,
                elapsed,
                failed,
                docs_total_estimated=c.docs_total_estimated,
                bytes_done_estimated=c.bytes_done_estimated,
            )
            text += f" · {task_text}" if task_text else ""
            if c.bytes_done is not None and c.bytes_total:
                return text, (c.bytes_done / MB, c.bytes_total / MB)
            return text, (c.docs_done, c.docs_total)
        parts = [f"{elapsed:.0f}s"] + ([task_text] if task_text else [])
        if failed:
            parts.append(f"{failed} failed task{'s' if failed != 1 else ''}")
        return " · ".join(parts), ((tasks[0], tasks[1]) if tasks else (0, None))

    def _done_text(self, name: str, elapsed: float) -> str:
        text = f"  {name}: done in {elapsed:.1f}s"
        _, failed = self._poll()
        if self.meter is not None:
            c = self.meter.counts()
            text += f" · {c.docs_done:,} docs"
            if c.bytes_total is not None:
                text += f" · {c.bytes_total / MB:.1f} MB"
            if elapsed > 0 and c.docs_done:
                text += f" · {_rate(c.docs_done / elapsed)} docs/s"
        if failed:
            text += f" · {failed} failed task{'s' if failed != 1 else ''}"
        return text

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step; while it runs, show its progress."""
        start = time.monotonic()
        stop = threading.Event()
        self._failed, self._last_active = {}, []
        bar: Any = None
        width = 0  # of the last line written in place, to blank it

        def watch() -> None:
            nonlocal bar, width
            last_log = start
            while not stop.wait(0.5):
                elapsed = time.monotonic() - start
                try:
                    text, (done, total) = self.line(elapsed)
                except Exception:  # a Spark context stopping under us: no line this time
                    continue
                if self.notebook:
                    if bar is None:
                        bar = _tqdm_class()(
                            desc=f"  {name}",
                            file=self.stream,
                            bar_format="{desc}: {percentage:3.0f}%|{bar:20}| {postfix}",
                            total=1,
                            leave=False,
                        )
                    bar.total = total if total else max(done, 1)
                    bar.n = min(done, bar.total)
                    bar.set_postfix_str(text, refresh=False)
                    # tqdm cuts the line at the width it guesses (80 in a kernel): room for
                    # the whole text, the bar kept at its 20 characters.
                    bar.ncols = len(name) + len(text) + 40
                    bar.refresh()
                elif self.tty:
                    text = f"  {name}: {text}"
                    self.stream.write("\r" + text.ljust(width))
                    self.stream.flush()
                    width = len(text)
                elif time.monotonic() - last_log >= self.interval_log:
                    self.stream.write(f"  {name}: {text}\n")
                    self.stream.flush()
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
                if bar is not None:
                    bar.close()
                elif self.tty and width:
                    self.stream.write("\r" + " " * width + "\r")
                try:
                    text = self._done_text(name, elapsed)
                except Exception:
                    text = f"  {name}: done in {elapsed:.1f}s"
                self.stream.write(text + "\n")
                self.stream.flush()
            self.meter = None
