"""Language server latency: from a ``didChange`` to the server's answer, measured from a client.

For 100 / 1,000 / 5,000-node files (each node needs its predecessor and its half), a raw JSON-RPC
client over stdio sends one edit at a time, waits for the answer, and times (ms, median and p95):

- livedag, *body edit* (``return 1`` -> ``return 2`` in the middle node: what most keystrokes are):
  ``didChange`` -> the ``publishDiagnostics`` of that document version, the default 10 ms debounce
  included. The node specs come out equal, so the server reuses the graph it already validated;
- livedag, *type edit* (the middle node's ``-> int`` flips to ``-> float`` and back): the graph is
  built and validated again; ``didChange`` -> ``publishDiagnostics``, and -> ``livedag/graphChanged``
  (sent after the diagnostics, with the whole graph's Mermaid text);
- livedag, *new line* (a line inserted at the top of the middle node's body, as when Enter is pressed):
  every later function moves down a line; ``didChange`` -> ``publishDiagnostics``;
- Apache Hamilton's language server (``apache-hamilton-lsp``), the same body edits: ``didChange`` ->
  its graph notification (``lsp-view-response``, Graphviz text). It has no diagnostics; this is its
  graph rebuild (it executes the buffer as a module).

Hamilton's server needs pygls 1.x, so it lives in its own virtual environment: set
``HAMILTON_LSP_PYTHON`` to its interpreter, or create /tmp/hamilton-lsp-venv with
``pip install "pygls==1.3.1" "apache-hamilton[visualization]"`` and ``pip install --no-deps
apache-hamilton-lsp==0.2.0`` (as published it asks for pygls 2, with which every edit fails).

Then (``--open-sizes``, ``--memory-edits``; ``--only-scale`` runs just these):

- *open*: ``initialize`` time, and ``didOpen`` of a 1,000 / 5,000 / 20,000-node file to its first
  diagnostics (Hamilton: to its first graph notification), with the server's resident memory then;
- *memory*: the server's RSS after 2,000 and after 10,000 body edits of a 1,000-node file (sent in
  bursts of 1,000, each burst waited for), livedag only;
- *check cache*: ``livedag check`` of a 1,000-node file, cold and answered from its cache, in-process
  and as a command (Hamilton has no such command).

Run: ``.venv/bin/python benchmarks/lsp.py [--sizes 100 1000 5000] [--edits 30]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HAMILTON_DEFAULT = "/tmp/hamilton-lsp-venv/bin/python"
HAMILTON_VIEW = "lsp-view-response"


def dataflow(size: int) -> str:
    """A valid, executable module of ``size`` nodes, each needing its predecessor and its half."""
    out = ["from __future__ import annotations", ""]
    for i in range(size):
        params = "seed: int" if i == 0 else ", ".join(f"n{j}: int" for j in sorted({i - 1, i // 2}))
        out.append(f'def n{i}({params}) -> int:\n    """Node {i}."""\n    return 1\n')
    return "\n".join(out)


class RawClient:
    """Just enough LSP over stdio: requests, notifications, and waiting for a matching notification."""

    def __init__(self, argv: list[str], cwd: str) -> None:
        self.argv, self.cwd = argv, cwd
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._waiters: list[tuple[Callable[[dict[str, Any]], bool], asyncio.Future[float]]] = []

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=self.cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            limit=2**26,
        )
        self._reader = asyncio.create_task(self._read())

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def request(self, method: str, params: Any) -> Any:
        ident = next(self._ids)
        self._pending[ident] = asyncio.get_running_loop().create_future()
        self._send({"id": ident, "method": method, "params": params})
        return await asyncio.wait_for(self._pending[ident], 120)

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def expect(self, match: Callable[[dict[str, Any]], bool]) -> asyncio.Future[float]:
        """A future resolved with ``perf_counter()`` at the arrival of the first matching notification."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((match, future))
        return future

    async def _read(self) -> None:
        assert self.process.stdout is not None
        stream = self.process.stdout
        while True:
            length = 0
            while (line := await stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(await stream.readexactly(length))
            arrived = time.perf_counter()
            if "method" in message and "id" in message:  # a request from the server: accept it
                self._send({"id": message["id"], "result": None})
            elif "id" in message:
                future = self._pending.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_result(message.get("result", message.get("error")))
            else:
                for waiter in list(self._waiters):
                    match, future = waiter
                    if not future.done() and match(message):
                        future.set_result(arrived)
                        self._waiters.remove(waiter)

    async def initialize(self, root: Path, options: dict[str, Any] | None = None) -> None:
        await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
                "initializationOptions": options or {},
            },
        )
        self.notify("initialized", {})

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.request("shutdown", None), 10)
            self.notify("exit", None)
            await asyncio.wait_for(self.process.wait(), 10)
        if self.process.returncode is None:
            self.process.kill()
        self._reader.cancel()


