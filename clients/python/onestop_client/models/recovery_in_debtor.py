from enum import StrEnum


class RecoveryInDebtor(StrEnum):
    EMPLOYER = "employer"
    PERSON = "person"
    THIRD_PARTY = "third_party"

    def __str__(self) -> str:
        return str(self.value)
