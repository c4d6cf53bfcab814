"""A run request's ``executor`` reaches the worker's driver: node bodies run in the worker's process pool."""

from __future__ import annotations

import sys

import pytest

from livedag.lsp.run.runs import Runs
from livedag.lsp.run.settings import RunSettings

SOURCE = """
import os

def where() -> int:
    return os.getpid()
"""


@pytest.fixture
async def runs():
    started = Runs(lambda: [sys.executable, "-m", "livedag.worker"], lambda: None, lambda _: None)
    yield started
    await started.shutdown()


@pytest.mark.parametrize(("executor", "elsewhere"), [("inline", False), ("processes", True)])
async def test_the_request_executor_decides_where_bodies_run(runs, tmp_path, executor, elsewhere):
    path = tmp_path / "where.py"
    path.write_text(SOURCE)
    seen: list[dict] = []
    request = {
        "type": "run",
        "run": "r1",
        "root": str(tmp_path),
        "files": [str(path)],
        "outputs": ["where"],
        "inputs": {},
        "executor": executor,
    }
    outcome = await runs.run(request, 60, seen.append)
    assert outcome.ok
    done = [m for m in seen if m.get("type") == "node" and m.get("status") == "done"]
    worker = (await runs.worker()).pid
    assert (int(done[-1]["preview"]) != worker) is elsewhere


def test_the_executor_setting_is_read_from_initialization_options():
    settings = RunSettings.from_options({"run": {"executor": "dask", "address": "tcp://127.0.0.1:8786"}})
    assert (settings.executor, settings.address) == ("dask", "tcp://127.0.0.1:8786")
    assert RunSettings.from_options({"run": {"executor": "spark"}}).executor == "inline"
    assert settings.updated({"executor": "ray"}).executor == "ray"
