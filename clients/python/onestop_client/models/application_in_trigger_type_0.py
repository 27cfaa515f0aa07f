from enum import StrEnum


class ApplicationInTriggerType0(StrEnum):
    COURT_SUSPENSION = "court_suspension"
    LICENCE_REVOKED = "licence_revoked"
    OTHER = "other"
    REFUSES = "refuses"

    def __str__(self) -> str:
        return str(self.value)
