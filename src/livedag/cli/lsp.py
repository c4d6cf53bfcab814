"""``livedag lsp``: the language server over stdio (or ``--tcp HOST:PORT``)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register", "run_lsp"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lsp",
        help="start the language server (stdio; nothing in the editor's files is imported or run)",
        description="Start the livedag language server. It speaks LSP over stdio unless --tcp is given.",
    )
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead of stdio")
    parser.set_defaults(handler=run_lsp)


def run_lsp(args: argparse.Namespace) -> int:
    try:
        from livedag.lsp.server import serve
    except ImportError as error:  # pygls is the optional `lsp` extra
        print(f"livedag lsp: {error}; install it with: pip install 'livedag[lsp]'")
        return 2
    tcp: str | None = args.tcp
    return serve(tcp)
