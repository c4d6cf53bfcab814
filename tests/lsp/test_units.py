"""The pure parts of the language server, without a server: configuration, membership, the noise
rule, the state's last good graph, lookups and features over views built from strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from livedag.graph.incremental import IncrementalResolver
from livedag.lsp.config import ConfigError, ProjectConfig, parse_config
from livedag.lsp.dataflow_files import is_dataflow_file
from livedag.lsp.features.completion import parameter_context
from livedag.lsp.features.hover import hover_markdown
from livedag.lsp.features.lenses import code_lenses, lens_title
from livedag.lsp.features.navigation import RenameRefused, definition, references, rename_edits
from livedag.lsp.features.preview_payloads import GraphRequestError, graph_payload
from livedag.lsp.lookup import target_at
from livedag.lsp.state import GraphState, GraphView
from livedag.lsp.workspace import Membership, expand_patterns

FIXTURES = Path(__file__).parent / "fixtures"
PIPELINE = (FIXTURES / "pipeline.py").read_text()


def view_of(text: str, path: str = "/w/flow.py", configured: bool = False) -> GraphView:
    return GraphState(path, configured).update({path: text})


# -- configuration -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("/p/pyproject.toml", "[project]\nname='x'\n", None),
        ("/p/pyproject.toml", "[tool.livedag.graphs]\na = ['f/*.py']\n", {"a": ("f/*.py",)}),
        ("/p/pyproject.toml", "[tool.livedag.graphs]\na = 'f/'\n", {"a": ("f/",)}),
        ("/p/livedag.toml", "[graphs]\nb = ['x.py', 'y.py']\n", {"b": ("x.py", "y.py")}),
        ("/p/livedag.toml", "", {}),
    ],
)
def test_config_is_read(path: str, text: str, expected: dict[str, tuple[str, ...]] | None):
    parsed = parse_config(path, text)
    if expected is None:
        assert parsed is None
    else:
        assert isinstance(parsed, ProjectConfig)
        assert parsed.graphs == expected


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[tool.livedag.graphs]\na = [\n", 3, "not valid TOML"),
        ("[tool.livedag]\ngraphs = 3\n", 2, "`graphs` must be a table"),
        ("[tool.livedag.graphs]\nflow = 3\n", 2, "graph `flow` must be a non-empty list"),
        ("[tool.livedag.graphs]\nflow = []\n", 2, "non-empty list"),
        ("[tool]\nlivedag = 1\n", 2, "must be a table"),
    ],
)
def test_a_malformed_config_is_one_error_with_its_line(text: str, line: int, words: str):
    error = parse_config("/p/pyproject.toml", text)
    assert isinstance(error, ConfigError)
    assert words in error.message
    assert error.line == line


def test_membership_expands_globs_and_directories(tmp_path: Path):
    (tmp_path / "flow" / "deep").mkdir(parents=True)
    for name in ("flow/a.py", "flow/b.py", "flow/deep/c.py", "flow/notes.txt", "other.py"):
        (tmp_path / name).write_text("")
    named = expand_patterns(str(tmp_path), ("flow/*.py", "other.py"))
    assert [Path(p).name for p in named] == ["a.py", "b.py", "other.py"]
    assert [Path(p).name for p in expand_patterns(str(tmp_path), ("flow",))] == ["a.py", "b.py", "c.py"]
    (tmp_path / "pyproject.toml").write_text("[tool.livedag.graphs]\nflow = ['flow/**/*.py']\n")
    membership = Membership(roots=[str(tmp_path)])
    membership.load()
    key = membership.key_for(str(tmp_path / "flow" / "deep" / "c.py"))
    assert key.configured
    assert len(membership.files_of(key)) == 3
    alone = membership.key_for(str(tmp_path / "other.py"))
    assert not alone.configured
    assert membership.files_of(alone) == [str(tmp_path / "other.py")]


# -- the noise rule --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "dataflow"),
    [
        ("def a(x):\n    return x\n\ndef b(y):\n    return y\n", False),
        ("def a(x: int) -> int:\n    return x\n\ndef b(y):\n    return y\n", True),  # half annotated
        ("def a(x: int) -> int:\n    return x\n\ndef b(y):\n    return y\n\ndef c(z):\n    pass\n", False),
        ("import livedag\n\ndef a(x):\n    return x\n", True),
        ("from livedag import node\n", True),
        ("X = 1\n", False),  # no functions: nothing to say
        ("def a(x: int):\n    return x\n", False),  # no return annotation: not fully annotated
        ("from hamilton.function_modifiers import tag\n\ndef a(x):\n    return x\n", True),
        ("import hamilton\n", True),
        ("import hamiltonian\n\ndef a(x):\n    return x\n", False),
    ],
)
def test_noise_rule(text: str, dataflow: bool):
    specs = IncrementalResolver().resolve({"/w/m.py": text}).specs["/w/m.py"]
    assert is_dataflow_file(text, specs) is dataflow


@pytest.mark.parametrize(
    ("text", "dataflow"),
    [
        ("def a(x: int) -> int\n    return x\n", True),  # the missing `:`
        ("<<<<<<< HEAD\ndef a() -> int:\n    return 1\n=======\ndef a() -> int:\n    return 2\n>>>>>>> b\n", True),
        ("def a(x)\n    return x\n", False),
        ("x = (\n", False),
    ],
)
def test_noise_rule_of_a_file_that_never_parsed(text: str, dataflow: bool):
    assert is_dataflow_file(text, None) is dataflow


@pytest.mark.parametrize("text", ["def a(x: int) -> int\n    return x\n", "import livedag\n\n<<<<<<< HEAD\nx = 1\n"])
def test_a_file_broken_when_first_opened_shows_its_syntax_error(text: str):
    assert [p.code.value for p in view_of(text).problems_in("/w/flow.py")] == ["syntax-error"]


def test_an_ordinary_file_shows_no_problems_unless_configured():
    text = "def a(x):\n    return x\n\ndef b(a):\n    return a\n"
    assert view_of(text).problems_in("/w/flow.py") == []
    assert {p.code.value for p in view_of(text, configured=True).problems_in("/w/flow.py")} == {"missing-annotation"}


# -- the last good graph -----------------------------------------------------------------------------
def test_a_broken_file_keeps_its_last_good_nodes_and_shows_only_the_syntax_error():
    state = GraphState("/w/flow.py", False)
    state.update({"/w/flow.py": PIPELINE})
    view = state.update({"/w/flow.py": PIPELINE + "\ndef half(words: list[str]"})
    assert view.broken == {"/w/flow.py"}
    assert len(view.graph.nodes) == 7
    assert [p.code.value for p in view.problems_in("/w/flow.py")] == ["syntax-error"]
    assert view.version == 2
    fixed = state.update({"/w/flow.py": PIPELINE + "\ndef half(words: list[str]) -> int:\n    return 1\n"})
    assert len(fixed.graph.nodes) == 8
    assert fixed.broken == frozenset()


# -- lookups and features ------------------------------------------------------------------------------
def test_target_at_names_and_parameters():
    view = view_of(PIPELINE)
    assert target_at(view, "/w/flow.py", 11, 5).name == "words"  # def words
    param = target_at(view, "/w/flow.py", 11, 11)
    assert param.name == "raw_text"
    assert param.node.name == "words"
    assert target_at(view, "/w/flow.py", 13, 4) is None  # the body
    assert target_at(view, "/w/flow.py", 500, 0) is None
    assert target_at(view, "/w/other.py", 11, 5) is None


def test_hover_definition_references():
    view = view_of(PIPELINE)
    text, target = hover_markdown(view, "/w/flow.py", 16, 5)
    assert target.name == "word_count"
    assert "**Needs**" in text
    assert "`words`: `list[str]` from `words` (flow.py:11)" in text
    assert definition(view, "/w/flow.py", 16, 16).line == 11
    assert [s.line for s in references(view, "word_count", include_declaration=False)] == [20]


def test_rename_edits_and_refusals():
    view = view_of(PIPELINE)
    edits = rename_edits(view, "/w/flow.py", 16, 5, "n_words")["/w/flow.py"]
    # the use inside the f-string is renamed too
    assert sorted((span.line, span.column) for span, _ in edits) == [(16, 4), (20, 11), (21, 14)]
    with pytest.raises(RenameRefused, match="not a Python identifier"):
        rename_edits(view, "/w/flow.py", 16, 5, "n words")
    with pytest.raises(RenameRefused, match="already a node"):
        rename_edits(view, "/w/flow.py", 16, 5, "words")
    with pytest.raises(RenameRefused, match="already an external input"):
        rename_edits(view, "/w/flow.py", 16, 5, "path")
    with pytest.raises(RenameRefused, match="place the cursor"):
        rename_edits(view, "/w/flow.py", 2, 0, "x")


def test_rename_leaves_a_shadowing_nested_scope_alone():
    text = "def a(x: int) -> int:\n    return x\n\n\ndef b(a: int) -> int:\n    f = lambda a: a + 1\n    return f(a)\n"
    edits = rename_edits(view_of(text), "/w/flow.py", 1, 4, "alpha")["/w/flow.py"]
    assert sorted((span.line, span.column) for span, _ in edits) == [(1, 4), (5, 6), (7, 13)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("def f(", ("f", set())),
        ("def f(a: int, ", ("f", {"a"})),
        ("async def g(x,\n      y", ("g", {"x"})),
        ("def f(a: ", None),
        ("def f(a=", None),
        ("def f(a: dict[str, ", None),
        ("def f(a) -> int:\n    x = ", None),
        ("x = (", None),
    ],
)
def test_parameter_context(text: str, expected: tuple[str, set[str]] | None):
    line = text.count("\n") + 1
    column = len(text.split("\n")[-1])
    assert parameter_context(text, line, column) == expected


def test_lenses_and_graph_payload():
    view = view_of(PIPELINE)
    assert lens_title(view, "raw_text") == "1 dependency · 1 dependent"
    assert len(code_lenses(view, "/w/flow.py")) == 7
    payload = graph_payload(view, "file:///w/flow.py", focus="path", depth=1)
    assert [node["name"] for node in payload["nodes"]] == ["raw_text"]
    assert [item["name"] for item in payload["inputs"]] == ["path"]
    with pytest.raises(GraphRequestError, match="depth"):
        graph_payload(view, "file:///w/flow.py", depth=-1)
    assert graph_payload(view, "u", max_nodes=5)["tooLarge"] is True


def test_an_edit_inside_a_body_reuses_the_validated_graph():
    state = GraphState("/w/flow.py", False)
    first = state.update({"/w/flow.py": PIPELINE})
    body = state.update({"/w/flow.py": PIPELINE.replace("return len(words)", "return len(words) + 0")})
    assert body.graph is first.graph
    assert body.version == 2
    assert body.nodes_in("/w/flow.py")[2] is body.graph.nodes["word_count"]
    retyped = PIPELINE.replace("def word_count(words: list[str]) -> int", "def word_count(words: list[str]) -> str")
    typed = state.update({"/w/flow.py": retyped})
    assert typed.graph is not first.graph
    assert "type-mismatch" not in [p.code.value for p in typed.problems_in("/w/flow.py")]  # report takes a str now
    longer = state.update({"/w/flow.py": retyped.replace("return report", "return report  # as it is")})
    assert longer.graph is typed.graph  # the end of a definition moved, nothing else
    moved = state.update({"/w/flow.py": "\n" + retyped})
    assert moved.graph is not typed.graph  # every span moved


def test_diagnostic_messages_are_plain_text_with_workspace_relative_paths():
    from livedag.lsp.features.diagnostics import plain_text

    message = "node `report` (/ws/pkg/report.py:12) needs `words`: `list[str]`, from /elsewhere/x.py:3"
    assert plain_text(message, ["/ws", "/ws/pkg"]) == (
        "node 'report' (report.py:12) needs 'words': 'list[str]', from /elsewhere/x.py:3"
    )
    assert plain_text(message, []).startswith("node 'report' (/ws/pkg/report.py:12) needs")


def test_server_log_records_reach_the_client_with_their_level():
    import logging

    from lsprotocol import types

    from livedag.lsp.log_forward import ClientLogHandler

    sent: list[types.LogMessageParams] = []
    handler = ClientLogHandler(sent.append, None)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("livedag.test.forward")
    logger.addHandler(handler)
    try:
        logger.info("not sent: below WARNING")
        logger.warning("a warning")
        logger.error("an error")
    finally:
        logger.removeHandler(handler)
    assert [(p.type, p.message) for p in sent] == [
        (types.MessageType.Warning, "a warning"),
        (types.MessageType.Error, "an error"),
    ]


def test_hover_has_words_for_every_node_kind():
    from livedag.graph import NodeKind
    from livedag.lsp.features.hover import _kind_words

    words = {kind: _kind_words(kind) for kind in NodeKind}
    assert len(set(words.values())) == len(NodeKind)
    assert words[NodeKind.ASYNC_GENERATOR] == "async streaming node"
