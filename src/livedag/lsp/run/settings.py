"""Run settings: ``initializationOptions.run`` at start, ``livedag.run`` workspace configuration later.

``{"timeout": 60, "python": "/path/to/python", "prewarm": true, "executor": "inline", "address": null}``:
the run timeout in seconds, the interpreter the worker runs with (default: the server's own), whether
a worker is started ahead of the first run (when a file with nodes shows its code lenses), where the
worker runs node bodies (``inline``, ``threads``, ``processes``, ``ray``, ``dask``: see
docs/distributed.md) and the Ray or Dask cluster to connect to (default: a local one).
``initializationOptions.workspaceTrusted: false`` (VS Code's Restricted Mode) turns running off for the whole
session: no Run lenses, no worker, and the run command explains why. It is read from the initialization options
only, never from workspace configuration, which the untrusted workspace itself could write.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

__all__ = ["DEFAULT_TIMEOUT", "RunSettings"]

DEFAULT_TIMEOUT = 60.0
EXECUTORS = ("inline", "threads", "processes", "ray", "dask")
"""``livedag.executors.NAMES`` (the server never imports execution code)."""


@dataclass(frozen=True)
class RunSettings:
    timeout: float = DEFAULT_TIMEOUT
    python: str | None = None
    prewarm: bool = True
    trusted: bool = True
    executor: str = "inline"
    address: str | None = None

    @classmethod
    def from_options(cls, options: Any) -> RunSettings:
        """From initialization options: ``{"run": {...}, "workspaceTrusted": bool}`` (other keys are the server's)."""
        run = options.get("run") if isinstance(options, dict) else None
        trusted = options.get("workspaceTrusted") if isinstance(options, dict) else None
        return replace(cls().updated(run), trusted=trusted is not False)

    def updated(self, values: Any) -> RunSettings:
        """These settings with the valid entries of ``values`` (a ``livedag.run`` section) applied."""
        if not isinstance(values, dict):
            return self
        settings = self
        timeout = values.get("timeout")
        if isinstance(timeout, int | float) and not isinstance(timeout, bool) and timeout > 0:
            settings = replace(settings, timeout=float(timeout))
        python = values.get("python")
        if isinstance(python, str) and python.strip():
            settings = replace(settings, python=python.strip())
        prewarm = values.get("prewarm")
        if isinstance(prewarm, bool):
            settings = replace(settings, prewarm=prewarm)
        executor = values.get("executor")
        if isinstance(executor, str) and executor in EXECUTORS:
            settings = replace(settings, executor=executor)
        address = values.get("address", settings.address)
        if address is None or (isinstance(address, str) and address.strip()):
            settings = replace(settings, address=address.strip() if address else None)
        return settings
