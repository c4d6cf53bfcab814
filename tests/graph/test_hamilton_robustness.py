"""Static resolution never raises on Hamilton's modifiers used wrongly or half-typed (missing arguments, wrong
types, computed values, unknown names), alone or stacked, with and without a config: the editor and
``livedag check`` see such code on every keystroke."""

from __future__ import annotations

import itertools

import pytest

from livedag import Graph, Severity

DECORATORS = [
    "@extract_fields()",
    "@extract_fields",
    "@extract_fields(1)",
    "@extract_fields({1: int})",
    "@extract_fields(['a', 'b'])",
    "@extract_fields(fields={'a': int})",
    "@extract_columns()",
    "@extract_columns(*COLS)",
    "@extract_columns('a', fill_with=0)",
    "@unpack_fields('a')",
    "@unpack_fields()",
    "@parameterize()",
    "@parameterize(x=1)",
    "@parameterize(x=({'a': value(1)}, 'doc'))",
    "@parameterize(**{'y': {'a': source('z')}})",
    "@parameterize(**OTHER)",
    "@parameterize_values()",
    "@parameterize_values(parameter='a', assigned_output={'q': 1, ('r', 's'): 2})",
    "@parameterize_values(parameter=1, assigned_output=2)",
    "@parameterize_sources(out={'a': 1})",
    "@parameterize_sources(out={'a': 'b'})",
    "@config.when",
    "@config.when()",
    "@config.when(name=3)",
    "@config.when(**{'k': 1})",
    "@config.when_in(k=1)",
    "@config.when_not_in(k=[1])",
    "@hamilton_exclude",
    "@tag",
    "@tag()",
    "@tag(target_=3, a='b')",
    "@tag(target_=['a'], a='b')",
    "@tag_outputs(a=1)",
    "@tag_outputs(zz={'a': 'b'})",
    "@schema.output(1)",
    "@schema.output(('a', 'int'))",
    "@cache",
    "@cache(behavior=1)",
    "@check_output",
    "@check_output(1)",
    "@check_output(range=(0,1), target_='q')",
    "@inject()",
    "@inject(a=group())",
    "@inject(a=group(x=source('b')))",
    "@inject(a=group(1, source('b')))",
    "@does",
    "@does(len)",
    "@dataloader",
    "@dataloader()",
    "@datasaver()",
    "@load_from.json()",
    "@load_from.json(path=value('x'), inject_=1)",
    "@load_from.json(path=source('p'), inject_='a')",
    "@save_to.json(output_name_=1)",
    "@save_to.json(path=source('p'))",
    "@pipe_input()",
    "@pipe_input(step(_h))",
    "@pipe_input(step(len))",
    "@pipe_input(1)",
    "@pipe_input(step(_h).named(1))",
    "@pipe_input(step(_h, amount=value(1)).when(a=1))",
    "@pipe_output(step(_h))",
    "@pipe_output(step(_nope))",
    "@pipe_input(step(_h), on_input='zz')",
    "@subdag()",
    "@fm.config.when(a=1)",
    "@fm.nonexistent(1)",
    "@value(1)",
    "@source('a')",
]
HEADER = (
    "import hamilton.function_modifiers as fm\n"
    "from hamilton.function_modifiers import *\n"
    "from hamilton.htypes import Parallelizable, Collect\n"
    "\n"
    "def _h(x: int, amount: int = 1) -> int:\n"
    "    return x\n"
    "\n"
)
FUNCS = [
    "def a(b: int) -> dict:\n    return {}\n",
    "def a() -> tuple[int, ...]:\n    return ()\n",
    "def a(*args, **kw):\n    pass\n",
    "async def a(b: int, /, c=1) -> Parallelizable[int]:\n    yield 1\n",
    "def a__x(b: Collect[int]) -> tuple:\n    return ()\n",
]
CASES = list(itertools.product(DECORATORS, range(len(FUNCS))))


@pytest.mark.parametrize(("decorator", "function"), CASES, ids=[f"{d}-{f}" for d, f in CASES])
def test_resolution_never_raises(decorator: str, function: int) -> None:
    for stacked in ("", "@tag(q='r')\n", "@config.when(k=1)\n"):
        source = (
            HEADER
            + stacked
            + decorator
            + "\n"
            + FUNCS[function]
            + "\n@mutate(a, amount=value(2))\ndef _m(x: int, amount: int) -> int:\n    return x\n\n"
            "def use(a: int, b: int = 1) -> int:\n    return a\n"
        )
        for config in (None, {}, {"k": 1}):
            graph = Graph.from_sources({"m.py": source}, config=config)
            assert all(p.severity in Severity for p in graph.problems)
