"""Recording runs: ``HistoryHook`` (a driver hook) and the writer thread that stores what it hands over.

The hook is a recorder (``RecordRun``): the driver hands it each ``FinishedRun`` (the scheduler's arrays,
nothing copied, no ``Run`` built) and it only queues it. One daemon thread per database turns what is
queued into rows (``history.compact``: previews, not values; fingerprints) and writes them, each batch of
whole runs in one transaction, so thousands of runs in flight on one loop never wait on the disk or on
formatting. Previews and the inputs' fingerprint are thus taken a moment after the run ends: a value (or
an input) mutated in place right after its run may be recorded as mutated. ``flush()`` waits until
everything queued so far is written (it is also called at interpreter exit).
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from livedag.execution.finished import FinishedRun
from livedag.graph import Graph
from livedag.history.compact import CompactEncoder, Row, encode_run
from livedag.history.fingerprints import graph_fingerprint, inputs_fingerprint
from livedag.history.location import git_commit, store_path
from livedag.history.model import RunEntry
from livedag.history.store import HistoryStore, entry_row

__all__ = ["HistoryHook", "RunWriter", "writer_for"]

logger = logging.getLogger("livedag.history")
_WRITERS: dict[Path, RunWriter] = {}
_WRITERS_LOCK = threading.Lock()


class RunWriter:
    """A queue of runs and the thread that writes them to one database, batch by batch."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._queue: queue.SimpleQueue[RunEntry | Callable[[], Row] | None] = queue.SimpleQueue()
        self._done = threading.Condition()
        self._queued = 0
        self._written = 0
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, entry: RunEntry | Callable[[], Row]) -> None:
        """Queue a run, or a function that makes its row (called in the writer thread)."""
        with self._done:
            self._queued += 1
        self._queue.put(entry)
        if self._thread is None:
            self._start()

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Wait until every run queued so far is written (or failed to be); False on a timeout."""
        with self._done:
            target = self._queued
            return self._done.wait_for(lambda: self._written >= target, timeout)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="livedag-history", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        store: HistoryStore | None = None
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            runs = [entry for entry in batch if entry is not None]
            try:
                rows = [entry_row(entry) if isinstance(entry, RunEntry) else entry() for entry in runs]
                if store is None:
                    store = HistoryStore(self.path)
                store.write_rows(rows)
            except Exception:
                logger.exception("livedag: could not record %d run(s) in %s", len(runs), self.path)
            with self._done:
                self._written += len(runs)
                self._done.notify_all()


def writer_for(path: str | os.PathLike[str]) -> RunWriter:
    """The one writer of this process for a database file."""
    resolved = Path(path).resolve()
    with _WRITERS_LOCK:
        writer = _WRITERS.get(resolved)
        if writer is None:
            writer = _WRITERS[resolved] = RunWriter(resolved)
    return writer


@atexit.register
def _flush_all() -> None:
    for writer in list(_WRITERS.values()):
        writer.flush(timeout=10.0)


class HistoryHook:
    """Records every run of the driver it is passed to: ``Driver(graph, hooks=[HistoryHook(graph)])``.

    ``path``: the database (default: ``.livedag/runs.db`` beside the project configuration found from the
    current directory up). ``graph``: the driver's graph, for its fingerprint and the nodes' upstream
    (without it those stay empty). ``source``/``label`` say who ran it and what.
    """

    def __init__(
        self,
        graph: Graph | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        source: str = "api",
        label: str = "",
    ) -> None:
        self.path = Path(path) if path is not None else store_path()
        self.writer = writer_for(self.path)
        self.graph = graph
        self.source = source
        self.label = label
        self._graph_fingerprint = graph_fingerprint(graph) if graph is not None else ""
        self._commit = git_commit(self.path.parent)
        streaming = frozenset(name for name, spec in graph.nodes.items() if spec.kind.is_streaming) if graph else ()
        self._encoder = CompactEncoder(_upstream(graph) if graph is not None else {}, frozenset(streaming))

    def record_run(self, run: FinishedRun, /) -> None:
        self.writer.put(functools.partial(self._row, run))

    def _row(self, run: FinishedRun) -> Row:
        """In the writer thread: the run's row."""
        return encode_run(
            self._encoder,
            run,
            source=self.source,
            label=self.label,
            graph_fp=self._graph_fingerprint,
            inputs_fp=inputs_fingerprint(run.inputs),
            commit=self._commit,
        )

    def flush(self, timeout: float | None = 30.0) -> bool:
        return self.writer.flush(timeout)


def _upstream(graph: Graph) -> dict[str, tuple[str, ...]]:
    nodes = graph.nodes
    return {name: tuple(dep for dep in graph.dependencies(name) if dep in nodes) for name in nodes}
