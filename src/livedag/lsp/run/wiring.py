"""Plugs the run feature into the language server: the two commands and the hooks pygls has no public
seam for. Glue only; what the commands do is ``feature.RunFeature``."""

from __future__ import annotations

import atexit
import inspect
from typing import Any

from lsprotocol import types

from livedag.lsp.run.feature import CANCEL_COMMAND, RUN_COMMAND, RunFeature
from livedag.lsp.run.saved import TIMELINE_REQUEST
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

    @server.feature(TIMELINE_REQUEST)
    def timeline(ls: LivedagServer, params: Any) -> dict[str, Any] | None:
        uri = params.get("uri") if isinstance(params, dict) else getattr(params, "uri", None)
        return feature.timeline(str(uri or ""))

    _hook_protocol(server, feature)
    atexit.register(feature.runs.kill_now)  # an `exit` without `shutdown` must not leave a worker behind
    server.add_exit_callback(feature.runs.kill_now)  # nor a client that died
    return feature


def _hook_protocol(server: LivedagServer, feature: RunFeature) -> None:
    """Hooks pygls has no public seam for (pygls 2.1), each wrapping what the server registered: the
    initialization options (the server's own ``initialize`` handler keeps only its settings),
    ``$/cancelRequest`` of a command in flight (pygls cancels the response, not the command's task) and
    ``shutdown`` (stop the worker first)."""
    protocol = server.protocol
    features = protocol.fm.features
    initialize = features.get(types.INITIALIZE)

    def initialize_with_run_settings(params: types.InitializeParams) -> Any:
        feature.initialized_with(params.initialization_options)
        return initialize(params) if initialize is not None else None

    async def initialize_with_run_settings_async(params: types.InitializeParams) -> Any:
        return await initialize_with_run_settings(params)

    # keep the kind of handler pygls sees (it awaits coroutine functions only)
    is_async = initialize is not None and inspect.iscoroutinefunction(initialize)
    features[types.INITIALIZE] = initialize_with_run_settings_async if is_async else initialize_with_run_settings
    cancel_notification = protocol._handle_cancel_notification

    def handle_cancel(msg_id: Any) -> None:
        cancel_notification(msg_id)
        feature.cancel_request(msg_id)

    protocol._handle_cancel_notification = handle_cancel  # type: ignore[method-assign]

    shutdown = features.get(types.SHUTDOWN)

    async def stop_worker_then_shutdown(*args: Any) -> Any:
        await feature.shutdown()
        result = shutdown(*args) if shutdown is not None else None
        return await result if inspect.isawaitable(result) else result

    features[types.SHUTDOWN] = stop_worker_then_shutdown
