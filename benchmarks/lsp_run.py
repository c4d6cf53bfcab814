"""Running from the editor: time from the ``livedag.run`` command to the first node result and to the last.

Drives the real server (``python -m livedag.lsp``) over stdio with a pygls client, on a generated
100-node graph of trivial nodes (each adds its one or two upstream values). The first result is the
first ``livedag/graphChanged`` that shows a node ``done``; the last is the command's response (sent
once every node has reported). Cold: the first run of a server started with ``prewarm`` off, so
the worker process starts inside the measurement. Warm: later runs, which reuse the worker, each
after an edit of the first node (so every result is stale, as when a user edits and runs again).

Apache Hamilton has no editor integration to compare with; the figures stand alone.

    .venv/bin/python benchmarks/lsp_run.py [--nodes 100] [--repeat 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient


def graph_source(count: int) -> str:
    lines = ["def n0(seed: int) -> int:", "    return seed", ""]
    for index in range(1, count):
        params = [f"n{index - 1}: int"] + ([f"n{index // 2}: int"] if index // 2 != index - 1 else [])
        body = " + ".join(p.split(":")[0] for p in params)
        lines += [f"def n{index}({', '.join(params)}) -> int:", f"    return {body}", ""]
    return "\n".join(lines)


class Bench:
    def __init__(self) -> None:
        self.client = LanguageClient("livedag-bench", "1")
        self.first_done: float | None = None
        self.changed = asyncio.Event()

        @self.client.feature("livedag/graphChanged")
        def graph_changed(params: Any) -> None:
            statuses = getattr(params, "statuses", None)
            values = statuses._asdict().values() if hasattr(statuses, "_asdict") else (statuses or {}).values()
            if self.first_done is None and "done" in values:
                self.first_done = time.perf_counter()
            self.changed.set()

        @self.client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
        def inlay_refresh(params: Any) -> None:
            return None

        @self.client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
        def lens_refresh(params: Any) -> None:
            return None

        @self.client.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(params: types.ConfigurationParams) -> list[Any]:
            return [None for _ in params.items]

        for method in (types.WINDOW_LOG_MESSAGE, types.WINDOW_SHOW_MESSAGE, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS):
            self.client.feature(method)(lambda params: None)

    async def start(self, root: Path) -> None:
        await self.client.start_io(sys.executable, "-m", "livedag.lsp")
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                configuration=True,
                inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True),
                code_lens=types.CodeLensWorkspaceClientCapabilities(refresh_support=True),
            )
        )
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                initialization_options={"run": {"prewarm": False}},
            )
        )
        self.client.initialized(types.InitializedParams())

    async def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.changed.clear()
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", 1, path.read_text()))
        )
        await asyncio.wait_for(self.changed.wait(), 60)
        return uri

    async def edit(self, uri: str, version: int, text: str) -> None:
        """Change the document and wait for the graph to be redrawn (the last results go stale)."""
        self.changed.clear()
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        await asyncio.wait_for(self.changed.wait(), 60)

    async def run(self, uri: str) -> tuple[float, float]:
        """(ms to the first node result, ms to the end of the run)."""
        self.first_done = None
        params = types.ExecuteCommandParams(command="livedag.run", arguments=[{"uri": uri, "node": None}])
        start = time.perf_counter()
        result = await self.client.workspace_execute_command_async(params)
        end = time.perf_counter()
        status = getattr(result, "status", None) or (result or {}).get("status")
        if status != "finished" or self.first_done is None:
            raise RuntimeError(f"the run did not finish: {result}")
        return (self.first_done - start) * 1000, (end - start) * 1000

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


async def measure(nodes: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text("[tool.livedag.inputs]\nseed = 1\n")
        path = root / "chain.py"
        path.write_text(graph_source(nodes))
        bench = Bench()
        await bench.start(root)
        try:
            uri = await bench.open(path)
            cold = await bench.run(uri)
            warm = []
            for version in range(2, repeat + 2):
                # as after an edit: every result is stale, so the first new result changes the drawing
                await bench.edit(uri, version, graph_source(nodes).replace("return seed", f"return seed + {version}"))
                warm.append(await bench.run(uri))
        finally:
            await bench.stop()
    return {"nodes": nodes, "cold": cold, "warm": warm}


def report(figures: dict[str, Any]) -> str:
    warm = figures["warm"]
    first = statistics.median(f for f, _ in warm)
    last = statistics.median(end for _, end in warm)
    cold_first, cold_last = figures["cold"]
    goal = "met" if first < 300 else "NOT met"
    return "\n".join(
        [
            f"graph: {figures['nodes']} trivial nodes, whole graph run from `livedag.run`",
            f"cold worker (started by the run): first result {cold_first:.0f} ms, last {cold_last:.0f} ms",
            f"warm worker (median of {len(warm)}): first result {first:.0f} ms, last {last:.0f} ms "
            f"(min {min(f for f, _ in warm):.0f} / {min(end for _, end in warm):.0f} ms)",
            f"goal first result < 300 ms with a warm worker: {goal}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    print(report(asyncio.run(measure(args.nodes, args.repeat))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
