"""A workspace whose modules shadow the standard library (``enum.py``, ``typing.py``) or livedag itself
(``livedag.py``) is never imported by the server, nor by the pre-warmed worker, whichever way the server is
started in that folder; ``livedag.run`` runs only the workspace's graphs."""

from __future__ import annotations

import asyncio
import os
import select
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from run_helpers import logged, make_client, open_file, run, start

from livedag._safe_path import drop_working_directory, protected_module

LIVEDAG = str(Path(sys.executable).parent / "livedag")
PIPELINE = "import enum\nimport typing\n\n\ndef a(x: int) -> int:\n    return x + 40\n\n\n"
PIPELINE += "def b(a: int) -> int:\n    return a * 2\n"
SHADOWS = ("enum", "typing", "livedag")


def hostile_workspace(root: Path, shadows: tuple[str, ...]) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.livedag.inputs]\nx = 2\n")
    (root / "pipe.py").write_text(PIPELINE)
    for name in shadows:
        marker = str(root / f"{name}.imported")
        (root / f"{name}.py").write_text(f"open({marker!r}, 'w').close()\nraise ImportError('{name}.py')\n")
    return root


def imported(root: Path) -> list[str]:
    return sorted(path.stem for path in root.glob("*.imported"))


@pytest.mark.parametrize(
    ("command", "shadows"),
    [
        ([LIVEDAG, "lsp"], SHADOWS),
        ([sys.executable, "-P", "-m", "livedag.lsp"], SHADOWS),  # how the VS Code extension starts it
        ([sys.executable, "-m", "livedag.lsp"], ("enum", "typing")),  # livedag.py needs -P: see docs/lsp.md
    ],
    ids=["livedag-lsp", "python-P-m", "python-m"],
)
async def test_shadowing_modules_are_never_imported(tmp_path: Path, command: list[str], shadows: tuple[str, ...]):
    root = hostile_workspace(tmp_path / "ws", shadows)
    client = make_client()
    await client.start_io(*command, cwd=str(root))
    try:
        await asyncio.wait_for(start(client, root), 60)  # a server that imported a shadow dies here
        uri = open_file(client, root / "pipe.py")
        lenses = await client.text_document_code_lens_async(types.CodeLensParams(types.TextDocumentIdentifier(uri)))
        assert lenses, "the pipeline shows its run lenses"
        await logged(client, "run worker")  # the pre-warmed worker said it is ready
        assert imported(root) == []
        outcome = await run(client, uri, "b")  # user code runs on request, and only the graph's files
        assert outcome["status"] == "finished", outcome
        assert outcome["ok"], outcome
        assert imported(root) == []
        await client.shutdown_session()
    finally:
        await client.stop()


async def test_run_refuses_a_file_outside_the_workspace(tmp_path: Path):
    root = hostile_workspace(tmp_path / "ws", ())
    stranger = tmp_path / "elsewhere" / "evil.py"
    stranger.parent.mkdir()
    marker = tmp_path / "ran"
    stranger.write_text(f"open({str(marker)!r}, 'w').close()\n\n\ndef a() -> int:\n    return 1\n")
    client = make_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp", cwd=str(root))
    try:
        await start(client, root)
        outcome = await run(client, stranger.as_uri(), "a")
        assert outcome["status"] == "error"
        assert "livedag runs only the graphs of the open workspace" in str(outcome["message"])
        assert not marker.exists()
        await client.shutdown_session()
    finally:
        await client.stop()


@pytest.mark.parametrize(
    ("argv", "protected"),
    [
        (["python", "-m", "livedag.lsp"], True),
        (["python", "-u", "-m", "livedag.worker"], True),
        (["python", "-mlivedag.lsp", "--stdio"], True),
        (["python", "-m", "livedag.cli", "lsp"], False),
        (["python", "-m", "pytest"], False),
        (["python", "script.py", "-m", "livedag.lsp"], False),
        (["python", "-c", "import livedag"], False),
    ],
)
def test_which_interpreters_drop_the_working_directory(argv: list[str], protected: bool):
    assert protected_module(argv) is protected


def test_dropping_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    path = ["", str(tmp_path), "/usr/lib/python3.11", ".", "/site"]
    drop_working_directory(path)
    assert path == ["/usr/lib/python3.11", "/site"]


ORPHAN = """
import subprocess
import sys


def spawn(pid_file: str) -> int:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    with open(pid_file, "w") as out:
        out.write(str(child.pid))
    return child.pid
"""


async def test_processes_started_by_a_node_end_when_the_server_is_killed(tmp_path: Path):
    root = tmp_path / "ws"
    root.mkdir()
    pid_file = tmp_path / "child.pid"
    (root / "pyproject.toml").write_text(f"[tool.livedag.inputs]\npid_file = {str(pid_file)!r}\n")
    (root / "spawn.py").write_text(ORPHAN)
    client = make_client()
    await client.start_io(sys.executable, "-P", "-m", "livedag.lsp", cwd=str(root))
    try:
        await asyncio.wait_for(start(client, root), 60)
        uri = open_file(client, root / "spawn.py")
        outcome = await run(client, uri, "spawn")
        assert outcome["status"] == "finished", outcome
        child = int(pid_file.read_text())
        pidfd = os.pidfd_open(child)  # readable once the process is gone
        client._server.kill()  # type: ignore[attr-defined]  # SIGKILL: the server cannot clean up
        ready, _, _ = await asyncio.to_thread(select.select, [pidfd], [], [], 30)
        os.close(pidfd)
        assert ready, f"process {child}, started by a node, outlived the server"
    finally:
        await client.stop()
