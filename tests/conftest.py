"""Shared by every test: the run history goes to a temporary database, never into the repository.

``LIVEDAG_HISTORY_DB`` is inherited by the processes tests start (kernels, ``livedag run``, the editor's
worker); tests of where the history is found remove it from their environment.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest


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
