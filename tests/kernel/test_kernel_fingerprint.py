"""Fingerprints: a node's key follows the notebook helpers, classes and constants it uses (pure, no kernel)."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from livedag.kernel.fingerprint import fingerprint


def _node(source: str, **namespace: Any) -> Any:
    """Define the cell's code in a fresh namespace named like the notebook's, and return its ``node``."""
    scope: dict[str, Any] = {"__name__": "__main__", **namespace}
    exec(compile(textwrap.dedent(source), "<cell>", "exec"), scope)
    return scope["node"]


HELPER = """
TAX = {tax}
def _price_with_tax(price):
    return price * (1 + TAX)
def node(price: float) -> float:
    return _price_with_tax(price)
"""

CLASS = """
class Pricing:
    rate = {rate}
    def apply(self, price):
        return price * self.rate
def node(price: float) -> float:
    return Pricing().apply(price)
"""

NESTED = """
LIMIT = {limit}
def _inner():
    return LIMIT
def _outer():
    return [_inner() for _ in range(2)]
def node() -> list:
    return _outer()
"""


@pytest.mark.parametrize(
    ("template", "before", "after"),
    [
        (HELPER, {"tax": 0.1}, {"tax": 0.25}),  # a constant the helper reads
        (CLASS, {"rate": 2}, {"rate": 3}),  # a class attribute
        (NESTED, {"limit": 1}, {"limit": 2}),  # two helpers deep, through a comprehension
    ],
)
def test_changing_what_a_node_uses_changes_its_fingerprint(template, before, after):
    assert fingerprint(_node(template.format(**before))) != fingerprint(_node(template.format(**after)))
    assert fingerprint(_node(template.format(**before))) == fingerprint(_node(template.format(**before)))


def test_an_edited_helper_body_changes_the_fingerprint():
    first = _node("def _h(x):\n    return x\ndef node(x: int) -> int:\n    return _h(x)\n")
    second = _node("def _h(x):\n    return x + 1\ndef node(x: int) -> int:\n    return _h(x)\n")
    assert fingerprint(first) != fingerprint(second)


def test_imported_modules_and_other_objects_are_not_followed():
    import json

    class Opaque:
        pass

    one = _node("def node() -> str:\n    return json.dumps(THING)\n", json=json, THING=Opaque())
    two = _node("def node() -> str:\n    return json.dumps(THING)\n", json=json, THING=Opaque())
    assert fingerprint(one) == fingerprint(two)


def test_recursive_helpers_terminate():
    node = _node(
        "def _a(n):\n    return _b(n - 1) if n else 0\ndef _b(n):\n    return _a(n)\n"
        "def node() -> int:\n    return _a(3)\n"
    )
    assert "def _a" in fingerprint(node)
    assert "def _b" in fingerprint(node)
