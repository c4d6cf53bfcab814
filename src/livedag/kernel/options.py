"""The ``%%dag`` / ``%dag`` command lines, parsed into plain dataclasses (no IPython here).

    %%dag [--cell NAME] [--run [OUTPUT ...]] [RUN OPTIONS]
    %dag run [OUTPUT ...] [RUN OPTIONS]
    %dag show [NODE] [--depth N] [--status]
    %dag nodes
    %dag reset

RUN OPTIONS: ``--inputs VAR`` (a dict of external inputs), ``--graceful``, ``--force`` (ignore the
cache), ``--push`` (assign outputs to notebook variables), ``--graph`` (Mermaid beside the table),
``--threads`` (sync nodes in worker threads), ``--timeout S``, ``--retries N``, ``--no-widget``,
``--executor inline|threads|processes|ray|dask`` and ``--address ADDRESS`` (where node bodies run).
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass
from typing import NoReturn

__all__ = ["CellOptions", "LineCommand", "OptionsError", "RunOptions", "parse_cell_line", "parse_line"]


class OptionsError(ValueError):
    """A ``%%dag`` / ``%dag`` line that does not parse; the message says what is accepted."""

    def _render_traceback_(self) -> list[str]:
        return [f"livedag: {self}"]


@dataclass(frozen=True, slots=True)
class RunOptions:
    outputs: tuple[str, ...] = ()
    inputs_var: str | None = None
    graceful: bool = False
    force: bool = False
    push: bool = False
    graph: bool = False
    threads: bool = False
    timeout: float | None = None
    retries: int = 0
    widget: bool = True
    executor: str = "inline"
    address: str | None = None


@dataclass(frozen=True, slots=True)
class CellOptions:
    cell: str | None
    run: RunOptions | None
    """None when the cell only defines nodes."""


@dataclass(frozen=True, slots=True)
class LineCommand:
    command: str
    """run, show, nodes or reset."""
    run: RunOptions | None = None
    node: str | None = None
    depth: int = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise OptionsError(f"{message}\n{self.format_usage().strip()}")


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inputs", dest="inputs_var", metavar="VAR", help="a notebook variable: dict of inputs")
    parser.add_argument("--graceful", action="store_true", help="keep running what does not need a failed node")
    parser.add_argument("--force", action="store_true", help="recompute every node (ignore cached values)")
    parser.add_argument("--push", action="store_true", help="assign the outputs to notebook variables")
    parser.add_argument("--graph", action="store_true", help="show the Mermaid graph beside the table")
    parser.add_argument("--threads", action="store_true", help="run sync nodes in worker threads")
    parser.add_argument("--timeout", type=float, default=None, metavar="S", help="per-node timeout in seconds")
    parser.add_argument("--retries", type=int, default=0, metavar="N", help="retries per failed node")
    parser.add_argument("--no-widget", dest="widget", action="store_false", help="print the final table only")
    parser.add_argument("--executor", choices=("inline", "threads", "processes", "ray", "dask"), default="inline",
                        help="where node bodies run (see docs/distributed.md)")
    parser.add_argument("--address", metavar="ADDRESS", help="the Ray or Dask cluster to connect to")


def _run_options(namespace: argparse.Namespace, outputs: list[str]) -> RunOptions:
    return RunOptions(
        outputs=tuple(outputs),
        inputs_var=namespace.inputs_var,
        graceful=namespace.graceful,
        force=namespace.force,
        push=namespace.push,
        graph=namespace.graph,
        threads=namespace.threads,
        timeout=namespace.timeout,
        retries=namespace.retries,
        widget=namespace.widget,
        executor=namespace.executor,
        address=namespace.address,
    )


def _cell_parser() -> _Parser:
    parser = _Parser(prog="%%dag", add_help=False)
    parser.add_argument("--cell", metavar="NAME", help="name the cell (for frontends that send no cell ids)")
    parser.add_argument("--run", nargs="*", metavar="OUTPUT", default=None, help="run after defining")
    _add_run_options(parser)
    return parser


def _line_parser() -> _Parser:
    parser = _Parser(prog="%dag", add_help=False)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("run", add_help=False)
    run.add_argument("outputs", nargs="*", metavar="OUTPUT")
    _add_run_options(run)
    show = commands.add_parser("show", add_help=False)
    show.add_argument("node", nargs="?", default=None)
    show.add_argument("--depth", type=int, default=1)
    commands.add_parser("nodes", add_help=False)
    commands.add_parser("reset", add_help=False)
    return parser


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=True)
    except ValueError as error:
        raise OptionsError(str(error)) from None


def parse_cell_line(line: str) -> CellOptions:
    namespace = _cell_parser().parse_args(_split(line))
    run = None if namespace.run is None else _run_options(namespace, namespace.run)
    return CellOptions(cell=namespace.cell, run=run)


def parse_line(line: str) -> LineCommand:
    namespace = _line_parser().parse_args(_split(line))
    if namespace.command == "run":
        return LineCommand("run", run=_run_options(namespace, namespace.outputs))
    if namespace.command == "show":
        return LineCommand("show", node=namespace.node, depth=namespace.depth)
    return LineCommand(namespace.command)
