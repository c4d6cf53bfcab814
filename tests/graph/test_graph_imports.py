"""The one resolver of dotted names against a module's import table (``livedag.graph.imports``)."""

from __future__ import annotations

import ast

import pytest

from livedag.graph.imports import ImportTable, qualified_name, record_import

SOURCE = """
import numpy as np
import os.path
import hamilton.function_modifiers as fm
from hamilton.function_modifiers import extract_fields as ef, tag
from . import sibling
from .sibling import thing
"""


def table() -> ImportTable:
    imports: ImportTable = {}
    for statement in ast.parse(SOURCE).body:
        assert isinstance(statement, ast.Import | ast.ImportFrom)
        record_import(statement, imports)
    return imports


def test_imports_are_recorded_as_python_binds_them() -> None:
    assert table() == {
        "np": "numpy",
        "os": "os",
        "fm": "hamilton.function_modifiers",
        "ef": "hamilton.function_modifiers.extract_fields",
        "tag": "hamilton.function_modifiers.tag",
    }


@pytest.mark.parametrize(
    ("expression", "known_only", "expected"),
    [
        ("np.ndarray", False, "numpy.ndarray"),
        ("fm.config.when", False, "hamilton.function_modifiers.config.when"),
        ("ef", False, "hamilton.function_modifiers.extract_fields"),
        ("os.path.join", False, "os.path.join"),
        ("Row", False, "mod.Row"),
        ("Row.Inner", True, "mod.Row.Inner"),
        ("dict", True, "dict"),
        ("_add", False, "_add"),  # a name of the module itself: kept as written
        ("_add", True, None),  # ...unless only known names count (an annotation: opaque)
        ("sibling.thing", True, None),  # a relative import is not in the table
        ("make()", False, None),
        ("items[0]", False, None),
    ],
)
def test_a_dotted_name_resolves_through_imports_then_local_classes(
    expression: str, known_only: bool, expected: str | None
) -> None:
    node = ast.parse(expression, mode="eval").body
    assert qualified_name(node, table(), {"Row": "mod.Row"}, known_only=known_only) == expected
