"""Real-kernel fixtures: a notebook with livedag loaded, with and without cell ids."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kernel_notebook import Notebook, make_client


@pytest.fixture
def notebook() -> Iterator[Notebook]:
    client = make_client()
    with client.setup_kernel():
        book = Notebook(client)
        book.run("%load_ext livedag\nimport livedag.kernel")
        yield book


@pytest.fixture
def idless_notebook() -> Iterator[Notebook]:
    """A frontend that sends no cell ids (plain nbclient / nbconvert)."""
    client = make_client(send_cell_ids=False)
    with client.setup_kernel():
        book = Notebook(client)
        book.run("%load_ext livedag\nimport livedag.kernel")
        yield book
