from enum import StrEnum


class RunInScheme(StrEnum):
    MEDICAL = "medical"
    PENSION = "pension"

    def __str__(self) -> str:
        return str(self.value)
