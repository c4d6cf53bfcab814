"""``livedag run PATH_OR_MODULE... [--output NAME]... [--inputs JSON|@FILE] [--graceful] [--format json]
[--executor inline|threads|processes|ray|dask [--address ADDRESS]]``.

Imports the files (or dotted modules) as modules, runs the graph they form with ``Driver.astream``,
shows per-node progress on stderr (a live status line on a terminal, plain lines otherwise) and
prints a per-node table (or JSON) on stdout. Exit status: 0 every node ran, 1 a node failed,
2 usage, import or input errors.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import json
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from livedag.cli.config import ConfigError, add_config_argument, parse_config, read_json_object
from livedag.cli.sources import SourceReadError, collect_python_files

__all__ = ["ModuleLoadError", "load_modules", "parse_inputs", "register", "run_command"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the graph the files or modules form, with live per-node progress",
        description="Import the files (directories are walked) or dotted module names, run the graph they form "
        "and print a per-node table. Exit status: 0 ok, 1 a node failed, 2 usage, import or input error.",
    )
    parser.add_argument("targets", nargs="+", metavar="PATH_OR_MODULE", help="Python files, directories or modules")
    parser.add_argument(
        "--output", "-o", action="append", metavar="NAME", help="a node to compute (repeatable; default: every node)"
    )
    parser.add_argument("--inputs", "-i", metavar="JSON|@FILE", help="input values as a JSON object, or @path to one")
    parser.add_argument("--graceful", action="store_true", help="keep running what does not depend on a failure")
    add_config_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--no-history", action="store_true", help="do not record this run in the run history (.livedag/runs.db)"
    )
    parser.add_argument(
        "--executor",
        choices=("inline", "threads", "processes", "ray", "dask"),
        default="inline",
        help="where node bodies run (default: inline, in this process); see docs/distributed.md",
    )
    parser.add_argument(
        "--address",
        metavar="ADDRESS",
        help="with --executor ray or dask: the cluster to connect to (default: start a local one)",
    )
    parser.set_defaults(handler=run_command)


class ModuleLoadError(Exception):
    """A target that cannot be imported; the message names the file and line and says what to do."""


def parse_inputs(text: str | None) -> dict[str, Any]:
    """``--inputs``: a JSON object, or ``@path`` to a file holding one."""
    if not text:
        return {}
    try:
        return read_json_object(text, "--inputs")
    except ConfigError as error:
        raise ModuleLoadError(str(error)) from error


def load_modules(targets: list[str]) -> list[ModuleType]:
    """Files and directories are imported by path (their folder on ``sys.path``); other names as modules."""
    modules: list[ModuleType] = []
    for target in targets:
        if Path(target).exists():
            try:
                files = collect_python_files([target])
            except SourceReadError as error:
                raise ModuleLoadError(str(error)) from error
            modules.extend(_import_file(path) for path in files)
        else:
            try:
                modules.append(importlib.import_module(target))
            except ImportError as error:
                raise ModuleLoadError(
                    f"{target}: no such file, directory or importable module ({error}); give a path or a module "
                    "name importable from the current directory"
                ) from error
    return modules


def _import_file(path: Path) -> ModuleType:
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = path.stem if path.stem not in sys.modules else f"livedag_run_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ModuleLoadError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # any import failure becomes a located message
        del sys.modules[name]
        raise ModuleLoadError(
            f"{_location(error, path)}: importing failed: {type(error).__name__}: {error}; "
            "fix the module so it imports cleanly"
        ) from error
    return module


def _location(error: BaseException, path: Path) -> str:
    if isinstance(error, SyntaxError) and error.filename:
        return f"{error.filename}:{error.lineno}"
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename) == path.resolve()]
    return f"{path}:{frames[-1].lineno}" if frames else str(path)


def run_command(args: argparse.Namespace) -> int:
    from livedag.execution import Driver, InvalidRunError
    from livedag.executors import by_name
    from livedag.graph import Graph

    if args.address and args.executor not in ("ray", "dask"):
        print(f"livedag run: --address goes with --executor ray or dask, not {args.executor}", file=sys.stderr)
        return 2
    try:
        inputs = parse_inputs(args.inputs)
        config = parse_config(args.config)
        graph = Graph.from_modules(*load_modules(args.targets), config=config)
        # As in Hamilton, a config value is also the value of an input of its name.
        inputs = {**{k: v for k, v in (config or {}).items() if k in graph.inputs}, **inputs}
        driver = Driver(graph, graceful=args.graceful, executor=by_name(args.executor, args.address))
    except (ModuleLoadError, ConfigError) as error:
        print(f"livedag run: {error}", file=sys.stderr)
        return 2
    from livedag.history.capture import Capture

    capture = Capture()
    try:
        progress = asyncio.run(
            _watch(driver, args.output, inputs, live=sys.stderr.isatty(), quiet=args.format == "json", capture=capture)
        )
    except InvalidRunError as error:
        print(f"livedag run: {error}", file=sys.stderr)
        if error.missing_inputs:
            example = json.dumps(dict.fromkeys(error.missing_inputs, "..."))
            print(f"  e.g. --inputs '{example}' or --inputs @inputs.json", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # recorded as far as it got (nodes still running stay `running`), then exit 130
        if not args.no_history and capture.progress.run_id:
            _record(capture, driver, args, inputs, interrupted=True)
        raise
    finally:
        driver.close()
    number = None if args.no_history else _record(capture, driver, args, inputs)
    _report(driver, progress, args.output, args.format, sys.stdout, number)
    ok = progress.finished is not None and progress.finished.ok
    return 0 if ok else 1


def _record(
    capture: Any, driver: Any, args: argparse.Namespace, inputs: dict[str, Any], interrupted: bool = False
) -> int | None:
    """Write the run to the history (unless it is turned off); its number, or ``None``."""
    import dataclasses

    from livedag.history import HistoryStore, git_commit, history_enabled, store_path

    if not history_enabled():
        return None
    path = store_path()
    entry = capture.entry(
        driver.graph,
        outputs=args.output,
        inputs=inputs,
        source="cli",
        label=" ".join(args.targets),
        git_commit=git_commit(),
    )
    if interrupted:
        entry = dataclasses.replace(entry, extra={"interrupted": True})
    try:
        with HistoryStore(path) as store:
            return store.add(entry)
    except Exception as error:  # noqa: BLE001 - a run's result matters more than its record: warn only
        print(
            f"livedag run: warning: the run was not recorded in {path}: {type(error).__name__}: {error}",
            file=sys.stderr,
        )
        return None


async def _watch(
    driver: Any, outputs: list[str] | None, inputs: dict[str, Any], *, live: bool, quiet: bool, capture: Any = None
) -> Any:
    from livedag.execution.progress import Progress, event_line

    progress = Progress() if capture is None else capture.progress
    stream = driver.astream(outputs, inputs=inputs)
    if capture is not None:
        stream = capture.wrap(stream)
    err = sys.stderr
    async for event in stream:
        if capture is None:
            progress.apply(event)
        line = event_line(event)
        if live:
            if line is not None and not line.startswith("start"):
                err.write("\r\x1b[2K" + line + "\n")
            err.write("\r\x1b[2K" + progress.status_line())
            err.flush()
        elif line is not None and not quiet:
            print(line, file=err, flush=True)
    if live:
        err.write("\r\x1b[2K")
        err.flush()
    return progress


def _report(
    driver: Any, progress: Any, outputs: list[str] | None, output_format: str, out: TextIO, number: int | None = None
) -> None:
    from livedag.execution.errors import where
    from livedag.execution.progress import format_duration, preview, result_table

    records = list(progress.records.values())
    finished = progress.finished
    if output_format == "json":
        data = _as_json(progress)
        wanted = outputs if outputs is not None else list(progress.records)
        data["outputs"] = {
            name: data["nodes"][name]["value"] for name in wanted if "value" in data["nodes"].get(name, {})
        }
        data["history_id"] = number
        json.dump(data, out, indent=2, default=lambda value: preview(value, 200))
        out.write("\n")
    else:
        out.write(result_table(records) + "\n")
        duration = format_duration(finished.duration if finished else None)
        counts = ", ".join(f"{count} {status.value}" for status, count in progress.counts().items())
        out.write(f"\n{'ok' if finished and finished.ok else 'FAILED'}: {counts} in {duration}\n")
        if number is not None:
            out.write(f"recorded as run {number}: `livedag runs show {number}`\n")
    for record in records:
        if record.error is None:
            continue
        spec = driver.graph.nodes.get(record.name)
        print(
            f"\nerror: node `{record.name}` ({where(spec)}) failed: {type(record.error).__name__}: {record.error}",
            file=sys.stderr,
        )
        print(_user_frames(record.traceback or ""), file=sys.stderr)
        print(
            "  fix the node or its inputs"
            + ("" if driver.graceful else "; --graceful keeps running the branches that do not need it"),
            file=sys.stderr,
        )
    for failure in progress.hook_failures:
        print(f"warning: hook {failure.hook} raised {type(failure.error).__name__}: {failure.error}", file=sys.stderr)


def _user_frames(text: str) -> str:
    """The traceback without livedag's and asyncio's own frames."""
    lines = text.rstrip().splitlines()
    kept: list[str] = []
    skip = False
    for line in lines:
        if line.startswith('  File "'):
            skip = "/livedag/execution/" in line or "/asyncio/" in line or "/concurrent/" in line
        if not skip:
            kept.append("  " + line)
    return "\n".join(kept)


def _as_json(progress: Any) -> dict[str, Any]:
    finished = progress.finished
    nodes = {}
    for record in progress.records.values():
        entry: dict[str, Any] = {
            "status": record.status.value,
            "duration": record.duration,
            "attempts": record.attempts,
        }
        if record.status.value in ("done", "cached"):
            entry["value"] = _json_safe(record.value)
        if record.error is not None:
            entry["error"] = f"{type(record.error).__name__}: {record.error}"
            entry["traceback"] = record.traceback
        if record.skipped_because:
            entry["skipped_because"] = list(record.skipped_because)
        nodes[record.name] = entry
    return {
        "run_id": progress.run_id,
        "ok": bool(finished and finished.ok),
        "duration": finished.duration if finished else None,
        "nodes": nodes,
    }


def _json_safe(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        from livedag.execution.progress import preview

        return preview(value, 200)
    return value
