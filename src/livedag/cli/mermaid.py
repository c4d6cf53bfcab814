"""``livedag mermaid PATH...``: the Mermaid text of the graph the files form."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from livedag.cli.check import release_stdout
from livedag.cli.config import ConfigError, add_config_argument, parse_config
from livedag.cli.sources import SourceReadError, read_sources
from livedag.graph import Graph, UnknownNodeError
from livedag.render import to_mermaid

__all__ = ["register", "run_mermaid"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("mermaid", help="print the graph as a Mermaid flowchart")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--focus", metavar="NODE", help="draw only the neighbourhood of this node")
    parser.add_argument("--depth", type=int, default=2, help="edges around --focus to include (default 2)")
    parser.add_argument("--direction", choices=("LR", "TB", "RL", "BT"), default="LR")
    add_config_argument(parser)
    parser.set_defaults(handler=run_mermaid)


def run_mermaid(args: argparse.Namespace) -> int:
    try:
        graph = Graph.from_sources(read_sources(args.paths), config=parse_config(args.config))
        sys.stdout.write(to_mermaid(graph, focus=args.focus, depth=args.depth, direction=args.direction))
        sys.stdout.flush()
    except BrokenPipeError:
        release_stdout()
    except (SourceReadError, ConfigError) as error:
        print(f"livedag mermaid: {error}", file=sys.stderr)
        return 2
    except UnknownNodeError as error:
        print(f"livedag mermaid: --focus: {error}", file=sys.stderr)
        return 2
    return 0
