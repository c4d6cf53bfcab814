"""Plugs the run feature into the language server: the two commands and the contributor (whose lifecycle
hooks, ``initialized_with``, ``cancel_request`` and ``shutdown``, the server calls). Glue only; what the
commands do is ``feature.RunFeature``."""

from __future__ import annotations

import atexit
from typing import Any

from livedag.lsp.run.feature import CANCEL_COMMAND, RUN_COMMAND, RunFeature
from livedag.lsp.server import LivedagServer

__all__ = ["install"]


def install(server: LivedagServer) -> RunFeature:
    feature = RunFeature(server)
    server.add_contributor(feature)

    @server.command(RUN_COMMAND)
    async def run(ls: LivedagServer, *arguments: Any) -> dict[str, object]:
        target = arguments[0] if arguments and isinstance(arguments[0], dict) else {}
        uri, node = str(target.get("uri", "")), target.get("node")
        position = target.get("position")
        if node is None and isinstance(position, dict):  # a client without lenses: the node at the cursor
            node = feature.node_at(uri, int(position.get("line", -1)), int(position.get("character", 0)))
            if node is None:
                return feature.refuse(f"no node at line {int(position.get('line', -1)) + 1}")
        return await feature.run(uri, node)

    @server.command(CANCEL_COMMAND)
    def cancel(ls: LivedagServer, *arguments: Any) -> bool:
        target = arguments[0] if arguments and isinstance(arguments[0], dict) else {}
        return feature.cancel(str(target.get("uri", "")))

    atexit.register(feature.runs.kill_now)  # an `exit` without `shutdown` must not leave a worker behind
    server.add_exit_callback(feature.runs.kill_now)  # nor a client that died
    return feature

