from enum import StrEnum


class ApplicationInApplicant(StrEnum):
    RELATIVE = "relative"
    WORKER = "worker"

    def __str__(self) -> str:
        return str(self.value)
