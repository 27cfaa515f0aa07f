from enum import StrEnum


class ApiKeyInRole(StrEnum):
    ADMIN = "admin"
    AGENCY = "agency"
    HOSPITAL = "hospital"
    WORK_INJURY = "work_injury"

    def __str__(self) -> str:
        return str(self.value)
