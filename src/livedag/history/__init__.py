"""Run history: runs of the CLI, the notebook and the editor kept in a local SQLite database.

This package's top level imports only the store and its plain data (the editor's server reads the
history and must never import the execution engine). Recording lives in ``livedag.history.recorder``
(``HistoryHook``) and ``livedag.history.capture`` (``Capture``, from a run's events).
See ``docs/observability.md``.
"""

from __future__ import annotations

from livedag.history.location import find_project, git_commit, history_enabled, store_path
from livedag.history.model import NodeEntry, RunEntry
from livedag.history.store import HistoryStore, RunNotFoundError

__all__ = [
    "HistoryStore",
    "NodeEntry",
    "RunEntry",
    "RunNotFoundError",
    "find_project",
    "git_commit",
    "history_enabled",
    "store_path",
]
