"""Real-kernel helpers: nbclient driving ipykernel, sending cell ids the way JupyterLab does."""

from __future__ import annotations

import re
from typing import Any

import nbformat
from nbclient import NotebookClient


class LabLikeClient(NotebookClient):
    """``NotebookClient`` that sends ``metadata.cellId`` with each execute request, as JupyterLab does,
    and records every iopub message (comm messages included) in arrival order."""

    def __init__(self, nb: Any, *, send_cell_ids: bool = True, **kwargs: Any) -> None:
        super().__init__(nb, **kwargs)
        self.send_cell_ids = send_cell_ids
        self.messages: list[dict[str, Any]] = []
        self.on_message = None
        self._cell_id: str | None = None
        self.extra_metadata: dict[str, Any] = {}
        """Sent with the next execute request only (e.g. JupyterLab's ``deletedCells``)."""
        self.on_cell_execute = self._before_cell

    def _wrap_execute(self, client: Any) -> None:
        plain_execute = client.execute

        def execute(
            code: str,
            silent: bool = False,
            store_history: bool = True,
            user_expressions: Any = None,
            allow_stdin: Any = None,
            stop_on_error: bool = True,
        ) -> str:
            if not self.send_cell_ids or self._cell_id is None:
                return plain_execute(code, silent=silent, store_history=store_history, stop_on_error=stop_on_error)
            content = {
                "code": code,
                "silent": silent,
                "store_history": store_history,
                "user_expressions": user_expressions or {},
                "allow_stdin": False,
                "stop_on_error": stop_on_error,
            }
            metadata = {"cellId": self._cell_id, **self.extra_metadata}
            self.extra_metadata = {}
            msg = client.session.msg("execute_request", content, metadata=metadata)
            client.shell_channel.send(msg)
            return msg["header"]["msg_id"]

        execute.wrapped = True  # type: ignore[attr-defined]
        client.execute = execute

    def _before_cell(self, cell: Any, cell_index: int) -> None:
        self._cell_id = cell.get("id")
        if not getattr(self.kc.execute, "wrapped", False):
            self._wrap_execute(self.kc)

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        self.messages.append(msg)
        if self.on_message is not None:
            self.on_message(msg)
        return super().process_message(msg, cell, cell_index)


class Notebook:
    """A notebook being edited and run cell by cell in a real kernel."""

    def __init__(self, client: LabLikeClient) -> None:
        self.client = client

    def add(self, source: str, cell_id: str | None = None) -> Any:
        cell = nbformat.v4.new_code_cell(source)
        if cell_id is not None:
            cell["id"] = cell_id
        self.client.nb.cells.append(cell)
        return cell

    def execute(self, cell: Any) -> Any:
        cell.outputs = []
        index = self.client.nb.cells.index(cell)
        self.client.execute_cell(cell, index)
        return cell

    def run(self, source: str, cell_id: str | None = None) -> Any:
        return self.execute(self.add(source, cell_id))

    def edit(self, cell: Any, source: str) -> Any:
        cell.source = source
        return self.execute(cell)

    def value(self, expression: str) -> Any:
        """Evaluate ``expression`` in the kernel and return it (through ``repr`` / ``ast.literal_eval``)."""
        import ast

        cell = self.run(f"print(repr(({expression})))")
        if errors(cell) or not stream(cell).strip():
            raise AssertionError(f"evaluating {expression!r} in the kernel gave:\n{plain(cell)}")
        return ast.literal_eval(stream(cell).strip())


def stream(cell: Any) -> str:
    return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")


def plain(cell: Any) -> str:
    """Everything a text-only frontend shows for the cell."""
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
        else:
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def html(cell: Any) -> str:
    return "\n".join(output.get("data", {}).get("text/html", "") for output in cell.outputs)


def errors(cell: Any) -> list[Any]:
    return [output for output in cell.outputs if output.output_type == "error"]


def row_statuses(markup: str) -> dict[str, str]:
    return dict(re.findall(r'data-node="([^"]+)" data-status="([^"]+)"', markup))


def make_client(send_cell_ids: bool = True, **kwargs: Any) -> LabLikeClient:
    nb = nbformat.v4.new_notebook()
    return LabLikeClient(
        nb, kernel_name="python3", allow_errors=True, timeout=120, send_cell_ids=send_cell_ids, **kwargs
    )


def live_rows(msg: dict[str, Any]) -> dict[str, str] | None:
    """Row statuses carried by a display of the live table; None for any other message."""
    markup = msg["content"].get("data", {}).get("text/html", "") if msg["msg_type"].endswith("display_data") else ""
    return row_statuses(markup) if 'class="livedag-run"' in markup else None


async def interrupt_when(
    book: Notebook,
    cell: Any,
    index: int,
    ready: Any,
    times: int = 1,
    spacing: float = 0.5,
    delay: float = 0.0,
) -> float:
    """Execute ``cell``; once the live table satisfies ``ready(rows)``, interrupt the kernel ``times``
    times, ``spacing`` s apart. Returns the seconds from the first interrupt to the cell's end."""
    import asyncio
    import time

    client = book.client
    seen = asyncio.Event()
    sent: list[float] = []

    def watch(msg: dict[str, Any]) -> None:
        rows = live_rows(msg)
        if not seen.is_set() and rows is not None and ready(rows):
            seen.set()

    async def interrupts() -> float:
        await seen.wait()
        if delay:
            await asyncio.sleep(delay)  # the scenario: the user interrupts a while after the table showed
        first = time.monotonic()
        sent.append(first)
        for n in range(times):
            if n:
                await asyncio.sleep(spacing)  # the user's pace between two interrupts, not a wait for anything
            await client.km.interrupt_kernel()
        return first

    client.on_message = watch
    sender = asyncio.ensure_future(interrupts())
    try:
        await client.async_execute_cell(cell, index)
    finally:
        client.on_message = None
    ended = time.monotonic()
    if not sent:
        sender.cancel()
        raise AssertionError(f"the cell ended before it was interrupted:\n{plain(cell)}")
    first = await sender  # interrupts left to send reach the kernel after the cell (an idle kernel ignores them)
    return ended - first
