"""Where a graph runs and what the worker is asked: the workspace folder a graph's modules import each other
from, whether a file may be run at all, and the ``RunRequest`` for a run. Pure: no server, no worker."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from livedag.lsp.run.inputs import InputsConfig, InputsError, load_inputs
from livedag.lsp.run.settings import RunSettings
from livedag.lsp.state import GraphView
from livedag.worker.protocol import RunRequest

__all__ = ["history_cwd", "in_workspace", "root_of", "run_request", "worker_root"]


def root_of(view: GraphView, roots: Sequence[str]) -> str:
    """The workspace folder holding the graph (so its modules import each other), else its folder."""
    first = view.paths[0]
    for folder in roots:
        if first.startswith(folder.rstrip(os.sep) + os.sep):
            return folder
    if not os.path.isabs(first):  # an unsaved buffer (untitled:...): the workspace, if any
        return roots[0] if roots else os.getcwd()
    return os.path.dirname(first)


def in_workspace(path: str, roots: Sequence[str], open_text: Callable[[str], str | None]) -> bool:
    """A file ``livedag.run`` may import: open in the editor, or inside a workspace folder."""
    if open_text(path) is not None:
        return True
    real = os.path.realpath(path)
    return any(real.startswith(os.path.realpath(root).rstrip(os.sep) + os.sep) for root in roots)


def worker_root(roots: Sequence[str]) -> str | None:
    """The folder the pre-warmed worker starts in (the first workspace folder), if there is one."""
    return roots[0] if roots and os.path.isdir(roots[0]) else None


def working_folder(config: InputsConfig, root: str) -> str:
    """Where the worker runs a graph: its configuration file's folder, else its root."""
    return str(config.config.parent) if config.config else root


def history_cwd(view: GraphView, roots: Sequence[str]) -> tuple[str, Mapping[str, Any]] | None:
    """Where the worker runs this graph (so where its history is), and its configured inputs."""
    root = root_of(view, roots)
    try:
        config = load_inputs(view.id, list(view.paths), root)
    except InputsError:
        return None
    return working_folder(config, root), config.values


def run_request(
    view: GraphView,
    outputs: list[str] | None,
    run_id: str,
    root: str,
    config: InputsConfig,
    fingerprints: Mapping[str, str],
    settings: RunSettings,
) -> RunRequest:
    """What the worker is asked to run: the graph's files and texts, its inputs, config and executor."""
    return RunRequest(
        type="run",
        run=run_id,
        root=root,
        files=list(view.paths),
        outputs=outputs,
        inputs=dict(config.values),
        sources=dict(view.sources),
        cwd=working_folder(config, root),
        graph=view.id,
        fingerprints=dict(fingerprints),
        config=dict(view.graph.config) if view.graph.config is not None else None,
        executor=settings.executor,
        address=settings.address,
    )
