"""``livedag lsp --tcp HOST:PORT``: the same server on a socket."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_server_answers_over_tcp(tmp_path: Path):
    port = free_port()
    livedag = str(Path(sys.executable).parent / "livedag")
    process = await asyncio.create_subprocess_exec(
        livedag, "lsp", "--tcp", f"127.0.0.1:{port}", stderr=asyncio.subprocess.PIPE
    )
    try:
        assert process.stderr is not None
        while b"Serving on" not in (line := await asyncio.wait_for(process.stderr.readline(), 60)):
            assert line, "the server exited before listening"
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}
        ).encode()
        writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        length = 0
        while (header := await asyncio.wait_for(reader.readline(), 60)) != b"\r\n":
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
        answer = json.loads(await reader.readexactly(length))
        assert answer["id"] == 1
        assert answer["result"]["serverInfo"]["name"] == "livedag"
        assert answer["result"]["capabilities"]["hoverProvider"]
        writer.close()
    finally:
        process.kill()
        await process.wait()
