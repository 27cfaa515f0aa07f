from enum import StrEnum


class CheckOutResult(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"

    def __str__(self) -> str:
        return str(self.value)
