"""The worker process: reads run requests, imports the graph's modules, drives the core driver, reports.

Started by the language server as ``python -m livedag.worker`` with three pipes. The protocol channel is
the process's original stdout, duplicated to a private descriptor before anything else runs; fd 1 is
then pointed at stderr and fd 0 at ``/dev/null``, so whatever user code prints (Python ``print``, C
extensions, subprocesses) lands on stderr, which the server forwards as log lines, and ``input()`` can
never eat a request. One run at a time; a run that hangs is the server's to kill.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from livedag._safe_path import drop_working_directory
from livedag.worker.protocol import PROTOCOL_VERSION, Message, NodeMessage, RunRequest, decode, encode, error_info

if TYPE_CHECKING:
    from livedag.worker.runner import Runner

__all__ = ["main"]

Send = Callable[[Message | NodeMessage], None]


class Channel:
    """The protocol channel: whole lines, written atomically with respect to each other."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = threading.Lock()

    def send(self, message: Message | NodeMessage) -> None:
        data = encode(message)
        with self._lock:
            while data:
                written = os.write(self._fd, data)
                data = data[written:]


def protect_channels() -> tuple[Channel, IO[bytes]]:
    """Move the protocol off fds 0/1 so user code cannot touch it; returns (channel, requests)."""
    protocol_fd = os.dup(1)
    requests_fd = os.dup(0)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)  # noqa: SIM115
    return Channel(protocol_fd), os.fdopen(requests_fd, "rb", buffering=0)


def exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """End this process once its parent (the language server) is gone, even if user code never returns:
    the worker runs in its own session, so nothing else would stop it."""
    while os.getppid() == parent:
        time.sleep(interval)
    end_process_group()
    os._exit(0)


def end_process_group() -> None:
    """Kill every process a node started, and this one: the server starts the worker as the leader of a
    process group of its own, so a server killed with SIGKILL leaves nothing behind once the worker sees it."""
    if os.getpgrp() == os.getpid():
        sys.stdout.flush()
        os.killpg(os.getpgrp(), signal.SIGKILL)


def main() -> int:
    drop_working_directory()  # started in the workspace folder: nothing of it is imported before a run
    threading.Thread(target=exit_with_parent, args=(os.getppid(),), name="livedag-parent-watch", daemon=True).start()
    channel, requests = protect_channels()
    sys.dont_write_bytecode = True  # edits within one second must never be served from a stale .pyc
    from livedag.worker.runner import Runner  # imports the driver: the costly part of warming up

    runner = Runner(channel.send)
    channel.send({"type": "ready", "pid": os.getpid(), "python": sys.executable, "protocol": PROTOCOL_VERSION})
    for line in requests:
        if not line.strip():
            continue
        try:
            request = decode(line)
        except ValueError as error:
            channel.send({"type": "protocol-error", "message": str(error)})
            continue
        if request["type"] == "exit":
            break
        if request["type"] == "run":
            run(runner, request, channel.send)
    else:  # the requests ended without an `exit`: the server is gone
        end_process_group()
    return 0


def run(runner: Runner, request: Message, send: Send) -> None:
    run_id = str(request.get("run", ""))
    try:
        asyncio.run(runner.run(RunRequest(**request)))  # type: ignore[typeddict-item]
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt):
            raise
        send(
            {
                "type": "run-error",
                "run": run_id,
                "message": f"{type(error).__name__}: {error}",
                "error": error_info(error),
                "time": time.time(),
            }
        )
