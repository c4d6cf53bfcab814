"""The run commands: their names and their arguments, as typed classes: pygls reads ``workspace/executeCommand``'s first
argument into them (an argument of the wrong shape is answered ``InvalidParams`` naming the field)."""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types

__all__ = ["CANCEL_COMMAND", "RUN_COMMAND", "RUN_FINISHED", "TIMELINE_REQUEST", "CancelTarget", "RunTarget"]

RUN_COMMAND = "livedag.run"
CANCEL_COMMAND = "livedag.cancelRun"
TIMELINE_REQUEST = "livedag/timeline"
"""The request for a graph's last recorded run (answered by ``saved.timeline_payload``)."""
RUN_FINISHED = "livedag/runFinished"
"""Sent when a run is over and recorded: ``{graph, uris, run, status}`` (the graph's files, the run's id and
``finished``/``cancelled``/``timeout``/``crashed``/``error``), so a client's timeline reads it then."""


@dataclass(frozen=True)
class RunTarget:
    """``livedag.run``: ``{"uri", "node"}`` (``node`` ``None``: the whole graph), or ``{"uri", "position"}``
    for the node whose definition holds the (0-based) position."""

    uri: str
    node: str | None = None
    position: types.Position | None = None


@dataclass(frozen=True)
class CancelTarget:
    """``livedag.cancelRun``: ``{"uri"}`` of a document of the graph whose run to stop."""

    uri: str
