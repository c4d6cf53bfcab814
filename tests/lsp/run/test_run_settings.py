"""Run settings, where inlay hints go, and the import rule: the server side never loads the driver."""

from __future__ import annotations

import subprocess
import sys

import pytest

from livedag.lsp.run.present import signature_end
from livedag.lsp.run.settings import DEFAULT_TIMEOUT, RunSettings


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (None, RunSettings()),
        ({"debounceMs": 5}, RunSettings()),
        (
            {"run": {"timeout": 5, "python": " /usr/bin/python3 ", "prewarm": False}},
            RunSettings(5.0, "/usr/bin/python3", False),
        ),
        ({"run": {"timeout": -1, "python": "", "prewarm": "no"}}, RunSettings()),
        ({"run": {"timeout": True}}, RunSettings(DEFAULT_TIMEOUT)),
    ],
)
def test_settings_from_initialization_options(options, expected):
    assert RunSettings.from_options(options) == expected


def test_workspace_configuration_updates_only_what_it_gives():
    start = RunSettings(10.0, "/py", True)
    assert start.updated({"timeout": 2}) == RunSettings(2.0, "/py", True)
    assert start.updated(None) is start


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("def a(x: int) -> int:\n    return x\n", 1, (1, 21)),
        ("def a(x: int) -> int:  # note: here\n    return x\n", 1, (1, 21)),
        ("def a(\n    x: int,\n) -> int:\n    return x\n", 1, (3, 9)),
        ("def a(s: str = '#') -> str:\n    return s\n", 1, (1, 27)),
        ("def broken(x", 1, (1, 12)),
    ],
)
def test_signature_end(text, line, expected):
    assert signature_end(text, line) == expected


def test_the_run_feature_never_imports_the_driver_or_user_code():
    code = (
        "import sys, livedag.lsp.server, livedag.lsp.run.wiring;"
        "print(sorted(m for m in sys.modules if m.startswith(('livedag.execution', 'livedag.worker.runner'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
