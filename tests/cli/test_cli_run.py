"""``livedag run``: progress, the result table or JSON, exit codes and located error messages."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from livedag.cli import main
from livedag.cli.run import ModuleLoadError, parse_inputs
from livedag.execution import NodeFinished, NodeStarted, RunStatus
from livedag.execution.progress import Progress, event_line, format_duration, preview, result_table

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "text_pipeline"

PIPELINE = """
import asyncio
from collections.abc import Iterator


def base(x: int) -> int:
    return x * 2


async def fetched(base: int) -> str:
    await asyncio.sleep(0)
    return f"fetched {base}"


def parts(fetched: str) -> Iterator[str]:
    yield from fetched.split()


def broken(base: int) -> int:
    if base > 10:
        raise ValueError(f"base {base} is too large")
    return base


def after(broken: int, parts: list[str]) -> str:
    return f"{broken} {parts}"
"""


@pytest.fixture
def pipeline(tmp_path: Path) -> Path:
    path = tmp_path / "cli_pipeline_module.py"
    path.write_text(textwrap.dedent(PIPELINE), encoding="utf-8")
    return path


def test_runs_and_prints_the_table(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(pipeline), "--inputs", '{"x": 2}']) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["node", "status", "duration", "value"]
    assert any(line.split()[:2] == ["after", "done"] and line.endswith("\"4 ['fetched', '4']\"") for line in lines)
    assert "ok: 5 done" in out
    assert "start   fetched" in err
    assert "done    parts" in err


def test_a_failure_exits_1_and_names_the_node_file_and_line(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(pipeline), "--inputs", '{"x": 6}']) == 1
    out, err = capsys.readouterr()
    assert "FAILED" in out
    assert f"error: node `broken` ({pipeline}:19) failed: ValueError: base 12 is too large" in err
    assert f'File "{pipeline}", line 21, in broken' in err
    assert "--graceful" in err
    assert "livedag/execution" not in err


def test_graceful_runs_the_other_branches(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(pipeline), "--inputs", '{"x": 6}', "--graceful", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert not data["ok"]
    assert data["nodes"]["parts"] == {
        "status": "done",
        "duration": data["nodes"]["parts"]["duration"],
        "attempts": 1,
        "value": ["fetched", "12"],
    }
    assert data["nodes"]["broken"]["status"] == "failed"
    assert data["nodes"]["after"]["skipped_because"] == ["broken"]


def test_outputs_and_inputs_from_a_file(pipeline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "inputs.json"
    inputs.write_text('{"x": 1}', encoding="utf-8")
    assert main(["run", str(pipeline), "-o", "fetched", "--inputs", f"@{inputs}", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outputs"] == {"fetched": "fetched 2"}
    assert set(data["nodes"]) == {"base", "fetched"}


def test_missing_inputs_exit_2_with_an_example(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(pipeline)]) == 2
    err = capsys.readouterr().err
    assert "missing required input(s): `x` (needed by `base`)" in err
    assert """--inputs '{"x": "..."}'""" in err


def test_unknown_output(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(pipeline), "-o", "aftr", "--inputs", '{"x": 1}']) == 2
    assert "unknown output `aftr` (did you mean `after`?)" in capsys.readouterr().err


def test_an_import_error_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "cli_broken_import.py"
    broken.write_text("def a() -> int:\n    return 1\n\nraise RuntimeError('at import')\n", encoding="utf-8")
    assert main(["run", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:4: importing failed: RuntimeError: at import" in err


def test_bad_inputs() -> None:
    with pytest.raises(ModuleLoadError, match="not valid JSON"):
        parse_inputs("{x: 1}")
    with pytest.raises(ModuleLoadError, match="expected a JSON object"):
        parse_inputs("[1]")
    with pytest.raises(ModuleLoadError, match="cannot read"):
        parse_inputs("@/nonexistent/inputs.json")
    assert parse_inputs(None) == {}


def test_a_module_name_that_does_not_exist(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "no_such_module_for_livedag"]) == 2
    assert "no such file, directory or importable module" in capsys.readouterr().err


def test_the_example_pipeline_runs() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "livedag",
            "run",
            str(EXAMPLE),
            "--inputs",
            f"@{EXAMPLE / 'inputs.json'}",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"]
    assert {node["status"] for node in data["nodes"].values()} == {"done"}


def test_live_display_on_a_terminal(pipeline: Path) -> None:
    """A real pseudo-terminal: the status line is redrawn in place, finished nodes stay as lines."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "livedag", "run", str(pipeline), "--inputs", '{"x": 1}'],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        cwd=ROOT,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    out, _ = process.communicate(timeout=60)
    os.close(leader)
    err = b"".join(chunks).decode()
    assert process.returncode == 0
    assert "\x1b[2K" in err
    assert "] running: " in err
    assert "done    after" in err
    assert b"after" in out


