"""The history store with real processes: two writing at once, and processes killed with SIGKILL."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from livedag.history import HistoryStore

CHILD = str(Path(__file__).with_name("history_child.py"))
LIVEDAG = str(Path(sys.executable).with_name("livedag"))


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, CHILD, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "runs.db")
    children = [_child("hook", db, "300", tag) for tag in ("A", "B")]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    for child in children:  # both are set up: let them go together
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0
        assert out.strip() == "done"
    with HistoryStore(db) as store:
        assert store.integrity() == "ok"
        runs = store.list()
        assert len(runs) == 600
        assert sorted(run.label for run in runs).count("A") == 300
        for run in (runs[0], runs[-1], runs[300]):
            whole = store.get(run.id)
            assert len(whole.nodes) == 12
            assert [node.status for node in whole.nodes] == ["done"] * 12
        labels = [run.label for run in reversed(runs)]  # in commit order
        switches = sum(1 for a, b in itertools.pairwise(labels) if a != b)
        assert switches > 1, "the two writers never overlapped: the test did not test concurrency"


def test_a_process_killed_while_writing_leaves_whole_runs(tmp_path: Path) -> None:
    db = str(tmp_path / "runs.db")
    child = _child("bulk", db)
    assert child.stdout is not None
    committed = [int(child.stdout.readline()) for _ in range(4)]
    child.send_signal(signal.SIGKILL)  # most of its time is spent inside a write transaction
    child.wait(timeout=30)
    with HistoryStore(db) as store:
        assert store.integrity() == "ok"
        ids = [run.id for run in store.list()]
        assert set(committed) <= set(ids)
        for number in ids:
            assert len(store.get(number).nodes) == 600  # a run is there whole or not at all
        store.add(store.get(committed[0]))  # still writable
        assert store.count() == len(ids) + 1


def test_a_cli_run_killed_mid_run_keeps_the_runs_before_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.livedag]\n")
    (tmp_path / "graph.py").write_text(
        textwrap.dedent("""
        import sys

        def first(x: int) -> int:
            return x + 1

        def second(first: int, hang: bool = False) -> int:
            if hang:
                print("second started", file=sys.stderr, flush=True)
                sys.stdin.readline()  # blocks until killed
            return first * 2
    """)
    )
    env = {**os.environ, "LIVEDAG_HISTORY": "1"}
    env.pop("LIVEDAG_HISTORY_DB", None)
    for x in (1, 2):
        done = subprocess.run(
            [LIVEDAG, "run", "graph.py", "--inputs", json.dumps({"x": x}), "--format", "json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        )
        assert json.loads(done.stdout)["history_id"] == x
    killed = subprocess.Popen(
        [LIVEDAG, "run", "graph.py", "--inputs", '{"x": 3, "hang": true}'],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert killed.stderr is not None
    while "second started" not in (line := killed.stderr.readline()):
        assert line, "the run ended before its node started"
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    listed = subprocess.run(
        [LIVEDAG, "runs", "list", "--format", "json"],
        cwd=tmp_path / ".livedag",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    runs = json.loads(listed.stdout)
    assert [run["id"] for run in runs] == [2, 1]
    with HistoryStore(tmp_path / ".livedag" / "runs.db") as store:
        assert store.integrity() == "ok"
        assert [node.preview for node in store.get(2).nodes] == ["3", "6"]


def test_a_cli_run_interrupted_with_ctrl_c_is_recorded_as_far_as_it_got(tmp_path: Path) -> None:
    (tmp_path / "livedag.toml").write_text("")
    (tmp_path / "graph.py").write_text(
        textwrap.dedent("""
        import asyncio
        import sys

        def first(x: int) -> int:
            return x + 1

        async def second(first: int) -> int:
            print("second started", file=sys.stderr, flush=True)
            await asyncio.Event().wait()  # waits until interrupted
            return first
    """)
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("LIVEDAG_HISTORY")}
    interrupted = subprocess.Popen(
        [LIVEDAG, "run", "graph.py", "--inputs", '{"x": 1}'],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        # Ctrl-C reaches a foreground program: with SIGINT's default disposition, whatever this test process
        # inherited (a job a shell starts in the background has SIGINT ignored, and so would the CLI).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert interrupted.stderr is not None
    while not (line := interrupted.stderr.readline()).startswith("start   second"):  # the CLI saw it start
        assert line, "the run ended before its node started"
    interrupted.send_signal(signal.SIGINT)
    assert interrupted.wait(timeout=30) == 130
    with HistoryStore(tmp_path / ".livedag" / "runs.db") as store:
        (run,) = store.list()
        entry = store.get(run.id)  # type: ignore[arg-type]
    assert not entry.ok
    assert entry.extra["interrupted"] is True
    assert {node.name: node.status for node in entry.nodes} == {"first": "done", "second": "running"}


@pytest.mark.parametrize("off", ["env", "config"])
def test_history_can_be_turned_off(tmp_path: Path, off: str) -> None:
    config = "[tool.livedag]\nhistory = false\n" if off == "config" else "[tool.livedag]\n"
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / "graph.py").write_text("def a() -> int:\n    return 1\n")
    env = {**os.environ, **({"LIVEDAG_HISTORY": "0"} if off == "env" else {})}
    env.pop("LIVEDAG_HISTORY_DB", None)
    subprocess.run([LIVEDAG, "run", "graph.py"], cwd=tmp_path, capture_output=True, env=env, timeout=60, check=True)
    assert not (tmp_path / ".livedag").exists()
