"""What user code prints, batched for ``window/logMessage``: one message per batch of lines, and a flood
(a loop printing a million lines) cut to its first and last lines with a count of what was left out, so
printing can never swamp the client or slow the run's own messages."""

from __future__ import annotations

from collections import deque

__all__ = ["LogBatch"]


class LogBatch:
    """Lines gathered since the last ``take``; keeps at most ``head`` + ``tail`` of them."""

    def __init__(self, head: int = 200, tail: int = 200) -> None:
        self._head_limit = head
        self._head: list[str] = []
        self._tail: deque[str] = deque(maxlen=tail)
        self._dropped = 0

    def add(self, line: str) -> None:
        if len(self._head) < self._head_limit:
            self._head.append(line)
            return
        if len(self._tail) == self._tail.maxlen:
            self._dropped += 1
        self._tail.append(line)

    def __bool__(self) -> bool:
        return bool(self._head)

    def take(self) -> str:
        """The batch as one text (and start a new one)."""
        lines = list(self._head)
        if self._dropped:
            lines.append(f"… {self._dropped:,} more lines not shown …")
        lines.extend(self._tail)
        self._head, self._dropped = [], 0
        self._tail.clear()
        return "\n".join(lines)
