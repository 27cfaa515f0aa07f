from enum import StrEnum


class GapsPageOutScheme(StrEnum):
    MEDICAL = "medical"
    PENSION = "pension"

    def __str__(self) -> str:
        return str(self.value)
