"""Plugs the run feature into the language server: the two commands and the contributor (whose lifecycle
hooks, ``initialized_with``, ``cancel_request`` and ``shutdown``, the server calls). Glue only; what the
commands do is ``feature.RunFeature``."""

from __future__ import annotations

import atexit
from typing import Any

from livedag.lsp.run.commands import CANCEL_COMMAND, RUN_COMMAND, TIMELINE_REQUEST, CancelTarget, RunTarget
from livedag.lsp.run.feature import RunFeature
from livedag.lsp.server import LivedagServer

__all__ = ["install"]


def install(server: LivedagServer) -> RunFeature:
    feature = RunFeature(server)
    server.add_contributor(feature)

    @server.command(RUN_COMMAND)
    async def run(ls: LivedagServer, target: RunTarget) -> dict[str, object]:
        node = target.node
        if node is None and target.position is not None:  # a client without lenses: the node at the cursor
            node = feature.node_at(target.uri, target.position.line, target.position.character)
            if node is None:
                return feature.refuse(f"no node at line {target.position.line + 1}")
        return await feature.run(target.uri, node)

    @server.command(CANCEL_COMMAND)
    def cancel(ls: LivedagServer, target: CancelTarget) -> bool:
        return feature.cancel(target.uri)

    @server.feature(TIMELINE_REQUEST)
    def timeline(ls: LivedagServer, params: Any) -> dict[str, Any] | None:
        uri = params.get("uri") if isinstance(params, dict) else getattr(params, "uri", None)
        return feature.timeline(str(uri or ""))

    atexit.register(feature.runs.kill_now)  # an `exit` without `shutdown` must not leave a worker behind
    server.add_exit_callback(feature.runs.kill_now)  # nor a client that died
    return feature