def diagnostics_of(uri: str, version: int) -> Callable[[dict[str, Any]], bool]:
    def match(message: dict[str, Any]) -> bool:
        params = message.get("params") or {}
        return (
            message.get("method") == "textDocument/publishDiagnostics"
            and params.get("uri") == uri
            and params.get("version") == version
        )

    return match


def method_is(method: str) -> Callable[[dict[str, Any]], bool]:
    return lambda message: message.get("method") == method


def line_edit(text: str, line: int, new_line: str) -> tuple[str, dict[str, Any]]:
    lines = text.split("\n")
    old = lines[line]
    lines[line] = new_line
    change = {
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": len(old)}},
        "text": new_line,
    }
    return "\n".join(lines), change


async def measure(
    client: RawClient,
    uri: str,
    text: str,
    versions: range,
    make_edit: Callable[[str, int], tuple[str, dict[str, Any]]],
    matches: list[Callable[[int], Callable[[dict[str, Any]], bool]]],
    timeout: float = 60,
) -> tuple[list[list[float]], str, str]:
    """For each matcher, the latencies in ms (edit sent -> matching notification) of one edit per
    version, each edit sent once the previous one was answered; also the text after the edits and what
    went wrong, if anything."""
    latencies: list[list[float]] = [[] for _ in matches]
    for version in versions:
        text, change = make_edit(text, version)
        arrivals = [client.expect(match(version)) for match in matches]
        started = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        try:
            for found, arrived in zip(latencies, arrivals, strict=True):
                found.append((await asyncio.wait_for(arrived, timeout) - started) * 1000)
        except TimeoutError:
            return latencies, text, f"no answer within {timeout:.0f} s to the edit of version {version}"
    return latencies, text, ""


