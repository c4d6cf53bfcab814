"""Running nodes from the editor: the server side of ``livedag.run``.

The server never runs user code: ``runs`` drives a ``python -m livedag.worker`` subprocess (``process``)
over the protocol of ``livedag.worker.protocol``. Pure parts: ``inputs`` (values for external inputs
from the project configuration), ``state`` (last results per node, staleness by fingerprint),
``present`` (inlay hint, hover and diagnostic text), ``logs`` (batching what user code prints).
``shown`` (lenses, inlay hints and diagnostics as LSP objects), ``commands`` (command names and typed
arguments), ``targets`` (where a graph runs and the worker request). ``command`` runs the commands,
``tracked`` keeps each graph's results, ``updates`` coalesces refreshes and logs, ``restored`` reads runs
from before the server started; ``feature`` composes them into the contributor and ``wiring`` plugs it into
the server.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install"]


def install(server: Any) -> None:
    """Register the run commands, code lenses, inlay hints and the rest on ``server``."""
    from livedag.lsp.run.wiring import install as install_feature

    install_feature(server)
