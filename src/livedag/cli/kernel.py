"""``livedag kernel install [--user | --sys-prefix | --prefix DIR]``: the notebook kernelspec."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register", "run_kernel"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("kernel", help="install the Jupyter kernel with livedag loaded")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    install = actions.add_parser("install", help='install the kernelspec "Python 3 (livedag)"')
    where = install.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for the current user only")
    where.add_argument("--sys-prefix", action="store_true", help=f"into this environment ({sys.prefix})")
    where.add_argument("--prefix", metavar="DIR", help="under DIR/share/jupyter/kernels")
    install.add_argument("--name", default="livedag", help="kernelspec name (default: livedag)")
    parser.set_defaults(handler=run_kernel)


def run_kernel(args: argparse.Namespace) -> int:
    try:
        from livedag.kernel.kernelspec import DISPLAY_NAME, install
    except ImportError as error:  # pragma: no cover - depends on the environment
        print(f"livedag kernel: {error}; install livedag[kernel]", file=sys.stderr)
        return 2
    prefix = sys.prefix if args.sys_prefix else args.prefix
    try:
        path = install(user=args.user, prefix=prefix, name=args.name)
    except ImportError as error:
        print(f"livedag kernel: {error}; install livedag[kernel]", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"livedag kernel: cannot install the kernelspec: {error} (try --user or --sys-prefix)", file=sys.stderr)
        return 1
    print(f'installed kernelspec "{DISPLAY_NAME}" in {path}')
    return 0
