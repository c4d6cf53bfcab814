"""Loading a graph's modules by path: fresh per run, from editor text when given, importing each other."""

from __future__ import annotations

import sys
import textwrap

import pytest

from livedag.worker.loader import ModuleLoader, module_name, package_root


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/ws/pipeline.py", "pipeline"),
        ("/ws/pkg/mod.py", "pkg.mod"),
        ("/ws/pkg/__init__.py", "pkg"),
        ("/elsewhere/thing.py", "thing"),
        ("/ws/my-dir/mod.py", "mod"),
    ],
)
def test_module_name(path, expected):
    assert module_name(path, "/ws") == expected


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "shapes.py").write_text("class Box:\n    size = 1\n")
    (tmp_path / "pipe.py").write_text(
        textwrap.dedent(
            """
            from shapes import Box

            def box() -> Box:
                return Box()
            """
        )
    )
    loader = ModuleLoader()
    yield tmp_path, loader
    loader.forget()


def test_modules_import_each_other_and_are_forgotten_between_runs(workspace):
    root, loader = workspace
    (pipe,) = loader.load(str(root), [str(root / "pipe.py")])
    assert pipe.box().size == 1
    assert "shapes" in sys.modules
    (root / "shapes.py").write_text("class Box:\n    size = 2\n")
    (pipe_again,) = loader.load(str(root), [str(root / "pipe.py")])
    assert pipe_again is not pipe
    assert pipe_again.box().size == 2
    loader.forget()
    assert "shapes" not in sys.modules
    assert str(root) not in sys.path


def test_editor_text_wins_over_the_file(workspace):
    root, loader = workspace
    sources = {str(root / "shapes.py"): "class Box:\n    size = 3\n"}
    (pipe,) = loader.load(str(root), [str(root / "pipe.py")], sources)
    assert pipe.box().size == 3


def test_a_file_shadowed_by_a_loaded_module_is_loaded_under_a_private_name(tmp_path):
    (tmp_path / "json.py").write_text("def answer() -> int:\n    return 42\n")
    loader = ModuleLoader()
    try:
        (module,) = loader.load(str(tmp_path), [str(tmp_path / "json.py")])
        assert module.answer() == 42
        assert module.__name__ != "json"
        assert hasattr(sys.modules["json"], "loads")
    finally:
        loader.forget()


def test_a_root_already_on_sys_path_still_has_its_modules_reloaded(workspace, monkeypatch):
    root, loader = workspace
    monkeypatch.syspath_prepend(str(root))
    loader.load(str(root), [str(root / "pipe.py")])
    assert "shapes" in sys.modules
    loader.forget()
    assert "shapes" not in sys.modules
    assert "pipe" not in sys.modules


def test_an_unsaved_buffer_named_by_a_uri_is_loaded_from_its_text(tmp_path):
    loader = ModuleLoader()
    try:
        buffer = {"untitled:Untitled-1": "def one() -> int:\n    return 1\n"}
        (module,) = loader.load(str(tmp_path), ["untitled:Untitled-1"], buffer)
        assert module.one() == 1
        assert module.__file__ == "untitled:Untitled-1"
    finally:
        loader.forget()
    assert module_name("untitled:Untitled-1", "/ws") == "untitled_Untitled_1"


def test_package_root_is_the_first_folder_that_is_not_a_package(tmp_path):
    (tmp_path / "src" / "pkg" / "sub").mkdir(parents=True)
    for folder in ("src/pkg", "src/pkg/sub"):
        (tmp_path / folder / "__init__.py").write_text("")
    assert package_root(str(tmp_path / "src" / "pkg" / "sub" / "mod.py")) == str(tmp_path / "src")
    assert package_root(str(tmp_path / "script.py")) == str(tmp_path)


def test_modules_of_a_script_folder_import_each_other_by_plain_name(tmp_path):
    folder = tmp_path / "examples" / "flow"
    folder.mkdir(parents=True)
    (folder / "helpers.py").write_text("def double(x: int) -> int:\n    return 2 * x\n")
    (folder / "steps.py").write_text("import helpers\n\ndef four() -> int:\n    return helpers.double(2)\n")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("")
    (tmp_path / "src" / "pkg" / "base.py").write_text("ONE = 1\n")
    nodes_text = "from pkg.base import ONE\n\ndef one() -> int:\n    return ONE\n"
    (tmp_path / "src" / "pkg" / "nodes.py").write_text(nodes_text)
    loader = ModuleLoader()
    try:
        steps, nodes = loader.load(str(tmp_path), [str(folder / "steps.py"), str(tmp_path / "src/pkg/nodes.py")])
        assert (steps.__name__, steps.four()) == ("steps", 4)
        assert (nodes.__name__, nodes.one()) == ("pkg.nodes", 1)
    finally:
        loader.forget()
    assert "helpers" not in sys.modules
    assert "pkg.base" not in sys.modules
