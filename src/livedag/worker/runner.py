"""One run in the worker: load the modules, build the graph from the live functions, stream the driver's
events as protocol messages. The only module of the worker that imports ``livedag.execution``."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from livedag.execution import Driver
from livedag.execution.errors import InvalidRunError
from livedag.execution.events import (
    NodeChunk,
    NodeFailed,
    NodeFinished,
    NodeRecord,
    NodeStarted,
    RunFinished,
    RunStarted,
)
from livedag.executors import shared
from livedag.graph import Graph
from livedag.history.capture import Capture
from livedag.worker.history import record_editor_run
from livedag.worker.loader import ModuleLoader
from livedag.worker.messages import message_for, message_for_record
from livedag.worker.protocol import Message, NodeMessage, RunRequest, error_info

__all__ = ["Runner"]

_REPORTED_BY_HOOKS = (RunStarted, NodeStarted, NodeFinished, NodeFailed)


class Runner:
    """Runs requests one after another in this process, reloading user modules for each."""

    def __init__(self, send: Callable[[Message | NodeMessage], None]) -> None:
        self._send = send
        self._loader = ModuleLoader()

    async def run(self, request: RunRequest) -> None:
        run_id = request["run"]
        try:
            os.chdir(request.get("cwd") or request["root"])
            modules = self._loader.load(request["root"], request["files"], request.get("sources"))
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            self._fail(run_id, f"importing the graph failed: {type(error).__name__}: {error}", error)
            return
        config = request.get("config")
        graph = Graph.from_modules(*modules, config=config)
        inputs = {**{k: v for k, v in (config or {}).items() if k in graph.inputs}, **request["inputs"]}
        reporter = _Reporter(run_id, self._send)
        driver = Driver(
            graph,
            graceful=True,
            hooks=[reporter],
            executor=shared(request.get("executor", "inline"), request.get("address")),
        )
        capture = Capture()
        try:
            chunks = _ChunkThrottle()
            async for event in capture.wrap(driver.astream(outputs=request["outputs"], inputs=inputs)):
                now = time.time()
                if isinstance(event, _REPORTED_BY_HOOKS):
                    continue
                if isinstance(event, NodeChunk) and (event.node in reporter.ended or not chunks.due(event.node, now)):
                    continue
                message = message_for(event, run_id, now)
                if isinstance(event, RunFinished):  # recorded before the editor hears the run is over
                    record_editor_run(capture, graph, request)
                if message is not None:
                    self._send(message)
        except InvalidRunError as error:
            missing = sorted(error.missing_inputs)
            self._send(
                {"type": "run-error", "run": run_id, "message": str(error), "missing": missing, "time": time.time()}
            )
        finally:
            driver.close()

    def _fail(self, run_id: str, message: str, error: BaseException) -> None:
        info = error_info(error)
        if info["frames"]:
            message += " (at {file}:{line})".format(**info["frames"][-1])
        self._send({"type": "run-error", "run": run_id, "message": message, "error": info, "time": time.time()})


class _ChunkThrottle:
    """A streaming node reports its first item at once, then at most one item every ``INTERVAL`` seconds."""

    INTERVAL = 0.1

    def __init__(self) -> None:
        self._last: dict[str, float] = {}

    def due(self, node: str, now: float) -> bool:
        last = self._last.get(node)
        if last is not None and now - last < self.INTERVAL:
            return False
        self._last[node] = now
        return True


class _Reporter:
    """Driver hooks that report a run's start and each node's start and end the moment they happen.

    ``astream`` queues its events until the event loop gets control, which a sync node run inline does
    not give back until it returns: reporting from the hooks (called inline, around the node) keeps
    ``running`` and each result live while sync nodes run in the main thread, as they do everywhere else.
    The other events (skipped, cached, chunks, the end of the run) still come from ``astream``.
    """

    def __init__(self, run: str, send: Callable[[Message | NodeMessage], None]) -> None:
        self._run = run
        self._send = send
        self.ended: set[str] = set()

    def before_run(self, *, nodes: tuple[str, ...], **_: Any) -> None:
        self._send({"type": "run-started", "run": self._run, "nodes": list(nodes), "time": time.time()})

    def before_node(self, *, node: str, attempt: int = 1, **_: Any) -> None:
        self._send(NodeMessage(type="node", run=self._run, node=node, status="running", time=time.time()))

    def after_node(self, *, node: str, record: NodeRecord, **_: Any) -> None:
        self.ended.add(node)
        self._send(message_for_record(record, self._run, time.time()))
