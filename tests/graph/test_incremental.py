"""The incremental resolver gives exactly the specs and syntax errors of a full static parse,
after any sequence of edits (hypothesis), and only re-reads what changed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from resolutions import full, incremental

from livedag.graph.incremental import IncrementalResolver, split_blocks

ROOT = Path(__file__).parents[2]
FILES = {
    path.name: path.read_text()
    for path in [
        *sorted((ROOT / "tests/lsp/fixtures").glob("*.py")),
        *sorted((ROOT / "examples" / "text_pipeline").glob("*.py")),
        *(ROOT / "tests/graph/hamilton_corpus" / name for name in ("config_family.py", "stacked.py", "pipes.py")),
    ]
}
TOKENS = [
    "def ",
    "async def ",
    "(",
    ")",
    ":",
    " -> ",
    "int",
    "str",
    "list[str]",
    ",",
    "\n",
    "    ",
    "@functools.cache\n",
    '"""',
    "'",
    "#",
    "\\\n",
    "class X:\n",
    "yield x",
    "return 1",
    "import os\n",
    "else:\n",
    "words",
    "x",
    "=",
    " ",
    "\r\n",
    "\t",
    "\n\n\ndef late(words: str) -> int:\n    return 1\n",
    "é",
    "\x00",
]

edits = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 30), st.lists(st.sampled_from(TOKENS), max_size=4).map("".join)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(st.sampled_from(sorted(FILES)), min_size=1, max_size=3, unique=True), edits=edits)
def test_incremental_equals_full_parse_after_random_edits(names: list[str], edits):
    sources = {f"/w/{name}": FILES[name] for name in names}
    resolver = IncrementalResolver()
    assert incremental(resolver, sources) == full(sources)
    target = f"/w/{names[0]}"
    for where, deleted, inserted in edits:
        text = sources[target]
        start = int(where * len(text))
        sources[target] = text[:start] + inserted + text[start + deleted :]
        assert incremental(resolver, sources) == full(sources)


def test_blocks_cover_the_text_and_cut_at_top_level_statements():
    text = FILES["tricky.py"]
    blocks = split_blocks(text)
    assert "".join(block.text for block in blocks) == text
    functions = [block.text.split("\n")[0].split("  #")[0] for block in blocks if block.is_function]
    assert functions == [
        "def not_a_node(x: int) -> int:",  # cut inside a string: the marker check sends the file to a full parse
        "@functools.cache",
        "@functools.wraps(cached)",
        "def uses_base(wrapped: Base) -> str:",
        "async def chunks(uses_base: str) -> AsyncIterator[str]:",
        "def uses_base(wrapped: Child) -> str:",
        "def last(chunks: list[str], *, limit: int = 3) -> list[str]:",
    ]
    assert any(block.text.startswith("if TYPE_CHECKING:") and "else:" in block.text for block in blocks)
    assert any(block.text.startswith("TOTAL = 1 + \\\n    2") for block in blocks)


def test_an_edit_in_one_function_reads_only_that_function(monkeypatch):
    import livedag.graph.incremental as resolver_module

    text = FILES["pipeline.py"]
    resolver = IncrementalResolver()
    resolver.resolve({"/w/p.py": text})
    parsed: list[str] = []
    original = resolver_module.parse_module

    def counting(path: str, source: str):
        parsed.append(source.lstrip("\n").split("\n")[0])
        return original(path, source)

    monkeypatch.setattr(resolver_module, "parse_module", counting)
    edited = text.replace("return len(words)", "return len(words) + 0")
    resolution = resolver.resolve({"/w/p.py": edited})
    assert parsed == ["def word_count(words: list[str]) -> int:"]
    assert [spec.name for spec in resolution.specs["/w/p.py"]][:3] == ["raw_text", "words", "word_count"]


def test_lines_added_above_move_the_functions_below_without_reading_them(monkeypatch):
    import livedag.graph.incremental as resolver_module

    text = FILES["pipeline.py"]
    resolver = IncrementalResolver()
    resolver.resolve({"/w/p.py": text})
    read: list[str] = []
    original = resolver_module.specs_per_function

    def counting(modules, config=None):
        read.extend(fn.name for module in modules for fn in module.functions)
        return original(modules, config)

    monkeypatch.setattr(resolver_module, "specs_per_function", counting)
    edited = text.replace("return len(words)", "return len(\n        words\n    )")
    resolution = resolver.resolve({"/w/p.py": edited})
    assert read == ["word_count"]
    assert resolution.specs["/w/p.py"] == full({"/w/p.py": edited})[0]
