"""One module per editor feature: plain functions of a ``GraphView`` and a position, returning
lsprotocol values (or plain data), unit-tested without a server."""

from __future__ import annotations

__all__: list[str] = []
