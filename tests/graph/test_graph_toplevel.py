"""What static resolution reads of a module's top level besides functions (``livedag.graph.toplevel``)."""

from __future__ import annotations

import ast

from livedag.graph.toplevel import record_constant, record_validator_name

SOURCE = """
COLUMNS = ["a", "b"]
TYPED: tuple[str, ...] = ("c",)
AGAIN = ["x"]
AGAIN = ["y"]
GROWN = ["z"]
GROWN += ["w"]
FIRST = SECOND = ["q"]
DECLARED: list[str]
obj.attr = 1
"""


def test_names_assigned_once_are_constants() -> None:
    constants: dict[str, ast.expr] = {}
    assigned: set[str] = set()
    for statement in ast.parse(SOURCE).body:
        assert isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign)
        record_constant(statement, constants, assigned)
    assert {name: ast.unparse(value) for name, value in constants.items()} == {
        "COLUMNS": "['a', 'b']",
        "TYPED": "('c',)",
    }


VALIDATORS = '''
class Literal:
    @classmethod
    def name(cls) -> str:
        """Documented."""
        return "literal_check"

class Computed:
    @classmethod
    def name(cls) -> str:
        return "computed_" + "check"

class Branching:
    def name(self) -> str:
        if self:
            return "a"
        return "b"
'''


def test_a_validator_name_is_read_when_name_returns_a_string_literal() -> None:
    names: dict[str, str] = {}
    for statement in ast.parse(VALIDATORS).body:
        assert isinstance(statement, ast.ClassDef)
        record_validator_name(statement, names)
    assert names == {"Literal": "literal_check"}
