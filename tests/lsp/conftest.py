"""pytest-lsp fixtures: the real server (``python -m livedag.lsp``) over stdio, on a copy of the fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsp_helpers import FIXTURES, SERVER, start
from pytest_lsp import LanguageClient


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A writable copy of tests/lsp/fixtures."""
    target = tmp_path / "ws"
    shutil.copytree(FIXTURES, target)
    return target


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace)
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def project_client(lsp_client: LanguageClient, workspace: Path):
    """Rooted at the ``project`` fixture, whose pyproject declares the two-file graph ``flow``."""
    await start(lsp_client, workspace / "project")
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def slow_client(lsp_client: LanguageClient, workspace: Path):
    """A half-second debounce: a burst of edits sent at once surely lands inside one delay."""
    await start(lsp_client, workspace, {"debounceMs": 500})
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def bad_config_client(lsp_client: LanguageClient, workspace: Path):
    await start(lsp_client, workspace / "badconfig")
    yield lsp_client
    await lsp_client.shutdown_session()
