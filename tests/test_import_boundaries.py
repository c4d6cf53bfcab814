"""The imports that must never exist (docs/architecture.md), read from the source of every module, and
``import livedag`` with all of its lazy exports loading none of the optional dependencies."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "livedag"

ALLOWED: dict[str, tuple[str, ...]] = {
    # part -> the livedag modules it may import (prefixes); the part itself is always allowed
    "graph": (),
    "render": ("graph",),
    "execution": ("graph",),
    "executors": ("graph", "execution"),
    "history": ("graph", "execution"),
    "telemetry": ("graph", "execution"),
    "worker": ("graph", "execution", "executors", "history", "_safe_path"),
    "lsp": (
        "graph",
        "render",
        "worker.protocol",
        "history",
        "_safe_path",
    ),  # never execution: the editor runs no user code
    "kernel": ("graph", "execution", "executors", "render", "history"),  # never lsp
    "cli": ("*",),
    "__main__": ("cli",),
    "__init__": ("graph", "render", "execution", "kernel", "_safe_path"),
    "_safe_path": (),
}
THIRD_PARTY: dict[str, tuple[str, ...]] = {
    # optional dependency -> the parts that may import it
    "pygls": ("lsp",),
    "lsprotocol": ("lsp",),
    "IPython": ("kernel",),
    "ipykernel": ("kernel",),
    "opentelemetry": ("telemetry",),
    "ray": ("executors",),
    "dask": ("executors",),
    "distributed": ("executors",),
    "hamilton": ("graph", "execution", "executors"),
}
LAZY_ONLY = {"hamilton", "ray", "dask", "distributed"}
"""Imported only inside functions: a module that does not use them must not need them installed."""


def imports() -> Iterator[tuple[str, str, str, bool]]:
    """(part, file, imported module, at module level) for every absolute import in the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        part = relative.parts[0] if len(relative.parts) > 1 else relative.stem
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                yield part, str(relative), name, id(node) in top_level


def test_every_part_imports_only_what_it_may():
    wrong = []
    for part, file, name, _ in imports():
        if not name.startswith("livedag."):
            continue
        target = name.removeprefix("livedag.")
        allowed = ALLOWED.get(part)
        assert allowed is not None, f"{file}: part {part!r} is not in the table of docs/architecture.md"
        ok = target.split(".")[0] == part or "*" in allowed
        ok = ok or any(target == prefix or target.startswith(prefix + ".") for prefix in allowed)
        if not ok:
            wrong.append(f"{file} imports livedag.{target}")
    assert not wrong


def test_optional_dependencies_stay_in_their_parts():
    wrong = []
    for part, file, name, top_level in imports():
        root = name.split(".")[0]
        if root not in THIRD_PARTY:
            continue
        if part not in THIRD_PARTY[root] and part != "cli":
            wrong.append(f"{file} imports {name}")
        elif root in LAZY_ONLY and top_level:
            wrong.append(f"{file} imports {name} at module level (it is optional: import it where it is used)")
    assert not wrong


@pytest.mark.parametrize("forbidden", [[*sorted(THIRD_PARTY), "pandas", "numpy"]])
def test_import_livedag_and_its_lazy_exports_load_no_optional_dependency(forbidden: list[str]):
    script = (
        "import json, sys, livedag\n"
        "[getattr(livedag, name) for name in livedag.__all__]\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({forbidden!r}))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
