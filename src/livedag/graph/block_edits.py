"""An edit of a file's functions applied to its last resolution, without going over the rest of the file.

Typing in a body or pressing Enter changes one function block; every block before it is what it was, and
every block after it is the same text some lines further down. :meth:`FileSnapshot.edited` finds the blocks
an edit touched (from where the old and new texts stop agreeing, at each end), cuts just that stretch of the
new text into blocks again, has them read (the caller's ``read``) and moves the specs of the blocks below.

It answers ``None`` (the caller resolves the file the ordinary way) whenever the edit could change more than
those blocks: a block that is not a function (imports, classes, constants), a private function (Hamilton's
pipe steps are read with the nodes using them), a name defined twice, a block that does not parse alone, a
cut that does not fall where the whole text's would, an old Mac line end or an import of Hamilton.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from livedag.graph.relocation import Origin, shifted
from livedag.graph.spec import NodeSpec

__all__ = [
    "FIRST_DEF",
    "IMPORTS_HAMILTON",
    "Block",
    "FileSnapshot",
    "block_offsets",
    "blocks_at",
    "common_ends",
    "def_name",
    "split_blocks",
]

_STATEMENT = re.compile(r"\n(?!(?:else|elif|except|finally)\b)(@|def\b|async\b|class\b|[^\s#)\]}])")
_HEAD = re.compile(r"(@|def\b|async\b|class\b)")
_DECORATED = re.compile(r"^(def|async|class)\b", re.MULTILINE)
FIRST_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w+)", re.MULTILINE)
IMPORTS_HAMILTON = re.compile(r"^[ \t]*(?:from|import)[ \t]+hamilton\b", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Block:
    start: int
    """1-based line of the block's first line."""
    text: str
    is_function: bool


def block_offsets(text: str) -> list[int]:
    """Where each top-level block starts, and the text's length: a new one starts at each column-0 line that
    is not a continuation (an indented or blank line, a comment, a closing bracket, ``else``/``except``..., a
    line after a backslash) and does not follow a decorator."""
    offsets = [0]
    head = _HEAD.match(text)
    decorated = head is not None and head.group(1) == "@"
    for match in _STATEMENT.finditer(text):  # searching for "\n" first: no regex try at every character
        newline = match.start()
        word = match.group(1)
        if text[newline - 1 : newline] == "\\" or text[newline - 2 : newline] == "\\\r":
            decorated = word == "@"
            continue
        if decorated and word in ("@", "def", "async", "class"):
            decorated = word == "@"
            continue
        offsets.append(newline + 1)
        decorated = word == "@"
    offsets.append(len(text))
    return offsets


def blocks_at(text: str, offsets: Sequence[int], first_line: int = 1) -> list[Block]:
    blocks = []
    line = first_line
    for begin, end in itertools.pairwise(offsets):
        chunk = text[begin:end]
        kind = _HEAD.match(chunk)
        word = kind.group(1) if kind else None
        if word == "@":
            after = _DECORATED.search(chunk)
            word = after.group(1) if after else None
        blocks.append(Block(line, chunk, word in ("def", "async")))
        line += chunk.count("\n")
    return blocks


def split_blocks(text: str) -> list[Block]:
    """The text cut into top-level blocks (see :func:`block_offsets`)."""
    return blocks_at(text, block_offsets(text))


def common_ends(old: str, new: str) -> tuple[int, int]:
    """How many characters the texts share at their start, and then at their end (never overlapping):
    halving slices, so that the comparing is done by the string type, not character by character."""
    limit = min(len(old), len(new))
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, limit - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    return prefix, low


Read = Callable[[list[Block]], list[list[NodeSpec]] | None]
"""Function blocks -> the specs of each (its lines where the block is), or ``None`` if one does not parse."""


