"""The ``livedag`` command: composes the subcommands, each of which lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

# Each module has ``register(subparsers)``; heavy imports happen inside its handler, not here.
COMMAND_MODULES = ("check", "mermaid", "lsp", "kernel", "run", "runs")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livedag", description="Live function-graph dataflows: check, draw and run Hamilton-style modules."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"livedag.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("livedag: interrupted", file=sys.stderr)
        return 130
    return code
