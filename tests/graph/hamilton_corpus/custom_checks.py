"""check_output_custom with validators of the module's own classes (their `name()` names the nodes), the
same validator twice (numbered)."""

from hamilton.data_quality.base import DataValidator, ValidationResult
from hamilton.function_modifiers import check_output_custom


class AtLeast(DataValidator):
    def __init__(self, bound: int, importance: str = "warn") -> None:
        super().__init__(importance=importance)
        self.bound = bound

    @classmethod
    def applies_to(cls, datatype: type) -> bool:
        return datatype is int

    def description(self) -> str:
        return f"at least {self.bound}"

    @classmethod
    def name(cls) -> str:
        """The suffix of the validator's node."""
        return "at_least"

    def validate(self, dataset: int) -> ValidationResult:
        return ValidationResult(passes=dataset >= self.bound, message=self.description())


@check_output_custom(AtLeast(0), AtLeast(1, importance="warn"))
def counted(x: int) -> int:
    return x + 1


@check_output_custom(AtLeast(2))
def doubled(counted: int) -> int:
    return counted * 2
