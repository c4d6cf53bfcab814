"""The transports editors ask for: ``--stdio`` (what vscode-languageclient appends), ``--tcp`` (we listen),
``--pipe``/``--socket`` (the client listens), and ``--clientProcessId`` (exit with the editor)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livedag.lsp.transport import Transport, add_transport_arguments, parse_transport

LIVEDAG = str(Path(sys.executable).parent / "livedag")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def parsed(*argv: str) -> Transport:
    parser = argparse.ArgumentParser()
    add_transport_arguments(parser)
    return parse_transport(parser.parse_args(list(argv)))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ((), Transport("stdio")),
        (("--stdio",), Transport("stdio")),
        (("--stdio", "--clientProcessId=42"), Transport("stdio", client_process_id=42)),
        (("--tcp", "0.0.0.0:9"), Transport("tcp", host="0.0.0.0", port=9)),
        (("--tcp", "9"), Transport("tcp", port=9)),
        (("--pipe=/tmp/x.sock",), Transport("pipe", pipe="/tmp/x.sock")),
        (("--socket=5007",), Transport("socket", port=5007)),
        (("--port", "5007"), Transport("socket", port=5007)),
    ],
)
def test_flags_become_a_transport(argv: tuple[str, ...], expected: Transport):
    assert parsed(*argv) == expected


def test_two_transports_at_once_are_refused():
    with pytest.raises(SystemExit):
        parsed("--stdio", "--socket=1")


def frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}


async def read_message(reader: asyncio.StreamReader) -> dict[str, object]:
    length = 0
    while (header := await asyncio.wait_for(reader.readline(), 60)) != b"\r\n":
        assert header, "the server closed the stream"
        if header.lower().startswith(b"content-length:"):
            length = int(header.split(b":")[1])
    answer: dict[str, object] = json.loads(await reader.readexactly(length))
    return answer


def assert_livedag_initialized(answer: dict[str, object]) -> None:
    assert answer["id"] == 1
    result = answer["result"]
    assert isinstance(result, dict)
    assert result["serverInfo"]["name"] == "livedag"
    assert result["capabilities"]["hoverProvider"]


async def test_the_server_accepts_stdio_flag_and_client_pid():
    """Exactly the argv vscode-languageclient 11 builds for ``TransportKind.stdio``."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-P",
        "-m",
        "livedag.lsp",
        "--stdio",
        f"--clientProcessId={os.getpid()}",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(frame(INITIALIZE))
        await process.stdin.drain()
        assert_livedag_initialized(await read_message(process.stdout))
    finally:
        process.kill()
        await process.wait()


async def test_the_server_answers_over_tcp():
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        LIVEDAG, "lsp", "--tcp", f"127.0.0.1:{port}", stderr=asyncio.subprocess.PIPE
    )
    try:
        assert process.stderr is not None
        while b"Serving on" not in (line := await asyncio.wait_for(process.stderr.readline(), 60)):
            assert line, "the server exited before listening"
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(frame(INITIALIZE))
        await writer.drain()
        assert_livedag_initialized(await read_message(reader))
        writer.close()
    finally:
        process.kill()
        await process.wait()


async def _answers_when_it_connects(server: asyncio.Server, flag: str) -> None:
    connected: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
        asyncio.get_running_loop().create_future()
    )
    server_handler_target.append(connected)
    process = await asyncio.create_subprocess_exec(LIVEDAG, "lsp", flag)
    try:
        reader, writer = await asyncio.wait_for(connected, 60)
        writer.write(frame(INITIALIZE))
        await writer.drain()
        assert_livedag_initialized(await read_message(reader))
        writer.close()
    finally:
        process.kill()
        await process.wait()
        server.close()


server_handler_target: list[asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = []


def _on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    server_handler_target.pop().set_result((reader, writer))


async def test_the_server_connects_to_a_client_socket():
    server = await asyncio.start_server(_on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    await _answers_when_it_connects(server, f"--socket={port}")


async def test_the_server_connects_to_a_client_pipe(tmp_path: Path):
    path = str(tmp_path / "lsp.sock")
    server = await asyncio.start_unix_server(_on_connect, path)
    await _answers_when_it_connects(server, f"--pipe={path}")


@pytest.mark.parametrize("how", ["flag", "initialize"])
def test_the_server_exits_when_its_client_process_dies(how: str):
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    argv = [LIVEDAG, "lsp", "--stdio"] + ([f"--clientProcessId={editor.pid}"] if how == "flag" else [])
    server = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert server.stdin is not None
        params = {"processId": editor.pid if how == "initialize" else None, "rootUri": None, "capabilities": {}}
        server.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}))
        server.stdin.flush()
        time.sleep(1.0)  # the server is up and watching; it must still be running
        assert server.poll() is None
        editor.kill()
        editor.wait()
        # stdin stays open: only the watch can make the server exit
        assert server.wait(timeout=30) == 0
    finally:
        for process in (editor, server):
            if process.poll() is None:
                process.kill()
                process.wait()
