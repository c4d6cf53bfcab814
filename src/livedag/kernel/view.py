"""The live results view under a cell: an ipywidgets table (and Mermaid graph) with fallbacks.

The view is displayed as one bundle ``{widget-view+json, text/html, text/plain}`` with a display
id, so a frontend without widgets still shows the table. While the run goes on, the widget's
HTML is replaced as statuses change (at most 20 times a second; the latest state is always
drawn); when it ends the display is replaced by a static ``text/html`` + ``text/plain`` table so
saved notebooks, nbconvert and GitHub show the final result, and the widgets are closed. Without
ipywidgets the same display is updated with plain HTML instead; a terminal gets the final table.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from IPython.display import DisplayHandle, display

from livedag.graph import Graph
from livedag.kernel.rows import RunState
from livedag.kernel.table import to_html, to_text
from livedag.render import to_mermaid

__all__ = ["RunView", "in_kernel", "widgets_available"]

_INTERVAL = 0.05
"""Seconds between two redraws: hundreds of nodes finishing at once cost a few redraws, not hundreds."""
_CHUNK_INTERVAL = 0.1
"""Seconds between two redraws caused only by generator items."""


def in_kernel(shell: Any) -> bool:
    """A Jupyter kernel (whose frontends can update displays in place), not a terminal."""
    return getattr(shell, "kernel", None) is not None


def widgets_available(shell: Any) -> bool:
    if not in_kernel(shell):
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def _mermaid_bundle(text: str) -> dict[str, str]:
    return {"text/vnd.mermaid": text, "text/plain": text}


class RunView:
    """One run's table (and optionally its graph), live while the run goes on."""

    def __init__(self, graph: Graph, *, widget: bool, show_graph: bool, live: bool = True) -> None:
        self._graph = graph
        self._live = live
        self._show_graph = show_graph
        self._use_widget = widget
        self._handle: DisplayHandle | None = None
        self._graph_handle: DisplayHandle | None = None
        self._table: Any = None
        self._graph_out: Any = None
        self._box: Any = None
        self._last_draw = 0.0
        self._pending: RunState | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_statuses: dict[str, str] = {}

    def start(self, state: RunState) -> None:
        if not self._live:  # a terminal: no display updates, only the final table
            return
        if self._use_widget:
            import ipywidgets

            self._table = ipywidgets.HTML(value=to_html(state, time.time()))
            children = [self._table]
            if self._show_graph:
                self._graph_out = ipywidgets.Output(layout={"margin": "0 0 0 16px"})
                self._set_graph(state)
                children.append(self._graph_out)
            self._box = ipywidgets.HBox(children) if len(children) > 1 else self._table
            self._handle = display(self._bundle(state, widget=True), raw=True, display_id=True)
        else:
            self._handle = display(self._bundle(state, widget=False), raw=True, display_id=True)
            if self._show_graph:
                self._graph_handle = display(self._graph_bundle(state), raw=True, display_id=True)
        self._last_draw = time.monotonic()

    def update(self, state: RunState, *, urgent: bool = True) -> None:
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
        if self._table is not None:
            self._table.value = to_html(state, time.time())
            if self._graph_out is not None:
                self._set_graph(state)
        elif self._handle is not None:
            self._handle.update(self._bundle(state, widget=False), raw=True)
            if self._graph_handle is not None and self._statuses_changed(state):
                self._graph_handle.update(self._graph_bundle(state), raw=True)

    def finish(self, state: RunState) -> None:
        """Replace the live view by the static final table (and graph)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._pending = None
        if self._handle is None:
            display(self._bundle(state, widget=False), raw=True)
            if self._show_graph:
                display(self._graph_bundle(state), raw=True)
            return
        self._handle.update(self._bundle(state, widget=False), raw=True)
        if self._graph_handle is not None:
            self._graph_handle.update(self._graph_bundle(state), raw=True)
        elif self._graph_out is not None:
            display(self._graph_bundle(state), raw=True)
        for widget in (self._box, self._table, self._graph_out):
            if widget is not None:
                widget.close()
        self._box = self._table = self._graph_out = None

    # -- internals --------------------------------------------------------------------------------
    def _bundle(self, state: RunState, *, widget: bool) -> dict[str, Any]:
        now = time.time()
        bundle: dict[str, Any] = {"text/html": to_html(state, now), "text/plain": to_text(state, now)}
        if widget and self._box is not None:
            bundle["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self._box.model_id,
            }
        return bundle

    def _graph_bundle(self, state: RunState) -> dict[str, str]:
        statuses = {row.name: row.status for row in state.rows if row.name in self._graph.nodes}
        return _mermaid_bundle(to_mermaid(self._graph, statuses=statuses))

    def _set_graph(self, state: RunState) -> None:
        if not self._statuses_changed(state) and self._graph_out.outputs:
            return
        data = self._graph_bundle(state)
        self._graph_out.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)

    def _statuses_changed(self, state: RunState) -> bool:
        statuses = {row.name: row.status for row in state.rows}
        changed = statuses != self._last_statuses
        self._last_statuses = statuses
        return changed
