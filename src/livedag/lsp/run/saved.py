"""The last run of a graph read back from the run history, so the editor's results survive a restart.

The worker records each editor run (``livedag.worker.history``) under the graph's id, with the node
fingerprints the server gave it and each failure's error. ``restore`` turns the newest such record back
into the ``NodeResult`` values ``GraphResults`` holds: hover, inline values, failure diagnostics and staleness
then work as they did before the server stopped. Reads only the store (never imports the engine).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from livedag.history import HistoryStore, RunEntry, history_enabled, store_path
from livedag.lsp.run.state import GraphResults, NodeResult
from livedag.render.timeline import timeline_html
from livedag.worker.protocol import ErrorInfo

__all__ = ["last_run", "restore", "results_of", "timeline_payload"]

logger = logging.getLogger("livedag.lsp")


def last_run(graph_id: str, cwd: str | os.PathLike[str]) -> RunEntry | None:
    """The graph's last recorded editor run (the worker ran it from ``cwd``), or ``None``."""
    if not history_enabled(cwd):
        return None
    path = store_path(cwd)
    if not path.is_file():
        return None
    try:
        with HistoryStore(path) as store:
            entry = store.latest(label=graph_id)
    except Exception:  # an unreadable history only means nothing is restored
        logger.warning("livedag: could not read the run history at %s", path, exc_info=True)
        return None
    return entry if entry is not None and entry.source == "editor" else None


def timeline_payload(graph_id: str, cwd: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The last run's timeline for a client's view: an HTML fragment with inline styles only (no script,
    nothing loaded; a webview needs ``style-src 'unsafe-inline'``) and the nodes as data."""
    entry = last_run(graph_id, cwd)
    if entry is None:
        return None
    return {
        "graph": graph_id,
        "run": entry.id,
        "runId": entry.run_id,
        "started": entry.started,
        "ok": entry.ok,
        "duration": entry.duration,
        "html": timeline_html(entry.nodes),
        "nodes": [node.as_json() for node in entry.nodes],
    }


def restore(graph_id: str, cwd: str | os.PathLike[str]) -> GraphResults | None:
    """A ``GraphResults`` holding the graph's last recorded editor run, or ``None``."""
    entry = last_run(graph_id, cwd)
    if entry is None:
        return None
    state = GraphResults()
    state.results.update(results_of(entry))
    return state


def results_of(entry: RunEntry) -> dict[str, NodeResult]:
    fingerprints: dict[str, str] = entry.extra.get("fingerprints") or {}
    errors: dict[str, Any] = entry.extra.get("errors") or {}
    results = {}
    for node in entry.nodes:
        if node.status in ("pending", "running"):
            continue
        error: ErrorInfo | None = None
        if node.status == "failed":
            found = errors.get(node.name)
            kind, _, message = (node.error or "Error: ").partition(": ")
            error = found if found else ErrorInfo(type=kind, message=message, frames=[])
        reason = f"needs {', '.join(node.skipped_because)}" if node.skipped_because else None
        results[node.name] = NodeResult(
            node=node.name,
            status=node.status,
            fingerprint=fingerprints.get(node.name, ""),
            run=entry.run_id,
            time=node.ended or node.started or entry.started,
            duration_ms=node.duration * 1000 if node.duration is not None else None,
            preview=node.preview,
            error=error,
            reason=reason if node.status == "skipped" else None,
            chunks=node.items or None,
        )
    return results
