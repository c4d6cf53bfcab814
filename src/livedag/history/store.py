"""The run history database: SQLite (stdlib ``sqlite3``) in WAL mode, each run written in one transaction.

A run is one row (its nodes JSON in it: an array per node, or the recorder's columns, ``history.compact``),
written by one ``INSERT`` inside a transaction of its own or, from the background writer, inside a
transaction holding a batch of whole runs.
Safe with several processes writing at once: every write is a ``BEGIN IMMEDIATE`` transaction, waiting
up to ``BUSY_TIMEOUT`` seconds for another writer, and readers never block writers (WAL). A process killed
mid-write leaves the database as it was before that transaction: a run is there whole or not at all.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from livedag.history.compact import decode_nodes
from livedag.history.model import NodeEntry, RunEntry

__all__ = ["BUSY_TIMEOUT", "HistoryStore", "HistoryVersionError", "RunNotFoundError", "entry_row"]

BUSY_TIMEOUT = 30.0
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    source TEXT NOT NULL,
    label TEXT NOT NULL,
    started REAL NOT NULL,
    duration REAL,
    ok INTEGER NOT NULL,
    outputs TEXT NOT NULL,
    graph_fingerprint TEXT NOT NULL,
    inputs_fingerprint TEXT NOT NULL,
    git_commit TEXT,
    node_count INTEGER NOT NULL,
    counts TEXT NOT NULL,
    extra TEXT NOT NULL,
    nodes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_label ON runs (label, id)
"""
_SUMMARY_COLUMNS = (
    "id, run_id, source, label, started, duration, ok, outputs, graph_fingerprint, "
    "inputs_fingerprint, git_commit, node_count, counts, extra"
)
NODE_FIELDS = (
    "name",
    "status",
    "started",
    "ended",
    "duration",
    "attempts",
    "error",
    "traceback",
    "preview",
    "upstream",
    "attempt_starts",
    "item_times",
    "items",
    "skipped_because",
)
"""The order of a node's values in the ``nodes`` column: a JSON array of one array per node (one row per run,
so recording a run is one insert; ``json_each`` reaches the nodes from SQL)."""
_INSERT = (
    "INSERT INTO runs (run_id, source, label, started, duration, ok, outputs, graph_fingerprint, "
    "inputs_fingerprint, git_commit, node_count, counts, extra, nodes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SELECT_SUMMARY = f"SELECT {_SUMMARY_COLUMNS} FROM runs"  # noqa: S608 - constant column list
_SELECT_WHOLE = f"SELECT {_SUMMARY_COLUMNS}, nodes FROM runs"  # noqa: S608 - constant column list


class RunNotFoundError(LookupError):
    """No run with that id in the store; the message names the store and how to list its runs."""


class HistoryVersionError(RuntimeError):
    """The database was made by a newer livedag; the message names the file and what to do."""


def _while_locked(statement: Callable[[], object], patience: float = BUSY_TIMEOUT) -> None:
    """Runs ``statement``, again while another process holds the database: SQLite answers a change of
    journal mode with "database is locked" at once, without waiting out the busy timeout."""
    deadline = time.monotonic() + patience
    while True:
        try:
            statement()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class HistoryStore:
    """One connection to a history database (created, with its folder, on first open)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        _while_locked(lambda: self._db.execute("PRAGMA journal_mode=WAL"))
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            self._db.close()
            raise HistoryVersionError(
                f"{self.path} was written by a newer livedag (history format {version}, this "
                f"one reads {SCHEMA_VERSION}): upgrade livedag, or set LIVEDAG_HISTORY_DB"
            )
        if version < SCHEMA_VERSION:
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # -- writing -----------------------------------------------------------------------------------
    def write(self, runs: Iterable[RunEntry]) -> list[int]:
        """Write runs (each whole, all in one transaction) and return their new ids."""
        ids: list[int] = []
        with self._transaction():
            for run in runs:
                ids.append(self._insert(run))
        return ids

    def add(self, run: RunEntry) -> int:
        return self.write([run])[0]

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Write rows made elsewhere (``entry_row``, ``compact.encode_run``), all in one transaction."""
        with self._transaction():
            self._db.executemany(_INSERT, rows)

    def _insert(self, run: RunEntry) -> int:
        cursor = self._db.execute(_INSERT, entry_row(run))
        number = cursor.lastrowid
        assert number is not None
        return number

    def prune(self, keep: int) -> int:
        """Delete all but the newest ``keep`` runs; returns how many were deleted."""
        with self._transaction():
            cutoff = self._db.execute(
                "SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?", (max(keep, 0) - 1 if keep > 0 else 0,)
            ).fetchone()
            if cutoff is None:
                return 0
            bound = cutoff[0] if keep > 0 else cutoff[0] + 1
            deleted = self._db.execute("DELETE FROM runs WHERE id < ?", (bound,)).rowcount
        return int(deleted)

    # -- reading -----------------------------------------------------------------------------------
    def list(self, limit: int | None = None, label: str | None = None) -> list[RunEntry]:
        """Runs newest first, without their nodes (``nodes`` is empty; ``get`` reads one whole)."""
        params: list[Any] = [label] if label is not None else []
        query = _SELECT_SUMMARY + (" WHERE label = ?" if label is not None else "") + " ORDER BY id DESC LIMIT ?"
        rows = self._db.execute(query, (*params, -1 if limit is None else limit)).fetchall()
        return [_run(row, ()) for row in rows]

    def get(self, number: int) -> RunEntry:
        row = self._db.execute(_SELECT_WHOLE + " WHERE id = ?", (number,)).fetchone()
        if row is None:
            raise RunNotFoundError(f"no run {number} in {self.path}; `livedag runs list` shows the runs it holds")
        data = json.loads(row[-1])
        nodes = decode_nodes(data) if isinstance(data, dict) else tuple(_node(values) for values in data)
        return _run(row[:-1], nodes)

    def latest(self, label: str | None = None) -> RunEntry | None:
        found = self.list(limit=1, label=label)
        return self.get(found[0].id) if found and found[0].id is not None else None

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM runs").fetchone()[0])

    def integrity(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    # -- lifetime ----------------------------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on an error): takes the write lock up front."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def entry_row(run: RunEntry) -> tuple[Any, ...]:
    """The ``runs`` row of a ``RunEntry`` (its nodes in the array-per-node form)."""
    return (
        run.run_id,
        run.source,
        run.label,
        run.started,
        run.duration,
        int(run.ok),
        json.dumps(run.outputs),
        run.graph_fingerprint,
        run.inputs_fingerprint,
        run.git_commit,
        len(run.nodes),
        json.dumps(run.counts()),
        json.dumps(run.extra, default=str) if run.extra else "{}",
        json.dumps([_node_values(node) for node in run.nodes]),
    )


def _node_values(node: NodeEntry) -> list[Any]:
    return [
        node.name,
        node.status,
        node.started,
        node.ended,
        node.duration,
        node.attempts,
        node.error,
        node.traceback,
        node.preview,
        node.upstream,
        node.attempt_starts,
        node.item_times,
        node.items,
        node.skipped_because,
    ]


def _run(row: Sequence[Any], nodes: tuple[NodeEntry, ...]) -> RunEntry:
    (
        number,
        run_id,
        source,
        label,
        started,
        duration,
        ok,
        outputs,
        graph_fp,
        inputs_fp,
        commit,
        node_count,
        counts,
        extra,
    ) = row
    details = json.loads(extra)
    details["node_count"] = node_count
    details["counts"] = json.loads(counts)
    return RunEntry(
        run_id=run_id,
        started=started,
        duration=duration,
        ok=bool(ok),
        nodes=nodes,
        source=source,
        outputs=tuple(json.loads(outputs)),
        graph_fingerprint=graph_fp,
        inputs_fingerprint=inputs_fp,
        git_commit=commit,
        label=label,
        id=number,
        extra=details,
    )


def _node(values: Sequence[Any]) -> NodeEntry:
    (
        name,
        status,
        started,
        ended,
        duration,
        attempts,
        error,
        text,
        preview,
        upstream,
        attempt_starts,
        item_times,
        items,
        skipped,
    ) = values
    return NodeEntry(
        name=name,
        status=status,
        started=started,
        ended=ended,
        duration=duration,
        attempts=attempts,
        error=error,
        traceback=text,
        preview=preview,
        upstream=tuple(upstream),
        attempt_starts=tuple(attempt_starts),
        item_times=tuple(item_times),
        items=items,
        skipped_because=tuple(skipped),
    )
