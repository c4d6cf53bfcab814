"""The live results view under a cell: the table (and Mermaid graph), updated in place.

The table is one display with a display id, a ``{text/html, text/plain}`` bundle that is replaced
as statuses change (at most 20 times a second; the latest state is always drawn). Every output is
static HTML, live or done: a notebook saved in the middle of a run (by hand, by autosave, after the
kernel died) reopens with the table as it was, never "model not found" as a widget would. ``--graph``
is a second display right under the table, live and done. A terminal gets the final table only.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from livedag.graph import Graph
from livedag.kernel.display import DisplayHandle, display, update
from livedag.kernel.rows import ResultsTable
from livedag.kernel.table import to_html, to_text
from livedag.render import to_mermaid

__all__ = ["RunView", "in_kernel"]

_INTERVAL = 0.05
"""Seconds between two redraws: hundreds of nodes finishing at once cost a few redraws, not hundreds."""
_CHUNK_INTERVAL = 0.1
"""Seconds between two redraws caused only by generator items."""


def in_kernel(shell: Any) -> bool:
    """A Jupyter kernel (whose frontends can update displays in place), not a terminal."""
    return getattr(shell, "kernel", None) is not None


class RunView:
    """One run's table (and optionally its graph), live while the run goes on."""

    def __init__(self, graph: Graph, *, show_graph: bool, live: bool = True) -> None:
        self._graph = graph
        self._live = live
        self._show_graph = show_graph
        self._handle: DisplayHandle | None = None
        self._graph_handle: DisplayHandle | None = None
        self._last_draw = 0.0
        self._pending: ResultsTable | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_statuses: dict[str, str] = {}

    def start(self, state: ResultsTable) -> None:
        if not self._live:  # a terminal: no display updates, only the final table
            return
        self._handle = display(self._bundle(state), raw=True, display_id=True)
        if self._show_graph:
            self._graph_handle = display(self._graph_bundle(state), raw=True, display_id=True)
        self._last_draw = time.monotonic()

    def update(self, state: ResultsTable, *, urgent: bool = True) -> None:
        """Redraw, at most every ``_INTERVAL`` s (``_CHUNK_INTERVAL`` for generator items only).

        A skipped redraw is not lost: the latest state is drawn when the interval is over.
        """
        self._pending = state
        if self._timer is not None:
            return
        wait = (_INTERVAL if urgent else _CHUNK_INTERVAL) - (time.monotonic() - self._last_draw)
        if wait <= 0:
            self._draw()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._draw()
            return
        self._timer = loop.call_later(wait, self._draw)

    def _draw(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        state, self._pending = self._pending, None
        if state is None:
            return
        self._last_draw = time.monotonic()
        if self._handle is not None:
            update(self._handle, self._bundle(state), raw=True)
            if self._graph_handle is not None and self._statuses_changed(state):
                update(self._graph_handle, self._graph_bundle(state), raw=True)

    def finish(self, state: ResultsTable) -> None:
        """Draw the final table (and graph) in place of the live one."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._pending = None
        if self._handle is None:
            display(self._bundle(state), raw=True)
            if self._show_graph:
                display(self._graph_bundle(state), raw=True)
            return
        update(self._handle, self._bundle(state), raw=True)
        if self._graph_handle is not None:
            update(self._graph_handle, self._graph_bundle(state), raw=True)

    # -- internals --------------------------------------------------------------------------------
    def _bundle(self, state: ResultsTable) -> dict[str, Any]:
        now = time.time()
        return {"text/html": to_html(state, now), "text/plain": to_text(state, now)}

    def _graph_bundle(self, state: ResultsTable) -> dict[str, str]:
        statuses = {row.name: row.status for row in state.rows if row.name in self._graph.nodes}
        text = to_mermaid(self._graph, statuses=statuses)
        return {"text/vnd.mermaid": text, "text/plain": text}

    def _statuses_changed(self, state: ResultsTable) -> bool:
        statuses = {row.name: row.status for row in state.rows}
        changed = statuses != self._last_statuses
        self._last_statuses = statuses
        return changed
