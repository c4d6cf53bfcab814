"""A node's traceback as the notebook shows it: the user's frames only, at the user's cell and line.

The driver's traceback starts in the scheduler (and asyncio, and the worker thread's machinery);
none of that is the user's code. ``user_traceback`` keeps the frames outside livedag and the standard
library's asyncio / concurrent.futures / threading, and names a cell's file as IPython does
(``Cell In [3], line 5``). Chained exceptions (``raise ... from``) are kept. Pure: no IPython.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
import traceback
from collections.abc import Mapping

import livedag

__all__ = ["user_traceback"]

_PACKAGES = (livedag.__file__, asyncio.__file__, concurrent.futures.__file__)
_HIDDEN = (*(os.path.dirname(path) + os.sep for path in _PACKAGES if path), threading.__file__ or "<threading>")


def _user_frames(stack: traceback.StackSummary) -> traceback.StackSummary:
    kept = [frame for frame in stack if not frame.filename.startswith(_HIDDEN)]
    return traceback.StackSummary.from_list(kept or list(stack)[-1:])


def user_traceback(error: BaseException, labels: Mapping[str, str] | None = None) -> str:
    """The traceback of ``error`` without livedag's (and asyncio's) frames; cell files as ``Cell In [n]``."""
    summary = traceback.TracebackException.from_exception(error)
    current: traceback.TracebackException | None = summary
    while current is not None:
        current.stack = _user_frames(current.stack)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    text = "".join(summary.format())
    for path, label in (labels or {}).items():
        text = text.replace(f'File "{path}", line', f"Cell {label}, line")
    return text
