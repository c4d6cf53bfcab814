"""pygls glue for running nodes: the ``livedag.run`` / ``livedag.cancelRun`` commands and the contributor
that shows results (code lenses, inlay hints, hover, ``node-failed`` diagnostics, preview statuses).

Only composes: what to run comes from the server's graph views, input values from ``inputs``, results
from ``state``, the lenses, hints and diagnostics from ``shown`` (texts from ``present``), the command
arguments from ``commands``, the worker from ``runs``. Updates from a run are coalesced (at
most one round of refreshes every ``FLUSH_SECONDS``; the first one goes out at once).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Mapping
from typing import Any

from lsprotocol import types

from livedag.lsp.extension import Contributor
from livedag.lsp.positions import path_to_uri, position_to_core, uri_to_path
from livedag.lsp.run.commands import CANCEL_COMMAND, RUN_COMMAND
from livedag.lsp.run.inputs import InputsError, load_inputs, missing_inputs, missing_message
from livedag.lsp.run.logs import LogBatch
from livedag.lsp.run.present import hover_text
from livedag.lsp.run.process import worker_argv
from livedag.lsp.run.runs import RunOutcome, Runs
from livedag.lsp.run.saved import RUN_FINISHED, restore, timeline_payload
from livedag.lsp.run.settings import RunSettings
from livedag.lsp.run.shown import result_hints, run_diagnostics, run_lenses
from livedag.lsp.run.state import RunState, fingerprints
from livedag.lsp.server import LivedagServer
from livedag.lsp.state import GraphView
from livedag.worker.protocol import ErrorInfo, Message, RunRequest

__all__ = ["RUN_COMMAND", "CANCEL_COMMAND", "RunFeature"]

FLUSH_SECONDS = 0.05
LOG_SECONDS = 0.05
"""What user code prints is forwarded at most this often (one ``window/logMessage`` per batch)."""
RESTRICTED = (
    "this workspace is in Restricted Mode, so livedag runs none of its code; "
    "trust the workspace (Workspaces: Manage Workspace Trust) to run nodes"
)
PREWARM_DELAY = 2.0
"""Seconds after the first code lenses of a file with nodes before a worker is started ahead of a run."""


class RunFeature(Contributor):
    """Run state of every graph, the worker, and what the editor shows of both."""

    def __init__(self, server: LivedagServer) -> None:
        self.server = server
        self.settings = RunSettings()
        self.runs = Runs(lambda: worker_argv(self.settings.python), self._root_for_worker, self._log)
        self._states: dict[str, RunState] = {}
        self._current: dict[str, dict[str, str]] = {}
        """Graph id -> fingerprints of its nodes now (recomputed on every resolution)."""
        self._inputs: dict[str, Mapping[str, Any]] = {}
        self._requests: dict[Any, str] = {}
        """Client request id of a ``livedag.run`` in flight -> its run id (for ``$/cancelRequest``)."""
        self._graph_running: dict[str, str] = {}
        self._dirty: set[str] = set()
        self._failures_shown: dict[str, bool] = {}
        self._restored: set[str] = set()
        """Graphs whose last run was looked for in the run history (once per server)."""
        self._has_result: set[str] = set()
        """Graphs whose run in flight has sent a first result."""
        self._flush_handle: asyncio.Handle | None = None
        self._prewarm_handle: asyncio.TimerHandle | None = None
        self._logs = LogBatch()
        self._log_handle: asyncio.TimerHandle | None = None
        self._last_flush = 0.0

    # -- commands ----------------------------------------------------------------------------------
    async def run(self, uri: str, node: str | None) -> dict[str, object]:
        """``livedag.run``: run ``node`` with its upstream (``None``: the whole graph); answers at the end."""
        msg_id = self.server.protocol.msg_id  # this request's id, for $/cancelRequest
        if not self.settings.trusted:
            return self.refuse(RESTRICTED)
        view = self.server.view_for_uri(uri)
        if view is None:
            return self.refuse(f"{uri} is not part of a graph livedag knows")
        if node is not None and node not in view.graph.nodes:
            return self.refuse(f"`{node}` is not a node of this graph")
        if view.broken:
            return self.refuse(f"{', '.join(sorted(view.broken))}: fix the syntax error to run the graph")
        stranger = next((path for path in view.paths if not self._in_workspace(path)), None)
        if stranger is not None:
            return self.refuse(
                f"{stranger} is neither open in the editor nor in a workspace folder: "
                "livedag runs only the graphs of the open workspace"
            )
        settings = await self._pull_settings()
        request = self._request(view, node)
        if isinstance(request, RunOutcome):
            return self.refuse(request.message, request.missing)
        if msg_id is not None:
            self._requests[msg_id] = request["run"]
        self._graph_running[view.id] = request["run"]
        self._has_result.discard(view.id)
        self.server.refresh_editor()
        try:
            outcome = await self.runs.run(request, settings.timeout, lambda message: self._on_message(view.id, message))
        finally:
            self._requests.pop(msg_id, None)
            self._graph_running.pop(view.id, None)
        self._finish(view.id, self._states[view.id], outcome)
        return outcome.as_json()

    def _request(self, view: GraphView, node: str | None) -> RunRequest | RunOutcome:
        """The worker request for a run (its results start being tracked), or why it cannot run."""
        outputs = [node] if node is not None else None
        root = self._root_of(view)
        try:
            config = load_inputs(view.id, list(view.paths), root)
        except InputsError as error:
            return RunOutcome("", "error", message=str(error))
        missing = missing_inputs(view.graph, outputs, config.values)
        if missing:
            return RunOutcome("", "error", message=missing_message(view.graph, missing, config), missing=missing)
        run_id = uuid.uuid4().hex[:12]
        self._inputs[view.id] = config.values
        self._current[view.id] = fingerprints(view.graph, view.sources, config.values)
        self._states.setdefault(view.id, RunState()).begin(run_id, self._current[view.id])
        return RunRequest(
            type="run",
            run=run_id,
            root=root,
            files=list(view.paths),
            outputs=outputs,
            inputs=dict(config.values),
            sources=dict(view.sources),
            cwd=str(config.config.parent) if config.config else root,
            graph=view.id,
            fingerprints=dict(self._current[view.id]),
            config=dict(view.graph.config) if view.graph.config is not None else None,
            executor=self.settings.executor,
            address=self.settings.address,
        )

    def node_at(self, uri: str, line: int, character: int) -> str | None:
        """The node whose definition holds the LSP position (0-based line and character)."""
        view = self.server.view_for_uri(uri)
        if view is None or line < 0 or character < 0:
            return None
        path = uri_to_path(uri)
        line, column = position_to_core(types.Position(line, character), path)
        for spec in view.nodes_in(path):
            if spec.definition_span is not None and spec.definition_span.contains(line, column):
                return spec.name
        return None

    def cancel(self, uri: str) -> bool:
        run_id = self._graph_running.get(self.server.graph_id_for_uri(uri))
        return run_id is not None and self.runs.cancel(run_id)

    def cancel_request(self, msg_id: Any) -> None:
        """``$/cancelRequest`` for a ``livedag.run`` in flight: stop that run."""
        run_id = self._requests.get(msg_id)
        if run_id is not None:
            self.runs.cancel(run_id)

    async def shutdown(self) -> None:
        """The server is shutting down: no worker is started any more, the running one is stopped."""
        if self._prewarm_handle is not None:
            self._prewarm_handle.cancel()
        await self.runs.shutdown()

    # -- contributor (what the editor shows: ``shown``) -------------------------------------------------
    def code_lenses(self, uri: str, view: GraphView) -> list[types.CodeLens]:
        path = uri_to_path(uri)
        if path in view.quiet or not view.nodes_in(path) or not self.settings.trusted:
            return []
        if self.settings.prewarm and self._prewarm_handle is None:
            # a little later: a client that only looks (or a test that is already done) starts no process
            self._prewarm_handle = asyncio.get_running_loop().call_later(PREWARM_DELAY, self.runs.prewarm)
        running = view.id in self._graph_running
        return run_lenses(uri, path, view, running, self._states.get(view.id), self._current.get(view.id, {}))

    def inlay_hints(self, uri: str, view: GraphView, range: types.Range) -> list[types.InlayHint]:
        state = self._states.get(view.id)
        if state is None:
            return []
        return result_hints(uri_to_path(uri), view, state, self._current.get(view.id, {}), range)

    def hover_extra(self, uri: str, node_name: str) -> str | None:
        graph_id = self.server.graph_id_for_uri(uri)
        state = self._states.get(graph_id)
        if state is None:
            return None
        result, stale = state.result(node_name, self._current.get(graph_id, {}))
        return hover_text(result, stale, time.time()) if result is not None else None

    def diagnostics_extra(self, uri: str) -> list[types.Diagnostic]:
        graph_id = self.server.graph_id_for_uri(uri)
        state, view = self._states.get(graph_id), self.server.view(graph_id)
        if state is None or view is None:
            return []
        return run_diagnostics(uri_to_path(uri), view, state, self._current.get(graph_id, {}))

    def statuses(self, graph_id: str) -> dict[str, str]:
        state = self._states.get(graph_id)
        return state.statuses(self._current.get(graph_id, {})) if state is not None else {}

    def graph_resolved(self, view: GraphView) -> None:
        if view.id not in self._states and view.id not in self._restored:
            self._restore(view)
        if view.id in self._states:
            self._current[view.id] = fingerprints(view.graph, view.sources, self._inputs.get(view.id, {}))

    def timeline(self, uri: str) -> dict[str, Any] | None:
        """``livedag/timeline``: the last recorded run of the graph holding ``uri``."""
        view = self.server.view_for_uri(uri)
        found = self._history_cwd(view) if view is not None else None
        return timeline_payload(view.id, found[0]) if view is not None and found is not None else None

    def _restore(self, view: GraphView) -> None:
        """The graph's last run from the history (a server restarted since): shown until the next run."""
        self._restored.add(view.id)
        found = self._history_cwd(view)
        state = restore(view.id, found[0]) if found is not None else None
        if found is not None and state is not None:
            self._states[view.id] = state
            self._inputs[view.id] = found[1]

    def _history_cwd(self, view: GraphView) -> tuple[str, Mapping[str, Any]] | None:
        """Where the worker runs this graph (so where its history is), and its configured inputs."""
        root = self._root_of(view)
        try:
            config = load_inputs(view.id, list(view.paths), root)
        except InputsError:
            return None
        return (str(config.config.parent) if config.config else root), config.values

    # -- settings ----------------------------------------------------------------------------------
    def initialized_with(self, options: Any) -> None:
        self.settings = RunSettings.from_options(options)

    async def _pull_settings(self) -> RunSettings:
        """``livedag.run`` from the client's workspace configuration, over the initialization options."""
        capabilities = self.server.client_capabilities.workspace
        if capabilities is None or not capabilities.configuration:
            return self.settings
        params = types.ConfigurationParams(items=[types.ConfigurationItem(section="livedag.run")])
        try:
            values = await asyncio.wait_for(self.server.workspace_configuration_async(params), 2.0)
        except Exception:  # noqa: BLE001 - a client that cannot answer keeps the settings it gave at start
            return self.settings
        self.settings = self.settings.updated(values[0] if values else None)
        return self.settings

    # -- internals ---------------------------------------------------------------------------------
    def _on_message(self, graph_id: str, message: Message) -> None:
        state = self._states.get(graph_id)
        if state is None or state.apply(message) is None:
            return
        # the first result of a run goes out at once; the rest are coalesced
        first_result = message["status"] != "running" and graph_id not in self._has_result
        if first_result:
            self._has_result.add(graph_id)
        self._mark(graph_id, urgent=first_result)

    def _finish(self, graph_id: str, state: RunState, outcome: RunOutcome) -> None:
        error: ErrorInfo | None = None
        if outcome.status in ("timeout", "crashed"):
            kind = "RunTimeout" if outcome.status == "timeout" else "WorkerCrashed"
            error = ErrorInfo(type=kind, message=outcome.message, frames=[])
        state.finish(outcome.run, error, time.time())
        view = self.server.view(graph_id)
        if outcome.status == "error" and view is not None:
            state.could_not_start(outcome.message, outcome.error, view.sources)
        self._flush_logs()  # what the run printed is in the log before its answer
        if outcome.status != "finished":
            severity = types.MessageType.Warning if outcome.status == "cancelled" else types.MessageType.Error
            self._show(severity, outcome.message)
        self._mark(graph_id)
        self._flush()
        self.server.refresh_editor()
        if view is not None:  # the worker recorded the run before answering: a timeline may read it now
            uris = [path_to_uri(path) for path in view.paths]
            finished = {"graph": graph_id, "uris": uris, "run": outcome.run, "status": outcome.status}
            self.server.protocol.notify(RUN_FINISHED, finished)

    def refuse(self, message: str, missing: list[str] | None = None) -> dict[str, object]:
        """Answer a run that will not happen, and say why."""
        self._show(types.MessageType.Error, message)
        return RunOutcome("", "error", message=message, missing=missing or []).as_json()

    def _mark(self, graph_id: str, urgent: bool = False) -> None:
        self._dirty.add(graph_id)
        if urgent:
            self._flush()
        elif self._flush_handle is None:
            delay = max(0.0, self._last_flush + FLUSH_SECONDS - time.monotonic())
            self._flush_handle = asyncio.get_running_loop().call_later(delay, self._flush)

    def _flush(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        self._last_flush = time.monotonic()
        dirty, self._dirty = self._dirty, set()
        for graph_id in dirty:
            state = self._states.get(graph_id)
            failures = state is not None and (
                state.start_error is not None or any(r.status == "failed" for r in state.results.values())
            )
            if failures or self._failures_shown.get(graph_id):
                self.server.republish(graph_id)
            self._failures_shown[graph_id] = failures
            self.server.notify_graph_changed(graph_id, force=False)
        if dirty:
            self.server.refresh_editor()  # inlay hints and the result lenses

    def _root_of(self, view: GraphView) -> str:
        """The workspace folder holding the graph (so its modules import each other), else its folder."""
        first = view.paths[0]
        roots = self.server.membership.roots
        for folder in roots:
            if first.startswith(folder.rstrip(os.sep) + os.sep):
                return folder
        if not os.path.isabs(first):  # an unsaved buffer (untitled:...): the workspace, if any
            return roots[0] if roots else os.getcwd()
        return os.path.dirname(first)

    def _in_workspace(self, path: str) -> bool:
        """A file ``livedag.run`` may import: open in the editor, or inside a workspace folder."""
        if self.server.open_text(path) is not None:
            return True
        real = os.path.realpath(path)
        return any(
            real.startswith(os.path.realpath(root).rstrip(os.sep) + os.sep) for root in self.server.membership.roots
        )

    def _root_for_worker(self) -> str | None:
        roots = self.server.membership.roots
        return roots[0] if roots and os.path.isdir(roots[0]) else None

    def _log(self, line: str) -> None:
        """A line from the worker's stderr; lines are sent in batches (see ``logs``)."""
        self._logs.add(line)
        if self._log_handle is None:
            self._log_handle = asyncio.get_running_loop().call_later(LOG_SECONDS, self._flush_logs)

    def _flush_logs(self) -> None:
        if self._log_handle is not None:
            self._log_handle.cancel()
            self._log_handle = None
        if self._logs:
            text = self._logs.take()
            self.server.window_log_message(types.LogMessageParams(type=types.MessageType.Log, message=text))

    def _show(self, severity: types.MessageType, message: str) -> None:
        self.server.window_show_message(types.ShowMessageParams(type=severity, message=f"livedag: {message}"))
