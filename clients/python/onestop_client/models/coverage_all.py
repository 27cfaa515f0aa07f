from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CoverageAll")


@_attrs_define
class CoverageAll:
    """
    Attributes:
        on_roster (int): 应参保人数: persons on the roster (each counted once)
        enrolled (int): 已参保人数
        not_enrolled (int): 未参保人数 = on_roster − enrolled
        ratio (None | str): 参保率 enrolled / on_roster, 4 decimals rounded half up; null when on_roster is 0
    """

    on_roster: int
    enrolled: int
    not_enrolled: int
    ratio: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        on_roster = self.on_roster

        enrolled = self.enrolled

        not_enrolled = self.not_enrolled

        ratio: None | str
        ratio = self.ratio

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "on_roster": on_roster,
                "enrolled": enrolled,
                "not_enrolled": not_enrolled,
                "ratio": ratio,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        on_roster = d.pop("on_roster")

        enrolled = d.pop("enrolled")

        not_enrolled = d.pop("not_enrolled")

        def _parse_ratio(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ratio = _parse_ratio(d.pop("ratio"))

        coverage_all = cls(
            on_roster=on_roster,
            enrolled=enrolled,
            not_enrolled=not_enrolled,
            ratio=ratio,
        )

        coverage_all.additional_properties = d
        return coverage_all

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
