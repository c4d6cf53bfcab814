"""Runs from before the server started: a graph's last recorded run (shown until its next run) and the
``livedag/timeline`` answer, both read from the run history where the worker runs the graph. The history
(SQLite) is imported when a graph first asks, not when the server starts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from livedag.lsp.run.state import GraphResults
from livedag.lsp.run.targets import history_cwd
from livedag.lsp.state import GraphView

__all__ = ["last_run", "timeline"]


def last_run(view: GraphView, roots: Sequence[str]) -> tuple[GraphResults, Mapping[str, Any]] | None:
    """The graph's last recorded run and the inputs it was configured with, if there is one."""
    found = history_cwd(view, roots)
    if found is None:
        return None
    from livedag.lsp.run.saved import restore

    state = restore(view.id, found[0])
    return (state, found[1]) if state is not None else None


def timeline(view: GraphView, roots: Sequence[str]) -> dict[str, Any] | None:
    """``livedag/timeline``: the last recorded run of the graph."""
    found = history_cwd(view, roots)
    if found is None:
        return None
    from livedag.lsp.run.saved import timeline_payload

    return timeline_payload(view.id, found[0])
