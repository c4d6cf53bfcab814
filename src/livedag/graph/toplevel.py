"""What a module's top level defines besides its functions, as static resolution reads it: names assigned once
(constants, such as the columns ``@extract_columns(*COLUMNS)`` spreads) and what a class's ``name()`` returns
(the node name of a data validator of ``@check_output_custom``)."""

from __future__ import annotations

import ast

__all__ = ["record_constant", "record_validator_name"]

FunctionDef = ast.FunctionDef | ast.AsyncFunctionDef


def record_constant(
    statement: ast.Assign | ast.AnnAssign | ast.AugAssign, constants: dict[str, ast.expr], assigned: set[str]
) -> None:
    """``NAME = value`` once: a constant; a name assigned again (or augmented) is not one."""
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    for target in targets:
        if not isinstance(target, ast.Name):
            continue
        if target.id in assigned or isinstance(statement, ast.AugAssign) or statement.value is None:
            constants.pop(target.id, None)
        elif len(targets) == 1:
            constants[target.id] = statement.value
        assigned.add(target.id)


def record_validator_name(cls: ast.ClassDef, names: dict[str, str]) -> None:
    """``def name(cls) -> str: return "positive"`` in a class: ``positive``."""
    for statement in cls.body:
        if isinstance(statement, FunctionDef) and statement.name == "name":
            body = [s for s in statement.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            returned = body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None
            if isinstance(returned, ast.Constant) and isinstance(returned.value, str):
                names[cls.name] = returned.value
