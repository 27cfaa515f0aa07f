from enum import StrEnum


class ApiKeyInRole(StrEnum):
    ADMIN = "admin"
    AGENCY = "agency"
    HOSPITAL = "hospital"

    def __str__(self) -> str:
        return str(self.value)
