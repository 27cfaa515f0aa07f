from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.hospital_out_level import HospitalOutLevel

T = TypeVar("T", bound="HospitalOut")


@_attrs_define
class HospitalOut:
    """
    Attributes:
        code (str): Hospital code (医疗机构编码)
        name (str): Name (机构名称)
        level (HospitalOutLevel): Level (医院等级)
        county_code (str): County (县区划代码)
        designated (bool): Designated (定点)
    """

    code: str
    name: str
    level: HospitalOutLevel
    county_code: str
    designated: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        level = self.level.value

        county_code = self.county_code

        designated = self.designated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
                "level": level,
                "county_code": county_code,
                "designated": designated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        level = HospitalOutLevel(d.pop("level"))

        county_code = d.pop("county_code")

        designated = d.pop("designated")

        hospital_out = cls(
            code=code,
            name=name,
            level=level,
            county_code=county_code,
            designated=designated,
        )

        hospital_out.additional_properties = d
        return hospital_out

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
