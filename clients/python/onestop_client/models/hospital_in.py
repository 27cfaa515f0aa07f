from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.hospital_in_level import HospitalInLevel

T = TypeVar("T", bound="HospitalIn")


@_attrs_define
class HospitalIn:
    """A hospital (医疗机构).

    Attributes:
        name (str): Name (机构名称)
        level (HospitalInLevel): Level (医院等级): primary 一级/乡镇卫生院/社区, secondary 二级, tertiary 三级; chooses deductibles and
            ratios
        county_code (str): County (所在县区划代码); in-county (县域内) when it is the person's county
        designated (bool): Designated (定点医疗机构): only designated hospitals settle
    """

    name: str
    level: HospitalInLevel
    county_code: str
    designated: bool

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        level = self.level.value

        county_code = self.county_code

        designated = self.designated

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
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
        name = d.pop("name")

        level = HospitalInLevel(d.pop("level"))

        county_code = d.pop("county_code")

        designated = d.pop("designated")

        hospital_in = cls(
            name=name,
            level=level,
            county_code=county_code,
            designated=designated,
        )

        return hospital_in
