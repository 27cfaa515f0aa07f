from enum import StrEnum


class SettlementOutStatus(StrEnum):
    PREVIEW = "preview"
    REVERSED = "reversed"
    SETTLED = "settled"

    def __str__(self) -> str:
        return str(self.value)
