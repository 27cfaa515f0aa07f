from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Skipped")


@_attrs_define
class Skipped:
    """Roster people of the county without a line, by reason.

    Attributes:
        deceased (int): died by 31 December of the year
        not_eligible (int): outside the age band of the rules
        enrolled_elsewhere (int): enrolled outside the region (区外参保)
        already_enrolled (int): enrolled for the scheme and year by a confirmed run
        not_covered (int): no category the rules pay for (or only a 脱贫 one excluded)
    """

    deceased: int
    not_eligible: int
    enrolled_elsewhere: int
    already_enrolled: int
    not_covered: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deceased = self.deceased

        not_eligible = self.not_eligible

        enrolled_elsewhere = self.enrolled_elsewhere

        already_enrolled = self.already_enrolled

        not_covered = self.not_covered

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deceased": deceased,
                "not_eligible": not_eligible,
                "enrolled_elsewhere": enrolled_elsewhere,
                "already_enrolled": already_enrolled,
                "not_covered": not_covered,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        deceased = d.pop("deceased")

        not_eligible = d.pop("not_eligible")

        enrolled_elsewhere = d.pop("enrolled_elsewhere")

        already_enrolled = d.pop("already_enrolled")

        not_covered = d.pop("not_covered")

        skipped = cls(
            deceased=deceased,
            not_eligible=not_eligible,
            enrolled_elsewhere=enrolled_elsewhere,
            already_enrolled=already_enrolled,
            not_covered=not_covered,
        )

        skipped.additional_properties = d
        return skipped

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
