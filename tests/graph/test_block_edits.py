"""Edits of function blocks applied to the last resolution (``graph.block_edits``) give exactly the specs of a
full static parse, after any sequence of line edits (hypothesis); a new line in a large file reads one block
and moves the specs below it, without cutting or parsing the rest of the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from resolutions import full, incremental

from livedag.graph.block_edits import common_ends, split_blocks
from livedag.graph.incremental import IncrementalResolver

ROOT = Path(__file__).parents[2]
FILES = {
    path.name: path.read_text()
    for path in [
        *(ROOT / "tests/lsp/fixtures" / name for name in ("pipeline.py", "clean.py", "tricky.py", "ordinary.py")),
        *sorted((ROOT / "tests/graph/corpus").glob("*.py")),
        # files importing Hamilton are read whole; an edit of their import line makes them ordinary files
        *sorted((ROOT / "tests/graph/hamilton_corpus").glob("*.py")),
    ]
}
LINES = [
    "",
    "    x = 1",
    "    return 2",
    "# a note",
    "def extra(words: list[str]) -> int:\n    return 1",
    "def words(raw_text: str) -> str:\n    return raw_text",
    "def _helper(x: int) -> int:\n    return x",
    "@functools.cache",
    "import os",
    "class Extra:\n    pass",
    "    '''",
    "    (",
    "else:",
    "\t",
    "  def indented(x: int) -> int:",
    "x = 1 + \\",
    "import hamilton",
    "from hamilton.function_modifiers import tag",
]


def line_edit(text: str, where: float, op: str, line: str) -> str:
    lines = text.split("\n")
    at = int(where * len(lines))
    if op == "insert":
        lines.insert(at, line)
    elif op == "delete" and at < len(lines):
        del lines[at]
    elif at < len(lines):
        lines[at] = line
    return "\n".join(lines)


line_edits = st.lists(
    st.tuples(st.floats(0, 1), st.sampled_from(["insert", "insert", "delete", "replace"]), st.sampled_from(LINES)),
    min_size=1,
    max_size=10,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.sampled_from(sorted(FILES)), min_size=1, max_size=3, unique=True),
    edits=line_edits,
    target=st.integers(0, 2),
)
def test_line_edits_give_the_specs_of_a_full_parse(names: list[str], edits, target: int):
    sources = {f"/w/{name}": FILES[name] for name in names}
    resolver = IncrementalResolver()
    assert incremental(resolver, sources) == full(sources)
    path = f"/w/{names[target % len(names)]}"
    for where, op, line in edits:
        sources[path] = line_edit(sources[path], where, op, line)
        assert incremental(resolver, sources) == full(sources)


def dataflow(size: int) -> str:
    out = ["from __future__ import annotations", ""]
    for i in range(size):
        params = "seed: int" if i == 0 else f"n{i - 1}: int"
        out.append(f'def n{i}({params}) -> int:\n    """Node {i}."""\n    return 1\n')
    return "\n".join(out)


def test_a_new_line_reads_one_block_and_moves_the_ones_below(monkeypatch):
    import livedag.graph.incremental as resolver_module

    text = dataflow(300)
    path = "/w/flow.py"
    resolver = IncrementalResolver()
    before = resolver.resolve({path: text}).specs[path]
    parsed: list[str] = []
    original = resolver_module.parse_module

    def counting(name: str, source: str):
        parsed.append(source.split("\n")[0])
        return original(name, source)

    monkeypatch.setattr(resolver_module, "parse_module", counting)
    monkeypatch.setattr(resolver_module, "split_blocks", lambda text: pytest.fail("the whole text was cut again"))
    monkeypatch.setattr(resolver_module, "block_offsets", lambda text: pytest.fail("the whole text was cut again"))
    lines = text.split("\n")
    at = lines.index("def n150(n149: int) -> int:") + 2
    lines.insert(at, "    x = 1")
    edited = "\n".join(lines)
    resolution = resolver.resolve({path: edited})
    assert parsed == ["def n150(n149: int) -> int:"]
    assert resolution.specs[path] == full({path: edited})[0]
    origins = resolution.origins[path]
    assert [origin is None for origin in origins[149:152]] == [False, True, False]
    assert origins[151] is not None
    assert origins[151] == (before[151], 1)
    assert all(spec is old for spec, old in zip(resolution.specs[path][:150], before, strict=False))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("abc", "abc", (3, 0)),
        ("abc", "abXc", (2, 1)),
        ("abc", "ac", (1, 1)),
        ("", "x", (0, 0)),
        ("aaa", "aaaa", (3, 0)),
        ("x\ny\n", "x\n\ny\n", (2, 2)),
    ],
)
def test_common_ends(old: str, new: str, expected: tuple[int, int]):
    prefix, suffix = common_ends(old, new)
    assert (prefix, suffix) == expected
    assert old[:prefix] == new[:prefix]
    assert old[len(old) - suffix :] == new[len(new) - suffix :]
    assert prefix + suffix <= min(len(old), len(new))


def test_blocks_still_cover_the_text():
    text = FILES["tricky.py"]
    assert "".join(block.text for block in split_blocks(text)) == text


BODY_LINES = [
    "",
    "    x = 1",
    "    return 2",
    "# a note",
    "def extra(words: list[str]) -> int:\n    return 1",
    "    '''",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(
        st.sampled_from(["pipeline.py", "clean.py", "cycle.py", "type_mismatch.py"]), min_size=1, max_size=2
    ),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["insert", "insert", "delete"]), st.sampled_from(BODY_LINES)),
        min_size=1,
        max_size=12,
    ),
)
def test_edits_of_bodies_give_the_specs_of_a_full_parse(names: list[str], edits):
    """The edits the fast path takes most (new lines, deleted lines, new functions), and their fallbacks."""
    sources = {f"/w/{name}": FILES[name] for name in dict.fromkeys(names)}
    resolver = IncrementalResolver()
    resolver.resolve(sources)
    path = next(iter(sources))
    for where, op, line in edits:
        sources[path] = line_edit(sources[path], where, op, line)
        assert incremental(resolver, sources) == full(sources)


def test_new_lines_in_bodies_are_applied_to_the_last_resolution():
    """Inserting a blank line at each line of a file: inside the functions, no whole resolution is needed."""
    text = FILES["pipeline.py"]
    count = len(text.split("\n"))
    applied = 0
    for line in range(count):
        resolver = IncrementalResolver()
        resolver.resolve({"/w/p.py": text})
        edited = line_edit(text, line / count, "insert", "")
        applied += resolver._edited({"/w/p.py": edited}) is not None
        assert incremental(resolver, {"/w/p.py": edited}) == full({"/w/p.py": edited})
    assert applied >= count * 2 // 3


def test_a_private_function_cut_off_from_its_body_is_a_syntax_error_on_first_read():
    """Found by the property test: a private block is never read for specs, so on a file's first read
    through its blocks its syntax error went unseen and the file had nodes instead of the error."""
    text = (
        "def seed() -> int:\n    return 2\n\n\n"
        "def _helper(x: int) -> int:\n"  # its body is cut off by the next definition
        "def extra(words: list[str]) -> int:\n    return 1\n    return x\n"
    )
    sources = {"/w/cut.py": text}
    specs, errors = incremental(IncrementalResolver(), sources)
    assert (specs, errors) == full(sources)
    assert list(errors) == ["/w/cut.py"]
