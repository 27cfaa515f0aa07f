from enum import StrEnum


class ListProxyPaymentRunsSchemeType0(StrEnum):
    MEDICAL = "medical"
    PENSION = "pension"

    def __str__(self) -> str:
        return str(self.value)
