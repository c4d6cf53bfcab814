"""Rendering: graphs (and the status of a run) as Mermaid text."""

from __future__ import annotations

from livedag.render.mermaid import NodeStatus, escape_label, neighbourhood, to_mermaid

__all__ = ["NodeStatus", "escape_label", "neighbourhood", "to_mermaid"]
