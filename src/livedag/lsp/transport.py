"""How the server reaches its client: the command-line flags editors pass, and the watch on the client's process.

Clients start servers with the flags of VS Code's ``vscode-languageclient`` (``--stdio``, ``--pipe=NAME``,
``--socket=PORT``, ``--port=PORT``, ``--clientProcessId=PID``); other editors pass none and speak stdio.
``--pipe`` and ``--socket`` mean the *client* listens and the server connects to it; ``--tcp HOST:PORT`` is
livedag's own flag for a server that listens.

The server exits when its client's process dies (``--clientProcessId`` or ``initialize``'s ``processId``),
so an editor killed with SIGKILL leaves no server, and no worker, behind.
"""

from __future__ import annotations

import argparse
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

__all__ = [
    "Transport",
    "add_transport_arguments",
    "connect",
    "parse_transport",
    "process_alive",
    "watch_client_process",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transport:
    """Where the LSP stream goes. ``kind`` is ``stdio``, ``tcp`` (we listen), ``pipe`` or ``socket`` (we connect)."""

    kind: str
    host: str = "127.0.0.1"
    port: int = 0
    pipe: str = ""
    client_process_id: int | None = None


def add_transport_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of ``livedag lsp`` and ``python -m livedag.lsp``; one definition for both entry points."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--stdio", action="store_true", help="speak LSP over stdin/stdout (the default)")
    group.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead of stdio")
    group.add_argument("--pipe", metavar="NAME", help="connect to the client's named pipe (a Unix socket path)")
    group.add_argument(
        "--socket",
        "--port",
        dest="socket",
        metavar="PORT",
        type=int,
        help="connect to the client listening on this local TCP port",
    )
    parser.add_argument(
        "--clientProcessId",
        dest="client_process_id",
        metavar="PID",
        type=int,
        help="exit when this process (the editor) dies",
    )


def parse_transport(args: argparse.Namespace) -> Transport:
    """The transport the parsed flags ask for; a bad ``--tcp`` value is an ``argparse``-style error."""
    pid: int | None = getattr(args, "client_process_id", None)
    if getattr(args, "tcp", None):
        host, _, port = str(args.tcp).rpartition(":")
        if not port.isdigit():
            raise ValueError(f"--tcp wants HOST:PORT, got {args.tcp!r}")
        return Transport("tcp", host=host or "127.0.0.1", port=int(port), client_process_id=pid)
    if getattr(args, "pipe", None):
        return Transport("pipe", pipe=str(args.pipe), client_process_id=pid)
    if getattr(args, "socket", None) is not None:
        return Transport("socket", port=int(args.socket), client_process_id=pid)
    return Transport("stdio", client_process_id=pid)


def connect(transport: Transport) -> tuple[BinaryIO, BinaryIO]:
    """Reader and writer of the stream a ``pipe`` or ``socket`` client listens on."""
    if transport.kind == "pipe":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(transport.pipe)
    elif transport.kind == "socket":
        sock = socket.create_connection((transport.host, transport.port))
    else:
        raise ValueError(f"nothing to connect to for the {transport.kind} transport")
    return sock.makefile("rb"), sock.makefile("wb")


def process_alive(pid: int) -> bool:
    """True while ``pid`` exists (a process we may not signal still exists)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_client_process(pid: int, on_death: Callable[[], None], *, poll_s: float = 1.0) -> threading.Thread:
    """Calls ``on_death`` (from a daemon thread) once ``pid`` is gone. Linux tells at once through a pidfd;
    elsewhere, or when the pidfd cannot be had, the process is polled every ``poll_s`` seconds."""

    def wait_for_death() -> None:
        pidfd = _pidfd(pid)
        if pidfd is not None:
            try:
                select.select([pidfd], [], [])
            finally:
                os.close(pidfd)
        else:
            while process_alive(pid):
                time.sleep(poll_s)
        logger.warning("livedag: the client process %d is gone; the server exits", pid)
        on_death()

    thread = threading.Thread(target=wait_for_death, name=f"livedag-client-{pid}", daemon=True)
    thread.start()
    return thread


def _pidfd(pid: int) -> int | None:
    opener: Callable[[int], int] | None = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


def client_pid_from(values: Sequence[object]) -> int | None:
    """The first positive integer among ``values`` (flag first, then ``initialize``'s ``processId``)."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None
