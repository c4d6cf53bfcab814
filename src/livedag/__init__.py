"""livedag: live function-graph dataflows, resolved at runtime or statically, rendered and run.

This module is the public API. It imports only the standard library: the language server
(``livedag.lsp``) and the notebook extension (``livedag.kernel``) are loaded on demand.
"""

from __future__ import annotations

import livedag._safe_path  # noqa: F401 - first: `python -m livedag.lsp` must not import the workspace's code
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

# Not `from typing import TYPE_CHECKING`: nothing else `import livedag` loads needs `typing` (~15 ms).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from livedag.execution import Driver, InvalidRunError, NodeFailedError, Run, RunningLoopError

__version__ = "0.1.0"

# The execution package (asyncio, threads) is imported on first use, keeping ``import livedag`` light.
_EXECUTION_EXPORTS = frozenset({"Driver", "InvalidRunError", "NodeFailedError", "Run", "RunningLoopError"})

__all__ = [
    "CycleError",
    "Driver",
    "ExternalInput",
    "Graph",
    "InvalidRunError",
    "NodeKind",
    "NodeFailedError",
    "NodeSpec",
    "NodeStatus",
    "Problem",
    "ProblemCode",
    "Run",
    "RunningLoopError",
    "Severity",
    "Span",
    "UnknownNodeError",
    "__version__",
    "load_ipython_extension",
    "unload_ipython_extension",
    "node",
    "to_mermaid",
]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext livedag``: imports the notebook extension only when asked for."""
    from livedag.kernel import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext livedag``: stops rewriting ``%%dag`` cells; the graph and results stay."""
    from livedag.kernel import unload_ipython_extension as unload

    unload(ipython)


def __getattr__(name: str) -> Any:
    if name in _EXECUTION_EXPORTS:
        import livedag.execution as execution

        value = getattr(execution, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'livedag' has no attribute {name!r}")
