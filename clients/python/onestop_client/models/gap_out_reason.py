from enum import StrEnum


class GapOutReason(StrEnum):
    DECEASED = "deceased"
    ENROLLED_ELSEWHERE = "enrolled_elsewhere"
    NO_RECORD = "no_record"

    def __str__(self) -> str:
        return str(self.value)
