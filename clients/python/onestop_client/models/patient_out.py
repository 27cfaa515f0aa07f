from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PatientOut")


@_attrs_define
class PatientOut:
    """
    Attributes:
        id_number (str): ID number (身份证号), masked: first 4 and last 4 characters
        categories (list[str]): Assistance categories valid on the discharge date: registered_poor (建档立卡贫困人员), dibao
            (低保对象), tekun (特困人员)
        in_county (bool): In county (县域内): the hospital's county is the person's insured county
    """

    id_number: str
    categories: list[str]
    in_county: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        categories = self.categories

        in_county = self.in_county

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id_number": id_number,
                "categories": categories,
                "in_county": in_county,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number = d.pop("id_number")

        categories = cast(list[str], d.pop("categories"))

        in_county = d.pop("in_county")

        patient_out = cls(
            id_number=id_number,
            categories=categories,
            in_county=in_county,
        )

        patient_out.additional_properties = d
        return patient_out

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
