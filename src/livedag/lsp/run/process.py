"""The worker subprocess as the server sees it: start, wait until warm, send a request, read messages,
kill. Nothing here runs user code; it only talks to ``python -m livedag.worker`` over pipes.

The protocol comes on the worker's stdout, one JSON message per line; the worker's stderr carries what
user code prints and is handed line by line to ``on_log``. A worker that dies shows up as the end of
its stdout: ``messages()`` then ends and ``exit_code`` tells how.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Sequence

from livedag.worker.protocol import PROTOCOL_VERSION, Message, RunRequest, decode, encode

__all__ = ["WorkerCrashed", "WorkerProcess", "worker_argv"]

STDERR_TAIL = 20
LINE_LIMIT = 64 * 1024 * 1024  # a message carries previews only, but tracebacks can be long


def worker_argv(python: str | None = None) -> list[str]:
    """``-P``: the worker starts in the workspace folder, which must not be on ``sys.path`` (an ``enum.py``
    there would replace the standard library's); the folders of a graph are added only for a run."""
    return [python or sys.executable, "-P", "-m", "livedag.worker"]


class WorkerCrashed(RuntimeError):
    """The worker ended (or never got ready) without being asked to; carries its last stderr lines."""

    def __init__(self, message: str, exit_code: int | None, stderr_tail: Sequence[str]) -> None:
        self.exit_code = exit_code
        self.stderr_tail = list(stderr_tail)
        tail = "\n".join(self.stderr_tail[-5:])
        super().__init__(message + (f"; its last output:\n{tail}" if tail else ""))


class WorkerProcess:
    """One ``python -m livedag.worker``; use :meth:`start`, then :meth:`ready`, :meth:`send`, :meth:`messages`."""

    def __init__(self, process: asyncio.subprocess.Process, on_log: Callable[[str], None]) -> None:
        self.process = process
        self.pid = process.pid
        self._on_log = on_log
        self._tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL)
        self._stderr_task = asyncio.ensure_future(self._pump_stderr())
        self.python: str | None = None

    @classmethod
    async def start(cls, argv: Sequence[str], cwd: str | None, on_log: Callable[[str], None]) -> WorkerProcess:
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        process = await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=LINE_LIMIT,
            start_new_session=True,  # killing the group also ends whatever user code started
        )
        return cls(process, on_log)

    async def ready(self) -> None:
        """Wait for the worker's ``ready`` message; raises ``WorkerCrashed`` if it ends first."""
        while (message := await self.receive()) is not None:
            if message["type"] == "ready":
                self.python = str(message.get("python"))
                if message.get("protocol") != PROTOCOL_VERSION:
                    raise WorkerCrashed(
                        f"the run worker ({self.python}) speaks protocol {message.get('protocol')}, this server "
                        f"{PROTOCOL_VERSION}: install the same livedag version in both interpreters",
                        None,
                        [],
                    )
                return
        raise await self.crashed("the run worker exited while starting")

    def send(self, request: RunRequest | Message) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(encode(request))

    async def receive(self) -> Message | None:
        """The next message, or ``None`` once the worker's stdout ends (it exited or was killed).
        Lines that are not protocol messages are logged, never trusted."""
        assert self.process.stdout is not None
        while True:
            line = await self.process.stdout.readline()
            if not line:
                return None
            try:
                return decode(line)
            except ValueError:
                self._log(line.decode("utf-8", "replace").rstrip("\n"))

    async def messages(self) -> AsyncIterator[Message]:
        while (message := await self.receive()) is not None:
            yield message

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    @property
    def stderr_tail(self) -> list[str]:
        return list(self._tail)

    async def crashed(self, what: str) -> WorkerCrashed:
        """The error that reports a worker which ended by itself (waits for its exit code)."""
        code = await self.process.wait()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._stderr_task), 1.0)
        return WorkerCrashed(f"{what} (exit code {code})", code, self._tail)

    async def kill(self) -> None:
        """Kill the worker and everything it started; safe to call twice."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        await self.process.wait()
        self._stderr_task.cancel()

    async def close(self) -> None:
        """Ask the worker to exit; kill it if it does not."""
        if self.process.returncode is None and self.process.stdin is not None:
            with contextlib.suppress(Exception):
                self.send({"type": "exit"})
                self.process.stdin.close()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.process.wait(), 2.0)
        await self.kill()

    async def _pump_stderr(self) -> None:
        assert self.process.stderr is not None
        while True:
            line = await self.process.stderr.readline()
            if not line:
                return
            self._log(line.decode("utf-8", "replace").rstrip("\n"))

    def _log(self, text: str) -> None:
        self._tail.append(text)
        self._on_log(text)
