"""The notebook's side of the run history: record each run, show its timeline, and ``%dag runs``.

Runs are recorded in the same store ``livedag run`` writes (``.livedag/runs.db`` beside the project
configuration found from the kernel's current directory up; off with ``LIVEDAG_HISTORY=0`` or
``history = false``), with ``source`` ``notebook``. The timeline is shown as its own output right under
the results table, as inline-styled HTML, so it stays in saved notebooks and static renderings.

    %dag runs [--limit N]     the recorded runs, newest first
    %dag runs ID              one run: its timeline (ID: a number from the list, or ``latest``)
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from livedag.execution.progress import format_duration
from livedag.history import HistoryStore, RunEntry, RunNotFoundError, git_commit, history_enabled, store_path
from livedag.kernel.display import display
from livedag.render.timeline import timeline_html

if TYPE_CHECKING:
    from livedag.graph import Graph
    from livedag.history.capture import Capture

__all__ = ["record_and_show", "runs_report", "show_runs"]

logger = logging.getLogger("livedag.kernel")


def record_and_show(capture: Capture, graph: Graph, inputs: Mapping[str, Any], outputs: tuple[str, ...]) -> None:
    """After a run: write it to the history (when on) and display its timeline under the table."""
    label = "notebook: " + (", ".join(outputs) if outputs else "every node")
    enabled = history_enabled()
    entry = capture.entry(
        graph,
        outputs=outputs,
        inputs=inputs,
        source="notebook",
        label=label,
        git_commit=git_commit() if enabled else None,
    )
    number = None
    if enabled:
        try:
            with HistoryStore(store_path()) as store:
                number = store.add(entry)
        except Exception:
            logger.exception("livedag: the run was not recorded in %s", store_path())
    title = f"timeline · run {number}" if number is not None else "timeline"
    display(_timeline_bundle(entry, title), raw=True)


def _timeline_bundle(entry: RunEntry, title: str) -> dict[str, str]:
    markup = timeline_html(entry.nodes, title=title)
    ran = [node for node in entry.nodes if node.duration is not None]
    text = f"{title}: {len(ran)} of {len(entry.nodes)} nodes ran in {format_duration(entry.duration)}"
    return {"text/html": markup, "text/plain": text}


def show_runs(run_id: str | None, limit: int) -> None:
    """``%dag runs [ID]``."""
    path = store_path()
    if not path.exists():
        print(f"livedag: no run history at {path} yet (runs are recorded unless LIVEDAG_HISTORY=0)")
        return
    with HistoryStore(path) as store:
        if run_id is None:
            markup, text = runs_report(store.list(limit=limit or None))
            display({"text/html": markup, "text/plain": text}, raw=True)
            return
        try:
            number = _number(store, run_id)
            entry = store.get(number)
        except RunNotFoundError as error:
            print(f"livedag: {error}")
            return
    display(
        _timeline_bundle(entry, f"run {entry.id} · {entry.label or entry.source} · {_when(entry.started)}"), raw=True
    )


def _number(store: HistoryStore, text: str) -> int:
    if text in ("latest", "last"):
        found = store.list(limit=1)
        if not found or found[0].id is None:
            raise RunNotFoundError(f"no runs in {store.path} yet")
        return found[0].id
    try:
        return int(text)
    except ValueError:
        raise RunNotFoundError(f"`{text}` is not a run number; `%dag runs` lists them") from None


def _when(started: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started))


def runs_report(runs: list[RunEntry]) -> tuple[str, str]:
    """The runs as an HTML table (inline styles, ``data-run`` per row) and as text."""
    head = ("id", "started", "status", "duration", "source", "nodes", "what")
    rows = [
        (
            str(run.id),
            _when(run.started),
            run.status,
            format_duration(run.duration),
            run.source,
            ", ".join(f"{n} {s}" for s, n in sorted(run.counts().items())),
            run.label,
        )
        for run in runs
    ]
    cell = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left"
    body = "".join(
        f'<tr data-run="{html.escape(row[0])}" data-status="{row[2]}">'
        + "".join(f'<td style="{cell}">{html.escape(value)}</td>' for value in row)
        + "</tr>"
        for row in rows
    )
    header = "".join(f'<th style="{cell}">{name}</th>' for name in head)
    markup = f'<table style="border-collapse:collapse;font-size:12px"><tr>{header}</tr>{body}</table>'
    if not rows:
        return "<p>no runs recorded yet</p>", "no runs recorded yet"
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    text = "\n".join("  ".join(value.ljust(widths[i]) for i, value in enumerate(r)).rstrip() for r in [head, *rows])
    return markup, text
