"""The notebook extension: ``%load_ext livedag`` in ipykernel (or the "Python 3 (livedag)" kernel).

``%%dag`` cells add their functions to the notebook's graph; ``%%dag --run`` and ``%dag run``
run it with a live per-node table under the cell. See docs/notebook.md. Everything IPython-related
is imported only when the extension is loaded.
"""

from __future__ import annotations

import contextlib
from typing import Any

__all__ = ["last_run", "load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython: Any) -> None:
    import livedag.graph.validation  # noqa: F401 - imported now, not on the notebook's first run
    from livedag.kernel.magics import DagMagics, session_for, transform_cell
    from livedag.kernel.threads import install_sleep

    install_sleep()  # node threads' time.sleep becomes interruptible (see kernel/threads.py)
    ipython.register_magics(DagMagics)
    if transform_cell not in ipython.input_transformers_cleanup:
        ipython.input_transformers_cleanup.append(transform_cell)
    callback = session_for(ipython).forget_deleted_cells
    if callback not in ipython.events.callbacks["pre_run_cell"]:
        ipython.events.register("pre_run_cell", callback)


def unload_ipython_extension(ipython: Any) -> None:
    from livedag.kernel.magics import session_for, transform_cell
    from livedag.kernel.threads import uninstall_sleep

    uninstall_sleep()
    if transform_cell in ipython.input_transformers_cleanup:
        ipython.input_transformers_cleanup.remove(transform_cell)
    with contextlib.suppress(ValueError):
        ipython.events.unregister("pre_run_cell", session_for(ipython).forget_deleted_cells)


def last_run(ipython: Any = None) -> Any:
    """The ``Run`` of the notebook's last ``%%dag --run`` / ``%dag run`` (None before the first)."""
    from IPython import get_ipython

    from livedag.kernel.magics import session_for

    shell = ipython or get_ipython()
    return None if shell is None else session_for(shell).last_run
