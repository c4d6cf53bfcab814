"""The errors of running node bodies elsewhere: each names the node and the engine, and says what to do."""

from __future__ import annotations

from livedag.execution.errors import ExecutionError

__all__ = ["RemoteNodeError", "SerializationError", "WorkerLostError"]


class RemoteNodeError(ExecutionError):
    """A node body raised on a worker. ``remote_traceback`` is the worker's traceback text; ``__cause__``
    the original exception when it could travel (``error_type`` names it in any case)."""

    def __init__(self, node: str, engine: str, error_type: str, message: str, remote_traceback: str) -> None:
        self.node = node
        self.engine = engine
        self.error_type = error_type
        self.remote_traceback = remote_traceback
        super().__init__(
            f"node `{node}` raised {error_type}: {message} (on a {engine} worker)\n"
            f"remote traceback:\n{remote_traceback.rstrip()}"
        )


class WorkerLostError(ExecutionError):
    """The worker running a node died (killed, out of memory, a crash in native code)."""

    def __init__(self, node: str, engine: str, detail: str) -> None:
        self.node = node
        self.engine = engine
        super().__init__(
            f"node `{node}` failed: the {engine} worker running it died ({detail}). Check the worker's "
            "memory and logs; give the node retries=... to run it again on another worker"
        )


class SerializationError(ExecutionError):
    """A node's function, an argument or its value could not be pickled to cross to or from a worker."""

    def __init__(self, node: str, what: str, type_name: str, detail: str) -> None:
        self.node = node
        self.what = what
        self.type_name = type_name
        super().__init__(
            f"node `{node}`: its {what} (a `{type_name}`) cannot be pickled to move to or from a worker: "
            f"{detail}. Keep such objects inside one node, or run it with the inline or thread executor"
        )
