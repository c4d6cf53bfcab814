"""``livedag check PATH...``: static analysis, printed like a linter or as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from livedag.cli.check_cache import CheckCache, cache_key
from livedag.cli.config import ConfigError, add_config_argument, parse_config
from livedag.cli.sources import SourceReadError, read_sources
from livedag.graph import Graph, Problem

__all__ = ["checked", "problem_as_json", "register", "release_stdout", "run_check"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="report the problems of the graph the files form (nothing is imported or run)",
        description="Resolve the files statically as one graph and report its problems. "
        "Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="Python files or directories (walked for .py)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_config_argument(parser)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="check again even if these files were checked unchanged (see docs/cli.md)",
    )
    parser.set_defaults(handler=run_check)


def problem_as_json(problem: Problem) -> dict[str, Any]:
    """One problem as the JSON object the CLI prints: 1-based lines and columns, end exclusive."""
    span = problem.span
    return {
        "path": span.path if span else None,
        "line": span.line if span else None,
        "column": span.column + 1 if span else None,
        "end_line": span.end_line if span else None,
        "end_column": span.end_column + 1 if span else None,
        "severity": problem.severity.value,
        "code": problem.code.value,
        "message": problem.message,
        "nodes": list(problem.nodes),
    }


def release_stdout() -> None:
    """The reader of our output went away (``livedag check ... | head``): stop writing quietly, as Unix tools
    do, without the traceback Python prints when it flushes a closed pipe at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def run_check(args: argparse.Namespace) -> int:
    try:
        sources = read_sources(args.paths)
        config = parse_config(getattr(args, "config", None))
    except (SourceReadError, ConfigError) as error:
        print(f"livedag check: {error}", file=sys.stderr)
        return 2
    result = checked(sources, None if getattr(args, "no_cache", False) else CheckCache(), config)
    try:
        _print(result, args.format, len(sources))
    except BrokenPipeError:
        release_stdout()
    return 1 if result["errors"] else 0


def checked(sources: dict[str, str], cache: CheckCache | None, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """What checking ``sources`` gives (problems as JSON and as text, counts), from ``cache`` when these
    very files were checked before with the same Hamilton config."""
    key = cache_key(sources, config) if cache is not None else ""
    if cache is not None and (found := cache.get(key)) is not None:
        return found
    graph = Graph.from_sources(sources, config=config)
    result = {
        "json": [problem_as_json(problem) for problem in graph.problems],
        "text": [problem.format() for problem in graph.problems],
        "nodes": len(graph.nodes),
        "errors": len(graph.errors),
    }
    if cache is not None:
        cache.put(key, result)
    return result


def _print(result: dict[str, Any], output_format: str, files: int) -> None:
    if output_format == "json":
        json.dump(result["json"], sys.stdout, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()  # inside the caller's `except BrokenPipeError`
    else:
        for line in result["text"]:
            print(line)
        sys.stdout.flush()
        errors = result["errors"]
        summary = f"{files} file(s), {result['nodes']} node(s), {errors} error(s), "
        summary += f"{len(result['text']) - errors} other problem(s)"
        print(summary, file=sys.stderr)
