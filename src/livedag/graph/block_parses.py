"""The cached parse of each function block of a file, for ``incremental``: a block is parsed alone (from
line 1) and moved where it is only when it must be read again; once its specs are cached its syntax tree is
released (on a large file the trees were most of the memory), and released blocks read again are parsed
together, each at its own lines. Also the check that a file's blocks were cut at top-level statements."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from livedag.graph.block_edits import FIRST_DEF, Block
from livedag.graph.static import FunctionDef, ParsedModule

__all__ = ["CUT", "BlockParse", "FileCache", "Stub", "cut_at_top_level", "parse_blocks", "unread_blocks"]

CUT = "__livedag_cut__\n"
"""Stands in the context text for each function block."""


def cut_at_top_level(context_text: str, cuts: int) -> bool:
    """Whether every cut is a statement of its own: a cut inside a multi-line string or brackets means
    the function block was not a top-level definition, and the file must be parsed whole."""
    try:
        tree = ast.parse(context_text)
    except (SyntaxError, ValueError):
        return True  # parse_module reports it and the file is parsed whole
    found = sum(
        1
        for statement in tree.body
        if isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Name)
        and statement.value.id == "__livedag_cut__"
    )
    return found == cuts


@dataclass(frozen=True, slots=True)
class Stub:
    """Stands for a function whose syntax tree was released once its spec was cached."""

    name: str


@dataclass
class BlockParse:
    """A function block's parse; its line numbers are those of a block starting at ``start``, which
    is moved to where the block is now only when the block has to be read again. Once the block's
    specs are cached its syntax tree is released (``module`` ``None``: on a large file the trees
    were most of the memory); a block read again is parsed again."""

    start: int
    module: ParsedModule | None
    names: tuple[str, ...] = ()
    _stubs: list[FunctionDef | Stub] | None = None

    def __post_init__(self) -> None:
        if self.module is not None:
            self.names = tuple(fn.name for fn in self.module.functions)

    def functions(self) -> list[FunctionDef | Stub]:
        if self.module is None:
            if self._stubs is None or len(self._stubs) != len(self.names):
                self._stubs = [Stub(name) for name in self.names]
            return self._stubs
        return list(self.module.functions)

    def move_to(self, start: int) -> None:
        if start != self.start and self.module is not None:
            for fn in self.module.functions:
                ast.increment_lineno(fn, start - self.start)
            self.start = start

    def revive(self, fn: FunctionDef | None, start: int) -> None:
        """The block parsed again (``None``: it did not parse), its tree at the block's lines now (``start``)."""
        if fn is None:
            return
        self.module = ParsedModule("", "", "", [], [fn] if not fn.name.startswith("_") else [])
        self.names = tuple(f.name for f in self.module.functions)
        self.start = start

    def release(self) -> None:
        if self.module is not None and not self.module.helpers:  # private helpers (pipe steps) are kept
            self.module = None


@dataclass
class FileCache:
    context: tuple[str, ParsedModule | None] | None = None
    blocks: dict[tuple[str, int], BlockParse] = field(default_factory=dict)
    """(text, occurrence) -> its parse."""
    cut: tuple[str, list[int], list[Block]] | None = None
    """The text last cut into blocks, where they start and the blocks; ``None`` if it was read whole or
    cannot be edited block by block (functions inside ``if``/``try``, a name defined twice)."""


def unread_blocks(blocks: list[Block]) -> dict[int, BlockParse]:
    """A file seen for the first time: its public function blocks, by the line where each starts, not parsed
    yet (they are parsed a chunk at a time when their specs are read), each with its function's name.

    A private function's block is left out: no spec is ever read from it, so it would never be parsed, and a
    syntax error in it (``def _helper(x):`` with its body cut off) would go unseen. It is parsed at once."""
    found: dict[int, BlockParse] = {}
    for block in blocks:
        if block.is_function:
            match = FIRST_DEF.search(block.text)
            if match and not match.group(1).startswith("_"):
                found[block.start] = BlockParse(block.start, None, (match.group(1),))
    return found


def parse_blocks(path: str, blocks: list[tuple[int, str]]) -> dict[int, FunctionDef]:
    """Function blocks (start line, text) parsed in one go, each at its own lines: the top-level function
    that starts at each block's line. Empty when they do not parse."""
    pieces: list[str] = []
    line = 1
    for start, text in sorted(blocks):
        pieces.append("\n" * (start - line))
        pieces.append(text if text.endswith("\n") else text + "\n")
        line = start + text.count("\n") + (0 if text.endswith("\n") else 1)
    try:
        tree = ast.parse("".join(pieces), filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    return {
        min([statement.lineno, *(d.lineno for d in statement.decorator_list)]): statement
        for statement in tree.body
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
    }
