"""Parity of livedag with Apache Hamilton over a directory of Hamilton modules: for every module Hamilton
accepts with ``config={}``, is livedag's graph the same (node names, dependencies, optional flags, and types
where source can tell them), statically and at runtime, and does livedag report no error on it?

Run: ``.venv/bin/python benchmarks/hamilton_corpus.py [DIR_OR_FILE ...]`` (default: the parity corpora in
``tests/graph`` and the Hamilton modules the installed ``apache-hamilton`` wheel ships). Each module is imported
on its own (its folder and that folder's parent on ``sys.path``, as an example is run from its own root or
its package's); one that fails to import is counted apart, as Hamilton never sees it. ``--json FILE`` writes
every module's outcome (verdict, static/runtime equality, first difference, livedag errors).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import io
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from livedag import Graph
from livedag.graph.runtime_types import type_ref_from_annotation
from livedag.graph.types import TypeRef

ROOT = Path(__file__).resolve().parents[1]


def default_paths() -> list[Path]:
    import hamilton

    shipped = Path(hamilton.__file__).parent
    return [
        ROOT / "tests/graph/hamilton_corpus",
        ROOT / "tests/graph/corpus",
        shipped / "dataflows",
        shipped / "contrib",
    ]


@dataclass
class Outcome:
    path: Path
    verdict: str
    """``import-error``, ``hamilton-refuses``, ``equal`` or ``different``."""
    static_equal: bool = False
    runtime_equal: bool = False
    livedag_errors: list[str] = field(default_factory=list)
    detail: str = ""


@contextlib.contextmanager
def imported(path: Path, index: int) -> Iterator[ModuleType]:
    # Under its file's name, as static resolution names it (unless taken), so class names agree.
    name = path.stem if path.stem not in sys.modules else f"livedag_corpus_{index}_{path.stem}"
    folders = [str(path.parent), str(path.parent.parent)]
    sys.path[:0] = folders
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(name, None)
        for folder in folders:
            sys.path.remove(folder)


def hamilton_shape(module: ModuleType) -> dict[str, Any]:
    from hamilton import graph as hamilton_graph
    from hamilton import node as hamilton_node

    fg = hamilton_graph.FunctionGraph.from_modules(module, config={})
    optional = hamilton_node.DependencyType.OPTIONAL
    return {
        name: (
            {dep: kind == optional for dep, (_, kind) in node.input_types.items()},
            type_ref_from_annotation(node.type),
        )
        for name, node in fg.nodes.items()
        if not node.user_defined
    }


def difference(graph: Graph, expected: dict[str, Any]) -> str:
    """Empty when ``graph`` is Hamilton's graph; else the first difference, for the report."""
    if set(graph.nodes) != set(expected):
        missing, extra = sorted(set(expected) - set(graph.nodes)), sorted(set(graph.nodes) - set(expected))
        return f"nodes: missing {missing[:4]}, extra {extra[:4]}"
    for name, spec in graph.nodes.items():
        deps, returns = expected[name]
        if {p.name: p.optional for p in spec.params if p.kind.supported} != deps:
            return f"`{name}` dependencies"
        if spec.returns is not None and not _same_shape(spec.returns, returns):
            return f"`{name}` type {spec.returns} != {returns}"
    return ""


def _same_shape(ours: TypeRef, theirs: TypeRef) -> bool:
    """Equal where source can tell: a part livedag leaves opaque (``np.ndarray`` inside ``Dict[str, ...]``,
    a class of a library it does not know) matches whatever Hamilton has there."""
    if ours.is_opaque:
        return True
    if ours.name != theirs.name or len(ours.args) != len(theirs.args):
        return ours == theirs
    return all(_same_shape(a, b) for a, b in zip(ours.args, theirs.args, strict=True))


def measure(path: Path, index: int) -> Outcome:
    try:
        with imported(path, index) as module, contextlib.redirect_stdout(io.StringIO()):
            try:
                expected = hamilton_shape(module)
            except Exception as error:  # noqa: BLE001 - whatever Hamilton raises, it refuses the module
                return Outcome(path, "hamilton-refuses", detail=f"{type(error).__name__}: {error}"[:120])
            runtime = Graph.from_modules(module, config={})
    except Exception as error:  # noqa: BLE001 - a module that does not import (missing library...)
        return Outcome(path, "import-error", detail=f"{type(error).__name__}: {error}"[:120])
    static = Graph.from_paths(path, config={})
    static_diff, runtime_diff = difference(static, expected), difference(runtime, expected)
    errors = [p.format() for p in (*static.errors, *runtime.errors)]
    verdict = "equal" if not static_diff and not runtime_diff else "different"
    return Outcome(path, verdict, not static_diff, not runtime_diff, errors, static_diff or runtime_diff)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every module, equal ones too")
    parser.add_argument("--json", type=Path, help="write every module's outcome to this file")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # Hamilton logs tracebacks of what it refuses
    files = sorted(
        f
        for p in (args.paths or default_paths())
        if p.exists()
        for f in ([p] if p.is_file() else p.rglob("*.py"))
        if f.name != "__init__.py" or f.stat().st_size
    )
    outcomes = [measure(path, index) for index, path in enumerate(files)]
    accepted = [o for o in outcomes if o.verdict in ("equal", "different")]
    static_equal = sum(o.static_equal for o in accepted)
    runtime_equal = sum(o.runtime_equal for o in accepted)
    with_errors = [o for o in accepted if o.livedag_errors]
    print(
        f"# {datetime.date.today()}: {len(outcomes)} module(s); {len(accepted)} accepted by Hamilton with "
        f"config={{}}, {sum(o.verdict == 'hamilton-refuses' for o in outcomes)} refused, "
        f"{sum(o.verdict == 'import-error' for o in outcomes)} not importable"
    )
    if accepted:
        for what, count in (("static", static_equal), ("runtime", runtime_equal)):
            print(f"{what} graph == Hamilton's: {count}/{len(accepted)} ({100 * count / len(accepted):.0f}%)")
        print(f"accepted modules where livedag reports an error: {len(with_errors)}")
    if args.json:
        rows = [
            {
                "path": str(o.path),
                "verdict": o.verdict,
                "static_equal": o.static_equal,
                "runtime_equal": o.runtime_equal,
                "detail": o.detail,
                "livedag_errors": o.livedag_errors,
            }
            for o in outcomes
        ]
        args.json.write_text(json.dumps(rows, indent=1))
    for outcome in outcomes:
        if args.verbose or outcome.verdict == "different" or outcome.livedag_errors:
            print(f"  {outcome.verdict:17} {outcome.path}: {outcome.detail}", *outcome.livedag_errors[:2], sep="\n    ")


if __name__ == "__main__":
    main()
