"""Keep the working directory off ``sys.path`` in the processes that must never import a workspace's code.

``python -m livedag.lsp`` and ``python -m livedag.worker`` are started by editors *in the workspace
folder*, and ``python -m`` puts that folder first on ``sys.path``: an ``enum.py`` or ``typing.py`` there
would then be imported in place of the standard library's. The supported way to start them is with
``-P`` (``python -P -m livedag.lsp``, Python >= 3.11), which never adds it. Without ``-P``,
:func:`drop_working_directory` runs as the first thing ``import livedag`` does and takes the folder out
again, before anything else is imported. Only stdlib modules loaded at interpreter start (``sys``,
``os``) are used here. A ``livedag.py`` in the folder cannot be stopped this way (Python imports it
while it looks for the ``livedag`` package), which is why ``-P`` is the documented form.
"""

import os
import sys

__all__ = ["drop_working_directory", "protected_module"]

_PROTECTED = ("livedag.lsp", "livedag.worker")


def protected_module(orig_argv: list[str]) -> bool:
    """Whether the interpreter was started as ``python [...] -m livedag.lsp`` or ``-m livedag.worker``."""
    for index, argument in enumerate(orig_argv[1:], start=1):
        module = orig_argv[index + 1] if argument == "-m" and index + 1 < len(orig_argv) else None
        if argument.startswith("-m") and len(argument) > 2:
            module = argument[2:]
        if module is not None:
            return any(module == name or module.startswith(name + ".") for name in _PROTECTED)
        if not argument.startswith("-"):
            return False  # a script or `-c`: not ours
    return False


def drop_working_directory(path: list[str] | None = None) -> None:
    """Take ``''``, ``'.'`` and the working directory out of ``path`` (``sys.path``)."""
    path = sys.path if path is None else path
    try:
        cwd = os.getcwd()
    except OSError:  # the folder was deleted: nothing of it can be imported anyway
        cwd = None
    path[:] = [entry for entry in path if entry not in ("", ".") and (cwd is None or entry != cwd)]


if protected_module(list(getattr(sys, "orig_argv", []))) and not sys.flags.safe_path:
    drop_working_directory()
