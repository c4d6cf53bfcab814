"""Fixtures: a real worker process and a file writer in a temporary workspace."""

from __future__ import annotations

import textwrap

import pytest
from worker_testing import Worker


@pytest.fixture
def worker():
    started = Worker()
    yield started
    started.close()


@pytest.fixture
def write(tmp_path):
    def write_file(name, text):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write_file
