"""Suite-wide collection order: the end-to-end tests (real editors, kernels and browsers, ``tests/e2e/``) run
last, so the fast tiers report first. Hooks only: test modules import nothing from here."""

from __future__ import annotations

from pathlib import Path

import pytest

E2E = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def is_e2e(item: pytest.Item) -> bool:
        return item.get_closest_marker("e2e") is not None or E2E in Path(str(item.path)).parents

    items.sort(key=is_e2e)  # stable: the order within each tier is kept
