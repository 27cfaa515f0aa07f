from enum import StrEnum


class LedgerCategoryOutCategory(StrEnum):
    DIBAO = "dibao"
    REGISTERED_POOR = "registered_poor"
    TEKUN = "tekun"

    def __str__(self) -> str:
        return str(self.value)
