"""Which node functions travel by value: decided by where their module lives, not by whether the driver
can import it (``livedag run`` puts a flow's folder on the driver's ``sys.path`` only)."""

from __future__ import annotations

import importlib
import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import livedag.executors.shipping as shipping
from livedag.executors.shipping import by_value_module, companions


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on the driver's ``sys.path`` (as ``livedag run`` makes it) with a flow and its helper."""
    name = tmp_path.name.replace("-", "_")
    (tmp_path / f"helper_{name}.py").write_text("def offset() -> int:\n    return 1\n")
    (tmp_path / f"flow_{name}.py").write_text(
        f"import json\n\nimport helper_{name}\nfrom helper_{name} import offset\n\n"
        "def node() -> int:\n    return offset()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(shipping, "_DECIDED", {})
    yield tmp_path
    for module in (f"flow_{name}", f"helper_{name}"):
        sys.modules.pop(module, None)


def _flow(folder: Path) -> types.ModuleType:
    return importlib.import_module(f"flow_{folder.name.replace('-', '_')}")


def test_a_project_module_the_driver_imports_by_name_travels_by_value(project: Path) -> None:
    flow = _flow(project)
    assert by_value_module(flow.node) is flow
    names = sorted(module.__name__ for module in companions(flow))
    assert names == sorted([flow.__name__, f"helper_{project.name.replace('-', '_')}"])  # not json


def test_a_module_on_pythonpath_travels_by_reference(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(project))  # every process started from here has it
    assert by_value_module(_flow(project).node) is None


def test_library_and_livedag_functions_travel_by_reference() -> None:
    from livedag.executors.body import run_body

    assert by_value_module(json.dumps) is None
    assert by_value_module(run_body) is None


def test_a_module_made_in_memory_travels_by_value(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("livedag_cells_in_memory")
    exec("def cell() -> int:\n    return 1\n", module.__dict__)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(shipping, "_DECIDED", {})
    assert by_value_module(module.cell) is module
