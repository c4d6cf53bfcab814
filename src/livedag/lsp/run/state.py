"""What the editor knows about runs of one graph: the last result per node and whether it is still current.

A result carries the node's *fingerprint* at the time it ran: a hash of the node's own source text, its
upstream nodes' fingerprints and the values of the inputs it reads. A result whose fingerprint differs
from the node's fingerprint now is stale: editing a node makes it and everything downstream stale at once,
without running anything. (Module-level code a node uses, such as constants, is not part of it.)

Pure: fed with protocol messages, asked for statuses; no server, no process.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from livedag.graph import Graph, NodeSpec
from livedag.graph.fingerprints import node_fingerprints
from livedag.graph.lines import split_lines
from livedag.worker.protocol import ErrorInfo, Message

__all__ = ["NodeResult", "GraphResults", "StartError", "fingerprints", "source_of"]

STALE = "stale"


@dataclass(frozen=True, slots=True)
class NodeResult:
    node: str
    status: str
    """running, done, failed, skipped or cached (the worker's states)."""
    fingerprint: str
    run: str
    time: float
    """Wall clock of the last state change: when it started (running) or ended."""
    duration_ms: float | None = None
    preview: str | None = None
    error: ErrorInfo | None = None
    reason: str | None = None
    chunks: int | None = None
    """Items a streaming node had produced when it last reported while running."""


def source_of(spec: NodeSpec, lines: Mapping[str, list[str]]) -> str:
    """The text of a node's definition (decorators to last line), or its name when the text is unknown.
    ``lines``: path -> the file's lines."""
    span = spec.definition_span
    if span is None or span.path not in lines:
        return f"<{spec.module}.{spec.name}>"
    return "\n".join(lines[span.path][span.line - 1 : span.end_line])


def fingerprints(graph: Graph, texts: Mapping[str, str], inputs: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Node name -> fingerprint (see the module docstring); nodes on a cycle get none."""
    values = inputs or {}
    lines = {path: split_lines(text) for path, text in texts.items()}
    return node_fingerprints(
        graph, lambda spec: source_of(spec, lines), lambda name: _json(values.get(name, "<unset>"))
    )


def _json(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=repr)
    except ValueError:
        return repr(value)


@dataclass(frozen=True, slots=True)
class StartError:
    """Why the last run could not start, at the line of the graph's file that raised (an import error)."""

    path: str
    line: int
    message: str
    text_digest: str
    """Of the file when it ran: the error is shown until the file changes."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class GraphResults:
    """Last results per node of one graph, and the run in flight (if any)."""

    def __init__(self) -> None:
        self.results: dict[str, NodeResult] = {}
        self.current_run: str | None = None
        self.start_error: StartError | None = None
        self._run_fingerprints: dict[str, str] = {}

    def begin(self, run: str, run_fingerprints: Mapping[str, str]) -> None:
        """A run starts; its results will carry the fingerprints the nodes had when it was asked for."""
        self.current_run = run
        self.start_error = None
        self._run_fingerprints = dict(run_fingerprints)

    def could_not_start(self, message: str, error: ErrorInfo | None, texts: Mapping[str, str]) -> StartError | None:
        """Remember where a run that could not start failed, if that is a line of one of the graph's files."""
        frames = [frame for frame in (error["frames"] if error else []) if frame["file"] in texts]
        if not frames:
            return None
        frame = frames[-1]
        self.start_error = StartError(frame["file"], frame["line"], message, _digest(texts[frame["file"]]))
        return self.start_error

    def start_error_in(self, path: str, texts: Mapping[str, str]) -> StartError | None:
        """The start error to show in ``path`` now (none once the file changed)."""
        found = self.start_error
        if found is None or found.path != path or path not in texts or _digest(texts[path]) != found.text_digest:
            return None
        return found

    def apply(self, message: Message) -> str | None:
        """Record a worker message of the current run; returns the node it changed, if any."""
        if message.get("run") != self.current_run or message.get("type") != "node":
            return None
        node = str(message["node"])
        previous = self.results.get(node)
        status = str(message["status"])
        started = float(message.get("time", 0.0))
        if previous is not None and previous.run == self.current_run and previous.status == status == "running":
            started = previous.time  # a streaming node's next item: still the same start
        self.results[node] = NodeResult(
            node=node,
            status=status,
            fingerprint=self._run_fingerprints.get(node, ""),
            run=str(message["run"]),
            time=started,
            duration_ms=message.get("durationMs"),
            # while a node runs again, keep showing what it last computed in the hover
            preview=message.get("preview", previous.preview if previous and status == "running" else None),
            error=message.get("error"),
            reason=message.get("reason"),
            chunks=message.get("chunks"),
        )
        return node

    def finish(self, run: str, error: ErrorInfo | None = None, now: float = 0.0) -> list[str]:
        """The run ended. Nodes it left running failed with ``error`` (a killed worker) or are skipped."""
        if run != self.current_run:
            return []
        changed = []
        for name, result in self.results.items():
            if result.run == run and result.status == "running":
                if error is None:
                    self.results[name] = replace(result, status="skipped", reason="the run was stopped", time=now)
                else:
                    self.results[name] = replace(result, status="failed", error=error, time=now)
                changed.append(name)
        self.current_run = None
        return changed

    def result(self, node: str, current: Mapping[str, str]) -> tuple[NodeResult | None, bool]:
        """The node's last result and whether it is stale against the ``current`` fingerprints."""
        found = self.results.get(node)
        if found is None:
            return None, False
        return found, found.status != "running" and current.get(node) != found.fingerprint

    def statuses(self, current: Mapping[str, str]) -> dict[str, str]:
        """Node -> status for the preview: the worker's state, or ``stale``; nodes never run are absent."""
        out = {}
        for name in self.results:
            result, stale = self.result(name, current)
            if result is not None:
                out[name] = STALE if stale else result.status
        return out
