"""Loading a module of ``tests/graph/hamilton_corpus`` by its file name, for the tests that compare livedag with
Apache Hamilton on it (graph and execution). Imported by those tests; not a test module itself."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

CORPUS = Path(__file__).parent / "graph" / "hamilton_corpus"


@contextmanager
def loaded(name: str) -> Iterator[ModuleType]:
    """The corpus module ``name``, imported under that name for the duration of the block."""
    spec = importlib.util.spec_from_file_location(name, CORPUS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(name, None)
