"""The worker protocol: JSON lines between the language server and ``python -m livedag.worker``.

Standard library only and free of ``livedag.execution``, so the language server can import it without
ever loading the code that runs user functions. The worker writes one message per line on its protocol
channel (its original stdout, which user code can no longer reach); the server writes requests on the
worker's stdin. Everything user code prints goes to the worker's stderr and is forwarded as log lines.

Server -> worker: ``RunRequest`` (one per run) and ``{"type": "exit"}``.
Worker -> server: ``ready`` once warm, then per run ``run-started``, ``node`` (one per node state change),
and either ``run-finished`` or ``run-error`` (the run could not start: import error, missing inputs).
"""

from __future__ import annotations

import json
import os
import re
import traceback
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "PROTOCOL_VERSION",
    "ErrorInfo",
    "absolute",
    "Frame",
    "Message",
    "NodeMessage",
    "RunRequest",
    "decode",
    "encode",
    "error_info",
    "user_frames",
]

PROTOCOL_VERSION = 1
"""Sent in ``ready``; the server refuses a worker that speaks another version (another livedag installed)."""
PREVIEW_LIMIT = 120
MESSAGE_LIMIT = 500
NodeState = Literal["running", "done", "failed", "skipped", "cached"]


class Frame(TypedDict):
    file: str
    line: int
    function: str


class ErrorInfo(TypedDict):
    type: str
    message: str
    frames: list[Frame]
    """User-code frames of the traceback, outermost first; livedag's own frames are left out."""


class RunRequest(TypedDict):
    type: Literal["run"]
    run: str
    root: str
    """Workspace root: put first on ``sys.path`` so the graph's modules import each other."""
    files: list[str]
    outputs: list[str] | None
    """``None``: every node of the graph."""
    inputs: dict[str, Any]
    sources: NotRequired[dict[str, str]]
    """Path -> the editor's text, used instead of the file on disk."""
    cwd: NotRequired[str]
    """Working directory for the run (relative paths in input values are relative to it)."""
    config: NotRequired[dict[str, Any] | None]
    """Hamilton's config of the graph (``[tool.livedag] config``): which ``@config.when`` variants run."""
    graph: NotRequired[str]
    """The editor's id of the graph: the run is recorded in the history under it."""
    fingerprints: NotRequired[dict[str, str]]
    """The editor's node fingerprints for this run, kept with its record (so results can be restored)."""
    executor: NotRequired[str]
    """Where node bodies run: inline (default), threads, processes, ray, dask (``livedag.executors``)."""
    address: NotRequired[str | None]
    """The Ray or Dask cluster to connect to (default: start a local one)."""


class NodeMessage(TypedDict):
    type: Literal["node"]
    run: str
    node: str
    status: NodeState
    time: float
    """Wall clock (``time.time()``) of the state change."""
    durationMs: NotRequired[float]
    preview: NotRequired[str]
    error: NotRequired[ErrorInfo]
    reason: NotRequired[str]
    chunks: NotRequired[int]
    """Items a streaming node has produced so far (while it runs)."""


Message = dict[str, Any]
"""Any protocol message: a JSON object with a ``type``; the TypedDicts above describe the main ones."""


def encode(message: Message | RunRequest | NodeMessage) -> bytes:
    """One message as one line of UTF-8 JSON (``ensure_ascii`` keeps it to a single line whatever it holds)."""
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def decode(line: bytes | str) -> Message:
    """One line back into a message; raises ``ValueError`` if it is not a JSON object with a ``type``."""
    value = json.loads(line)
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError(f"not a protocol message: {str(line)[:80]!r}")
    return value


_LIVEDAG_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_STDLIB_DIR = os.path.dirname(os.path.abspath(traceback.__file__))


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:(?![\\/])")


def absolute(path: str) -> str:
    """``os.path.abspath``, except for editor buffers named by a URI (``untitled:Untitled-1``)."""
    return path if _SCHEME.match(path) else os.path.abspath(path)


def user_frames(tb: TracebackType | None, skip_dirs: Sequence[str] = (_LIVEDAG_DIR, _STDLIB_DIR)) -> list[Frame]:
    """The frames of a traceback that are user code: livedag's own and the standard library's are dropped."""
    frames: list[Frame] = []
    for summary in traceback.extract_tb(tb):
        path = absolute(summary.filename)
        if summary.filename.startswith("<") or any(_inside(path, folder) for folder in skip_dirs):
            continue
        frames.append(Frame(file=path, line=summary.lineno or 1, function=summary.name))
    return frames


def error_info(error: BaseException) -> ErrorInfo:
    message = str(error)
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 1] + "…"
    return ErrorInfo(type=type(error).__name__, message=message, frames=user_frames(error.__traceback__))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def messages_of(lines: Iterable[bytes]) -> list[Message]:
    """Decode many lines (a test helper as much as anything): blank lines are ignored."""
    return [decode(line) for line in lines if line.strip()]
