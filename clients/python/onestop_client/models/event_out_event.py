from enum import StrEnum


class EventOutEvent(StrEnum):
    REVERSAL = "reversal"
    SETTLEMENT = "settlement"

    def __str__(self) -> str:
        return str(self.value)
