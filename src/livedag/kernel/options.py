"""The ``%%dag`` / ``%dag`` command lines, parsed into plain dataclasses (no IPython here).

    %%dag [--cell NAME] [--run [OUTPUT ...]] [RUN OPTIONS]
    %dag run [OUTPUT ...] [RUN OPTIONS]
    %dag show [NODE] [--depth N] [--status]
    %dag nodes
    %dag reset
    %dag config [JSON | none]     (Hamilton's config: which ``@config.when`` variants are nodes)
    %dag runs [ID] [--limit N]

RUN OPTIONS: ``--inputs VAR`` (a dict of external inputs), ``--graceful``, ``--force`` (ignore the
cache), ``--push`` (assign outputs to notebook variables), ``--graph`` (Mermaid beside the table),
``--inline`` (sync nodes on the kernel's loop thread, one at a time; by default they run in worker
threads), ``--timeout S``, ``--retries N``, ``--executor inline|threads|processes|ray|dask`` and
``--address ADDRESS`` (where node bodies run).
"""

from __future__ import annotations

import argparse
import json
import shlex
from dataclasses import dataclass
from typing import Any, NoReturn

__all__ = [
    "CellOptions",
    "LineCommand",
    "OptionsError",
    "RunOptions",
    "parse_cell_line",
    "parse_line",
    "strip_semicolon",
]


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
    inline: bool = False
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
    """run, show, nodes, reset or runs."""
    run: RunOptions | None = None
    node: str | None = None
    depth: int = 1
    config: dict[str, Any] | None = None
    """``%dag config {...}``: the new config (``None`` with ``config_given``: back to none)."""
    config_given: bool = False
    run_id: str | None = None
    """``%dag runs ID``: the recorded run to show."""
    limit: int = 20


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise OptionsError(f"{message}\n{self.format_usage().strip()}")


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inputs", dest="inputs_var", metavar="VAR", help="a notebook variable: dict of inputs")
    parser.add_argument("--graceful", action="store_true", help="keep running what does not need a failed node")
    parser.add_argument("--force", action="store_true", help="recompute every node (ignore cached values)")
    parser.add_argument("--push", action="store_true", help="assign the outputs to notebook variables")
    parser.add_argument("--graph", action="store_true", help="show the Mermaid graph beside the table")
    parser.add_argument("--threads", action="store_true", help="(the default) run sync nodes in worker threads")
    parser.add_argument("--inline", action="store_true", help="run sync nodes on the kernel's loop, one at a time")
    parser.add_argument("--timeout", type=float, default=None, metavar="S", help="per-node timeout in seconds")
    parser.add_argument("--retries", type=int, default=0, metavar="N", help="retries per failed node")
    parser.add_argument("--no-widget", dest="widget", action="store_false", help="(accepted; the live table is HTML)")
    parser.add_argument(
        "--executor",
        choices=("inline", "threads", "processes", "ray", "dask"),
        default="inline",
        help="where node bodies run (see docs/distributed.md)",
    )
    parser.add_argument("--address", metavar="ADDRESS", help="the Ray or Dask cluster to connect to")


def _run_options(namespace: argparse.Namespace, outputs: list[str]) -> RunOptions:
    return RunOptions(
        outputs=tuple(outputs),
        inputs_var=namespace.inputs_var,
        graceful=namespace.graceful,
        force=namespace.force,
        push=namespace.push,
        graph=namespace.graph,
        inline=namespace.inline,
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
    runs = commands.add_parser("runs", add_help=False)
    runs.add_argument("run_id", nargs="?", default=None, metavar="ID")
    runs.add_argument("--limit", type=int, default=20)
    return parser


def _split(line: str) -> list[str]:
    """The line's words; a trailing ``;`` (IPython's "no output" mark) is not part of them."""
    try:
        return shlex.split(strip_semicolon(line), comments=True)
    except ValueError as error:
        raise OptionsError(str(error)) from None


def strip_semicolon(line: str) -> str:
    text = line.rstrip()
    return text[:-1].rstrip() if text.endswith(";") else line


def _parse(parser: _Parser, words: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Options anywhere among the output names: ``--run --graph total`` is ``--run total --graph``."""
    namespace, extra = parser.parse_known_args(words)
    unknown = [word for word in extra if word.startswith("-")]
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return namespace, extra


def parse_cell_line(line: str) -> CellOptions:
    parser = _cell_parser()
    namespace, extra = _parse(parser, _split(line))
    if extra and namespace.run is None:
        parser.error(f"unrecognized arguments: {' '.join(extra)} (output names go after --run)")
    run = None if namespace.run is None else _run_options(namespace, [*namespace.run, *extra])
    return CellOptions(cell=namespace.cell, run=run)


def parse_line(line: str) -> LineCommand:
    head, _, rest = line.strip().partition(" ")
    if head == "config":  # JSON is read as written, not split like a shell line
        return _config_command(strip_semicolon(rest.strip()))
    parser = _line_parser()
    namespace, extra = _parse(parser, _split(line))
    if extra and namespace.command != "run":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if namespace.command == "run":
        return LineCommand("run", run=_run_options(namespace, [*namespace.outputs, *extra]))
    if namespace.command == "show":
        return LineCommand("show", node=namespace.node, depth=namespace.depth)
    if namespace.command == "runs":
        return LineCommand("runs", run_id=namespace.run_id, limit=namespace.limit)
    return LineCommand(namespace.command)


def _config_command(text: str) -> LineCommand:
    if not text:
        return LineCommand("config")
    if text.split("#", 1)[0].strip().lower() in ("none", "null"):
        return LineCommand("config", config_given=True)
    try:
        value, end = json.JSONDecoder().raw_decode(text)
        rest = text[end:].strip()
        if rest and not rest.startswith("#"):  # a comment may follow, as on any magic line
            raise json.JSONDecodeError("extra text after the JSON object", text, end)
    except json.JSONDecodeError as error:
        raise OptionsError(
            f"%dag config: not valid JSON ({error.msg} at column {error.colno}): "
            'write e.g. %dag config {"region": "us"}'
        ) from None
    if not isinstance(value, dict):
        raise OptionsError(f"%dag config: expected a JSON object, got {type(value).__name__}")
    return LineCommand("config", config=value, config_given=True)
