"""Classes defined in one module of a graph (see classes_use.py), with a subclass relation."""


class Shape:
    pass


class Circle(Shape):
    def __init__(self, radius: float) -> None:
        self.radius = radius


def circle(radius: float) -> Circle:
    return Circle(radius)
