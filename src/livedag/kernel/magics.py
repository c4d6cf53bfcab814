"""IPython glue: the ``%%dag`` / ``%dag`` magics and the input transformer that makes runs async.

A cell that starts with ``%%dag`` (and a top-level ``%dag run ...`` line) is rewritten, before
IPython sees it, into a top-level ``await`` of the same command. ipykernel awaits such a cell on
its own running loop, so async nodes run concurrently there, output goes to this cell and an
interrupt cancels the run. When the cell cannot be awaited (``%autoawait off``, or another loop
runner) the rewrite is skipped and the registered magics run it with ``runner.blocking``.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

from livedag.kernel.options import parse_cell_line, parse_line
from livedag.kernel.runner import blocking, run_graph
from livedag.kernel.session import NotebookSession

__all__ = ["DagMagics", "dag_cell", "dag_line", "session_for", "transform_cell"]

_SESSIONS: weakref.WeakKeyDictionary[Any, NotebookSession] = weakref.WeakKeyDictionary()
_CALL = "__import__('livedag.kernel.magics').kernel.magics"
_CELL_MAGIC = re.compile(r"^%%dag(\s|$)")
_RUN_LINE = re.compile(r"^(?:(?P<target>[A-Za-z_][\w.]*)\s*=\s*)?%dag\s+(?P<args>run(\s.*)?)$")


def session_for(shell: Any) -> NotebookSession:
    session = _SESSIONS.get(shell)
    if session is None:
        session = _SESSIONS[shell] = NotebookSession(shell)
    return session


def _can_await(shell: Any) -> bool:
    runner = getattr(shell, "loop_runner", None)
    asyncio_runner = getattr(shell, "loop_runner_map", {}).get("asyncio", (None,))[0]
    return bool(getattr(shell, "autoawait", False)) and runner is asyncio_runner


def transform_cell(lines: list[str]) -> list[str]:
    """Cleanup transformer: ``%%dag`` cells and ``%dag run`` lines become top-level awaits."""
    from IPython import get_ipython

    shell = get_ipython()
    if not lines or shell is None or not _can_await(shell):
        return lines
    if _CELL_MAGIC.match(lines[0]):
        line = lines[0][len("%%dag") :].strip()
        body = "".join(lines[1:])
        return [f"await {_CALL}.dag_cell({line!r}, {body!r})\n"]
    out = []
    for text in lines:
        match = _RUN_LINE.match(text.rstrip("\n"))
        if match is None:
            out.append(text)
            continue
        target = f"{match['target']} = " if match["target"] else ""
        out.append(f"{target}await {_CALL}.dag_line({match['args'].strip()!r})\n")
    return out


async def dag_cell(line: str, body: str) -> Any:
    """A ``%%dag`` cell on the kernel's loop: define its nodes, then run if ``--run`` was given."""
    from IPython import get_ipython

    session = session_for(get_ipython())
    options = parse_cell_line(line)
    session.define_cell(options, body, line)
    if options.run is None:
        return None
    return await run_graph(session, options.run)


async def dag_line(line: str) -> Any:
    from IPython import get_ipython

    session = session_for(get_ipython())
    command = parse_line(line)
    if command.run is not None:
        return await run_graph(session, command.run)
    return _line_command(session, command)


def _line_command(session: NotebookSession, command: Any) -> Any:
    if command.command == "show":
        session.show(command)
    elif command.command == "nodes":
        session.nodes()
    elif command.command == "reset":
        session.reset()
    elif command.command == "runs":
        from livedag.kernel.history import show_runs

        show_runs(command.run_id, command.limit)
    return None


@magics_class
class DagMagics(Magics):
    """``%%dag`` and ``%dag`` when the cell is not rewritten into an ``await`` (blocking runs)."""

    @cell_magic("dag")
    def dag_cell(self, line: str, cell: str) -> Any:
        session = session_for(self.shell)
        options = parse_cell_line(line)
        session.define_cell(options, cell, line)
        if options.run is None:
            return None
        return blocking(run_graph(session, options.run))

    @line_magic("dag")
    def dag(self, line: str) -> Any:
        session = session_for(self.shell)
        command = parse_line(line)
        if command.run is not None:
            return blocking(run_graph(session, command.run))
        return _line_command(session, command)
