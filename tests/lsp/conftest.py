"""pytest-lsp fixtures: the real server (``python -m livedag.lsp``) over stdio, on a copy of the fixtures."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

FIXTURES = Path(__file__).parent / "fixtures"


def _publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)  # type: ignore[attr-defined]
    client.arrived.set()  # type: ignore[attr-defined]


def _graph_changed(client: LanguageClient, params: Any) -> None:
    client.graph_changes.append(params)  # type: ignore[attr-defined]
    client.arrived.set()  # type: ignore[attr-defined]


def _register_capability(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]
    client.arrived.set()  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    """pytest-lsp's test client that also keeps every publishDiagnostics (with its version), every
    ``livedag/graphChanged`` and every capability registration, in arrival order, and sets
    ``client.arrived`` after recording one (``lsp_helpers.wait_until`` waits on it)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.graph_changes = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    client.arrived = asyncio.Event()  # type: ignore[attr-defined]
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish_diagnostics,
            "livedag/graphChanged": _graph_changed,
            types.CLIENT_REGISTER_CAPABILITY: _register_capability,
        },
    )
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "livedag.lsp"], client_factory=make_client)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A writable copy of tests/lsp/fixtures."""
    target = tmp_path / "ws"
    shutil.copytree(FIXTURES, target)
    return target


async def start(client: LanguageClient, root: Path, options: dict[str, Any] | None = None) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=options or {},
        )
    )


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
