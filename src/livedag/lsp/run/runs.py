"""Runs as the server drives them: one at a time, in a warm worker, with a timeout and cancellation.

``Runs.run`` sends one request to the worker and hands every message of that run to a callback until
the run ends. It never raises for what the worker or user code does: a timeout, a cancel, a worker that
dies or hangs all end in a :class:`RunOutcome`, the worker is killed if it must be, and a fresh worker
is warmed for the next run. Independent of pygls, so it is tested against a real worker without a server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from livedag.lsp.run.process import WorkerCrashed, WorkerProcess
from livedag.worker.protocol import ErrorInfo, Message, RunRequest

__all__ = ["RunOutcome", "Runs"]

STARTUP_TIMEOUT = 60.0
"""Seconds a new worker may take to import livedag and say it is ready."""


@dataclass(frozen=True)
class RunOutcome:
    run: str
    status: str
    """``finished`` (``ok`` says whether every node succeeded), ``error`` (the run could not start),
    ``cancelled``, ``timeout`` or ``crashed`` (the worker died)."""
    ok: bool = False
    message: str = ""
    missing: list[str] = field(default_factory=list)
    error: ErrorInfo | None = None
    """What stopped a run that could not start (an import error), with its user-code frames."""

    def as_json(self) -> dict[str, object]:
        return {"run": self.run, "status": self.status, "ok": self.ok, "message": self.message, "missing": self.missing}


class Runs:
    """The worker and the run in flight; ``argv``/``cwd`` are read at each worker start (config may change)."""

    def __init__(
        self, argv: Callable[[], Sequence[str]], cwd: Callable[[], str | None], on_log: Callable[[str], None]
    ) -> None:
        self._argv = argv
        self._cwd = cwd
        self._on_log = on_log
        self._worker: WorkerProcess | None = None
        self._warming: asyncio.Task[WorkerProcess] | None = None
        self._current: asyncio.Task[RunOutcome] | None = None
        self._current_run: str | None = None
        self._lock = asyncio.Lock()
        self.startup_timeout = STARTUP_TIMEOUT
        self._started: list[WorkerProcess] = []
        self._closed = False

    @property
    def running(self) -> str | None:
        """The id of the run in flight, if any."""
        return self._current_run

    def prewarm(self) -> None:
        """Start a worker in the background if there is none, so the next run does not wait for it."""
        if self._worker is None and self._warming is None and not self._closed:
            self._warming = asyncio.ensure_future(self._start())

    async def worker(self) -> WorkerProcess:
        """A ready worker: the warm one, or a new one."""
        if self._worker is not None and self._worker.alive:
            return self._worker
        self._worker = None
        self.prewarm()
        warming = self._warming
        if warming is None:
            raise WorkerCrashed("the server is shutting down", None, [])
        try:
            worker = await asyncio.shield(warming)
        except asyncio.CancelledError:
            raise  # the start goes on for the next caller (a startup timeout cancels it itself)
        except BaseException:
            self._warming = None
            raise
        self._worker, self._warming = worker, None
        return worker

    async def run(self, request: RunRequest, timeout: float, on_message: Callable[[Message], None]) -> RunOutcome:
        """Run ``request``; a run already in flight is cancelled first (the newest request wins).

        ``timeout`` counts from when the worker has the request: starting a worker is not the run's time."""
        self.cancel()
        async with self._lock:
            self._current_run = request["run"]
            self._current = asyncio.ensure_future(self._drive(request, timeout, on_message))
            try:
                return await asyncio.shield(self._current)
            except asyncio.CancelledError:
                await self._discard(self._current)
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise  # the request itself was cancelled (the server is shutting down)
                return RunOutcome(request["run"], "cancelled", message="the run was cancelled")
            finally:
                self._current = None
                self._current_run = None

    def cancel(self, run: str | None = None) -> bool:
        """Cancel the run in flight (only if it is ``run``, when given); its worker is killed."""
        if self._current is None or self._current.done() or (run is not None and run != self._current_run):
            return False
        self._current.cancel()
        return True

    def kill_now(self) -> None:
        """Kill every worker at once, without the event loop (for ``atexit``: the server is going away)."""
        for worker in self._started:
            if worker.alive:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(worker.pid, signal.SIGKILL)

    async def shutdown(self) -> None:
        """Stop the run in flight and every worker; no worker is started afterwards."""
        self._closed = True
        self.cancel()
        if self._warming is not None:
            self._warming.cancel()
            with contextlib.suppress(BaseException):
                self._worker = self._worker or await self._warming
        if self._worker is not None:
            await self._worker.close()
            self._worker = None

    async def _start(self) -> WorkerProcess:
        worker = await WorkerProcess.start(list(self._argv()), self._cwd(), self._on_log)
        self._started = [*(known for known in self._started if known.alive), worker]
        try:
            await worker.ready()
        except BaseException:
            await worker.kill()
            raise
        self._on_log(f"livedag: run worker {worker.pid} ready ({worker.python})")
        return worker

    async def _drive(self, request: RunRequest, timeout: float, on_message: Callable[[Message], None]) -> RunOutcome:
        try:
            worker = await asyncio.wait_for(self.worker(), self.startup_timeout)
        except TimeoutError:
            warming, self._warming = self._warming, None
            if warming is not None:
                warming.cancel()  # kills the process that would not get ready
                with contextlib.suppress(BaseException):
                    await warming
            return RunOutcome(
                request["run"], "crashed", message=f"the run worker did not start within {self.startup_timeout:g} s"
            )
        except (OSError, WorkerCrashed) as error:
            hint = ""
            if "No module named" in str(error) and "livedag" in str(error):
                hint = " (install livedag in the interpreter set by livedag.run.python)"
            return RunOutcome(request["run"], "crashed", message=f"the run worker could not start{hint}: {error}")
        worker.send(request)
        try:
            async with asyncio.timeout(timeout):
                while (message := await worker.receive()) is not None:
                    if message.get("run") != request["run"]:
                        continue
                    on_message(message)
                    if message["type"] == "run-finished":
                        return RunOutcome(request["run"], "finished", ok=bool(message.get("ok")))
                    if message["type"] == "run-error":
                        return RunOutcome(
                            request["run"],
                            "error",
                            message=str(message.get("message", "")),
                            missing=list(message.get("missing", [])),
                            error=message.get("error"),
                        )
        except TimeoutError:
            await self._discard(None)
            return RunOutcome(
                request["run"],
                "timeout",
                message=f"the run took longer than {timeout:g} s: "
                "its worker was stopped (set livedag.run.timeout to allow more)",
            )
        crash = await worker.crashed("the run worker exited during the run")
        self._worker = None
        self.prewarm()
        return RunOutcome(request["run"], "crashed", message=str(crash))

    async def _discard(self, task: asyncio.Task[RunOutcome] | None) -> None:
        """Kill the worker of a run that will not finish, wait for its task, warm a new worker."""
        worker, self._worker = self._worker, None
        if worker is not None:
            await worker.kill()
        if task is not None:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        self.prewarm()
