"""The compact form of a recorded run's nodes: columns made from a ``FinishedRun``, cheap to write and read.

The store's ``nodes`` column holds one of two JSON forms. ``HistoryStore.write`` (a ``RunEntry``) makes the
first, an array of one array per node (``store.NODE_FIELDS`` order). The recorder (``HistoryHook``) makes
this one, an object, since thousands of runs a second on one loop leave it a few microseconds per run:

``{"form": 2, "names": [...], "upstream": [[...], ...], "status": "ddfs", "started": B, "duration": B,
"previews": [...], "sparse": {"3": {"attempts": 2, "error": ..., "traceback": ..., "skipped_because": [...],
"items": 5}}}``

- ``names`` and ``upstream`` are the same for every run of a plan: encoded once per set of names, then
  pasted in;
- ``status`` has one letter per node (``STATUS_LETTERS``);
- ``started`` (``time.time()``) and ``duration`` are float64 arrays, little-endian, in base64 (NaN: the
  node never ran);
- ``sparse`` holds only what differs from a node that ran once without error (keys are positions).
"""

from __future__ import annotations

import array
import base64
import json
import math
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from livedag.history.model import NodeEntry

if TYPE_CHECKING:  # the store reads this module, and the language server reads the store: no engine here
    from livedag.execution.finished import FinishedRun, RunColumns

__all__ = ["FORM", "STATUS_LETTERS", "CompactEncoder", "decode_nodes", "fast_preview"]

FORM = 2
PREVIEW_WIDTH = 200
STATUS_LETTERS = {"done": "d", "failed": "f", "skipped": "s", "cached": "c", "pending": "p", "running": "r"}
_STATUSES = {letter: status for status, letter in STATUS_LETTERS.items()}
_NAN = math.nan
_SWAP = sys.byteorder != "little"
_SCALARS = (int, float, bool, type(None))
_SHORT = 120
_CACHE_LIMIT = 1024

Row = tuple[Any, ...]


def _plain(item: Any) -> bool:
    kind = type(item)
    return kind in _SCALARS or (kind is str and len(item) < _SHORT and item.isprintable())


def fast_preview(value: Any) -> str:
    """``progress.preview`` (width 200), without ``reprlib`` for scalars and small containers of them."""
    kind = type(value)
    if kind is str:
        if len(value) < _SHORT and value.isprintable() and "  " not in value:
            return repr(value)
    elif kind in _SCALARS:
        return repr(value)
    elif (kind is list or kind is tuple) and len(value) <= 4:
        if all(map(_plain, value)):
            return _fits(repr(value)) or preview(value, PREVIEW_WIDTH)
    elif kind is dict and len(value) <= 4 and all(map(_plain, value)) and all(map(_plain, value.values())):
        return _fits(repr(value)) or preview(value, PREVIEW_WIDTH)
    return preview(value, PREVIEW_WIDTH)


def preview(value: Any, width: int) -> str:
    """``livedag.execution.progress.preview``, imported when first needed (see the imports)."""
    from livedag.execution.progress import preview as shared

    return shared(value, width)


def _fits(text: str) -> str:
    """``text`` when ``preview`` would leave it as it is (else empty)."""
    return text if len(text) <= PREVIEW_WIDTH and "  " not in text else ""


def _floats(values: list[float | None]) -> str:
    packed = array.array("d", [_NAN if value is None else value for value in values])
    if _SWAP:
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _unfloats(text: str) -> list[float | None]:
    packed = array.array("d")
    packed.frombytes(base64.b64decode(text))
    if _SWAP:
        packed.byteswap()
    return [None if math.isnan(value) else value for value in packed]


