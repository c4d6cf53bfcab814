"""Type compatibility: one table checked through static resolution (source text) and runtime resolution
(live annotation objects), which must agree."""

from __future__ import annotations

import collections
import collections.abc
import os
import pathlib
import typing

import pytest
from graph_testing import static_graph

from livedag.graph.runtime_types import type_ref_from_annotation
from livedag.graph.types import TypeRef, accepts, compatible

IMPORTS = """\
from __future__ import annotations
import collections
import typing
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import (Annotated, Any, AbstractSet, Counter, DefaultDict, Dict, FrozenSet, List, Literal, Optional,
    Set, Text, Tuple, Type, Union)
"""
NAMESPACE = {
    **{name: getattr(typing, name) for name in typing.__all__},
    **{
        name: getattr(collections.abc, name)
        for name in ("Callable", "Hashable", "Iterable", "Iterator", "Mapping", "Sequence")
    },
    "collections": collections,
    "typing": typing,
}


def static_ref(text: str) -> TypeRef:
    graph = static_graph(f"{IMPORTS}\ndef node(value: {text}) -> int:\n    return 0\n")
    annotation = graph.nodes["node"].params[0].annotation
    assert annotation is not None
    return annotation


def runtime_ref(text: str) -> TypeRef:
    try:
        value = eval(text, dict(NAMESPACE))
    except NameError:
        value = text  # an unresolvable annotation stays a string, as get_type_hints leaves it opaque
    return type_ref_from_annotation(value)


# (consumer annotation, producer annotation, accepted)
ACCEPTS = [
    ("dict", "Dict[str, int]", True),
    ("Dict[str, int]", "dict", True),
    ("Dict[str, int]", "dict[str, int]", True),
    ("dict[str, int]", "typing.Dict[str, int]", True),
    ("Dict[str, int]", "dict[str, str]", False),
    ("list", "List[int]", True),
    ("List[int]", "list[int]", True),
    ("list[int]", "list[str]", False),
    ("list[int]", "tuple[int]", False),
    ("Mapping[str, int]", "dict[str, int]", True),
    ("Mapping", "dict", True),
    ("typing.Mapping[str, int]", "Dict[str, int]", True),
    ("dict", "Mapping[str, int]", False),
    ("Sequence[int]", "list[int]", True),
    ("Iterable[str]", "list[str]", True),
    ("Hashable", "int", True),
    ("Optional[int]", "int", True),
    ("int | None", "int", True),
    ("Optional[int]", "None", True),
    ("Union[int, str]", "str", True),
    ("Union[int, str]", "bytes", False),
    ("int", "Optional[int]", False),
    ("int", "Union[int, bool]", True),
    ("str | int", "int | str", True),
    ("int", "bool", True),
    ("float", "int", False),
    ("object", "str", True),
    ("str", "int", False),
    ("Any", "str", True),
    ("str", "Any", True),
    ("list[Any]", "list[int]", True),
    ("Text", "str", True),
    ("Set[int]", "set[int]", True),
    ("FrozenSet[int]", "frozenset[int]", True),
    ("AbstractSet[int]", "frozenset[int]", True),
    ("Type[int]", "type[int]", True),
    ("Tuple[int, ...]", "tuple[int, ...]", True),
    ("DefaultDict[str, int]", "dict[str, int]", False),
    ("dict[str, int]", "DefaultDict[str, int]", True),
    ("Counter[str]", "collections.Counter[str]", True),
    ("Annotated[int, 'meta']", "int", True),
    ("Literal['a', 'b']", "str", True),
    ("Callable[[int], str]", "int", False),
    ("UnknownThing", "int", True),
    ("int", "UnknownThing", True),
    ("list[UnknownThing]", "list[int]", True),
]


@pytest.mark.parametrize(("consumer", "producer", "expected"), ACCEPTS)
def test_accepts_statically(consumer: str, producer: str, expected: bool) -> None:
    assert accepts(static_ref(consumer), static_ref(producer)) is expected


@pytest.mark.parametrize(("consumer", "producer", "expected"), ACCEPTS)
def test_accepts_at_runtime(consumer: str, producer: str, expected: bool) -> None:
    assert accepts(runtime_ref(consumer), runtime_ref(producer)) is expected


@pytest.mark.parametrize(
    "text",
    [
        "Dict[str, int]",
        "list[int]",
        "Optional[Mapping[str, list[int]]]",
        "int | None",
        "Any",
        "Counter[str]",
        "tuple[int, ...]",
        "Iterator[str]",
        "Set[frozenset[int]]",
        "collections.OrderedDict[str, int]",
    ],
)
def test_static_and_runtime_references_are_equal(text: str) -> None:
    assert static_ref(text) == runtime_ref(text)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("int", "bool", True),
        ("bool", "int", True),
        ("int", "str", False),
        ("dict", "Mapping", True),
        ("Optional[int]", "int", True),
        ("list[int]", "list[str]", False),
        ("Any", "bytes", True),
    ],
)
def test_compatible_is_symmetric(a: str, b: str, expected: bool) -> None:
    assert compatible(static_ref(a), static_ref(b)) is expected
    assert compatible(static_ref(b), static_ref(a)) is expected


def test_string_annotations_resolve_like_objects() -> None:
    assert static_ref('"Dict[str, int]"') == static_ref("dict[str, int]")
    assert static_ref("'Optional[int]'") == runtime_ref("Optional[int]")


def test_an_unparsable_string_annotation_is_opaque() -> None:
    ref = static_ref('"not valid ("')
    assert ref.is_opaque
    assert accepts(ref, static_ref("int"))


def test_text_keeps_what_the_user_wrote() -> None:
    assert str(static_ref("Dict[str, int]")) == "Dict[str, int]"
    assert static_ref("Dict[str, int]").display() == "dict[str, int]"


def test_an_unknown_abc_accepts_its_virtual_subclasses_at_runtime() -> None:
    # pathlib.Path is registered with os.PathLike, not derived from it.
    assert accepts(type_ref_from_annotation(os.PathLike), type_ref_from_annotation(pathlib.Path))


def test_runtime_sees_through_classes_static_resolution_cannot() -> None:
    # Statically `pathlib.Path` is an imported, unknown class: opaque, so never a false error.
    static = static_graph("import pathlib\ndef a() -> pathlib.Path: ...\ndef b(a: str) -> int: ...\n")
    assert static.problems == ()
    assert not accepts(type_ref_from_annotation(str), type_ref_from_annotation(pathlib.Path))


def test_user_classes_follow_their_bases() -> None:
    source = """
    class Base: ...
    class Child(Base): ...
    class Other: ...
    def child() -> Child: ...
    def base() -> Base: ...
    def takes_base(child: Base) -> int: ...
    def takes_child(base: Child) -> int: ...
    def takes_other(child: Other) -> int: ...
    """
    graph = static_graph(source)
    mismatched = sorted(p.nodes[0] for p in graph.problems if p.code.value == "type-mismatch")
    assert mismatched == ["takes_child", "takes_other"]
