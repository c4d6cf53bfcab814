"""A screenshot of the VS Code window whenever a test here fails (Playwright's own timeouts included)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        workbench = item.funcargs.get("vscode") if hasattr(item, "funcargs") else None
        if workbench is not None:
            workbench.screenshot(f"failed-{item.name}"[:80])
