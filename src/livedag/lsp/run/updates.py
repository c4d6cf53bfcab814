"""What a run changes, sent to the editor without flooding it: diagnostics, ``livedag/graphChanged`` and the
refresh of lenses and inlay hints coalesced (at most one round every ``FLUSH_SECONDS``; the first result of
a run goes out at once), what user code prints batched into ``window/logMessage`` (``logs``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from lsprotocol import types

from livedag.lsp.run.logs import LogBatch
from livedag.lsp.server import LivedagServer

__all__ = ["FLUSH_SECONDS", "LOG_SECONDS", "Updates"]

FLUSH_SECONDS = 0.05
LOG_SECONDS = 0.05
"""What user code prints is forwarded at most this often (one ``window/logMessage`` per batch)."""


class Updates:
    """Graphs whose results changed since the last round of refreshes, and lines printed since the last batch."""

    def __init__(self, server: LivedagServer, has_failures: Callable[[str], bool]) -> None:
        self.server = server
        self._has_failures = has_failures
        self._dirty: set[str] = set()
        self._failures_shown: dict[str, bool] = {}
        self._flush_handle: asyncio.Handle | None = None
        self._last_flush = 0.0
        self._logs = LogBatch()
        self._log_handle: asyncio.TimerHandle | None = None

    def mark(self, graph_id: str, urgent: bool = False) -> None:
        """The graph's results changed: refresh now (``urgent``) or with the next round."""
        self._dirty.add(graph_id)
        if urgent:
            self.flush()
        elif self._flush_handle is None:
            delay = max(0.0, self._last_flush + FLUSH_SECONDS - time.monotonic())
            self._flush_handle = asyncio.get_running_loop().call_later(delay, self.flush)

    def flush(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        self._last_flush = time.monotonic()
        dirty, self._dirty = self._dirty, set()
        for graph_id in dirty:
            failures = self._has_failures(graph_id)
            if failures or self._failures_shown.get(graph_id):
                self.server.republish(graph_id)  # node-failed diagnostics, or clearing them
            self._failures_shown[graph_id] = failures
            self.server.notify_graph_changed(graph_id, force=False)
        if dirty:
            self.server.refresh_editor()  # inlay hints and the result lenses

    def log(self, line: str) -> None:
        """A line from the worker's stderr; lines are sent in batches (see ``logs``)."""
        self._logs.add(line)
        if self._log_handle is None:
            self._log_handle = asyncio.get_running_loop().call_later(LOG_SECONDS, self.flush_logs)

    def flush_logs(self) -> None:
        if self._log_handle is not None:
            self._log_handle.cancel()
            self._log_handle = None
        if self._logs:
            text = self._logs.take()
            self.server.window_log_message(types.LogMessageParams(type=types.MessageType.Log, message=text))

    def show(self, severity: types.MessageType, message: str) -> None:
        self.server.window_show_message(types.ShowMessageParams(type=severity, message=f"livedag: {message}"))
