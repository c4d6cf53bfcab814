"""Run results -> what the editor shows: inlay hint text, hover text, ``node-failed`` diagnostics.

Plain functions of plain data; the server turns them into LSP types. Lines are the core's (1-based).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from livedag.graph import NodeSpec
from livedag.graph.lines import split_lines
from livedag.lsp.run.state import NodeResult

__all__ = [
    "Failure",
    "duration_text",
    "failure",
    "hover_text",
    "inlay_text",
    "result_lens_text",
    "signature_end",
    "signature_end_in",
]

NODE_FAILED = "node-failed"
INLAY_LIMIT = 42
"""VS Code cuts inlay hints at ``editor.inlayHints.maximumLength`` (43 by default) with its own ellipsis, so
hints are at most 42 characters: status and staleness first, the value takes what is left."""
LENS_LIMIT = 72
"""The result lens above a ``def`` is read in a half-width editor: room for a longer value."""


def duration_text(ms: float | None) -> str:
    if ms is None:
        return ""
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"


def status_text(result: NodeResult) -> str:
    """``✓ 3 ms``, ``✓ cached``, ``✗ ValueError``, ``⊘ skipped``, ``… running · 2 items``."""
    if result.status == "running":
        if result.chunks:
            return f"… running · {result.chunks} item{'s' if result.chunks != 1 else ''}"
        return "… running"
    if result.status == "failed":
        return f"✗ {result.error['type'] if result.error else 'failed'}"
    if result.status == "skipped":
        return "⊘ skipped"
    if result.status == "cached":
        return "✓ cached"
    duration = duration_text(result.duration_ms)
    return f"✓ {duration}" if duration else "✓ done"


def inlay_text(result: NodeResult, stale: bool, limit: int = INLAY_LIMIT) -> str:
    """Status first, then the value cut to fit ``limit``: ``✓ 3 ms = 42``, ``stale · ✓ 3 ms = [1, 2, …``.
    Staleness is never cut off; the whole value stays in the hover."""
    head = ("stale · " if stale else "") + status_text(result)
    if result.status not in ("done", "cached") or result.preview is None:
        return head[:limit]
    room = limit - len(head) - len(" = ")
    value = result.preview.replace("\n", " ")
    if room < 2:
        return head[:limit]
    if len(value) > room:
        value = value[: room - 1] + "…"
    return f"{head} = {value}"


def result_lens_text(result: NodeResult, stale: bool) -> str:
    """The same summary for the code lens line above the ``def``, which a half-width editor always shows."""
    return inlay_text(result, stale, LENS_LIMIT)


def _ago(then: float, now: float) -> str:
    seconds = max(0.0, now - then)
    if seconds < 60:
        return f"{seconds:.0f} s ago"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(then))


def hover_text(result: NodeResult, stale: bool, now: float) -> str:
    """Markdown added to a node's hover: the last result, its duration and when it ran."""
    when = f"{time.strftime('%H:%M:%S', time.localtime(result.time))} ({_ago(result.time, now)})"
    lines = ["**Last run**" + (" — stale: the node or something upstream changed since" if stale else "")]
    if result.status == "running":
        if result.chunks:
            lines.append(f"running since {when}, {result.chunks} items so far, the last:")
        else:
            lines.append(f"running since {when}" + (", the previous result:" if result.preview is not None else ""))
    elif result.status == "failed":
        error = result.error or {"type": "failed", "message": "", "frames": []}
        lines.append(f"✗ `{error['type']}`: {error['message']}")
    elif result.status == "skipped":
        lines.append(f"skipped: {result.reason or 'something it needs failed'}")
    if result.preview is not None and result.status in ("done", "cached", "running"):
        lines.append(f"```python\n{result.preview}\n```")
    if result.status != "running":
        details = [f"ran {when}"]
        if result.duration_ms is not None:
            details.append(f"took {duration_text(result.duration_ms)}")
        if result.status == "cached":
            details.append("value given, not computed")
        lines.append(" · ".join(details))
    return "\n\n".join(lines)


@dataclass(frozen=True, slots=True)
class Related:
    path: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Failure:
    """A ``node-failed`` diagnostic: at the node's name in its ``def`` line."""

    node: str
    path: str
    line: int
    column: int
    end_column: int
    message: str
    related: tuple[Related, ...]


def failure(spec: NodeSpec, result: NodeResult) -> Failure | None:
    """The diagnostic for a failed node (``None`` if it did not fail or has no location)."""
    if result.status != "failed" or spec.span is None:
        return None
    error = result.error or {"type": "failed", "message": "", "frames": []}
    message = f"`{spec.name}` failed: {error['type']}" + (f": {error['message']}" if error["message"] else "")
    related = tuple(
        Related(frame["file"], frame["line"], f"{error['type']} raised here, in `{frame['function']}`")
        if index == len(error["frames"]) - 1
        else Related(frame["file"], frame["line"], f"called from `{frame['function']}`")
        for index, frame in enumerate(error["frames"])
    )
    span = spec.span
    return Failure(spec.name, span.path, span.line, span.column, span.end_column, message, related)


SIGNATURE_LINES = 30
"""How many lines after its ``def`` a signature is looked for in."""


def signature_end(text: str, line: int) -> tuple[int, int]:
    """Where a ``def`` that starts at 1-based ``line`` ends its signature: the line ending in ``:`` (a
    signature may span lines) and the column after its last code character, before any comment."""
    return signature_end_in(split_lines(text), line)


def signature_end_in(lines: Sequence[str], line: int) -> tuple[int, int]:
    """:func:`signature_end` in a text already split into lines (one split for every node of a file)."""
    for number in range(line, min(line + SIGNATURE_LINES, len(lines)) + 1):
        code = _without_comment(lines[number - 1]).rstrip()
        if code.endswith(":"):
            return number, len(code)
    code = _without_comment(lines[line - 1]).rstrip() if 0 < line <= len(lines) else ""
    return line, len(code)


def _without_comment(line: str) -> str:
    quote: str | None = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
    return line
