"""Shared helpers for the execution tests: loading the corpus modules by file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

CORPUS = Path(__file__).parent / "corpus"


def load(name: str) -> ModuleType:
    """``corpus/<name>.py`` as a module named ``livedag_exec_corpus_<name>`` (imported once)."""
    module_name = f"livedag_exec_corpus_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, CORPUS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
