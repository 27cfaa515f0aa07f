from enum import StrEnum


class ListRosterImportsSourceType0(StrEnum):
    CIVIL_AFFAIRS = "civil_affairs"
    MEDICAL_INSURANCE = "medical_insurance"
    POVERTY_OFFICE = "poverty_office"

    def __str__(self) -> str:
        return str(self.value)
