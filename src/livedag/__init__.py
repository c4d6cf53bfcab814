"""livedag: live function-graph dataflows, resolved at runtime or statically, rendered and run.

This module is the public API. It imports only the standard library: the language server
(``livedag.lsp``) and the notebook extension (``livedag.kernel``) are loaded on demand.
"""

from __future__ import annotations

from typing import Any

from livedag.graph import (
    CycleError,
    ExternalInput,
    Graph,
    NodeKind,
    NodeSpec,
    Problem,
    ProblemCode,
    Severity,
    Span,
    UnknownNodeError,
    node,
)
from livedag.render import NodeStatus, to_mermaid

__version__ = "0.1.0"

__all__ = [
    "CycleError",
    "ExternalInput",
    "Graph",
    "NodeKind",
    "NodeSpec",
    "NodeStatus",
    "Problem",
    "ProblemCode",
    "Severity",
    "Span",
    "UnknownNodeError",
    "__version__",
    "load_ipython_extension",
    "node",
    "to_mermaid",
]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext livedag``: imports the notebook extension only when asked for."""
    from livedag.kernel import load_ipython_extension as load

    load(ipython)
