"""The "Python 3 (livedag)" kernelspec: ipykernel started with the livedag extension loaded.

``kernel_json`` is pure; ``install`` writes the spec with ``jupyter_client`` (imported lazily, so
``livedag kernel --help`` works without Jupyter installed).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["DISPLAY_NAME", "KERNEL_NAME", "install", "kernel_json"]

KERNEL_NAME = "livedag"
DISPLAY_NAME = "Python 3 (livedag)"


def kernel_json(python: str | None = None) -> dict[str, Any]:
    """The spec: ``python -m ipykernel_launcher --ext=livedag -f {connection_file}``."""
    return {
        "argv": [python or sys.executable, "-m", "ipykernel_launcher", "--ext=livedag", "-f", "{connection_file}"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def install(
    *, user: bool = False, prefix: str | None = None, name: str = KERNEL_NAME, python: str | None = None
) -> str:
    """Install the kernelspec (system-wide unless ``user`` or ``prefix``); returns the directory."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as folder:
        spec_dir = Path(folder) / name
        spec_dir.mkdir()
        (spec_dir / "kernel.json").write_text(json.dumps(kernel_json(python), indent=1) + "\n", encoding="utf-8")
        return str(KernelSpecManager().install_kernel_spec(str(spec_dir), name, user=user, prefix=prefix))
