"""A clean chain: external inputs, defaults, private helpers, imported functions and classes."""

from __future__ import annotations

from os.path import join


class Settings:
    def method(self) -> int:
        return 0

def path(data_dir: str, file_name: str = "data.csv") -> str:
    return join(data_dir, file_name)

def rows(path: str, limit: int = 100) -> list[str]:
    return _read(path)[:limit]

def row_count(rows: list[str]) -> int:
    return len(rows)

def report(row_count: int, rows: list[str], title: str) -> str:
    return f"{title}: {row_count} {rows[:1]}"

def _read(path: str) -> list[str]:
    return [path]
