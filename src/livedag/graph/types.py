"""Type references and the one compatibility rule shared by runtime and static resolution.

A ``TypeRef`` is an annotation reduced to a canonical name plus arguments, so ``typing.Dict[str, int]``
written in source and ``dict[str, int]`` held by a live function compare equal. The rule follows
Apache Hamilton's ``types_match`` (a consumer accepts ``Any``, equal types, subclasses, a member of
a ``Union`` it asks for, and generics whose origins are related and whose arguments are equal when
both give them), with one deliberate difference: anything the core cannot see through is *opaque*
and always compatible, so the editor never shows a false error.
"""

from __future__ import annotations

import builtins
import collections
import collections.abc
import functools
from dataclasses import dataclass, field

__all__ = ["ANY", "KNOWN_CLASSES", "TypeRef", "accepts", "canonical_class_name", "class_ancestry", "compatible"]

PARALLELIZABLE_NAME = "hamilton.htypes.Parallelizable"
"""A node returning ``Parallelizable[T]`` yields items of ``T``, each run through the nodes up to its ``Collect``."""
COLLECT_NAME = "hamilton.htypes.Collect"
"""A parameter ``Collect[T]`` takes the ``T`` each item's run produced (a list of them, in item order)."""
ANY_NAME = "typing.Any"
UNION_NAME = "typing.Union"
NONE_NAME = "None"
OPAQUE_NAME = "?"

_STREAM_ORIGINS = frozenset(
    {
        "collections.abc.Iterator",
        "collections.abc.Iterable",
        "collections.abc.Generator",
        "collections.abc.AsyncIterator",
        "collections.abc.AsyncIterable",
        "collections.abc.AsyncGenerator",
    }
)


def canonical_class_name(cls: type) -> str:
    """``builtins.int`` -> ``int``; ``collections.abc.Mapping`` stays qualified."""
    if cls is type(None):
        return NONE_NAME
    module = getattr(cls, "__module__", "") or ""
    qualname = getattr(cls, "__qualname__", getattr(cls, "__name__", "?"))
    if module == "builtins":
        return str(qualname)
    if module == "_collections_abc":
        module = "collections.abc"
    return f"{module}.{qualname}"


def _known_classes() -> dict[str, type]:
    """The classes whose relations static resolution may trust without importing user code."""
    classes: list[type] = [
        value for value in vars(builtins).values() if isinstance(value, type) and not issubclass(value, BaseException)
    ]
    classes += [getattr(collections.abc, name) for name in collections.abc.__all__]
    classes += [
        collections.OrderedDict,
        collections.defaultdict,
        collections.Counter,
        collections.deque,
        collections.ChainMap,
    ]
    return {canonical_class_name(cls): cls for cls in classes}


