"""A run's timeline (waterfall): a bar per node on a shared time axis, as self-contained HTML.

``layout`` is the pure part: times relative to the first node's start (a front end may set up its display
between preparing a run and starting it, which is no part of the waterfall), the critical path, the groups (the
nodes' depth in the graph: a node is one layer below the deepest node it reads), the axis ticks.
``timeline_html`` draws it with inline styles only (no script, no stylesheet, nothing loaded from the
network), so the same markup works in a notebook output, a saved notebook, a standalone file
(``standalone=True``) and an editor's webview. Bars are coloured by status; a retried node's bar is
split at each attempt (the failed attempts hatched); a streaming node has a tick per item; the critical
path (the chain of nodes each waiting on the one before it, ending at the last node to finish) is
outlined and marked. Past ``COLLAPSE_OVER`` nodes the rows are grouped in collapsible sections: the
critical path first (open), then one per layer, closed unless a node in it failed, each with a summary bar
spanning its nodes; the timeline scrolls past ``MAX_HEIGHT`` pixels, its time axis staying in view.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["COLLAPSE_OVER", "Layout", "Row", "TimedNode", "critical_path", "layout", "ticks", "timeline_html"]

COLLAPSE_OVER = 150
MAX_HEIGHT = 640
COLOURS = {
    "done": ("#4caf50", "#2f8f2f"),
    "failed": ("#e53935", "#c42b2b"),
    "skipped": ("#e0e0e0", "#aaa"),
    "cached": ("#64b5f6", "#1e6fb8"),
    "running": ("#ffca28", "#d6a400"),
    "pending": ("#f3f3f3", "#999"),
}
_LABEL_WIDTH = 220


class TimedNode(Protocol):
    """What the timeline reads of a node (``livedag.history.NodeEntry`` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def started(self) -> float | None: ...
    @property
    def ended(self) -> float | None: ...
    @property
    def attempts(self) -> int: ...
    @property
    def attempt_starts(self) -> tuple[float, ...]: ...
    @property
    def item_times(self) -> tuple[float, ...]: ...
    @property
    def items(self) -> int: ...
    @property
    def upstream(self) -> tuple[str, ...]: ...
    @property
    def error(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    status: str
    start: float | None
    """Seconds from the run's start (``None``: never ran)."""
    end: float | None
    attempts: tuple[float, ...]
    """Each attempt's start, in seconds from the run's start (the first is ``start``)."""
    items: tuple[float, ...]
    item_count: int
    critical: bool
    depth: int
    error: str | None
    tries: int = 1
    """Attempts made (known even when their start times are not: a run recorded from its ``Run``)."""


@dataclass(frozen=True, slots=True)
class Layout:
    rows: tuple[Row, ...]
    span: float
    """Seconds from the run's start to the last end (at least a microsecond)."""
    groups: tuple[tuple[int, tuple[Row, ...]], ...]
    """(depth, rows at that depth), shallowest first."""
    critical: tuple[str, ...]


def critical_path(nodes: Sequence[TimedNode]) -> tuple[str, ...]:
    """From the last node to finish back through, each time, the upstream node that finished last."""
    by_name = {node.name: node for node in nodes if node.ended is not None}
    if not by_name:
        return ()
    current: TimedNode | None = max(by_name.values(), key=lambda node: node.ended or 0.0)
    path: list[str] = []
    seen: set[str] = set()
    while current is not None and current.name not in seen:
        path.append(current.name)
        seen.add(current.name)
        ran = [by_name[name] for name in current.upstream if name in by_name]
        current = max(ran, key=lambda node: node.ended or 0.0) if ran else None
    return tuple(reversed(path))


def _depths(nodes: Sequence[TimedNode]) -> dict[str, int]:
    """Layer of each node: 0 for one that reads no node of the run, else one below its deepest upstream."""
    known = {node.name: node for node in nodes}
    depth: dict[str, int] = {}
    for node in nodes:
        stack = [node.name]
        while stack:  # iterative: graphs can be deeper than the recursion limit
            name = stack[-1]
            if name in depth:
                stack.pop()
                continue
            parents = [up for up in known[name].upstream if up in known and up != name]
            missing = [up for up in parents if up not in depth and up not in stack]
            if missing:
                stack.extend(missing)
                continue
            depth[name] = 1 + max((depth.get(up, 0) for up in parents), default=-1)
            stack.pop()
    return depth


def layout(nodes: Sequence[TimedNode], started: float | None = None) -> Layout:
    """Times relative to ``started`` (default: the first node's start), depths, the critical path."""
    starts = [node.started for node in nodes if node.started is not None]
    origin = started if started is not None else min(starts, default=0.0)
    critical = critical_path(nodes)
    on_path = set(critical)
    depths = _depths(nodes)
    rows = []
    for node in nodes:
        start = node.started - origin if node.started is not None else None
        end = node.ended - origin if node.ended is not None else None
        attempts = tuple(t - origin for t in node.attempt_starts) or ((start,) if start is not None else ())
        rows.append(
            Row(
                node.name,
                node.status,
                start,
                end,
                attempts,
                tuple(t - origin for t in node.item_times),
                node.items,
                node.name in on_path,
                depths.get(node.name, 0),
                node.error,
                max(node.attempts, len(attempts), 1),
            )
        )
    span = max([row.end for row in rows if row.end is not None] + [1e-6])
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.depth, []).append(row)
    groups = tuple((depth, tuple(grouped[depth])) for depth in sorted(grouped))
    return Layout(tuple(rows), span, groups, critical)


def ticks(span: float, target: int = 8) -> list[float]:
    """Round tick positions (1, 2 or 5 times a power of ten) from 0 to at least ``span``."""
    raw = span / max(target, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    count = math.ceil(span / step - 1e-9)
    return [round(i * step, 12) for i in range(count + 1)]


def _seconds(value: float) -> str:
    if value == 0:
        return "0"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.3g} ms"
    return f"{value:.3g} s"


def _pct(value: float, span: float) -> str:
    return f"{100 * value / span:.4f}%"


def _title(row: Row) -> str:
    parts = [row.name, row.status]
    if row.start is not None and row.end is not None:
        parts.append(f"{_seconds(row.start)} → {_seconds(row.end)} ({_seconds(row.end - row.start)})")
    if row.tries > 1:
        parts.append(f"{row.tries} attempts")
    if row.item_count:
        parts.append(f"{row.item_count} items")
    if row.critical:
        parts.append("on the critical path")
    if row.error:
        parts.append(row.error)
    return " · ".join(parts)


def _bar(row: Row, span: float) -> str:
    fill, stroke = COLOURS.get(row.status, COLOURS["pending"])
    if row.start is None or row.end is None:
        why = html.escape(row.error or row.status)
        return f'<span style="position:absolute;left:4px;top:1px;font-size:11px;color:#888">{why}</span>'
    border = "2px solid #111" if row.critical else f"1px solid {stroke}"
    pieces = []
    bounds = [*row.attempts[1:], row.end]
    for number, (begin, finish) in enumerate(zip(row.attempts, bounds, strict=False), start=1):
        failed_attempt = number < len(row.attempts)
        background = (
            f"repeating-linear-gradient(45deg,{COLOURS['failed'][0]} 0 4px,#ffd9d9 4px 8px)" if failed_attempt else fill
        )
        width = max(finish - begin, 0.0)
        pieces.append(
            f'<div data-attempt="{number}" style="position:absolute;top:2px;bottom:2px;left:{_pct(begin, span)};'
            f"width:max({_pct(width, span)},2px);background:{background};border:{border};box-sizing:border-box;"
            f'border-radius:2px"></div>'
        )
    if row.tries > len(row.attempts):  # attempts made, their times unknown: say how many
        pieces.append(
            f'<span data-tries="{row.tries}" style="position:absolute;left:calc({_pct(row.end, span)} + 4px);'
            f'top:1px;font-size:11px;color:#555">&times;{row.tries}</span>'
        )
    if row.status == "failed" and row.error:
        side = (
            "right:calc(100% - " + _pct(row.start, span) + " + 4px)"
            if row.end > span * 0.6
            else "left:calc(" + _pct(row.end, span) + " + 4px)"
        )
        pieces.append(
            f'<span style="position:absolute;{side};top:1px;font-size:11px;color:#b71c1c;'
            f'white-space:nowrap">{html.escape(row.error[:120])}</span>'
        )
    for moment in row.items:
        pieces.append(
            f'<div data-item="1" style="position:absolute;top:0;height:5px;width:1px;'
            f'left:{_pct(moment, span)};background:#0b3d0b"></div>'
        )
    return "".join(pieces)


def _row_html(row: Row, span: float) -> str:
    mark = "◆ " if row.critical else ""
    weight = "600" if row.critical else "400"
    return (
        f'<div class="livedag-timeline-row" data-timeline-node="{html.escape(row.name)}" '
        f'data-timeline-status="{row.status}" data-critical="{str(row.critical).lower()}" '
        f'title="{html.escape(_title(row))}" '
        f'style="display:flex;height:18px;align-items:stretch;border-bottom:1px solid #f2f2f2">'
        f'<div style="width:{_LABEL_WIDTH}px;flex:none;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;'
        f'font-weight:{weight};padding-right:6px;line-height:18px">{mark}{html.escape(row.name)}</div>'
        f'<div style="position:relative;flex:1">{_bar(row, span)}</div></div>'
    )


def _axis(span: float) -> str:
    labels = "".join(
        f'<span style="position:absolute;left:{_pct(t, span)};transform:translateX(-50%);font-size:10px;'
        f'color:#555;white-space:nowrap">{_seconds(t)}</span>'
        for t in ticks(span)
        if t <= span * 1.0001
    )
    return (
        f'<div style="display:flex;position:sticky;top:0;background:#fff;z-index:1;height:16px;'
        f'border-bottom:1px solid #ccc"><div style="width:{_LABEL_WIDTH}px;flex:none"></div>'
        f'<div style="position:relative;flex:1;margin-right:24px">{labels}</div></div>'
    )


def _summary_bar(rows: Iterable[Row], span: float) -> str:
    ran = [row for row in rows if row.start is not None and row.end is not None]
    if not ran:
        return ""
    begin = min(row.start for row in ran if row.start is not None)
    finish = max(row.end for row in ran if row.end is not None)
    return (
        f'<span style="position:absolute;top:4px;bottom:4px;left:{_pct(begin, span)};'
        f'width:max({_pct(finish - begin, span)},2px);background:#bbb;border-radius:2px"></span>'
    )


def _legend(layout_: Layout) -> str:
    seen = sorted({row.status for row in layout_.rows})
    keys = "".join(
        f'<span style="margin-right:10px"><span style="display:inline-block;width:10px;height:10px;'
        f'background:{COLOURS.get(status, COLOURS["pending"])[0]};margin-right:3px"></span>{status}</span>'
        for status in seen
    )
    path = " → ".join(layout_.critical[:12]) + (" → …" if len(layout_.critical) > 12 else "")
    return (
        f'<div style="font-size:11px;color:#444;margin:4px 0">{keys}<span>◆ critical path: '
        f"{html.escape(path) or '-'}</span> · hatched: failed attempts · ticks: streamed items</div>"
    )


def _group(key: str, label: str, rows: Sequence[Row], span: float, is_open: bool) -> str:
    inner = "".join(_row_html(row, span) for row in rows)
    return (
        f'<details class="livedag-timeline-group" data-group="{key}"{" open" if is_open else ""}>'
        f'<summary style="display:flex;height:18px;cursor:pointer;background:#fafafa;list-style:none">'
        f'<span style="width:{_LABEL_WIDTH}px;flex:none;font-size:11px;line-height:18px;overflow:hidden;'
        f'white-space:nowrap">▸ {html.escape(label)}</span>'
        f'<span style="position:relative;flex:1">{_summary_bar(rows, span)}</span></summary>{inner}</details>'
    )


def timeline_html(
    nodes: Sequence[TimedNode], *, started: float | None = None, title: str = "", standalone: bool = False
) -> str:
    """The timeline as an HTML fragment (or a whole document with ``standalone``)."""
    plan = layout(nodes, started)
    collapse = len(plan.rows) > COLLAPSE_OVER
    body: list[str] = []
    if collapse and plan.critical:
        on_path = [row for row in plan.rows if row.critical]
        body.append(_group("critical", f"◆ critical path · {len(on_path)} nodes", on_path, plan.span, True))
    for depth, rows in plan.groups:
        if not collapse:
            body.extend(_row_html(row, plan.span) for row in rows)
            continue
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        label = f"layer {depth} · {len(rows)} nodes · " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        body.append(_group(str(depth), label, rows, plan.span, any(row.status == "failed" for row in rows)))
    heading = f'<div style="font-weight:600;margin-bottom:2px">{html.escape(title)}</div>' if title else ""
    fragment = (
        f'<div class="livedag-timeline" data-nodes="{len(plan.rows)}" style="font:12px system-ui,sans-serif;'
        f'color:#222;min-width:480px">{heading}{_legend(plan)}'
        f'<div style="max-height:{MAX_HEIGHT}px;overflow:auto;border:1px solid #ddd">{_axis(plan.span)}'
        f'<div style="margin-right:24px">{"".join(body)}</div></div></div>'
    )
    if not standalone:
        return fragment
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title or "livedag run")}'
        f'</title></head><body style="margin:12px">{fragment}</body></html>\n'
    )