async def run_server(argv: list[str], size: int, edits: int, warmup: int, kind: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / f"flow_{size}.py"
        text = dataflow(size)
        path.write_text(text)
        uri = path.as_uri()
        client = RawClient(argv, folder)
        await client.start()
        started = time.perf_counter()
        await client.initialize(root)
        initialize_ms = (time.perf_counter() - started) * 1000
        middle = f"def n{size // 2}("
        signature_line = next(i for i, line in enumerate(text.split("\n")) if line.startswith(middle))

        def body_edit(current: str, version: int) -> tuple[str, dict[str, Any]]:
            return line_edit(current, signature_line + 2, f"    return {version}")

        def type_edit(current: str, version: int) -> tuple[str, dict[str, Any]]:
            """Flip the node's return type between int and float: the drawing changes every time."""
            now = current.split("\n")[signature_line]
            flipped = now.replace("-> int", "-> float") if "-> int" in now else now.replace("-> float", "-> int")
            return line_edit(current, signature_line, flipped)

        def line_insert(current: str, version: int) -> tuple[str, dict[str, Any]]:
            """A new line at the top of the node's body (Enter pressed): every later function moves down."""
            lines = current.split("\n")
            lines.insert(signature_line + 2, f"    x = {version}")
            at = {"line": signature_line + 2, "character": 0}
            return "\n".join(lines), {"range": {"start": at, "end": at}, "text": f"    x = {version}\n"}

        def answer(version: int) -> Callable[[dict[str, Any]], bool]:
            return diagnostics_of(uri, version) if kind == "livedag" else method_is(HAMILTON_VIEW)

        opened = client.expect(answer(1))
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
        )
        try:
            await asyncio.wait_for(opened, 120)
        except TimeoutError:
            await client.stop()
            return {"error": "no answer to didOpen within 120 s"}
        first = 2 + warmup
        _, text, problem = await measure(client, uri, text, range(2, first), body_edit, [answer])
        found, text, problem = await measure(client, uri, text, range(first, first + edits), body_edit, [answer])
        result: dict[str, Any] = {"latencies": found[0], "initialize_ms": initialize_ms, "error": problem}
        if kind == "livedag" and not problem:
            versions = range(first + edits, first + edits + max(edits // 2, 5))
            graph_changed = method_is("livedag/graphChanged")
            found, text, problem = await measure(
                client, uri, text, versions, type_edit, [answer, lambda version: graph_changed]
            )
            result["type_diagnostics"], result["graph_changed"] = found
            result["error"] = problem
        if kind == "livedag" and not problem:
            start = first + edits + max(edits // 2, 5)
            found, text, problem = await measure(
                client, uri, text, range(start, start + max(edits // 2, 5)), line_insert, [answer]
            )
            result["line_diagnostics"] = found[0]
            result["error"] = problem
        await client.stop()
        return result


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1]) / 1024


async def open_file(argv: list[str], size: int, kind: str, timeout: float = 180) -> dict[str, Any]:
    """initialize ms, didOpen -> first answer ms, RSS after it (MB)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / f"flow_{size}.py"
        text = ("import livedag\n" if kind == "livedag" else "") + dataflow(size)
        path.write_text(text)
        client = RawClient(argv, folder)
        await client.start()
        started = time.perf_counter()
        await client.initialize(root)
        result: dict[str, Any] = {"initialize_ms": (time.perf_counter() - started) * 1000}
        match = diagnostics_of(path.as_uri(), 1) if kind == "livedag" else method_is(HAMILTON_VIEW)
        answered = client.expect(match)
        started = time.perf_counter()
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": path.as_uri(), "languageId": "python", "version": 1, "text": text}},
        )
        try:
            result["open_ms"] = (await asyncio.wait_for(answered, timeout) - started) * 1000
            result["rss_mb"] = rss_mb(client.process.pid)
        except TimeoutError:
            result["error"] = f"no answer within {timeout:.0f} s"
        await client.stop()
        return result


async def memory_over_edits(argv: list[str], size: int, edits: int, burst: int = 1000) -> dict[int, float]:
    """RSS (MB) after every ``burst`` body edits of a ``size``-node file."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "flow.py"
        text = "import livedag\n" + dataflow(size)
        path.write_text(text)
        uri = path.as_uri()
        client = RawClient(argv, folder)
        await client.start()
        await client.initialize(root)
        opened = client.expect(diagnostics_of(uri, 1))
        client.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}
        )
        await asyncio.wait_for(opened, 120)
        line = next(i for i, row in enumerate(text.split("\n")) if row.startswith(f"def n{size // 2}(")) + 2
        samples: dict[int, float] = {}
        for version in range(2, edits + 2):
            last = (version - 1) % burst == 0
            waiter = client.expect(diagnostics_of(uri, version)) if last else None
            change = {
                "range": {"start": {"line": line, "character": 11}, "end": {"line": line, "character": 12}},
                "text": str(version % 10),
            }
            client.notify(
                "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
            )
            if waiter is not None:
                await asyncio.wait_for(waiter, 120)
                samples[version - 1] = rss_mb(client.process.pid)
        await client.stop()
        return samples


def check_cache_times(size: int) -> dict[str, float]:
    """ms: in-process check cold / from the cache; the `livedag check` command cold / from the cache."""
    import subprocess

    from livedag.cli.check import checked
    from livedag.cli.check_cache import CheckCache

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flow.py"
        path.write_text(dataflow(size))
        sources = {str(path): path.read_text()}
        cache = CheckCache(Path(folder) / "cache")
        started = time.perf_counter()
        checked(sources, cache)
        cold = (time.perf_counter() - started) * 1000
        warm = []
        for _ in range(20):
            started = time.perf_counter()
            checked({str(path): path.read_text()}, cache)
            warm.append((time.perf_counter() - started) * 1000)
        command = [str(Path(sys.executable).parent / "livedag"), "check", str(path)]
        env = dict(os.environ, LIVEDAG_CACHE_DIR=str(Path(folder) / "cli-cache"))
        runs = []
        for _ in range(4):
            started = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=False)
            runs.append((time.perf_counter() - started) * 1000)
        return {
            "cold": cold,
            "warm": statistics.median(warm),
            "cli_cold": runs[0],
            "cli_warm": statistics.median(runs[1:]),
        }