KNOWN_CLASSES: dict[str, type] = _known_classes()


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A canonical annotation: ``name`` is a class name, ``typing.Any``, ``typing.Union`` or ``?``.

    ``ancestors`` holds the canonical names of every class this one is a subclass of (itself
    included) when they are all known; ``None`` means the hierarchy is not fully known, so only
    equality can be trusted. ``text`` is how the user wrote it, for messages.
    """

    name: str
    args: tuple[TypeRef, ...] = ()
    ancestors: frozenset[str] | None = field(default=None, compare=False)
    text: str = field(default="", compare=False)

    @property
    def is_any(self) -> bool:
        return self.name == ANY_NAME

    @property
    def is_opaque(self) -> bool:
        return self.name == OPAQUE_NAME

    @property
    def is_union(self) -> bool:
        return self.name == UNION_NAME

    def __str__(self) -> str:
        return self.text or self.display()

    def display(self) -> str:
        if self.is_union:
            return " | ".join(arg.display() for arg in self.args)
        if self.is_opaque:
            return self.text or "?"
        short = self.name.removeprefix("collections.abc.").removeprefix("typing.")
        short = short.rsplit(".", 1)[-1] if "." in short and not self.name.startswith("collections.") else short
        if not self.args:
            return short
        return f"{short}[{', '.join(arg.display() for arg in self.args)}]"

    @property
    def is_parallelizable(self) -> bool:
        return self.name == PARALLELIZABLE_NAME

    @property
    def is_collect(self) -> bool:
        return self.name == COLLECT_NAME

    def item(self) -> TypeRef:
        """``T`` of ``Parallelizable[T]``/``Collect[T]`` (opaque when not given)."""
        return self.args[0] if self.args else opaque(self.text)

    def streamed_items(self) -> TypeRef:
        """What a generator annotated with this type hands downstream: ``list`` of its items."""
        item = self.args[0] if self.name in _STREAM_ORIGINS and self.args else opaque(self.text)
        return generic("list", (item,), text=f"list[{item}]")


ANY = TypeRef(ANY_NAME, text="Any")


def opaque(text: str = "") -> TypeRef:
    return TypeRef(OPAQUE_NAME, text=text)


def known(name: str, text: str = "") -> TypeRef:
    """A class from ``KNOWN_CLASSES`` (or ``None``) with its full ancestry."""
    return _known(name, text) if text else _known_plain(name)


@functools.cache
def _known_plain(name: str) -> TypeRef:
    return _known(name, "")


def _known(name: str, text: str) -> TypeRef:
    if name == NONE_NAME:
        return TypeRef(NONE_NAME, ancestors=frozenset({NONE_NAME, "object"}), text=text or "None")
    cls = KNOWN_CLASSES[name]
    return TypeRef(name, ancestors=class_ancestry(cls), text=text)


def generic(name: str, args: tuple[TypeRef, ...], text: str = "") -> TypeRef:
    base = known(name) if name in KNOWN_CLASSES else TypeRef(name)
    return TypeRef(base.name, args, base.ancestors, text)


def union(members: list[TypeRef], text: str = "") -> TypeRef:
    flat: list[TypeRef] = []
    for member in members:
        for item in member.args if member.is_union else (member,):
            if item not in flat:
                flat.append(item)
    if len(flat) == 1:
        return flat[0]
    return TypeRef(UNION_NAME, tuple(flat), text=text)


@functools.cache
def class_ancestry(cls: type) -> frozenset[str]:
    """Every known class ``cls`` is a subclass of, by MRO or by ABC registration."""
    names = {canonical_class_name(base) for base in cls.__mro__}
    # Virtual subclasses (dict is a Mapping) are not in the MRO; ask the ABCs directly.
    for name, candidate in KNOWN_CLASSES.items():
        try:
            if issubclass(cls, candidate):
                names.add(name)
        except TypeError:
            continue
    return frozenset(names)


def accepts(consumer: TypeRef, producer: TypeRef) -> bool:
    """Whether a parameter annotated ``consumer`` can take a value annotated ``producer``."""
    if consumer.is_any or producer.is_any or consumer.is_opaque or producer.is_opaque:
        return True
    if producer.is_union:  # first, so that a union consumer sees each member of a union producer
        return all(accepts(consumer, member) for member in producer.args)
    if consumer.is_union:
        return any(accepts(member, producer) for member in consumer.args)
    if consumer == producer:
        return True
    if producer.ancestors is None:
        # Unknown hierarchy: equal names are fine, anything else cannot be judged.
        return consumer.name == producer.name or not _hierarchy_is_closed(consumer, producer)
    if consumer.name not in producer.ancestors:
        # A consumer whose own hierarchy is unknown may be an ABC that registers the producer's class.
        return consumer.ancestors is None
    return _arguments_match(consumer.args, producer.args)


def _hierarchy_is_closed(consumer: TypeRef, producer: TypeRef) -> bool:
    """Both sides known classes with known ancestry: only then may a mismatch be reported."""
    return consumer.ancestors is not None and producer.ancestors is not None


def _arguments_match(wanted: tuple[TypeRef, ...], given: tuple[TypeRef, ...]) -> bool:
    if not wanted or not given or len(wanted) != len(given):
        return True
    return all(_same_type(a, b) for a, b in zip(wanted, given, strict=True))


def _same_type(a: TypeRef, b: TypeRef) -> bool:
    """Generic arguments are invariant, as in Hamilton: equal, or one side unknown."""
    if a.is_any or b.is_any or a.is_opaque or b.is_opaque:
        return True
    if a.is_union or b.is_union:
        return a.is_union and b.is_union and set(a.args) == set(b.args)
    if a.name != b.name:
        return False
    return _arguments_match(a.args, b.args)


def compatible(a: TypeRef, b: TypeRef) -> bool:
    """Two needs of one external input can be met by one value when either accepts the other."""
    return accepts(a, b) or accepts(b, a)
