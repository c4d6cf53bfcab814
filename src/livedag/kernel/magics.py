"""IPython glue: the ``%%dag`` / ``%dag`` magics and the input transformer that makes runs async.

A cell that starts with ``%%dag`` is rewritten, before IPython sees it, into its own body (the
``%%dag`` line becomes a comment, so errors show at the user's lines) followed by a top-level
``await`` that registers the cell's nodes and runs them; a ``%dag run ...`` line (also inside
``if``/``for``/``with`` blocks) becomes a top-level ``await`` of the same command. ipykernel awaits
such a cell on its own running loop, so async nodes run concurrently there, output goes to this
cell and an interrupt cancels the run. When the cell cannot be awaited (``%autoawait off``, or another loop
runner) the rewrite is skipped and the registered magics run it with ``runner.blocking``.
"""

from __future__ import annotations

import ast
import re
import weakref
from collections.abc import Callable
from typing import Any

from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

from livedag.kernel.options import CellOptions, OptionsError, parse_cell_line, parse_line, strip_semicolon
from livedag.kernel.runner import blocking, run_graph
from livedag.kernel.session import NotebookSession

__all__ = ["DagMagics", "dag_cell", "dag_cell_ran", "dag_line", "session_for", "transform_cell"]

_SESSIONS: weakref.WeakKeyDictionary[Any, NotebookSession] = weakref.WeakKeyDictionary()
_CALL = "__import__('livedag.kernel.magics').kernel.magics"
_CELL_MAGIC = re.compile(r"^%%dag(\s|$)")
_RUN_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:(?P<target>[A-Za-z_][\w.]*)\s*=\s*)?%dag\s+(?P<args>run(\s.*)?)$")


def session_for(shell: Any) -> NotebookSession:
    session = _SESSIONS.get(shell)
    if session is None:
        session = _SESSIONS[shell] = NotebookSession(shell)
    return session


def _can_await(shell: Any) -> bool:
    runner = getattr(shell, "loop_runner", None)
    asyncio_runner = getattr(shell, "loop_runner_map", {}).get("asyncio", (None,))[0]
    return bool(getattr(shell, "autoawait", False)) and runner is asyncio_runner


def _dag_cell_lines(lines: list[str]) -> list[str]:
    """A ``%%dag`` cell as IPython runs it: the body itself (so errors show at the user's lines, with
    the ``%%dag`` line as a comment on line 1), then one awaited call that registers and runs it."""
    line = lines[0][len("%%dag") :].strip()
    body = "".join(lines[1:])
    try:
        parse_cell_line(line)
    except OptionsError:  # reported by `dag_cell` before anything in the cell runs
        return [f"await {_CALL}.dag_cell({line!r}, {body!r})\n"]
    head = "# " + lines[0].rstrip("\n") + "\n"
    tail = "" if not body or body.endswith("\n") else "\n"
    register = f"await {_CALL}.dag_cell_ran({line!r}, {body!r}, (lambda: None).__code__.co_filename)\n"
    return [head, *lines[1:], tail, _GAP, register]


_GAP = "\n" * 3
"""Blank lines before the registering call, so a traceback's context lines after the user's last line are
blank rather than livedag's call."""


def transform_cell(lines: list[str]) -> list[str]:
    """Cleanup transformer: ``%%dag`` cells and ``%dag run`` lines become top-level awaits."""
    from IPython import get_ipython

    shell = get_ipython()
    if not lines or shell is None or not _can_await(shell):
        return lines
    if _CELL_MAGIC.match(lines[0]):
        return _dag_cell_lines(lines)
    out = _rewrite_run_lines(lines, indented=True)
    if out != lines and not _compiles_with_await(shell, out):  # e.g. `%dag run` inside a `def`
        out = _rewrite_run_lines(lines, indented=False)
    return out


def _rewrite_run_lines(lines: list[str], *, indented: bool) -> list[str]:
    """``%dag run ...`` lines (top level, or also in ``if``/``for``/``with`` blocks) as awaits."""
    out = []
    for text in lines:
        match = _RUN_LINE.match(text.rstrip("\n"))
        if match is None or (match["indent"] and not indented):
            out.append(text)
            continue
        target = f"{match['target']} = " if match["target"] else ""
        args = match["args"].strip()
        quiet = ";" if args.endswith(";") else ""  # IPython's trailing `;`: no output shown
        out.append(f"{match['indent']}{target}await {_CALL}.dag_line({strip_semicolon(args)!r}){quiet}\n")
    return out


def _compiles_with_await(shell: Any, lines: list[str]) -> bool:
    try:
        compile(shell.transform_cell("".join(lines)), "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError:
        return False
    return True


async def dag_cell(line: str, body: str) -> Any:
    """A ``%%dag`` cell on the kernel's loop: define its nodes, then run if ``--run`` was given."""
    __tracebackhide__ = True
    return await _cell(line, lambda session, options: session.define_cell(options, body, line))


async def dag_cell_ran(line: str, body: str, filename: str) -> Any:
    """After a ``%%dag`` cell's body ran as the cell (compiled as ``filename``): register its nodes, run."""
    __tracebackhide__ = True
    return await _cell(line, lambda session, options: session.register_cell(options, body, filename))


async def _cell(line: str, take_nodes: Callable[[NotebookSession, CellOptions], object]) -> Any:
    __tracebackhide__ = True
    from IPython import get_ipython

    session = session_for(get_ipython())
    options = parse_cell_line(line)
    take_nodes(session, options)
    if options.run is None:
        return None
    return await run_graph(session, options.run)


async def dag_line(line: str) -> Any:
    __tracebackhide__ = True
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
    elif command.command == "config":
        session.configure(command)
    elif command.command == "runs":
        from livedag.kernel.history import show_runs

        show_runs(command.run_id, command.limit)
    return None


@magics_class
class DagMagics(Magics):
    """``%%dag`` and ``%dag`` when the cell is not rewritten into an ``await`` (blocking runs)."""

    @cell_magic("dag")  # type: ignore[arg-type]  # IPython types the decorator for untyped methods only
    def dag_cell(self, line: str, cell: str) -> Any:
        __tracebackhide__ = True
        session = session_for(self.shell)
        options = parse_cell_line(line)
        session.define_cell(options, cell, line)
        if options.run is None:
            return None
        return blocking(run_graph(session, options.run))

    @line_magic("dag")  # type: ignore[arg-type]  # as above
    def dag(self, line: str) -> Any:
        __tracebackhide__ = True
        session = session_for(self.shell)
        command = parse_line(line)
        if command.run is not None:
            return blocking(run_graph(session, command.run))
        return _line_command(session, command)
