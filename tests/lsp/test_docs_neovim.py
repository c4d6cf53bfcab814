"""The Neovim setup docs/lsp.md gives is the one the headless Neovim tests run (``tests/e2e/nvim/init.lua``):
the same Lua, but for where the executable comes from."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_documented_neovim_setup_is_the_tested_one():
    docs = (ROOT / "docs" / "lsp.md").read_text(encoding="utf-8")
    section = docs[docs.index("### Neovim") :]
    documented = re.search(r"```lua\n(.*?)```", section, re.DOTALL)
    assert documented is not None
    tested = (ROOT / "tests" / "e2e" / "nvim" / "init.lua").read_text(encoding="utf-8")
    body = tested[tested.index("local markers") :]
    assert documented.group(1).split("\n", 1)[0] == 'local cmd = { "livedag", "lsp" }'
    assert documented.group(1).split("\n", 1)[1] == body