async def scale_and_memory(livedag: list[str], hamilton: list[str] | None, sizes: list[int], edits: int) -> None:
    print(
        "| nodes | livedag: initialize | livedag: open → diagnostics | livedag: RSS after open "
        "| Hamilton: initialize | Hamilton: open → graph | Hamilton: RSS after open | open ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        ours = await open_file(livedag, size, "livedag")
        theirs = await open_file(hamilton, size, "hamilton") if hamilton else None

        def cells(found: dict[str, Any] | None) -> str:
            if found is None:
                return "missing | missing | missing"
            if "error" in found:
                return f"{found['initialize_ms']:.0f} ms | {found['error']} | —"
            return f"{found['initialize_ms']:.0f} ms | {found['open_ms']:.0f} ms | {found['rss_mb']:.0f} MB"

        ratio = "—"
        if theirs and "open_ms" in theirs and "open_ms" in ours:
            ratio = f"{theirs['open_ms'] / ours['open_ms']:.1f}x"
        print(f"| {size:,} | {cells(ours)} | {cells(theirs)} | {ratio} |")
        sys.stdout.flush()
    print()
    samples = await memory_over_edits(livedag, 1000, edits)
    print(
        "livedag RSS over body edits of a 1,000-node file (MB): "
        + ", ".join(f"{count:,}: {mb:.1f}" for count, mb in samples.items())
    )
    warm = [mb for count, mb in samples.items() if count >= 2000]
    if warm:
        print(f"  growth after 2,000 edits: {max(warm) - warm[0]:+.1f} MB")
    print()
    found = check_cache_times(1000)
    print(
        f"livedag check, 1,000 nodes: in-process {found['cold']:.1f} ms cold, {found['warm']:.2f} ms from the cache; "
        f"the command {found['cli_cold']:.0f} ms cold, {found['cli_warm']:.0f} ms from the cache"
    )


def summary(latencies: list[float]) -> str:
    if not latencies:
        return "—"
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.1f} / {p95:.1f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-run", action="store_true", help="skip running nodes from the editor (lsp_run.py)")
    parser.add_argument("--open-sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--memory-edits", type=int, default=10000)
    parser.add_argument("--only-scale", action="store_true", help="only the open / memory / check-cache figures")
    args = parser.parse_args()
    livedag = [sys.executable, "-P", "-m", "livedag.lsp"]
    hamilton_python = os.environ.get("HAMILTON_LSP_PYTHON", HAMILTON_DEFAULT)
    hamilton = [hamilton_python, "-m", "hamilton_lsp"] if Path(hamilton_python).exists() else None
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {when}, load average {load}")
    if hamilton is None:
        print(f"Apache Hamilton language server: MISSING (no {hamilton_python}; see this script's docstring)")
    print()
    if args.only_scale:
        await scale_and_memory(livedag, hamilton, args.open_sizes, args.memory_edits)
        return
    print("Milliseconds, median / p95.")
    print()
    print(
        "| nodes | livedag: body edit → diagnostics | livedag: new line → diagnostics | livedag: type edit → "
        "diagnostics | livedag: type edit → graphChanged | Hamilton: body edit → graph | p50 ratio (body edits) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        edits = args.edits if size < 5000 else max(args.edits // 2, 10)
        ours = await run_server(livedag, size, edits, args.warmup, "livedag")
        theirs = await run_server(hamilton, size, edits, args.warmup, "hamilton") if hamilton else None
        ratio = "—"
        if theirs and theirs.get("latencies") and ours.get("latencies"):
            ratio = f"{statistics.median(theirs['latencies']) / statistics.median(ours['latencies']):.1f}x"
        theirs_text = "missing" if theirs is None else summary(theirs.get("latencies", []))
        print(
            f"| {size:,} | {summary(ours.get('latencies', []))} | {summary(ours.get('line_diagnostics', []))} "
            f"| {summary(ours.get('type_diagnostics', []))} "
            f"| {summary(ours.get('graph_changed', []))} "
            f"| {theirs_text} | {ratio} |"
        )
        for name, found in (("livedag", ours), ("Hamilton", theirs)):
            if found and found.get("error"):
                print(f"  {name} at {size}: {found['error']}")
        sys.stdout.flush()
    print()
    print(
        f"initialize (last run): livedag {ours.get('initialize_ms', 0):.0f} ms"
        + (f", Hamilton {theirs.get('initialize_ms', 0):.0f} ms" if theirs else "")
    )
    print()
    await scale_and_memory(livedag, hamilton, args.open_sizes, args.memory_edits)
    if not args.no_run:
        from lsp_run import measure, report  # this folder: the run command to first / last node result

        print()
        print(report(await measure(100, 7)))


if __name__ == "__main__":
    asyncio.run(main())
