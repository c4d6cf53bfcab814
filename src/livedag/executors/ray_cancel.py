"""Follow a cancelled Ray task until it has ended: ``ray.cancel`` is best effort.

A non-forced ``ray.cancel`` raises ``KeyboardInterrupt`` in a running body, once. Ray documents that it may
not take (a task between leasing a worker and starting its body, a body that swallows the interrupt, a
native call that holds on), and a fail-fast run has long returned by then, so nobody would notice the
sibling still burning a CPU. ``CancelledTasks`` keeps the promise "cancelling a run leaves no remote task
running": a daemon thread waits on each cancelled task's end, repeats the interrupt every
``repeat_every`` seconds, and after ``force_after`` seconds kills the worker (``force=True``) as a last
resort. The thread lives only while there is a task to follow.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CancelledTasks"]


@dataclass
class _Followed:
    task: Any
    """What ``ray.cancel`` takes: an ``ObjectRef`` or a streaming ``ObjectRefGenerator``."""
    ended: Any
    """A ref that resolves when the task has ended."""
    since: float
    last_sent: float
    forced: bool = False


@dataclass
class CancelledTasks:
    """The cancelled tasks of one executor that have not ended yet."""

    ray: Any
    repeat_every: float = 1.0
    force_after: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _followed: list[_Followed] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None
    _idle: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._idle.set()

    def cancel(self, task: Any, ended: Any) -> None:
        """Interrupt ``task`` now, and keep at it until ``ended`` resolves."""
        self._send(task, force=False)
        now = self.clock()
        with self._lock:
            self._followed.append(_Followed(task, ended, now, now))
            self._idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._follow, name="livedag-ray-cancel", daemon=True)
                self._thread.start()

    def __len__(self) -> int:
        with self._lock:
            return len(self._followed)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every cancelled task has ended; whether they all did within ``timeout``."""
        return self._idle.wait(timeout)

    def _follow(self) -> None:
        while True:
            with self._lock:
                followed = list(self._followed)
                if not followed:
                    self._thread = None
                    self._idle.set()
                    return
            ended = self._ended(followed)
            now = self.clock()
            with self._lock:
                self._followed = [item for item in self._followed if id(item) not in ended]
                still = list(self._followed)
            for item in still:
                self._press(item, now)

    def _ended(self, followed: list[_Followed]) -> set[int]:
        refs = [item.ended for item in followed]
        try:
            done, _ = self.ray.wait(refs, num_returns=len(refs), timeout=0.25, fetch_local=False)
        except Exception:  # noqa: BLE001 - Ray shut down under us: nothing is left to follow
            return {id(item) for item in followed}
        finished = set(done)
        return {id(item) for item in followed if item.ended in finished}

    def _press(self, item: _Followed, now: float) -> None:
        if item.forced:
            return
        if now - item.since >= self.force_after:
            item.forced = True
            self._send(item.task, force=True)
        elif now - item.last_sent >= self.repeat_every:
            item.last_sent = now
            self._send(item.task, force=False)

    def _send(self, task: Any, *, force: bool) -> None:
        try:
            self.ray.cancel(task, force=force)
        except Exception:  # noqa: BLE001 - ended meanwhile, or Ray refuses force for this kind of task
            if force:
                try:
                    self.ray.cancel(task, force=False)
                except Exception:  # noqa: BLE001 - ended: nothing to do
                    return
