from enum import StrEnum


class LedgerSchemeOutRecordedByType0(StrEnum):
    MANUAL = "manual"
    RUN = "run"

    def __str__(self) -> str:
        return str(self.value)
