"""Shared by every test (hooks and an autouse fixture only: test modules import nothing from here).

- The end-to-end tests (real editors, kernels and browsers, ``tests/e2e/``) are collected last, so the fast tiers
  report first.
- The run history goes to a temporary database, never into the repository. ``LIVEDAG_HISTORY_DB`` is inherited
  by the processes tests start (kernels, ``livedag run``, the editor's worker); tests of where the history is
  found remove it from their environment.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def is_e2e(item: pytest.Item) -> bool:
        return item.get_closest_marker("e2e") is not None or E2E in Path(str(item.path)).parents

    items.sort(key=is_e2e)  # stable: the order within each tier is kept


@pytest.fixture(autouse=True, scope="session")
def _history_in_a_temporary_folder() -> Iterator[None]:
    if os.environ.get("LIVEDAG_HISTORY_DB"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="livedag-history-") as folder:
        os.environ["LIVEDAG_HISTORY_DB"] = os.path.join(folder, "runs.db")
        try:
            yield
        finally:
            del os.environ["LIVEDAG_HISTORY_DB"]
