"""Recording the editor's runs in the run history, from the worker (the process that ran them).

The record's label is the editor's graph id, its ``extra`` holds the editor's node fingerprints and each
failed node's error with its user frames, which is what the language server needs to show the last run
again after a restart (``livedag.lsp.run.saved``). Off when the history is turned off.
"""

from __future__ import annotations

import dataclasses
import logging

from livedag.graph import Graph
from livedag.history import HistoryStore, git_commit, history_enabled, store_path
from livedag.history.capture import Capture
from livedag.worker.protocol import RunRequest, error_info

__all__ = ["record_editor_run"]

logger = logging.getLogger("livedag.worker")


def record_editor_run(capture: Capture, graph: Graph, request: RunRequest) -> int | None:
    """Write the run (the worker's current directory is the run's); its number, or ``None``."""
    if not history_enabled():
        return None
    entry = capture.entry(
        graph,
        outputs=request["outputs"],
        inputs=request["inputs"],
        source="editor",
        label=request.get("graph", ""),
        git_commit=git_commit(),
    )
    errors = {
        name: error_info(record.error) for name, record in capture.progress.records.items() if record.error is not None
    }
    extra = {"fingerprints": request.get("fingerprints", {}), "errors": errors}
    try:
        with HistoryStore(store_path()) as store:
            return store.add(dataclasses.replace(entry, extra=extra))
    except Exception:
        logger.exception("livedag: the run was not recorded in %s", store_path())
        return None
