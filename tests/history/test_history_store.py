"""The history store, fingerprints, locations and comparisons, called directly."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest

from livedag import Driver
from livedag.history import HistoryStore, NodeEntry, RunEntry, RunNotFoundError, find_project, git_commit, store_path
from livedag.history.capture import Capture, entry_from_run
from livedag.history.compare import compare_runs
from livedag.history.fingerprints import graph_fingerprint, inputs_fingerprint
from livedag.history.recorder import HistoryHook


def _entry(label: str, ok: bool = True, previews: tuple[str, ...] = ("1", "2")) -> RunEntry:
    nodes = tuple(
        NodeEntry(
            f"n{i}",
            "done" if ok else "failed",
            10.0 + i,
            11.0 + i,
            1.0,
            1,
            preview=p,
            upstream=(f"n{i - 1}",) if i else (),
        )
        for i, p in enumerate(previews)
    )
    return RunEntry(
        "r-" + label,
        10.0,
        2.0,
        ok,
        nodes,
        source="test",
        label=label,
        outputs=("n1",),
        graph_fingerprint="g",
        inputs_fingerprint="i-" + label,
    )


def test_a_run_reads_back_as_written(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "deep" / "runs.db") as store:
        written = _entry("one")
        number = store.add(written)
        read = store.get(number)
    assert read.nodes == written.nodes
    assert (read.run_id, read.ok, read.outputs, read.label, read.inputs_fingerprint) == (
        "r-one",
        True,
        ("n1",),
        "one",
        "i-one",
    )


def test_list_is_newest_first_with_counts_and_prune_keeps_the_newest(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "runs.db") as store:
        ids = store.write([_entry(str(i), ok=i != 2) for i in range(5)])
        listed = store.list()
        assert [run.id for run in listed] == ids[::-1]
        assert listed[2].counts() == {"failed": 2}
        assert listed[0].nodes == ()
        assert store.prune(2) == 3
        assert [run.id for run in store.list()] == ids[:2:-1]
        assert store.prune(5) == 0
        with pytest.raises(RunNotFoundError, match="livedag runs list"):
            store.get(ids[0])
        assert store.prune(0) == 2
        assert store.count() == 0


def test_a_newer_history_format_is_refused_with_what_to_do(tmp_path: Path) -> None:
    import sqlite3

    from livedag.history.store import HistoryVersionError

    with sqlite3.connect(tmp_path / "runs.db") as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(HistoryVersionError, match="upgrade livedag"):
        HistoryStore(tmp_path / "runs.db")


def test_compare_names_what_changed() -> None:
    result = compare_runs(_entry("a", previews=("1", "2")), _entry("b", ok=False, previews=("1", "3", "4")))
    changes = {change.name: change for change in result.nodes}
    assert result.same_graph
    assert not result.same_inputs
    assert changes["n0"].status == ("done", "failed")
    assert not changes["n0"].value_changed
    assert changes["n1"].value_changed
    assert changes["n2"].status == (None, "failed")
    assert changes["n1"].ratio == 1.0


def test_fingerprints_follow_code_and_values() -> None:
    def a(x: int) -> int:
        return x

    def b(x: int) -> int:
        return x + 1

    def a_again(x: int) -> int:
        return x * 2

    a_again.__name__ = "a"
    one, other = Driver([a]).graph, Driver([a_again]).graph
    assert graph_fingerprint(one) == graph_fingerprint(Driver([a]).graph)
    assert graph_fingerprint(one) != graph_fingerprint(other)
    assert graph_fingerprint(one) != graph_fingerprint(Driver([a, b]).graph)
    assert inputs_fingerprint({"x": 1, "y": [1, 2]}) == inputs_fingerprint({"y": [1, 2], "x": 1})
    assert inputs_fingerprint({"x": 1}) != inputs_fingerprint({"x": 2})
    assert inputs_fingerprint({"x": {1, 2}}) == inputs_fingerprint({"x": {1, 2}})  # not JSON: through repr


def test_the_store_is_beside_the_nearest_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVEDAG_HISTORY_DB", raising=False)
    (tmp_path / "livedag.toml").write_text("")
    inner = tmp_path / "src" / "pkg"
    inner.mkdir(parents=True)
    assert find_project(inner) == (tmp_path.resolve(), (tmp_path / "livedag.toml").resolve())
    assert store_path(inner) == tmp_path.resolve() / ".livedag" / "runs.db"
    monkeypatch.setenv("LIVEDAG_HISTORY_DB", str(tmp_path / "elsewhere.db"))
    assert store_path(inner) == (tmp_path / "elsewhere.db").resolve()


def test_git_commit_is_read_from_the_repository(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert git_commit(tmp_path) is None  # no commit yet
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"], check=True, env=env)
    head = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (tmp_path / "sub").mkdir()
    assert git_commit(tmp_path / "sub") == head
    subprocess.run(["git", "-C", str(tmp_path), "pack-refs", "--all"], check=True)
    assert git_commit(tmp_path) == head


def test_hook_records_failures_retries_and_upstream(tmp_path: Path) -> None:
    calls = {"flaky": 0}

    def a(x: int) -> int:
        return x + 1

    def flaky(a: int) -> int:
        calls["flaky"] += 1
        if calls["flaky"] < 2:
            raise ValueError("first try fails")
        return a

    def broken(a: int) -> int:
        raise RuntimeError(f"broken with {a}")

    def after(broken: int) -> int:
        return broken

    graph = Driver([a, flaky, broken, after]).graph
    hook = HistoryHook(graph, path=tmp_path / "runs.db", label="mine")
    run = Driver(graph, hooks=[hook], graceful=True, node_options={"flaky": {"retries": 1}}).run(inputs={"x": 1})
    assert not run.ok
    assert hook.flush()
    with HistoryStore(tmp_path / "runs.db") as store:
        entry = store.latest()
    assert entry is not None
    nodes = {node.name: node for node in entry.nodes}
    assert nodes["flaky"].attempts == 2
    assert nodes["flaky"].preview == "2"
    assert nodes["broken"].error == "RuntimeError: broken with 2"
    assert "broken with 2" in (nodes["broken"].traceback or "")
    assert nodes["after"].status == "skipped"
    assert nodes["after"].skipped_because == ("broken",)
    assert nodes["broken"].upstream == ("a",)
    assert entry.graph_fingerprint == graph_fingerprint(graph)
    assert entry.inputs_fingerprint == inputs_fingerprint({"x": 1})
    assert not entry.ok


async def test_capture_keeps_attempt_starts_and_item_times() -> None:
    calls = {"n": 0}

    async def stream(x: int):  # type: ignore[no-untyped-def]
        for i in range(3):
            await asyncio.sleep(0)
            yield x + i

    def retried(stream: list[int]) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("again")
        return sum(stream)

    driver = Driver([stream, retried], node_options={"retried": {"retries": 2}})
    capture = Capture()
    async for _ in capture.wrap(driver.astream(inputs={"x": 1})):
        pass
    entry = capture.entry(driver.graph, outputs=None, inputs={"x": 1}, source="test")
    nodes = {node.name: node for node in entry.nodes}
    assert nodes["stream"].items == 3
    assert len(nodes["stream"].item_times) == 3
    assert nodes["stream"].started is not None
    assert nodes["stream"].started <= nodes["stream"].item_times[0] <= nodes["stream"].item_times[-1]
    assert len(nodes["retried"].attempt_starts) == 2
    assert nodes["retried"].preview == "6"
    assert entry.ok


def test_entry_from_run_without_a_graph_still_records() -> None:
    def a() -> int:
        return 1

    run = Driver([a]).run()
    entry = entry_from_run(run, None, outputs=None, inputs={}, source="api")
    assert entry.graph_fingerprint == ""
    assert [node.preview for node in entry.nodes] == ["1"]
