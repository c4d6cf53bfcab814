"""The parity corpus for Hamilton's function modifiers (``hamilton_corpus/``): every modifier, singly and
stacked, resolved by Apache Hamilton, by livedag at runtime (Hamilton's own expansion) and by livedag
statically (from source); the three must build the same graph: node names, dependencies, optional flags,
types and tags. Values are compared in ``tests/execution/test_execution_hamilton.py``."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hamilton import graph as hamilton_graph
from hamilton import node as hamilton_node

from hamilton_corpus_loading import CORPUS, loaded
from livedag import Graph, ProblemCode, Severity
from livedag.graph.runtime_types import type_ref_from_annotation

MODULES = sorted(path.stem for path in CORPUS.glob("*.py"))
# Modifiers livedag reads from source only as far as a note: their nodes come from Hamilton at runtime.
RUNTIME_ONLY = {"dynamic_args"}
# Tags naming a class of Hamilton's registry (the loader of `load_from.json`): known only at runtime.
REGISTRY_TAGS = {"hamilton.data_loader.classname", "hamilton.data_saver.classname"}
CONFIGS = [
    {},
    {"kind": "pdf", "region": "us", "version": 1, "split": "even"},
    {"kind": "txt", "region": "fr", "version": 2, "split": "first"},
]
CONFIG_IDS = ["empty", "first", "second"]


def hamilton_shape(fg: hamilton_graph.FunctionGraph) -> dict[str, Any]:
    optional = hamilton_node.DependencyType.OPTIONAL
    return {
        name: (
            {dep: kind == optional for dep, (_, kind) in node.input_types.items()},
            type_ref_from_annotation(node.type),
            {k: v for k, v in node.tags.items() if k != "module"},  # livedag tags plain functions with nothing
        )
        for name, node in fg.nodes.items()
        if not node.user_defined
    }


def livedag_shape(graph: Graph) -> dict[str, Any]:
    return {
        name: (
            {p.name: p.optional for p in spec.params},
            spec.returns,
            {k: v for k, v in spec.tags.items() if k != "module"},
        )
        for name, spec in graph.nodes.items()
    }


def resolve(name: str, config: dict[str, Any]) -> tuple[Graph, Graph, hamilton_graph.FunctionGraph]:
    static = Graph.from_paths(CORPUS / f"{name}.py", config=config)
    with loaded(name) as module:
        runtime = Graph.from_modules(module, config=config)
        hamilton = hamilton_graph.FunctionGraph.from_modules(module, config=config)
    return static, runtime, hamilton


@pytest.mark.parametrize("config", CONFIGS, ids=CONFIG_IDS)
@pytest.mark.parametrize("name", MODULES)
def test_runtime_graph_is_hamiltons(name: str, config: dict[str, Any]) -> None:
    _, runtime, hamilton = resolve(name, config)
    assert livedag_shape(runtime) == hamilton_shape(hamilton)
    assert runtime.errors == ()


@pytest.mark.parametrize("config", CONFIGS, ids=CONFIG_IDS)
@pytest.mark.parametrize("name", [m for m in MODULES if m not in RUNTIME_ONLY])
def test_static_graph_is_the_runtime_graph(name: str, config: dict[str, Any]) -> None:
    static, runtime, _ = resolve(name, config)
    assert set(static.nodes) == set(runtime.nodes)
    for node, spec in static.nodes.items():
        live = runtime.nodes[node]
        assert [(p.name, p.optional, p.kind) for p in spec.params] == [
            (p.name, p.optional, p.kind) for p in live.params
        ]
        assert dict(spec.tags) == {
            k: v for k, v in live.tags.items() if k != "module" and (k in spec.tags or k not in REGISTRY_TAGS)
        }
        assert spec.span == live.span
        assert spec.origin == live.origin
        # Static types are the same where source can tell them (a dataframe library's classes it cannot).
        if spec.returns is not None and not spec.returns.is_opaque:
            assert spec.returns == live.returns, node
        for param, live_param in zip(spec.params, live.params, strict=True):
            if param.annotation is not None and not param.annotation.is_opaque:
                assert param.annotation == live_param.annotation, (node, param.name)
    assert {n: i.required for n, i in static.inputs.items()} == {n: i.required for n, i in runtime.inputs.items()}
    assert static.problems == () or [p.code for p in static.problems] == [p.code for p in runtime.problems]


@pytest.mark.parametrize("name", sorted(RUNTIME_ONLY))
def test_what_livedag_models_only_at_runtime_is_one_note_and_no_error(name: str) -> None:
    static, runtime, hamilton = resolve(name, {})
    notes = [p for p in static.problems if p.code is ProblemCode.UNKNOWN_DECORATOR]
    assert notes
    assert all(p.severity is Severity.INFO for p in static.problems)
    assert all("cannot know from source" in p.message for p in notes)
    assert set(runtime.nodes) == set(hamilton_shape(hamilton))


def test_computed_arguments_are_named_in_the_note() -> None:
    static = Graph.from_paths(CORPUS / "dynamic_args.py", config={})
    (note,) = static.problems
    assert "computed when the module runs (`FIELDS`)" in note.message
    assert static.nodes["frame"].opaque


def test_with_no_config_a_family_is_one_node_listing_its_variants() -> None:
    graph = Graph.from_paths(CORPUS / "config_family.py")
    raw_text = graph.nodes["raw_text"]
    assert [v.origin for v in raw_text.variants] == ["raw_text__pdf", "raw_text__other"]
    assert [v.tags["livedag.when"] for v in raw_text.variants] == ["kind == 'pdf'", "kind != 'pdf'"]
    assert {p.name: p.optional for p in raw_text.params} == {"text_source": False, "encoding": True}
    assert "raw_text" not in graph.inputs
    assert graph.problems == ()
    tax = graph.nodes["tax"]
    assert [v.tags["livedag.when"] for v in tax.variants] == ["region in ['us', 'ca']", "region not in ['us', 'ca']"]


def test_every_variant_of_a_family_is_validated() -> None:
    source = (
        "from hamilton.function_modifiers import config\n"
        "@config.when(kind='a')\ndef value__a() -> int:\n    return 1\n"
        "@config.when(kind='b')\ndef value__b() -> str:\n    return 'b'\n"
        "@config.when(kind='a')\ndef user__a(value: int) -> int:\n    return value\n"
        "@config.when(kind='b')\ndef user__b(value) -> int:\n    return 0\n"
    )
    graph = Graph.from_sources({"family.py": source})
    found = sorted((p.code.value, p.span.line if p.span else 0) for p in graph.problems)
    # `user__a` takes an int, but the family `value` may return a str; `user__b` has no annotation.
    assert found == [("missing-annotation", 12), ("type-mismatch", 9)]
    assert Graph.from_sources({"family.py": source}, config={"kind": "a"}).problems == ()


def test_hamilton_refusal_is_an_invalid_modifier_error() -> None:
    source = (
        "from hamilton.function_modifiers import check_output\n\n"
        "@check_output(range=(0, 1))\ndef frame() -> dict:\n    return {}\n"
    )
    path = CORPUS.parent / "refused_example.py"
    module = ModuleType("refused_example")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec"), module.__dict__)
    sys.modules["refused_example"] = module  # Hamilton looks functions' modules up there
    try:
        with pytest.raises(ValueError, match="Could not resolve validators"):
            hamilton_graph.FunctionGraph.from_modules(module, config={})
    finally:
        del sys.modules["refused_example"]
    graph = Graph.from_modules(module, config={})
    (problem,) = graph.problems
    assert problem.code is ProblemCode.INVALID_MODIFIER
    assert problem.is_error
    assert "`frame`" in problem.message
    assert "Could not resolve validators" in problem.message


def test_modules_without_modifiers_do_not_import_hamilton(tmp_path: Path) -> None:
    import subprocess

    plain = tmp_path / "plain.py"
    plain.write_text("def a() -> int:\n    return 1\n\ndef b(a: int) -> int:\n    return a\n")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import plain; from livedag import Graph; "
        "Graph.from_modules(plain, config={}); Graph.from_paths(sys.argv[1] + '/plain.py', config={}); "
        "print('hamilton' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


PARALLEL = """
from hamilton.htypes import Collect, Parallelizable

