"""The server's own log goes to the client as ``window/logMessage``, with its real level.

Written to stderr, every line is shown by VS Code's language client as ``[error]`` whatever its level, so a
harmless warning reads as a failure. Once the client is connected, records at WARNING and above are sent as
log messages of the matching type; stderr keeps only what happens before that (a failed start).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from lsprotocol import types

__all__ = ["ClientLogHandler", "message_type"]


def message_type(level: int) -> types.MessageType:
    if level >= logging.ERROR:
        return types.MessageType.Error
    if level >= logging.WARNING:
        return types.MessageType.Warning
    if level >= logging.INFO:
        return types.MessageType.Info
    return types.MessageType.Log


class ClientLogHandler(logging.Handler):
    """Sends each record through ``send`` on the server's loop (records may come from any thread)."""

    def __init__(self, send: Callable[[types.LogMessageParams], None], loop: asyncio.AbstractEventLoop | None) -> None:
        super().__init__(logging.WARNING)
        self._send = send
        self._loop = loop
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._local, "busy", False):
            return  # a record logged while sending one: never loop
        try:
            params = types.LogMessageParams(type=message_type(record.levelno), message=self.format(record))
            if self._loop is not None and not self._in_loop_thread():
                self._loop.call_soon_threadsafe(self._send_now, params)
            else:
                self._send_now(params)
        except Exception:  # noqa: BLE001 - logging must never take the server down
            self.handleError(record)

    def _send_now(self, params: types.LogMessageParams) -> None:
        self._local.busy = True
        try:
            self._send(params)
        finally:
            self._local.busy = False

    def _in_loop_thread(self) -> bool:
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:
            return False
