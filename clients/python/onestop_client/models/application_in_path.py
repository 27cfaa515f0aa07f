from enum import StrEnum


class ApplicationInPath(StrEnum):
    EMPLOYER_UNPAID = "employer_unpaid"
    THIRD_PARTY_UNKNOWN = "third_party_unknown"
    THIRD_PARTY_UNPAID = "third_party_unpaid"

    def __str__(self) -> str:
        return str(self.value)
