"""``livedag runs list | show ID [--html] | compare A B | prune --keep N`` (each with ``--format json``).

Reads the run history the same way ``livedag run`` writes it: ``.livedag/runs.db`` beside the nearest
project configuration at or above the current directory (``--db`` names another file). ``ID`` is a run's
number from ``list``, or ``latest``. Exit status: 0, 1 no such run, 2 no history here.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path
from typing import Any, TextIO

__all__ = ["register", "runs_command"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "runs",
        help="list, show, compare and prune recorded runs",
        description="The run history kept by `livedag run`, the notebook and the editor.",
    )
    parser.add_argument("--db", metavar="FILE", help="the history database (default: found from the current folder)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="recorded runs, newest first")
    listing.add_argument("--limit", "-n", type=int, default=20, help="at most this many (0: all)")
    show = actions.add_parser("show", help="one run, node by node")
    show.add_argument("id", metavar="ID", help="a run's number from `list`, or `latest`")
    show.add_argument("--html", action="store_true", help="write the run's timeline as one self-contained HTML file")
    show.add_argument("--output", "-o", metavar="FILE", help="with --html: the file to write (default: stdout)")
    compare = actions.add_parser("compare", help="what changed between two runs")
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    prune = actions.add_parser("prune", help="delete all but the newest runs")
    prune.add_argument("--keep", type=int, required=True, metavar="N")
    for sub in (listing, show, compare, prune):
        sub.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=runs_command)


def runs_command(args: argparse.Namespace) -> int:
    import sqlite3

    from livedag.history import HistoryStore, RunNotFoundError, store_path
    from livedag.history.store import HistoryVersionError

    path = Path(args.db) if args.db else store_path()
    if not path.exists():
        print(
            f"livedag runs: no run history at {path}; `livedag run` records runs there "
            "(unless LIVEDAG_HISTORY=0 or `history = false` in the configuration)",
            file=sys.stderr,
        )
        return 2
    out = sys.stdout
    try:
        store = HistoryStore(path)
    except (sqlite3.DatabaseError, HistoryVersionError) as error:
        print(f"livedag runs: cannot read {path}: {error}; move it away to start a new history", file=sys.stderr)
        return 2
    with store:
        try:
            if args.action == "list":
                _list(store, args, out)
            elif args.action == "show":
                _show(store, args, out)
            elif args.action == "compare":
                _compare(store, args, out)
            else:
                deleted = store.prune(args.keep)
                _emit(
                    args,
                    out,
                    {"deleted": deleted, "kept": store.count()},
                    f"deleted {deleted} run(s), kept {store.count()}",
                )
        except RunNotFoundError as error:
            print(f"livedag runs: {error}", file=sys.stderr)
            return 1
    return 0


def _number(store: Any, text: str) -> int:
    from livedag.history import RunNotFoundError

    if text in ("latest", "last"):
        found = store.list(limit=1)
        if not found:
            raise RunNotFoundError(f"no runs in {store.path} yet")
        return int(found[0].id)
    try:
        return int(text)
    except ValueError:
        raise RunNotFoundError(f"`{text}` is not a run number; `livedag runs list` shows them") from None


def _emit(args: argparse.Namespace, out: TextIO, data: Any, text: str) -> None:
    if args.format == "json":
        json.dump(data, out, indent=2)
        out.write("\n")
    else:
        out.write(text + "\n")


def _when(started: float) -> str:
    return datetime.datetime.fromtimestamp(started).strftime("%Y-%m-%d %H:%M:%S")


def _list(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    from livedag.execution.progress import format_duration

    runs = store.list(limit=args.limit or None)
    lines = [f"{'id':>5}  {'started':<19}  {'status':<6}  {'duration':>9}  {'source':<8}  {'nodes':<24}  what"]
    for run in runs:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(run.counts().items()))
        lines.append(
            f"{run.id:>5}  {_when(run.started):<19}  {run.status:<6}  {format_duration(run.duration):>9}  "
            f"{run.source:<8}  {counts:<24}  {run.label}"
        )
    _emit(args, out, [run.summary_json() for run in runs], "\n".join(lines) if runs else "no runs recorded yet")


def _show(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    from livedag.render.timeline import timeline_html

    run = store.get(_number(store, args.id))
    if args.html:
        page = timeline_html(
            run.nodes, standalone=True, title=f"run {run.id} · {run.label or run.source} · {_when(run.started)}"
        )
        if args.output:
            Path(args.output).write_text(page, encoding="utf-8")
            print(f"wrote {args.output}", file=sys.stderr)
        else:
            out.write(page)
        return
    _emit(args, out, run.as_json(), _show_text(run))


def _show_text(run: Any) -> str:
    from livedag.execution.progress import format_duration

    head = [
        f"run {run.id} ({run.run_id}) from {run.source}: {run.status} in {format_duration(run.duration)}, "
        f"started {_when(run.started)}",
        f"what: {run.label or '-'}; outputs: {', '.join(run.outputs) or 'every node'}",
        f"graph {run.graph_fingerprint or '-'}, inputs {run.inputs_fingerprint or '-'}, commit {run.git_commit or '-'}",
        "",
    ]
    rows = [("node", "status", "duration", "tries", "value")]
    for node in run.nodes:
        shown = (
            node.error or node.preview or (("needs " + ", ".join(node.skipped_because)) if node.skipped_because else "")
        )
        rows.append((node.name, node.status, format_duration(node.duration), str(node.attempts), shown))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}  {r[4]}".rstrip()
        for r in rows
    ]
    errors = [f"\n{node.name}:\n{node.traceback.rstrip()}" for node in run.nodes if node.traceback]
    return "\n".join(head + lines + errors)


def _compare(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    from livedag.execution.progress import format_duration
    from livedag.history.compare import compare_runs

    result = compare_runs(store.get(_number(store, args.a)), store.get(_number(store, args.b)))
    a, b = result.a, result.b
    lines = [
        f"A = run {a.id} ({a.status}, {format_duration(a.duration)}), B = run {b.id} ({b.status}, "
        f"{format_duration(b.duration)})",
        f"graph: {'same' if result.same_graph else 'changed'}; inputs: "
        f"{'same' if result.same_inputs else 'changed'}; commit: {a.git_commit or '-'} -> {b.git_commit or '-'}",
        "",
    ]
    for change in result.nodes:
        ratio = f"{change.ratio:.2f}x" if change.ratio is not None else "-"
        note = " value changed" if change.value_changed else ""
        before, after = change.status
        status = before if before == after else f"{before} -> {after}"
        lines.append(
            f"{'*' if change.changed else ' '} {change.name}: {status}; "
            f"{format_duration(change.duration[0])} -> {format_duration(change.duration[1])} ({ratio}){note}"
        )
    _emit(args, out, result.as_json(), "\n".join(lines))
