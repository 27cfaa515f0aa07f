from enum import StrEnum


class ExportEnrolmentGapsScheme(StrEnum):
    MEDICAL = "medical"
    PENSION = "pension"

    def __str__(self) -> str:
        return str(self.value)
