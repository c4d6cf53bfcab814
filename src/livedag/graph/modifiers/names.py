"""Hamilton's function modifiers by canonical name, whatever import spelling reached them.

``from hamilton.function_modifiers import extract_fields``, ``import hamilton.function_modifiers as fm``
(``@fm.extract_fields``), the defining submodule (``hamilton.function_modifiers.expanders.extract_fields``)
and the old ``hamilton.function_modifiers_base`` path all name ``extract_fields``.
"""

from __future__ import annotations

import enum
import functools

__all__ = ["DEPENDENCY_HELPERS", "Lifecycle", "canonical_modifier", "lifecycle"]

_PREFIXES = ("hamilton.function_modifiers.", "hamilton.function_modifiers_base.")
_SUBMODULES = (
    "adapters.",
    "base.",
    "configuration.",
    "delayed.",
    "dependencies.",
    "expanders.",
    "macros.",
    "metadata.",
    "recursive.",
    "validation.",
)


class Lifecycle(enum.Enum):
    """The steps of Hamilton's ``resolve_nodes``, in the order it applies them."""

    RESOLVE = 0
    GENERATE = 1
    INJECT = 2
    EXPAND = 3
    TRANSFORM = 4
    DECORATE = 5


_LIFECYCLES: dict[str, Lifecycle] = {
    "config.when": Lifecycle.RESOLVE,
    "config.when_not": Lifecycle.RESOLVE,
    "config.when_in": Lifecycle.RESOLVE,
    "config.when_not_in": Lifecycle.RESOLVE,
    "hamilton_exclude": Lifecycle.RESOLVE,
    "does": Lifecycle.GENERATE,
    "dataloader": Lifecycle.GENERATE,
    "datasaver": Lifecycle.GENERATE,
    "load_from": Lifecycle.INJECT,
    "pipe_input": Lifecycle.INJECT,
    "pipe": Lifecycle.INJECT,
    "parameterize": Lifecycle.EXPAND,
    "parameterize_sources": Lifecycle.EXPAND,
    "parameterize_values": Lifecycle.EXPAND,
    "parameterize_extract_columns": Lifecycle.EXPAND,
    "parametrized": Lifecycle.EXPAND,
    "parameterized_inputs": Lifecycle.EXPAND,
    "parametrized_input": Lifecycle.EXPAND,
    "inject": Lifecycle.EXPAND,
    "extract_columns": Lifecycle.TRANSFORM,
    "extract_fields": Lifecycle.TRANSFORM,
    "unpack_fields": Lifecycle.TRANSFORM,
    "check_output": Lifecycle.TRANSFORM,
    "check_output_custom": Lifecycle.TRANSFORM,
    "pipe_output": Lifecycle.TRANSFORM,
    "mutate": Lifecycle.TRANSFORM,
    "subdag": Lifecycle.GENERATE,
    "parameterized_subdag": Lifecycle.GENERATE,
    "save_to": Lifecycle.TRANSFORM,
    "with_columns": Lifecycle.GENERATE,
    "resolve": Lifecycle.RESOLVE,
    "resolve_from_config": Lifecycle.RESOLVE,
    "tag": Lifecycle.DECORATE,
    "tag_outputs": Lifecycle.DECORATE,
    "schema.output": Lifecycle.DECORATE,
    "cache": Lifecycle.DECORATE,
}

DEPENDENCY_HELPERS = frozenset(
    {"source", "value", "group", "configuration", "step", "apply_to", "ParameterizedExtract"}
)
"""``source("x")``, ``value(1)``, ``group(...)``, ``configuration("key")``, ``step(fn)``,
``ParameterizedExtract(...)`` inside a modifier's arguments."""


@functools.lru_cache(maxsize=1024)
def canonical_modifier(qualified: str | None) -> str | None:
    """``hamilton.function_modifiers.expanders.extract_fields`` -> ``extract_fields``; ``load_from.csv``
    -> ``load_from``; ``None`` for anything that is not one of Hamilton's modifiers."""
    if qualified is None:
        return None
    rest = _strip(qualified)
    if rest is None:
        return None
    if rest.startswith(("load_from.", "save_to.")):
        return rest.split(".", 1)[0]
    return rest if rest in _LIFECYCLES else None


@functools.lru_cache(maxsize=1024)
def canonical_helper(qualified: str | None) -> str | None:
    """``source``/``value``/``group``/``configuration`` under any spelling, else ``None``."""
    rest = _strip(qualified) if qualified else None
    return rest if rest in DEPENDENCY_HELPERS else None


def lifecycle(modifier: str) -> Lifecycle:
    return _LIFECYCLES[modifier]


def _strip(qualified: str) -> str | None:
    for prefix in _PREFIXES:
        if qualified.startswith(prefix):
            rest = qualified.removeprefix(prefix)
            for submodule in _SUBMODULES:
                if rest.startswith(submodule):
                    return rest.removeprefix(submodule)
            return rest
    return None
