from enum import StrEnum


class RunOutStatus(StrEnum):
    COMPUTED = "computed"
    CONFIRMED = "confirmed"

    def __str__(self) -> str:
        return str(self.value)
