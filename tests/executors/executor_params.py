"""The engines the executor tests run on, as ``executor`` fixture parameters (Ray and Dask marked)."""

from __future__ import annotations

import pytest

ENGINES = [
    "threads",
    "processes",
    pytest.param("ray", marks=pytest.mark.ray),
    pytest.param("dask", marks=pytest.mark.dask),
]
REMOTE = [pytest.param("ray", marks=pytest.mark.ray), pytest.param("dask", marks=pytest.mark.dask)]
