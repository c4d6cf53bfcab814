"""``livedag lsp``: the language server over stdio, or the transport an editor's flags ask for."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register", "run_lsp"]


def register(subparsers: Any) -> None:
    from livedag.lsp.transport import add_transport_arguments  # stdlib only: pygls is not imported here

    parser = subparsers.add_parser(
        "lsp",
        help="start the language server (stdio; nothing in the editor's files is imported or run)",
        description="Start the livedag language server. It speaks LSP over stdio unless another transport is given.",
    )
    add_transport_arguments(parser)
    parser.set_defaults(handler=run_lsp, lsp_parser=parser)


def run_lsp(args: argparse.Namespace) -> int:
    from livedag._safe_path import drop_working_directory
    from livedag.lsp.transport import parse_transport

    drop_working_directory()  # a PYTHONPATH of "" or "." must not let the workspace's modules in either

    try:
        transport = parse_transport(args)
    except ValueError as error:
        args.lsp_parser.error(str(error))
    try:
        from livedag.lsp.server import serve
    except ImportError as error:  # pygls is the optional `lsp` extra
        print(f"livedag lsp: {error}; install it with: pip install 'livedag[lsp]'")
        return 2
    return serve(transport)
