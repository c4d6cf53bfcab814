"""Node states of a run as small ints (the scheduler's arrays hold them); ``STATUS`` maps them to ``RunStatus``."""

from __future__ import annotations

from livedag.execution.events import RunStatus

__all__ = ["DONE", "FAILED", "PENDING", "RUNNING", "SKIPPED", "STATUS", "VALUE"]

PENDING, RUNNING, DONE, FAILED, SKIPPED, VALUE = range(6)
"""``VALUE``: a slot that is not a node (an input, an override, one item of an expansion)."""
STATUS = (RunStatus.PENDING, RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED, RunStatus.SKIPPED)
