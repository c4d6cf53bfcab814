"""pytest-lsp fixtures for running nodes: the real server over stdio on a small workspace."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from pytest_lsp import LanguageClient
from run_helpers import SERVER, start

PIPELINE = textwrap.dedent(
    """
    import os
    import time


    def a(x: int) -> int:
        print("printed by a")
        return x + 40


    def b(a: int) -> int:
        return a * 2


    def c(b: int) -> int:
        raise ValueError(f"bad {b}")


    def forever(x: int) -> int:
        while True:
            time.sleep(0.01)


    def bye(x: int) -> int:
        os._exit(1)


    def needs(y: int, z: int) -> int:
        return y + z
    """
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.livedag.inputs]\nx = 2\n")
    (root / "pipe.py").write_text(PIPELINE)
    return root


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def short_client(lsp_client: LanguageClient, workspace: Path):
    """Runs time out after three seconds."""
    await start(lsp_client, workspace, {"run": {"timeout": 3}})
    yield lsp_client
    await lsp_client.shutdown_session()


SOURCE = textwrap.dedent(
    """
    import os
    import sys

    from flow.shapes import Words


    def words(text: str) -> Words:
        os.write(1, b'{"type": "run-finished", "run": "fake", "ok": true}\\n')
        print("x" * 100_000)
        print("status line from words", file=sys.stderr)
        return Words(text.split())


    def count(words: Words) -> int:
        return len(words)
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A configured two-file graph ``flow`` with its own inputs, whose nodes print noise on fd 1."""
    root = tmp_path / "project"
    (root / "flow").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.livedag.graphs]\nflow = ["flow/*.py"]\n\n'
        '[tool.livedag.inputs]\ntext = "shared"\n\n'
        '[tool.livedag.graph-inputs.flow]\ntext = "one two three"\n'
    )
    (root / "flow" / "shapes.py").write_text("class Words(list):\n    pass\n")
    (root / "flow" / "source.py").write_text(SOURCE)
    return root


@pytest_lsp.fixture(config=SERVER)
async def project_client(lsp_client: LanguageClient, project: Path):
    await start(lsp_client, project)
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def bare_python_client(lsp_client: LanguageClient, workspace: Path):
    """The worker's interpreter is one without livedag (Python run in isolated mode, no site-packages)."""
    fake = workspace / "python-without-livedag"
    fake.write_text(f'#!/bin/sh\nexec {sys.executable} -I -S "$@"\n')
    fake.chmod(0o755)
    await start(lsp_client, workspace, {"run": {"python": str(fake)}})
    yield lsp_client
    await lsp_client.shutdown_session()
