"""Import a graph's modules by file path, fresh for every run, from the editor's text when it has one.

A warm worker keeps the standard library and livedag imported between runs, but the user's modules
must reflect what is in the editor now: every module imported during a run (the graph's files and
whatever they import that is not already loaded) is dropped from ``sys.modules`` before the next one.
Unsaved editor text is served by a meta-path finder, so the graph's modules can import each other and
still see the buffers, not the files on disk.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import re
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType

from livedag.worker.protocol import absolute

__all__ = ["ModuleLoader", "module_name", "package_root"]


def module_name(path: str, root: str) -> str:
    """Dotted name of ``path`` relative to ``root`` (``pkg/mod.py`` -> ``pkg.mod``), or its stem outside it;
    an editor buffer named by a URI gets an identifier made of its name."""
    if absolute(path) == path and not os.path.isabs(path):  # an editor buffer: untitled:Untitled-1
        return re.sub(r"\W", "_", path)
    path, root = absolute(path), absolute(root)
    relative = os.path.relpath(path, root)
    if relative.startswith(os.pardir):
        relative = os.path.basename(path)
    parts = os.path.splitext(relative)[0].split(os.sep)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    if all(part.isidentifier() for part in parts):
        return ".".join(parts)
    return os.path.splitext(os.path.basename(path))[0]


def package_root(path: str) -> str:
    """The folder ``path`` is imported from: the first one above it that is not a package (has no
    ``__init__.py``), so ``pkg/sub/mod.py`` imports as ``pkg.sub.mod`` and a script folder's modules
    import each other by their plain names."""
    folder = os.path.dirname(os.path.abspath(path))
    while os.path.isfile(os.path.join(folder, "__init__.py")) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return folder


class _TextFinder(importlib.abc.MetaPathFinder):
    """Serves the editor's text for the files it was given; every other import goes the usual way."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = {absolute(path): text for path, text in sources.items()}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None or absolute(spec.origin) not in self.sources:
            return None
        origin = absolute(spec.origin)
        loader = _TextLoader(fullname, origin, self.sources[origin])
        return importlib.util.spec_from_file_location(
            fullname, origin, loader=loader, submodule_search_locations=spec.submodule_search_locations
        )


class _TextLoader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname: str, path: str, text: str) -> None:
        super().__init__(fullname, path)
        self.text = text

    def get_data(self, path: str) -> bytes:
        if absolute(path) == absolute(self.path):
            return self.text.encode("utf-8")
        return super().get_data(path)

    def path_stats(self, path: str) -> Mapping[str, float]:
        raise OSError("editor text has no bytecode cache")


class ModuleLoader:
    """Loads a run's modules; ``load`` first forgets the modules the previous run brought in."""

    def __init__(self) -> None:
        self._imported: set[str] = set()
        self._paths_added: list[str] = []
        self._user_folders: set[str] = set()

    def load(self, root: str, files: Sequence[str], sources: Mapping[str, str] | None = None) -> list[ModuleType]:
        self.forget()
        before = set(sys.modules)
        finder = _TextFinder(sources or {})
        sys.meta_path.insert(0, finder)
        self._add_path(root)
        try:
            importlib.invalidate_caches()
            return [self._load_one(root, path, finder) for path in files]
        finally:
            sys.meta_path.remove(finder)
            self._imported = {name for name in set(sys.modules) - before if self._is_user_module(name)}

    def _is_user_module(self, name: str) -> bool:
        """Imported from the workspace (reload it next run), not a library it uses (keep it warm)."""
        module = sys.modules.get(name)
        location = getattr(module, "__file__", None)
        if location is None or name.startswith("_livedag_user_"):
            return True
        location = absolute(location)
        in_library = any(part in ("site-packages", "dist-packages") for part in location.split(os.sep))
        return not in_library and any(_under(location, folder) for folder in self._user_folders)

    def forget(self) -> None:
        for name in self._imported:
            sys.modules.pop(name, None)
        self._imported = set()
        for folder in self._paths_added:
            if folder in sys.path:
                sys.path.remove(folder)
        self._paths_added = []
        self._user_folders = set()

    def _load_one(self, root: str, path: str, finder: _TextFinder) -> ModuleType:
        path = absolute(path)
        base = package_root(path) if os.path.isabs(path) else root
        self._add_path(base)  # before the root on sys.path: a script's folder comes first, as for `python x.py`
        name = module_name(path, base)
        module = sys.modules.get(name)
        if module is not None and absolute(getattr(module, "__file__", "") or "") == path:
            return module
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            module = None
        if module is not None and absolute(getattr(module, "__file__", "") or "") == path:
            return module
        # Not importable under its own name (shadowed by another module, or not on sys.path):
        # load the file itself under a private name.
        private = f"_livedag_user_.{name}"
        text = finder.sources.get(path)
        if text is not None:  # from the editor: the path may be a buffer's URI, kept as given
            spec = importlib.util.spec_from_loader(private, _TextLoader(private, path, text), origin=path)
            if spec is not None:
                spec.has_location = True
        else:
            spec = importlib.util.spec_from_file_location(private, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {path}", path=path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[private] = module
        spec.loader.exec_module(module)
        return module

    def _add_path(self, folder: str) -> None:
        folder = absolute(folder)
        self._user_folders.add(folder)
        if folder not in sys.path:
            sys.path.insert(0, folder)
            self._paths_added.append(folder)


def _under(path: str, folder: str) -> bool:
    return path.startswith(os.path.abspath(folder).rstrip(os.sep) + os.sep)
