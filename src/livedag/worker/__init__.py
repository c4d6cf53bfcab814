"""The run worker: a separate process that imports a graph's modules and runs them with the core driver.

``python -m livedag.worker`` is started by the language server, which never runs user code itself.
``livedag.worker.protocol`` (stdlib only) is the contract both sides share; only ``runner`` imports
``livedag.execution``, and nothing here is imported by ``import livedag``.
"""

from __future__ import annotations

__all__: list[str] = []
