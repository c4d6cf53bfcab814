"""The ``livedag.run`` and ``livedag.cancelRun`` commands, from the request to the answer: refuse what must
not run (an untrusted workspace, a broken file, a file outside the workspace, missing inputs), build the
worker request (``targets``), run it on the worker (``runs``) while results stream into the graph's run
state, and answer with the outcome. Cancelling stops the run in flight (also on ``$/cancelRequest``)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

from lsprotocol import types

from livedag.lsp.positions import path_to_uri
from livedag.lsp.run.commands import RUN_FINISHED
from livedag.lsp.run.inputs import InputsError, load_inputs, missing_message
from livedag.lsp.run.process import worker_argv
from livedag.lsp.run.runs import RunOutcome, Runs
from livedag.lsp.run.settings import RunSettings
from livedag.lsp.run.state import GraphResults
from livedag.lsp.run.targets import in_workspace, root_of, run_request, worker_root
from livedag.lsp.run.tracked import Tracked
from livedag.lsp.run.updates import Updates
from livedag.lsp.server import LivedagServer
from livedag.lsp.state import GraphView
from livedag.worker.protocol import ErrorInfo, Message, RunRequest

__all__ = ["RESTRICTED", "RunCommand"]

RESTRICTED = (
    "this workspace is in Restricted Mode, so livedag runs none of its code; "
    "trust the workspace (Workspaces: Manage Workspace Trust) to run nodes"
)


class RunCommand:
    """Runs in flight: which graph runs which run, which client request asked for it."""

    def __init__(
        self, server: LivedagServer, tracked: Tracked, updates: Updates, settings: Callable[[], RunSettings]
    ) -> None:
        self.server = server
        self.tracked = tracked
        self.updates = updates
        self._settings = settings
        self.runs = Runs(lambda: worker_argv(self._settings().python), self._worker_root, updates.log)
        self._requests: dict[Any, str] = {}
        """Client request id of a ``livedag.run`` in flight -> its run id (for ``$/cancelRequest``)."""
        self._graph_running: dict[str, str] = {}
        self._has_result: set[str] = set()
        """Graphs whose run in flight has sent a first result."""

    def running(self, graph_id: str) -> bool:
        return graph_id in self._graph_running

    async def run(self, uri: str, node: str | None, settings: Callable[[], Any]) -> dict[str, object]:
        """``livedag.run``: run ``node`` with its upstream (``None``: the whole graph); answers at the end.
        ``settings`` pulls the client's ``livedag.run`` configuration (awaited once the run may start)."""
        msg_id = self.server.protocol.msg_id  # this request's id, for $/cancelRequest
        if not self._settings().trusted:
            return self.refuse(RESTRICTED)
        view = self.server.view_for_uri(uri)
        if view is None:
            return self.refuse(f"{uri} is not part of a graph livedag knows")
        if node is not None and node not in view.graph.nodes:
            return self.refuse(f"`{node}` is not a node of this graph")
        if view.broken:
            return self.refuse(f"{', '.join(sorted(view.broken))}: fix the syntax error to run the graph")
        roots = self.server.membership.roots
        stranger = next((path for path in view.paths if not in_workspace(path, roots, self.server.open_text)), None)
        if stranger is not None:
            return self.refuse(
                f"{stranger} is neither open in the editor nor in a workspace folder: "
                "livedag runs only the graphs of the open workspace"
            )
        pulled: RunSettings = await settings()
        request = self._request(view, node, pulled)
        if isinstance(request, RunOutcome):
            return self.refuse(request.message, request.missing)
        if msg_id is not None:
            self._requests[msg_id] = request["run"]
        self._graph_running[view.id] = request["run"]
        self._has_result.discard(view.id)
        self.server.refresh_editor()
        try:
            outcome = await self.runs.run(request, pulled.timeout, lambda message: self._on_message(view.id, message))
        finally:
            self._requests.pop(msg_id, None)
            self._graph_running.pop(view.id, None)
        self._finish(view.id, self.tracked.states[view.id], outcome)
        return outcome.as_json()

    def _request(self, view: GraphView, node: str | None, settings: RunSettings) -> RunRequest | RunOutcome:
        """The worker request for a run (its results start being tracked), or why it cannot run."""
        outputs = [node] if node is not None else None
        root = root_of(view, self.server.membership.roots)
        try:
            config = load_inputs(view.id, list(view.paths), root)
        except InputsError as error:
            return RunOutcome("", "error", message=str(error))
        missing = view.graph.missing_inputs(config.values, outputs)
        if missing:
            return RunOutcome("", "error", message=missing_message(missing, config), missing=sorted(missing))
        run_id = uuid.uuid4().hex[:12]
        fingerprints = self.tracked.begin(view, run_id, config.values)
        return run_request(view, outputs, run_id, root, config, fingerprints, settings)

    def cancel(self, uri: str) -> bool:
        run_id = self._graph_running.get(self.server.graph_id_for_uri(uri))
        return run_id is not None and self.runs.cancel(run_id)

    def cancel_request(self, msg_id: Any) -> None:
        """``$/cancelRequest`` for a ``livedag.run`` in flight: stop that run."""
        run_id = self._requests.get(msg_id)
        if run_id is not None:
            self.runs.cancel(run_id)

    def refuse(self, message: str, missing: list[str] | None = None) -> dict[str, object]:
        """Answer a run that will not happen, and say why."""
        self.updates.show(types.MessageType.Error, message)
        return RunOutcome("", "error", message=message, missing=missing or []).as_json()

    def _on_message(self, graph_id: str, message: Message) -> None:
        state = self.tracked.states.get(graph_id)
        if state is None or state.apply(message) is None:
            return
        # the first result of a run goes out at once; the rest are coalesced
        first_result = message["status"] != "running" and graph_id not in self._has_result
        if first_result:
            self._has_result.add(graph_id)
        self.updates.mark(graph_id, urgent=first_result)

    def _finish(self, graph_id: str, state: GraphResults, outcome: RunOutcome) -> None:
        error: ErrorInfo | None = None
        if outcome.status in ("timeout", "crashed"):
            kind = "RunTimeout" if outcome.status == "timeout" else "WorkerCrashed"
            error = ErrorInfo(type=kind, message=outcome.message, frames=[])
        state.finish(outcome.run, error, time.time())
        view = self.server.view(graph_id)
        if outcome.status == "error" and view is not None:
            state.could_not_start(outcome.message, outcome.error, view.sources)
        self.updates.flush_logs()  # what the run printed is in the log before its answer
        if outcome.status != "finished":
            severity = types.MessageType.Warning if outcome.status == "cancelled" else types.MessageType.Error
            self.updates.show(severity, outcome.message)
        self.updates.mark(graph_id)
        self.updates.flush()
        self.server.refresh_editor()
        if view is not None:  # the worker recorded the run before answering: a timeline may read it now
            uris = [path_to_uri(path) for path in view.paths]
            finished = {"graph": graph_id, "uris": uris, "run": outcome.run, "status": outcome.status}
            self.server.protocol.notify(RUN_FINISHED, finished)

    def _worker_root(self) -> str | None:
        return worker_root(self.server.membership.roots)


async def pulled_settings(server: LivedagServer, current: RunSettings) -> RunSettings:
    """``livedag.run`` from the client's workspace configuration, over the initialization options."""
    capabilities = server.client_capabilities.workspace
    if capabilities is None or not capabilities.configuration:
        return current
    params = types.ConfigurationParams(items=[types.ConfigurationItem(section="livedag.run")])
    try:
        values = await asyncio.wait_for(server.workspace_configuration_async(params), 2.0)
    except Exception:  # noqa: BLE001 - a client that cannot answer keeps the settings it gave at start
        return current
    return current.updated(values[0] if values else None)