def url(urls: list[str]) -> Parallelizable[str]:
    yield from urls

def url_length(url: {item}) -> int:
    return len(url)

def total_length(url_length: Collect[{collected}]) -> int:
    return sum(url_length)
"""


@pytest.mark.parametrize(
    ("item", "collected", "mismatches"),
    [
        ("str", "int", []),
        ("int", "int", [("url_length", "url")]),  # a consumer of Parallelizable[str] takes a str
        ("str", "str", [("total_length", "url_length")]),  # Collect[str] of int items
    ],
)
def test_parallelizable_and_collect_types(item: str, collected: str, mismatches: list[tuple[str, str]]) -> None:
    source = PARALLEL.format(item=item, collected=collected)
    static = Graph.from_sources({"par.py": source})
    module = ModuleType("par")
    module.__file__ = "par.py"
    exec(compile(source, "par.py", "exec"), module.__dict__)
    runtime = Graph.from_modules(module)
    for graph in (static, runtime):
        assert [p.nodes for p in graph.problems] == mismatches  # no possible-typo for `urls` next to `url`
        assert graph.nodes["url"].returns is not None
        assert graph.nodes["url"].returns.name == "hamilton.htypes.Parallelizable"
        collect = graph.nodes["total_length"].params[0].annotation
        assert collect is not None
        assert collect.name == "hamilton.htypes.Collect"
        assert [arg.name for arg in collect.args] == [collected]


def test_a_custom_validator_of_another_module_is_one_note() -> None:
    source = (
        "from hamilton.data_quality.default_validators import DataInRangeValidatorPrimitives\n"
        "from hamilton.function_modifiers import check_output_custom\n\n"
        "@check_output_custom(DataInRangeValidatorPrimitives(range=(0, 9), importance='warn'))\n"
        "def counted(x: int) -> int:\n    return x\n"
    )
    graph = Graph.from_sources({"custom.py": source}, config={})
    (note,) = graph.problems
    assert note.code is ProblemCode.UNKNOWN_DECORATOR
    assert note.severity is Severity.INFO
    assert "DataInRangeValidatorPrimitives" in note.message
    assert graph.nodes["counted"].opaque


@pytest.mark.parametrize(
    ("argument", "validator"), [("schema", "pandera_schema_validator"), ("model", "pydantic_validator")]
)
def test_plugin_validators_are_named_as_hamilton_names_them(argument: str, validator: str) -> None:
    source = (
        "from hamilton.function_modifiers import check_output\n"
        "import elsewhere\n\n"
        f"@check_output({argument}=elsewhere.SCHEMA)\n"
        "def frame(x: int) -> int:\n    return x\n"
    )
    graph = Graph.from_sources({"plugin.py": source}, config={})
    assert set(graph.nodes) == {"frame", "frame_raw", f"frame_{validator}"}
    assert graph.problems == ()


def test_a_pandera_schema_check_is_hamiltons() -> None:
    pytest.importorskip("pandera")
    source = (
        "import pandas as pd\nimport pandera as pa\n"
        "from hamilton.function_modifiers import check_output\n\n"
        "SCHEMA = pa.SeriesSchema(int, checks=[pa.Check.isin([0, 1])])\n\n"
        "@check_output(schema=SCHEMA)\n"
        "def flags(raw: pd.Series) -> pd.Series:\n    return raw\n"
    )
    path = CORPUS.parent / "pandera_example.py"
    module = ModuleType("pandera_example")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec"), module.__dict__)
    sys.modules["pandera_example"] = module
    try:
        hamilton = hamilton_graph.FunctionGraph.from_modules(module, config={})
    finally:
        del sys.modules["pandera_example"]
    static = Graph.from_sources({str(path): source}, config={})
    assert set(static.nodes) == set(hamilton_shape(hamilton))


@pytest.mark.parametrize("config", [None, {}, {"pairs": {"total": "x"}}])
def test_resolve_is_one_note_saying_it_depends_on_the_config(config: dict[str, Any] | None) -> None:
    source = (
        "from hamilton.function_modifiers import ResolveAt, parameterize, resolve, source\n\n"
        "@resolve(when=ResolveAt.CONFIG_AVAILABLE, decorate_with=lambda pairs: parameterize(\n"
        "    **{key: {'a': source(value)} for key, value in pairs.items()}))\n"
        "def summed(a: int) -> int:\n    return a\n"
    )
    graph = Graph.from_sources({"resolved.py": source}, config=config)
    (note,) = graph.problems
    assert note.severity is Severity.INFO
    assert "picks the decorator to apply from the config" in note.message
    assert set(graph.nodes) == {"summed"}


def test_with_no_config_a_cycle_through_exclusive_variants_is_not_an_error() -> None:
    # `survey` takes `client_id` in its online variant only; `client_id` comes out of the batch variant.
    source = (
        "import pandas as pd\n"
        "from hamilton.function_modifiers import config, extract_columns\n\n"
        "@config.when(mode='batch')\n@extract_columns('age', 'client_id')\n"
        "def survey__batch(table: str) -> pd.DataFrame:\n    return pd.DataFrame()\n\n"
        "@config.when(mode='online')\n@extract_columns('age')\n"
        "def survey__online(client_id: int) -> pd.DataFrame:\n    return pd.DataFrame()\n"
    )
    assert Graph.from_sources({"modes.py": source}).errors == ()
    for mode in ("batch", "online"):
        assert Graph.from_sources({"modes.py": source}, config={"mode": mode}).errors == ()


def test_with_no_config_a_cycle_every_variant_has_is_an_error() -> None:
    source = (
        "from hamilton.function_modifiers import config\n\n"
        "@config.when(mode='a')\ndef first__a(second: int) -> int:\n    return second\n\n"
        "@config.when(mode='b')\ndef first__b(second: int) -> int:\n    return second\n\n"
        "def second(first: int) -> int:\n    return first\n"
    )
    codes = {problem.code for problem in Graph.from_sources({"loop.py": source}).errors}
    assert codes == {ProblemCode.CYCLE}
