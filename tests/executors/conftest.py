"""Real engines for the executor tests, started once per session: Ray (2 CPUs, no dashboard) and a Dask
``LocalCluster`` of two worker processes, both on 127.0.0.1. Select them with ``-m ray`` / ``-m dask``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "execution"))  # exec_support and the corpus

# A Ray started here listens on 127.0.0.1 only (read when ``ray`` is first imported).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


@pytest.fixture(scope="session")
def ray_session() -> Iterator[Any]:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):  # a dead worker fails its node at once
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture
def executor(request: pytest.FixtureRequest) -> Iterator[Any]:
    from livedag.executors import DaskExecutor, ProcessExecutor, RayExecutor, ThreadExecutor

    name = request.param
    if name == "ray":
        request.getfixturevalue("ray_session")
        made: Any = RayExecutor()
    elif name == "dask":
        made = DaskExecutor(request.getfixturevalue("dask_client"))
    elif name == "processes":
        made = ProcessExecutor(2)
    else:
        made = ThreadExecutor()
    yield made
    made.close()
