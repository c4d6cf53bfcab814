"""Input values from the project configuration, and the one message listing what is missing."""

from __future__ import annotations

import json
import textwrap

import pytest

from livedag.graph import Graph
from livedag.lsp.run.inputs import InputsError, load_inputs, missing_message


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "shared.json", json.dumps({"a": 1, "b": 1}))
    write(tmp_path / "pipe.json", json.dumps({"c": "from json"}))
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.livedag.graphs]
        pipe = ["pipe/*.py"]

        [tool.livedag.inputs]
        inputs-file = "shared.json"
        b = 2

        [tool.livedag.graph-inputs.pipe]
        inputs-file = "pipe.json"
        d = [1, 2]

        [tool.livedag.graph-inputs."loose.py"]
        a = "loose"
        """,
    )
    write(tmp_path / "pipe" / "one.py", "")
    write(tmp_path / "loose.py", "")
    return tmp_path


def test_a_configured_graph_gets_shared_then_its_own_values(project):
    config = load_inputs(f"{project / 'pyproject.toml'}#pipe", [str(project / "pipe" / "one.py")])
    assert config.values == {"a": 1, "b": 2, "c": "from json", "d": [1, 2]}
    assert config.config == project / "pyproject.toml"


def test_a_single_file_graph_is_matched_by_path(project):
    config = load_inputs(str(project / "loose.py"), [str(project / "loose.py")], str(project))
    assert config.values == {"a": "loose", "b": 2}


def test_livedag_toml_drops_the_prefix(tmp_path):
    write(tmp_path / "livedag.toml", '[inputs]\nx = 3\n[graph-inputs."sub"]\ny = 4\n')
    path = write(tmp_path / "sub" / "mod.py", "")
    assert load_inputs(str(path), [str(path)]).values == {"x": 3, "y": 4}


def test_no_configuration_means_no_values(tmp_path):
    path = write(tmp_path / "mod.py", "")
    assert load_inputs(str(path), [str(path)], str(tmp_path)).values == {}


@pytest.mark.parametrize(
    ("toml", "files", "needle"),
    [
        ('[tool.livedag.inputs]\ninputs-file = "nope.json"\n', {}, "nope.json' cannot be read"),
        ('[tool.livedag.inputs]\ninputs-file = "bad.json"\n', {"bad.json": "{"}, "is not valid JSON"),
        ('[tool.livedag.inputs]\ninputs-file = "list.json"\n', {"list.json": "[1]"}, "must hold a JSON object"),
        ("[tool.livedag]\ninputs = 3\n", {}, "must be a table of input name = value"),
        ("[tool.livedag\n", {}, "cannot read the livedag settings"),
    ],
)
def test_configuration_errors_say_where_and_what(tmp_path, toml, files, needle):
    write(tmp_path / "pyproject.toml", toml)
    for name, text in files.items():
        write(tmp_path / name, text)
    path = write(tmp_path / "mod.py", "")
    with pytest.raises(InputsError, match=r"pyproject\.toml") as caught:
        load_inputs(str(path), [str(path)])
    assert needle in str(caught.value)


GRAPH = Graph.from_sources(
    {
        "g.py": textwrap.dedent(
            """
            def a(x: int, y: int) -> int:
                return x + y

            def b(a: int, z: int, w: int = 1) -> int:
                return a * z
            """
        )
    }
)


def test_one_message_lists_every_missing_input_and_where_to_set_it(tmp_path):
    config = load_inputs(str(tmp_path / "g.py"), [str(tmp_path / "g.py")], str(tmp_path))
    message = missing_message(GRAPH.missing_inputs({"y": 1}), config)
    assert "missing inputs: `x` (needed by `a`); `z` (needed by `b`)" in message
    assert "[tool.livedag.inputs]" in message
