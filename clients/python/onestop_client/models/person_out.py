from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.category_out import CategoryOut
    from ..models.enrolment_in import EnrolmentIn


T = TypeVar("T", bound="PersonOut")


@_attrs_define
class PersonOut:
    """
    Attributes:
        id_number (str): ID number (公民身份号码), in clear: admin only
        name (str): Name (姓名)
        county_code (str): Insured county (参保地区划代码)
        enrolments (list[EnrolmentIn]): Enrolment years (参保年度)
        categories (list[CategoryOut]): Assistance categories (救助对象类别), every source's
        death_date (datetime.date | None): 死亡日期, or null
    """

    id_number: str
    name: str
    county_code: str
    enrolments: list[EnrolmentIn]
    categories: list[CategoryOut]
    death_date: datetime.date | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        name = self.name

        county_code = self.county_code

        enrolments = []
        for enrolments_item_data in self.enrolments:
            enrolments_item = enrolments_item_data.to_dict()
            enrolments.append(enrolments_item)

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        death_date: None | str
        if isinstance(self.death_date, datetime.date):
            death_date = self.death_date.isoformat()
        else:
            death_date = self.death_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id_number": id_number,
                "name": name,
                "county_code": county_code,
                "enrolments": enrolments,
                "categories": categories,
                "death_date": death_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_out import CategoryOut  # noqa: PLC0415
        from ..models.enrolment_in import EnrolmentIn  # noqa: PLC0415

        d = dict(src_dict)
        id_number = d.pop("id_number")

        name = d.pop("name")

        county_code = d.pop("county_code")

        enrolments = []
        _enrolments = d.pop("enrolments")
        for enrolments_item_data in _enrolments:
            enrolments_item = EnrolmentIn.from_dict(enrolments_item_data)

            enrolments.append(enrolments_item)

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = CategoryOut.from_dict(categories_item_data)

            categories.append(categories_item)

        def _parse_death_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                death_date_type_0 = datetime.date.fromisoformat(data)

                return death_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        death_date = _parse_death_date(d.pop("death_date"))

        person_out = cls(
            id_number=id_number,
            name=name,
            county_code=county_code,
            enrolments=enrolments,
            categories=categories,
            death_date=death_date,
        )

        person_out.additional_properties = d
        return person_out

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
