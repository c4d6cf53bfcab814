"""One notebook's livedag state and the ``%%dag`` / ``%dag`` commands on it.

``NotebookSession`` composes the parts: the cell registry (which cell defined which node), the
result cache, the last run, and the reports shown under cells. Running lives in ``runner``.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from livedag.graph import Graph, Problem
from livedag.kernel.cache import ResultCache
from livedag.kernel.cells import CellDefinition, CellRegistry, cell_functions, source_key
from livedag.kernel.display import display
from livedag.kernel.options import CellOptions, LineCommand
from livedag.kernel.report import nodes_report, problems_report, relevant_problems
from livedag.kernel.rich import rich_bundle
from livedag.render import to_mermaid

__all__ = ["NotebookSession"]


class NotebookSession:
    """The notebook's graph, cell by cell, and what its runs left behind."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.registry = CellRegistry()
        self.cache = ResultCache()
        self.last_run: Any = None
        self.config: dict[str, Any] | None = None
        """Hamilton's config (``%dag config``): which ``@config.when`` variants are nodes."""
        self.shown_problems: tuple[int, frozenset[tuple[str, str]]] = (-1, frozenset())
        """The execution count and (code, message) of the problems shown under the running cell."""
        self.cell_files: set[str] = set()
        """Every file a ``%%dag`` cell was compiled into: a function from one is a node, never an input."""

    # -- defining ------------------------------------------------------------------------------
    def define_cell(self, options: CellOptions, body: str, header: str = "") -> CellDefinition:
        """Execute the cell's body in the notebook, then register the node functions it defined.

        The body is compiled under its own file with the ``%%dag`` line as a comment on line 1, so
        line numbers in tracebacks and problems are the cell's own. (The awaited path runs the body as
        the cell itself and calls ``register_cell``.)
        """
        __tracebackhide__ = True
        source = f"# %%dag {header}".rstrip() + "\n" + self.shell.transform_cell(body)
        filename = self.shell.compile.cache(source, self._cell_number(), raw_code=source)
        code = compile(source, filename, "exec", dont_inherit=True)
        self.cell_files.add(filename)
        exec(code, self.shell.user_ns)  # noqa: S102 - running the user's cell is the point
        return self.register_cell(options, body, filename)

    def register_cell(self, options: CellOptions, body: str, filename: str) -> CellDefinition:
        """Register the node functions a ``%%dag`` cell's body (already run, compiled as ``filename``) defined."""
        __tracebackhide__ = True
        metadata = self._request_metadata()
        self.forget_deleted_cells()
        key, label = self._cell_identity(options, body, metadata)
        self.cell_files.add(filename)
        source = self.shell.transform_cell(body)
        cell = CellDefinition(key, label, cell_functions(source, self.shell.user_ns, filename), filename)
        previous = self.registry.cells.get(key)
        self.registry.define(cell)
        if previous is not None:
            self._drop_functions(previous, keep=cell.functions)
        self.show_problems(cell)
        return cell

    def _drop_functions(self, cell: CellDefinition, keep: Mapping[str, Any] = MappingProxyType({})) -> None:
        """Take a cell's old node functions out of the namespace, so a removed node is gone for good
        (and never taken as an external input's value). A name rebound to something else is left alone."""
        namespace = self.shell.user_ns
        for name, function in cell.functions.items():
            if name not in keep and namespace.get(name) is function:
                del namespace[name]

    def is_node_function(self, value: Any) -> bool:
        """A function some ``%%dag`` cell defined (maybe since removed): not a value for an input."""
        code = getattr(inspect.unwrap(value), "__code__", None) if callable(value) else None
        return code is not None and code.co_filename in self.cell_files

    def forget_deleted_cells(self, *_: object) -> None:
        """Drop the nodes of cells the frontend says were deleted (JupyterLab's ``deletedCells``).

        Registered as a ``pre_run_cell`` callback, so deleting a cell takes its nodes out of the graph
        the next time any cell runs.
        """
        deleted = self._request_metadata().get("deletedCells") or []
        keys = [f"id:{cell_id}" for cell_id in deleted if isinstance(cell_id, str)]
        cells = self.registry.cells
        for key in keys:
            if key in cells:
                self._drop_functions(cells[key])
        self.registry.remove(*keys)

    def _request_metadata(self) -> Mapping[str, Any]:
        get_parent = getattr(self.shell, "get_parent", None)
        parent = get_parent() if callable(get_parent) else None
        metadata = parent.get("metadata") if isinstance(parent, dict) else None
        return metadata if isinstance(metadata, dict) else {}

    def _cell_identity(self, options: CellOptions, body: str, metadata: Mapping[str, Any]) -> tuple[str, str]:
        label = f"In [{self._cell_number()}]"
        if options.cell:
            return f"name:{options.cell}", f'{label} "{options.cell}"'
        cell_id = metadata.get("cellId")
        if isinstance(cell_id, str) and cell_id:
            return f"id:{cell_id}", label
        return source_key(body), label

    def _cell_number(self) -> int:
        """The running cell's ``In [n]``: IPython counts the cell before running it."""
        return max(int(self.shell.execution_count) - 1, 1)

    def labels(self) -> dict[str, str]:
        """Cell file -> ``In [n]``, to show problem locations as notebook cells."""
        return {cell.filename: cell.label for cell in self.registry.cells.values() if cell.filename}

    def show_problems(self, cell: CellDefinition) -> None:
        problems = relevant_problems(self.graph().problems, cell.functions, cell.filename)
        if problems:
            markup, text = problems_report(problems, self.labels())
            display({"text/html": markup, "text/plain": text}, raw=True)
            self.shown_problems = (self.shell.execution_count, frozenset((p.code.value, p.message) for p in problems))

    def unshown(self, problems: list[Problem]) -> list[Problem]:
        """The problems not already shown under the running cell (a ``%%dag --run`` lists them once)."""
        count, shown = self.shown_problems
        if count != self.shell.execution_count:
            return problems
        return [problem for problem in problems if (problem.code.value, problem.message) not in shown]

    def graph(self) -> Graph:
        return self.registry.graph(self.config)

    def configure(self, command: LineCommand) -> None:
        if command.config_given:
            self.config = command.config
        print(
            f"livedag: config = {json.dumps(self.config)}"
            if self.config is not None
            else "livedag: no config (each @config.when family is one node; at run time Hamilton's default, {})"
        )

    def cell_of(self) -> dict[str, str]:
        return {name: cell.label for cell in self.registry.cells.values() for name in cell.functions}

    # -- line commands -----------------------------------------------------------------------
    def show(self, command: LineCommand) -> None:
        graph = self.graph()
        statuses = {}
        if self.last_run is not None:
            statuses = {name: status.value for name, status in self.last_run.status.items() if name in graph.nodes}
        text = to_mermaid(graph, statuses=statuses, focus=command.node, depth=command.depth)
        display({"text/vnd.mermaid": text, "text/plain": text}, raw=True)
        values = self.last_run.values if self.last_run is not None else {}
        if command.node is not None and command.node in values:
            bundle = rich_bundle(values[command.node])  # as Jupyter shows it: a figure, a DataFrame, _repr_html_...
            display(bundle or {"text/plain": repr(values[command.node])}, raw=True)

    def nodes(self) -> None:
        markup, text = nodes_report(self.graph(), self.cell_of())
        display({"text/html": markup, "text/plain": text}, raw=True)

    def reset(self) -> None:
        self.registry.clear()
        self.cache.forget()
        self.last_run = None
        print("livedag: the notebook graph is empty")
