"""``python -m livedag.lsp``: the language server over stdio."""

from __future__ import annotations

from livedag.lsp.server import main

if __name__ == "__main__":
    raise SystemExit(main())
