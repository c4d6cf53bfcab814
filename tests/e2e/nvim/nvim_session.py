"""Runs headless Neovim with the minimal `init.lua` (starts `livedag lsp`) and a driver script that writes what
the editor saw to JSON: the one launcher for every Neovim test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def run_neovim(source: Path, driver: str, workdir: Path, timeout: float = 120) -> dict[str, Any]:
    nvim = shutil.which("nvim")
    assert nvim, "Neovim is a system dependency of the tests (make system-deps)"
    out = workdir / "seen.json"
    env = {
        **os.environ,
        "LIVEDAG_LSP": str(Path(sys.executable).parent / "livedag"),
        "LIVEDAG_NVIM_OUT": str(out),
        "XDG_STATE_HOME": str(workdir / "state"),
        "XDG_DATA_HOME": str(workdir / "data"),
    }
    subprocess.run(
        [nvim, "--headless", "-n", "-u", str(HERE / "init.lua"), str(source), "-c", f"luafile {HERE / driver}"],
        env=env,
        cwd=workdir,
        timeout=timeout,
        check=True,
        capture_output=True,
    )
    return json.loads(out.read_text())
