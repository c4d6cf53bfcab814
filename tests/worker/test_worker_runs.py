"""The server's side of the worker (``livedag.lsp.run.runs``) against real workers: timeouts, cancels and
crashes kill the worker, report the run, and the next run gets a fresh worker."""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys

import pytest

from livedag.lsp.run.runs import Runs

SLOW = """
import os
import time

def fast() -> int:
    return 1

def forever(fast: int) -> int:
    while True:
        time.sleep(0.01)

def crash() -> int:
    print("last words")
    os._exit(1)
"""


@pytest.fixture
async def runs():
    logs: list[str] = []
    started = Runs(lambda: [sys.executable, "-m", "livedag.worker"], lambda: None, logs.append)
    started.logs = logs
    yield started
    await started.shutdown()


def request(tmp_path, run, outputs):
    path = tmp_path / "slow.py"
    if not path.exists():
        path.write_text(SLOW)
    return {"type": "run", "run": run, "root": str(tmp_path), "files": [str(path)], "outputs": outputs, "inputs": {}}


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a killed child stays a zombie until reaped; Runs reaps it, so a zombie here would be a leak
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


async def test_a_finished_run_keeps_its_warm_worker(runs, tmp_path):
    seen = []
    outcome = await runs.run(request(tmp_path, "r1", ["fast"]), 60, seen.append)
    assert (outcome.status, outcome.ok) == ("finished", True)
    assert [m["type"] for m in seen][-1] == "run-finished"
    first = await runs.worker()
    await runs.run(request(tmp_path, "r2", ["fast"]), 60, seen.append)
    assert await runs.worker() is first


async def test_an_endless_node_is_stopped_by_the_timeout_and_the_next_run_works(runs, tmp_path):
    await runs.worker()
    hung = await runs.worker()
    seen = []
    outcome = await runs.run(request(tmp_path, "r1", ["forever"]), 2.0, seen.append)
    assert outcome.status == "timeout"
    assert "longer than 2 s" in outcome.message
    assert ("fast", "done") in [(m.get("node"), m.get("status")) for m in seen]
    assert not alive(hung.pid)
    after = await runs.run(request(tmp_path, "r2", ["fast"]), 60, seen.append)
    assert (after.status, after.ok) == ("finished", True)
    assert (await runs.worker()).pid != hung.pid


async def test_cancel_stops_the_run_and_kills_its_worker(runs, tmp_path):
    worker = await runs.worker()
    started = asyncio.Event()

    def on_message(message):
        if message.get("node") == "forever" and message.get("status") == "running":
            started.set()

    task = asyncio.ensure_future(runs.run(request(tmp_path, "r1", ["forever"]), 60, on_message))
    await started.wait()
    assert runs.running == "r1"
    assert runs.cancel("other") is False
    assert runs.cancel("r1") is True
    outcome = await task
    assert outcome.status == "cancelled"
    assert not alive(worker.pid)
    assert runs.running is None


async def test_a_crashing_worker_is_reported_with_its_last_output(runs, tmp_path):
    outcome = await runs.run(request(tmp_path, "r1", ["crash"]), 60, lambda _: None)
    assert outcome.status == "crashed"
    assert "exit code 1" in outcome.message
    assert "last words" in outcome.message
    assert "last words" in runs.logs
    after = await runs.run(request(tmp_path, "r2", ["fast"]), 60, lambda _: None)
    assert after.ok is True


async def test_a_worker_that_cannot_start_is_a_crashed_run(tmp_path):
    broken = Runs(lambda: [sys.executable, "-c", "import sys; print('no'); sys.exit(3)"], lambda: None, print)
    outcome = await broken.run(request(tmp_path, "r1", ["fast"]), 60, lambda _: None)
    assert outcome.status == "crashed"
    assert "could not start" in outcome.message
    await broken.shutdown()


async def test_a_worker_that_never_gets_ready_is_killed_and_reported(tmp_path):
    marker = tmp_path / "pid"
    code = f"import os, time; open({str(marker)!r}, 'w').write(str(os.getpid())); time.sleep(600)"
    stuck = Runs(lambda: [sys.executable, "-c", code], lambda: None, print)
    stuck.startup_timeout = 5.0
    outcome = await stuck.run(request(tmp_path, "r1", ["fast"]), 60, lambda _: None)
    assert outcome.status == "crashed"
    assert "did not start within 5 s" in outcome.message
    assert not alive(int(marker.read_text()))
    await stuck.shutdown()


async def test_kill_now_stops_a_busy_worker_without_the_event_loop(runs, tmp_path):
    worker = await runs.worker()
    started = asyncio.Event()
    task = asyncio.ensure_future(
        runs.run(request(tmp_path, "r1", ["forever"]), 60, lambda m: m.get("node") == "forever" and started.set())
    )
    await started.wait()
    runs.kill_now()
    assert (await task).status == "crashed"
    assert not alive(worker.pid)


def test_the_worker_exits_when_its_parent_is_gone(tmp_path):
    # a parent that starts a busy worker and dies at once: the worker must not outlive it for long
    script = tmp_path / "parent.py"
    script.write_text(
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'livedag.worker'], stdin=subprocess.PIPE,"
        " stdout=subprocess.PIPE, start_new_session=True)\n"
        "p.stdout.readline()\n"
        "print(p.pid, flush=True)\n"
    )
    pid = int(subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout)
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # already gone
    try:
        readable, _, _ = select.select([handle], [], [], 30)  # a pidfd is readable once the process ended
    finally:
        os.close(handle)
    assert readable


async def test_a_new_run_replaces_the_one_in_flight(runs, tmp_path):
    started = asyncio.Event()
    first = asyncio.ensure_future(
        runs.run(request(tmp_path, "r1", ["forever"]), 60, lambda m: m.get("node") == "forever" and started.set())
    )
    await started.wait()
    second = await runs.run(request(tmp_path, "r2", ["fast"]), 60, lambda _: None)
    assert (await first).status == "cancelled"
    assert (second.status, second.ok) == ("finished", True)


async def test_a_worker_of_another_livedag_version_is_refused(tmp_path):
    code = 'import sys; print(\'{"type": "ready", "protocol": 0}\', flush=True); sys.stdin.read()'
    other = Runs(lambda: [sys.executable, "-c", code], lambda: None, print)
    outcome = await other.run(request(tmp_path, "r1", ["fast"]), 60, lambda _: None)
    assert outcome.status == "crashed"
    assert "speaks protocol 0" in outcome.message
    assert "install the same livedag version" in outcome.message
    await other.shutdown()
