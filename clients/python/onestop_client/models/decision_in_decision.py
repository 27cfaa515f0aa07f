from enum import StrEnum


class DecisionInDecision(StrEnum):
    PAY = "pay"
    REFUSE = "refuse"

    def __str__(self) -> str:
        return str(self.value)