def test_sigint_stops_a_run_cleanly(tmp_path: Path) -> None:
    """Ctrl-C during ``execute``: in-flight async nodes are cancelled (their cleanup runs), exit 130."""
    script = tmp_path / "interrupt_me.py"
    script.write_text(
        textwrap.dedent("""
        import asyncio, signal, sys
        from livedag import Driver

        # A shell that starts a job in the background hands it SIGINT ignored; Ctrl-C reaches a
        # foreground program with Python's own handler, which is what this test is about.
        signal.signal(signal.SIGINT, signal.default_int_handler)

        async def waiting() -> int:
            print("started", flush=True)
            try:
                await asyncio.sleep(30)
            finally:
                print("cleaned up", flush=True)
            return 1

        try:
            Driver([waiting]).execute()
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """),
        encoding="utf-8",
    )
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "started"
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=30)
    assert process.returncode == 130
    assert rest.split() == ["cleaned", "up", "interrupted"]


def test_progress_folds_events_like_the_run_record() -> None:
    progress = Progress()
    progress.apply(NodeStarted("r", "a", 1, 0.0))
    assert progress.records["a"].status is RunStatus.RUNNING
    assert progress.status_line() == "[0/1 done] running: a"
    progress.apply(NodeFinished("r", "a", 3, 0.5))
    assert progress.records["a"].status is RunStatus.DONE
    assert progress.records["a"].value == 3
    assert event_line(NodeFinished("r", "a", 3, 0.5)) == "done    a in 500.0 ms"


def test_formatting() -> None:
    assert format_duration(None) == "-"
    assert format_duration(2e-6) == "2 µs"
    assert format_duration(1.5) == "1.50 s"
    assert len(preview("x" * 100, 20)) <= 20
    assert "\n" not in preview({"a": "line\nbreak"})
    table = result_table(Progress().records.values())
    assert table.splitlines()[0].split() == ["node", "status", "duration", "value"]


def test_result_table_rows() -> None:
    from livedag.execution import NodeRecord

    records = [
        NodeRecord("ok", RunStatus.DONE, duration=0.002, value={"a": 1}),
        NodeRecord("bad", RunStatus.FAILED, duration=0.5, error=ValueError("line one\nline two " + "x" * 100)),
        NodeRecord("later", RunStatus.SKIPPED, skipped_because=("bad",)),
        NodeRecord("given", RunStatus.CACHED, value=3),
    ]
    lines = result_table(records, width=40).splitlines()
    assert lines[2].split() == ["ok", "done", "2.0", "ms", "{'a':", "1}"]
    assert lines[3].split()[:5] == ["bad", "failed", "500.0", "ms", "ValueError:"]
    assert "\n" not in lines[3]
    assert lines[3].endswith("…")
    assert lines[4].split() == ["later", "skipped", "-", "needs", "bad"]
    assert lines[5].split() == ["given", "cached", "-", "3"]


def test_status_line_counts_items_of_streaming_nodes() -> None:
    from livedag.execution import NodeChunk

    progress = Progress()
    progress.apply(NodeStarted("r", "stream", 1, 0.0))
    progress.apply(NodeChunk("r", "stream", 0, "a"))
    assert progress.status_line() == "[0/1 done] running: stream (1 item)"
    progress.apply(NodeChunk("r", "stream", 1, "b"))
    assert progress.status_line() == "[0/1 done] running: stream (2 items)"
