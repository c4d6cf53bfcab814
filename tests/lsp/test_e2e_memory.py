"""The server's memory stays flat over 10,000 edits: nothing is kept per notification (pygls kept one
finished future for every ``didChange``; ``livedag.lsp.protocol`` drops it). Measured as the server's
resident set after each burst of edits, once warmed up."""

from __future__ import annotations

import sys
from pathlib import Path

from lsp_helpers import diagnostics, make_client, open_file, start, stop
from lsprotocol import types

NODES = 200
EDITS = 10_000
BURST = 1_000
WARM_UP = 2_000


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def test_memory_is_flat_over_ten_thousand_edits(tmp_path: Path):
    text = "import livedag\n\n\n" + "\n\n".join(
        f"def n{i}({'seed' if i == 0 else f'n{i - 1}'}: int) -> int:\n    return 1\n" for i in range(NODES)
    )
    path = tmp_path / "flow.py"
    path.write_text(text)
    line = text.split("\n").index("    return 1", len(text.split("\n")) // 2)
    client = make_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp")
    try:
        await start(client, tmp_path)
        uri = open_file(client, path)
        await diagnostics(client, uri, version=1)
        pid = client._server.pid  # type: ignore[attr-defined]  # the process pygls started
        samples: dict[int, float] = {}
        for version in range(2, EDITS + 2):
            digit = str(version % 10)
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        types.TextDocumentContentChangePartial(
                            range=types.Range(types.Position(line, 11), types.Position(line, 12)), text=digit
                        )
                    ],
                )
            )
            if (version - 1) % BURST == 0:
                await diagnostics(client, uri, version=version)  # every edit so far is handled
                samples[version - 1] = rss_mb(pid)
        client.published.clear()  # type: ignore[attr-defined]
        after_warm_up = [mb for edits, mb in samples.items() if edits >= WARM_UP]
        assert max(after_warm_up) - after_warm_up[0] < 5, samples
        await client.shutdown_session()
    finally:
        await stop(client)
