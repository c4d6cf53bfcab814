"""Hamilton's config for the language server: ``[tool.livedag] config`` for a project, ``config`` of one graph,
and what each makes of a ``@config.when`` family (one node listing its variants when there is none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from livedag.lsp.config import ConfigError, ProjectConfig, parse_config
from livedag.lsp.state import GraphState
from livedag.lsp.workspace import Membership

FAMILY = (Path(__file__).parents[1] / "graph" / "hamilton_corpus" / "config_family.py").read_text()


def test_project_and_graph_configs_are_read() -> None:
    text = (
        "[tool.livedag]\nconfig = {kind = 'pdf'}\n"
        "[tool.livedag.graphs]\nmain = ['a.py']\ntxt = {paths = ['a.py'], config = {kind = 'txt'}}\n"
    )
    parsed = parse_config("/p/pyproject.toml", text)
    assert isinstance(parsed, ProjectConfig)
    assert parsed.graphs == {"main": ("a.py",), "txt": ("a.py",)}
    assert parsed.config_of("main") == {"kind": "pdf"}
    assert parsed.config_of("txt") == {"kind": "txt"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[tool.livedag]\nconfig = 3\n", "`config` must be a table"),
        ("[tool.livedag.graphs]\nflow = {paths = ['a.py'], config = 1}\n", "`config` must be a table"),
        ("[tool.livedag.graphs]\nflow = {config = {a = 1}}\n", "non-empty list"),
    ],
)
def test_a_malformed_config_is_an_error(text: str, words: str) -> None:
    error = parse_config("/p/pyproject.toml", text)
    assert isinstance(error, ConfigError)
    assert words in error.message


def test_membership_gives_each_graph_its_config(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(FAMILY)
    (tmp_path / "alone.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.livedag]\nconfig = {kind = 'pdf'}\n[tool.livedag.graphs]\nmain = ['a.py']\n"
    )
    membership = Membership(roots=[str(tmp_path)])
    membership.load()
    assert membership.config_for(membership.key_for(str(tmp_path / "a.py"))) == {"kind": "pdf"}
    assert membership.config_for(membership.key_for(str(tmp_path / "alone.py"))) == {"kind": "pdf"}
    (tmp_path / "pyproject.toml").write_text("[tool.livedag.graphs]\nmain = ['a.py']\n")
    membership.load()
    assert membership.config_for(membership.key_for(str(tmp_path / "a.py"))) is None


def test_without_config_a_family_is_one_node_with_its_variants() -> None:
    view = GraphState("/w/a.py", False).update({"/w/a.py": FAMILY})
    family = view.graph.nodes["raw_text"]
    assert [v.origin for v in family.variants] == ["raw_text__pdf", "raw_text__other"]
    assert "raw_text" not in view.graph.inputs
    assert view.graph.problems == ()


def test_with_a_config_the_chosen_variant_is_the_node() -> None:
    state = GraphState("/w/a.py", False, {"kind": "pdf", "region": "fr"})
    view = state.update({"/w/a.py": FAMILY})
    assert view.graph.nodes["raw_text"].origin == "raw_text__pdf"
    assert view.graph.nodes["tax"].origin == "tax__rest"
    assert set(view.graph.nodes) == {"text_source", "raw_text", "tax", "pages", "summary"}
    edited = state.update({"/w/a.py": FAMILY.replace('kind="pdf")\ndef raw_text__pdf', 'kind="x")\ndef raw_text__pdf')})
    assert "raw_text" in edited.graph.inputs  # no variant holds for kind=pdf any more
