from enum import StrEnum


class GetEnrolmentCoverageScheme(StrEnum):
    MEDICAL = "medical"
    PENSION = "pension"

    def __str__(self) -> str:
        return str(self.value)
