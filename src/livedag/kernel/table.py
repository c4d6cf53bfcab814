"""Rows -> the per-node results table, as HTML (inline styles) and as plain text.

Pure functions. The HTML uses inline styles only, because JupyterLab's table CSS does not reach
widget HTML; each row carries ``data-node`` and ``data-status`` so tests (and users' scripts) can
read it. A failed node's traceback sits in a ``<details>`` element, one click away.
"""

from __future__ import annotations

import html

from livedag.kernel.preview import TableHead
from livedag.kernel.rows import ResultsTable, Row

__all__ = ["STATUS_COLOURS", "format_elapsed", "summary", "to_html", "to_text"]

STATUS_COLOURS = {
    "pending": ("#f3f3f3", "#555"),
    "running": ("#fff4cc", "#3d2f00"),
    "done": ("#dcf5dc", "#123812"),
    "failed": ("#ffd9d9", "#4a0d0d"),
    "skipped": ("#eeeeee", "#777"),
    "cached": ("#e3f0ff", "#0f2a4a"),
    "cancelled": ("#ffe8cc", "#4a2a00"),
    "not started": ("#f3f3f3", "#777"),
}
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;line-height:18px"
_FIXED = _CELL + ";white-space:nowrap"
"""Name, status and elapsed never wrap: a row is as high live as done."""
_MONO = "font-family:var(--jp-code-font-family,monospace);font-size:12px"


def format_elapsed(row: Row, now: float | None = None) -> str:
    if row.duration is not None:
        return f"{row.duration:.2f} s"
    if row.status == "running" and row.started is not None and now is not None:
        return f"{max(now - row.started, 0.0):.1f} s…"
    return ""


def summary(state: ResultsTable) -> str:
    counts = ", ".join(f"{count} {status}" for status, count in state.counts().items())
    if state.interrupted:
        head = "interrupted"
    elif not state.finished:
        head = "running" if state.started is not None else "starting"
    else:
        head = "ok" if state.ok else "failed"
    took = f" in {state.duration:.2f} s" if state.duration is not None else ""
    return f"livedag run {head}{took}: {counts or 'no nodes'}"


def to_html(state: ResultsTable, now: float | None = None) -> str:
    header = "".join(f'<th style="{_CELL}">{title}</th>' for title in ("node", "status", "elapsed", "value"))
    body = "".join(_row_html(row, now) for row in state.rows)
    caption = f'<div style="{_MONO};margin:2px 0">{html.escape(summary(state))}</div>'
    return (
        f'<div class="livedag-run" data-finished="{str(state.finished).lower()}">{caption}'
        f'<table class="livedag-table" style="border-collapse:collapse;{_MONO}">'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _row_html(row: Row, now: float | None) -> str:
    background, colour = STATUS_COLOURS.get(row.status, ("#fff", "#000"))
    status = f'<span style="background:{background};color:{colour};padding:0 6px;border-radius:3px">{row.status}</span>'
    return (
        f'<tr class="livedag-row" data-node="{html.escape(row.name)}" data-status="{html.escape(row.status)}">'
        f'<td style="{_FIXED}"><b>{html.escape(row.name)}</b></td>'
        f'<td style="{_FIXED}">{status}</td>'
        f'<td style="{_FIXED};min-width:4.5em">{format_elapsed(row, now)}</td>'
        f'<td style="{_CELL}">{_value_html(row)}</td></tr>'
    )


def _value_html(row: Row) -> str:
    if row.error is not None:
        message = f'<span style="color:#a11">{html.escape(row.error)}</span>'
        if not row.traceback:
            return message
        return (
            f"<details><summary>{message}</summary>"
            f'<pre style="{_MONO};white-space:pre-wrap;margin:4px 0">{html.escape(row.traceback)}</pre></details>'
        )
    if row.head is not None:
        return _head_html(row.head)
    if row.rich is not None:
        summary = f"<summary><code>{html.escape(row.preview)}</code></summary>"
        return f'<details class="livedag-rich">{summary}{row.rich}</details>'
    text = html.escape(row.preview or row.note)
    return f"<code>{text}</code>" if row.preview else f'<span style="color:#777">{text}</span>'


def _head_html(head: TableHead) -> str:
    shape = " x ".join(str(n) for n in head.shape) if head.shape else ""
    cells = "".join(f'<th style="{_CELL}">{html.escape(column)}</th>' for column in head.columns)
    rows = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{html.escape(item)}</td>' for item in row) + "</tr>" for row in head.rows
    )
    return (
        f'<div style="color:#555">{html.escape(head.type_name)} {shape}</div>'
        f'<table style="border-collapse:collapse"><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table>'
    )


def to_text(state: ResultsTable, now: float | None = None) -> str:
    """A fixed-width table for frontends without HTML (and for ``text/plain``)."""
    lines = [(row.name, row.status, format_elapsed(row, now), _value_text(row)) for row in state.rows]
    titles = ("node", "status", "elapsed", "value")
    widths = [max([len(titles[i]), *(len(line[i]) for line in lines)]) for i in range(3)]
    out = [summary(state)]
    for line in [titles, *lines]:
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True)) + "  " + line[3])
    return "\n".join(text.rstrip() for text in out)


def _value_text(row: Row) -> str:
    if row.error is not None:
        return row.error
    if row.head is not None:
        shape = " x ".join(str(n) for n in row.head.shape) if row.head.shape else ""
        return f"{row.head.type_name} {shape} columns: {', '.join(row.head.columns)}"
    return row.preview or row.note