class CompactEncoder:
    """Turns finished runs of one graph into store rows; caches what is the same from run to run."""

    def __init__(self, upstream: Mapping[str, tuple[str, ...]], streaming: frozenset[str] = frozenset()) -> None:
        self._upstream = upstream
        self._streaming = streaming
        """The generator nodes: their items are counted."""
        self._layouts: dict[tuple[str, ...], tuple[str, tuple[int, ...]]] = {}
        self._counts: dict[str, str] = {}
        self._outputs: dict[tuple[str, ...], str] = {}

    def nodes_json(self, columns: RunColumns) -> tuple[str, str, int]:
        """The ``nodes`` column, the ``counts`` column, and the node count."""
        status = "".join([STATUS_LETTERS[value] for value in columns.status])
        layout, streaming = self._layout(columns.names)
        previews = json.dumps([None if value is None else fast_preview(value) for value in columns.values])
        sparse = _sparse(columns, streaming)
        text = (
            f'{{"form":{FORM},{layout},"status":"{status}","started":"{_floats(columns.started)}",'
            f'"duration":"{_floats(columns.duration)}","previews":{previews},"sparse":{sparse}}}'
        )
        counts = self._counts.get(status)
        if counts is None:
            counts = self._remember(self._counts, status, json.dumps(_count(columns.status)))
        return text, counts, len(columns.names)

    def outputs_json(self, outputs: tuple[str, ...]) -> str:
        found = self._outputs.get(outputs)
        return found if found is not None else self._remember(self._outputs, outputs, json.dumps(outputs))

    def _layout(self, names: tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
        """The ``names`` and ``upstream`` JSON of these nodes, and the positions of generator nodes."""
        found = self._layouts.get(names)
        if found is None:
            if len(self._layouts) >= _CACHE_LIMIT:
                self._layouts.clear()
            upstream = json.dumps([self._upstream.get(name, ()) for name in names])
            streaming = tuple(position for position, name in enumerate(names) if name in self._streaming)
            found = self._layouts[names] = (f'"names":{json.dumps(names)},"upstream":{upstream}', streaming)
        return found

    @staticmethod
    def _remember(cache: dict[Any, str], key: Any, text: str) -> str:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = text
        return text


def encode_run(
    encoder: CompactEncoder,
    run: FinishedRun,
    *,
    source: str,
    label: str,
    graph_fp: str,
    inputs_fp: str,
    commit: str | None,
) -> Row:
    """One ``runs`` row for a finished run (the order ``store.entry_row`` gives one)."""
    nodes, counts, count = encoder.nodes_json(run.columns())
    return (
        run.run_id,
        source,
        label,
        run.started,
        run.duration,
        int(run.ok),
        encoder.outputs_json(run.outputs),
        graph_fp,
        inputs_fp,
        commit,
        count,
        counts,
        "{}",
        nodes,
    )


def _count(statuses: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for status in statuses:
        found[status] = found.get(status, 0) + 1
    return found


def _sparse(columns: RunColumns, streaming: tuple[int, ...]) -> str:
    """What differs from a node that ran once without error, by position (``{}`` for a plain run)."""
    extra: dict[int, dict[str, Any]] = {}
    for position, attempts in enumerate(columns.attempts):
        if attempts > 1:
            extra[position] = {"attempts": attempts}
    for position, (error, text) in columns.errors.items():
        extra.setdefault(position, {}).update(error=f"{type(error).__name__}: {error}", traceback=text)
    for position, reasons in columns.skipped_because.items():
        extra.setdefault(position, {})["skipped_because"] = list(reasons)
    for position in streaming:
        value = columns.values[position]
        if isinstance(value, list):
            extra.setdefault(position, {})["items"] = len(value)
    return json.dumps(extra) if extra else "{}"


def decode_nodes(data: Mapping[str, Any]) -> tuple[NodeEntry, ...]:
    """The nodes of a compact ``nodes`` column (already parsed from JSON)."""
    names, upstream, status = data["names"], data["upstream"], data["status"]
    started, duration = _unfloats(data["started"]), _unfloats(data["duration"])
    previews, sparse = data["previews"], data["sparse"]
    nodes = []
    for position, name in enumerate(names):
        state = _STATUSES[status[position]]
        extra = sparse.get(str(position), {})
        start, took = started[position], duration[position]
        ran = start is not None
        nodes.append(
            NodeEntry(
                name=name,
                status=state,
                started=start,
                ended=start + took if start is not None and took is not None else None,
                duration=took,
                attempts=extra.get("attempts", 1 if ran else 0),
                error=extra.get("error"),
                traceback=extra.get("traceback"),
                preview=previews[position],
                upstream=tuple(upstream[position]),
                items=extra.get("items", 0),
                skipped_because=tuple(extra.get("skipped_because", ())),
            )
        )
    return tuple(nodes)
