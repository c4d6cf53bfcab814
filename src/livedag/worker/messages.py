"""Run events (``livedag.execution.events``) -> worker protocol messages: pure functions, one per event."""

from __future__ import annotations

from livedag.execution.events import (
    NodeCached,
    NodeChunk,
    NodeFailed,
    NodeFinished,
    NodeRecord,
    NodeSkipped,
    NodeStarted,
    RunEvent,
    RunFinished,
    RunStarted,
    RunStatus,
)
from livedag.execution.progress import preview
from livedag.worker.protocol import PREVIEW_LIMIT, Message, NodeMessage, error_info

__all__ = ["message_for", "message_for_record"]


def message_for(event: RunEvent, run: str, now: float) -> Message | NodeMessage | None:
    """The message that reports ``event`` (``None`` for events the editor does not show). A chunk of a
    streaming node reports it still running, with the number of items so far and the last one.

    ``run`` is the server's id for the run (the driver has its own); ``now`` is the wall clock that stamps
    state changes which carry no time of their own.
    """
    match event:
        case RunStarted(nodes=nodes):
            return {"type": "run-started", "run": run, "nodes": list(nodes), "time": event.time}
        case NodeStarted(node=node, time=time):
            return NodeMessage(type="node", run=run, node=node, status="running", time=time)
        case NodeFinished(node=node, value=value, duration=duration):
            return NodeMessage(
                type="node",
                run=run,
                node=node,
                status="done",
                time=now,
                durationMs=_ms(duration),
                preview=preview(value, PREVIEW_LIMIT),
            )
        case NodeCached(node=node, value=value):
            return NodeMessage(
                type="node", run=run, node=node, status="cached", time=now, preview=preview(value, PREVIEW_LIMIT)
            )
        case NodeFailed(node=node, error=error, duration=duration):
            return NodeMessage(
                type="node",
                run=run,
                node=node,
                status="failed",
                time=now,
                durationMs=_ms(duration),
                error=error_info(error),
            )
        case NodeSkipped(node=node, reason=reason):
            return NodeMessage(type="node", run=run, node=node, status="skipped", time=now, reason=reason)
        case RunFinished(ok=ok, duration=duration):
            return {"type": "run-finished", "run": run, "ok": ok, "durationMs": _ms(duration)}
        case NodeChunk(node=node, index=index, value=value):
            return NodeMessage(
                type="node",
                run=run,
                node=node,
                status="running",
                time=now,
                chunks=index + 1,
                preview=preview(value, PREVIEW_LIMIT),
            )
    return None


def message_for_record(record: NodeRecord, run: str, now: float) -> NodeMessage:
    """The message for a node that just ended, from the record the driver hands its ``after_node`` hooks."""
    duration = _ms(record.duration) if record.duration is not None else 0.0
    if record.status is RunStatus.FAILED and record.error is not None:
        return NodeMessage(
            type="node",
            run=run,
            node=record.name,
            status="failed",
            time=now,
            durationMs=duration,
            error=error_info(record.error),
        )
    return NodeMessage(
        type="node",
        run=run,
        node=record.name,
        status="done",
        time=now,
        durationMs=duration,
        preview=preview(record.value, PREVIEW_LIMIT),
    )


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 3)
