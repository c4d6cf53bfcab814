"""pytest-lsp fixtures for running nodes: the real server over stdio on a small workspace."""

from __future__ import annotations

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
    """Runs time out after one second."""
    await start(lsp_client, workspace, {"run": {"timeout": 1}})
    yield lsp_client
    await lsp_client.shutdown_session()