@dataclass(frozen=True, slots=True)
class FileSnapshot:
    """One file as last resolved through its blocks: its text, where its blocks start, the specs of each
    block (none for other blocks) and the names its nodes have (each once)."""

    text: str
    offsets: list[int]
    blocks: list[Block]
    specs: list[list[NodeSpec]]
    names: frozenset[str]

    def all_specs(self) -> list[NodeSpec]:
        return list(itertools.chain.from_iterable(self.specs))

    def edited(self, text: str, read: Read) -> tuple[FileSnapshot, list[NodeSpec], list[Origin]] | None:
        """The file after an edit that changed function blocks only (see the module docstring): the new
        snapshot, the file's specs and where each came from; ``None`` when the file must be read whole."""
        old = self.text
        prefix, suffix = common_ends(old, text)
        if prefix == len(old) == len(text):
            return self, self.all_specs(), [(spec, 0) for spec in self.all_specs()]
        offsets = self.offsets
        # from the block before the one the edit starts in (its first line is untouched: a sure cut)...
        first = max(_block_holding(offsets, prefix) - 1, 0)
        # ...to the first block that starts (with the line end before it) in the unchanged end
        last = _first_block_from(offsets, len(old) - suffix + 1)
        growth = len(text) - len(old)
        begin = offsets[first]
        end = offsets[last] + growth  # where block `last` starts in the new text (or the end of the text)
        upto = offsets[last + 1] + growth if last + 1 < len(offsets) else len(text)
        stretch = text[begin:upto]
        if "\r" in stretch or IMPORTS_HAMILTON.search(stretch):
            return None
        cuts = [begin + offset for offset in block_offsets(stretch)]
        if last < len(offsets) - 1 and end not in cuts:
            return None  # the block after the edit does not start where it did: cut the whole text
        cuts = [cut for cut in cuts if cut <= end]
        if cuts[-1] != end:
            cuts.append(end)
        old_blocks = self.blocks[first:last]
        new_blocks = blocks_at(text, cuts, self.blocks[first].start if self.blocks else 1)
        if not all(block.is_function and not _private(block) for block in (*old_blocks, *new_blocks)):
            return None
        gone = {def_name(block) for block in old_blocks}
        names = [def_name(block) for block in new_blocks]
        kept = self.names - gone
        if len(set(names)) != len(names) or not kept.isdisjoint(names):
            return None  # a name defined twice: which definition wins depends on the whole file
        known = {
            (block.start, block.text): specs for block, specs in zip(old_blocks, self.specs[first:last], strict=True)
        }
        changed = [block for block in new_blocks if (block.start, block.text) not in known]
        read_changed = read(changed) if changed else []
        if read_changed is None:
            return None
        fresh = dict(zip((id(block) for block in changed), read_changed, strict=True))
        read_now = [
            known[(block.start, block.text)] if (block.start, block.text) in known else fresh[id(block)]
            for block in new_blocks
        ]
        lines = sum(block.text.count("\n") for block in new_blocks) - sum(b.text.count("\n") for b in old_blocks)
        below = [Block(block.start + lines, block.text, block.is_function) for block in self.blocks[last:]]
        moved = [[shifted(spec, lines) for spec in specs] for specs in self.specs[last:]]
        snapshot = FileSnapshot(
            text,
            [*offsets[:first], *cuts[:-1], *(offset + growth for offset in offsets[last:])],
            [*self.blocks[:first], *new_blocks, *below],
            [*self.specs[:first], *read_now, *moved],
            kept.union(names),
        )
        before = list(itertools.chain.from_iterable(self.specs[:first]))
        after = list(itertools.chain.from_iterable(self.specs[last:]))
        origins: list[Origin] = [(spec, 0) for spec in before]
        for block, specs in zip(new_blocks, read_now, strict=True):
            if (block.start, block.text) in known:
                origins.extend((spec, 0) for spec in specs)
            else:
                origins.extend(itertools.repeat(None, len(specs)))
        origins.extend((spec, lines) for spec in after)
        return snapshot, snapshot.all_specs(), origins


def def_name(block: Block) -> str:
    """The name the block's ``def`` gives (empty when there is none)."""
    match = FIRST_DEF.search(block.text)
    return match.group(1) if match else ""


def _private(block: Block) -> bool:
    name = def_name(block)
    return not name or name.startswith("_")


def _block_holding(offsets: Sequence[int], position: int) -> int:
    """The index of the block holding character ``position`` (the last block for the end of the text)."""
    return min(bisect.bisect_right(offsets, position) - 1, len(offsets) - 2)


def _first_block_from(offsets: Sequence[int], position: int) -> int:
    """The index of the first block starting at or after ``position`` (``len(offsets) - 1``: none does)."""
    return min(bisect.bisect_left(offsets, position, 0, len(offsets) - 1), len(offsets) - 1)
