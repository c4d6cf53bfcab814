"""Annotations naming classes of another module of the graph: a Shape parameter takes the Circle node,
statically too (the class table spans the graph's files)."""

from classes_base import Circle, Shape


def area(circle: Shape) -> float:
    return 3.14 * getattr(circle, "radius", 0.0) ** 2


def same(circle: Circle) -> Circle:
    return circle
