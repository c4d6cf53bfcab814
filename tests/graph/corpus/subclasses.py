"""A consumer accepts subclasses of what it asks for: user classes and bool for int."""


class Shape:
    pass


class Square(Shape):
    pass


def square() -> Square:
    return Square()


def area(square: Shape) -> float:
    return 1.0


def flag() -> bool:
    return True


def as_number(flag: int) -> int:
    return flag
