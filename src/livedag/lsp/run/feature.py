"""The run contributor: what the editor shows of runs (code lenses, inlay hints, hover, ``node-failed``
diagnostics, preview statuses) and the run commands, composed from the modules that own each job.

Only composes: the commands are ``command.RunCommand`` (requests from ``targets``, the worker from
``runs``), what is kept between requests is ``tracked.Tracked``, the lenses, hints and diagnostics come from
``shown`` (texts from ``present``), refreshes and logs go out through ``updates.Updates``, runs from before
the server started come from ``restored``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from lsprotocol import types

from livedag.lsp.extension import Contributor
from livedag.lsp.positions import position_to_core, uri_to_path
from livedag.lsp.run import restored
from livedag.lsp.run.present import hover_text
from livedag.lsp.run.run_command import RunCommand, pulled_settings
from livedag.lsp.run.settings import RunSettings
from livedag.lsp.run.shown import result_hints, run_diagnostics, run_lenses
from livedag.lsp.run.tracked import Tracked
from livedag.lsp.run.updates import Updates
from livedag.lsp.server import LivedagServer
from livedag.lsp.state import GraphView

__all__ = ["PREWARM_DELAY", "RunFeature"]

PREWARM_DELAY = 2.0
"""Seconds after the first code lenses of a file with nodes before a worker is started ahead of a run."""


class RunFeature(Contributor):
    """Run state of every graph, the worker, and what the editor shows of both."""

    def __init__(self, server: LivedagServer) -> None:
        self.server = server
        self.settings = RunSettings()
        self.tracked = Tracked()
        self.updates = Updates(server, self.tracked.has_failures)
        self.command = RunCommand(server, self.tracked, self.updates, lambda: self.settings)
        self.runs = self.command.runs
        self._restored: set[str] = set()
        """Graphs whose last run was looked for in the run history (once per server)."""
        self._prewarm_handle: asyncio.TimerHandle | None = None

    # -- commands (``wiring`` registers them) -----------------------------------------------------------
    async def run(self, uri: str, node: str | None) -> dict[str, object]:
        return await self.command.run(uri, node, self._pull_settings)

    def cancel(self, uri: str) -> bool:
        return self.command.cancel(uri)

    def refuse(self, message: str) -> dict[str, object]:
        return self.command.refuse(message)

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

    def timeline(self, uri: str) -> dict[str, Any] | None:
        """``livedag/timeline``: the last recorded run of the graph holding ``uri``."""
        view = self.server.view_for_uri(uri)
        return restored.timeline(view, self.server.membership.roots) if view is not None else None

    # -- the lifecycle ------------------------------------------------------------------------------------
    def initialized_with(self, options: Any) -> None:
        self.settings = RunSettings.from_options(options)

    def cancel_request(self, msg_id: Any) -> None:
        self.command.cancel_request(msg_id)

    async def shutdown(self) -> None:
        """The server is shutting down: no worker is started any more, the running one is stopped."""
        if self._prewarm_handle is not None:
            self._prewarm_handle.cancel()
        await self.runs.shutdown()

    # -- what the editor shows (``shown``) ------------------------------------------------------------
    def code_lenses(self, uri: str, view: GraphView) -> list[types.CodeLens]:
        path = uri_to_path(uri)
        if path in view.quiet or not view.nodes_in(path) or not self.settings.trusted:
            return []
        if self.settings.prewarm and self._prewarm_handle is None:
            # a little later: a client that only looks (or a test that is already done) starts no process
            self._prewarm_handle = asyncio.get_running_loop().call_later(PREWARM_DELAY, self.runs.prewarm)
        state = self.tracked.states.get(view.id)
        return run_lenses(uri, path, view, self.command.running(view.id), state, self.tracked.now(view.id))

    def inlay_hints(self, uri: str, view: GraphView, range: types.Range) -> list[types.InlayHint]:
        state = self.tracked.states.get(view.id)
        if state is None:
            return []
        return result_hints(uri_to_path(uri), view, state, self.tracked.now(view.id), range)

    def hover_extra(self, uri: str, node_name: str) -> str | None:
        graph_id = self.server.graph_id_for_uri(uri)
        state = self.tracked.states.get(graph_id)
        if state is None:
            return None
        result, stale = state.result(node_name, self.tracked.now(graph_id))
        return hover_text(result, stale, time.time()) if result is not None else None

    def diagnostics_extra(self, uri: str) -> list[types.Diagnostic]:
        graph_id = self.server.graph_id_for_uri(uri)
        state, view = self.tracked.states.get(graph_id), self.server.view(graph_id)
        if state is None or view is None:
            return []
        return run_diagnostics(uri_to_path(uri), view, state, self.tracked.now(graph_id))

    def statuses(self, graph_id: str) -> dict[str, str]:
        state = self.tracked.states.get(graph_id)
        return state.statuses(self.tracked.now(graph_id)) if state is not None else {}

    def graph_resolved(self, view: GraphView) -> None:
        if view.id not in self.tracked.states and view.id not in self._restored:
            self._restored.add(view.id)  # the graph's last run from the history (a server restarted since)
            found = restored.last_run(view, self.server.membership.roots)
            if found is not None:
                self.tracked.states[view.id], self.tracked.inputs[view.id] = found
        self.tracked.resolved(view)

    async def _pull_settings(self) -> RunSettings:
        self.settings = await pulled_settings(self.server, self.settings)
        return self.settings
