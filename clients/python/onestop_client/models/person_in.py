from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.category_in import CategoryIn
    from ..models.enrolment_in import EnrolmentIn


T = TypeVar("T", bound="PersonIn")


@_attrs_define
class PersonIn:
    """An insured person (参保人).

    Attributes:
        name (str): Name (姓名)
        county_code (str): Insured county (参保地区划代码)
        enrolments (list[EnrolmentIn] | Unset): Enrolment years (参保年度); settling needs the discharge year
        categories (list[CategoryIn] | Unset): Assistance categories (救助对象类别) with validity; they open the tilted and
            civil-assistance layers. Replaces only the manual ones: roster periods stay
        death_date (datetime.date | None | Unset): 死亡日期, or null; left as it is when the field is absent
    """

    name: str
    county_code: str
    enrolments: list[EnrolmentIn] | Unset = UNSET
    categories: list[CategoryIn] | Unset = UNSET
    death_date: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        county_code = self.county_code

        enrolments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.enrolments, Unset):
            enrolments = []
            for enrolments_item_data in self.enrolments:
                enrolments_item = enrolments_item_data.to_dict()
                enrolments.append(enrolments_item)

        categories: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = []
            for categories_item_data in self.categories:
                categories_item = categories_item_data.to_dict()
                categories.append(categories_item)

        death_date: None | str | Unset
        if isinstance(self.death_date, Unset):
            death_date = UNSET
        elif isinstance(self.death_date, datetime.date):
            death_date = self.death_date.isoformat()
        else:
            death_date = self.death_date

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "county_code": county_code,
            }
        )
        if enrolments is not UNSET:
            field_dict["enrolments"] = enrolments
        if categories is not UNSET:
            field_dict["categories"] = categories
        if death_date is not UNSET:
            field_dict["death_date"] = death_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_in import CategoryIn  # noqa: PLC0415
        from ..models.enrolment_in import EnrolmentIn  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        county_code = d.pop("county_code")

        _enrolments = d.pop("enrolments", UNSET)
        enrolments: list[EnrolmentIn] | Unset = UNSET
        if _enrolments is not UNSET:
            enrolments = []
            for enrolments_item_data in _enrolments:
                enrolments_item = EnrolmentIn.from_dict(enrolments_item_data)

                enrolments.append(enrolments_item)

        _categories = d.pop("categories", UNSET)
        categories: list[CategoryIn] | Unset = UNSET
        if _categories is not UNSET:
            categories = []
            for categories_item_data in _categories:
                categories_item = CategoryIn.from_dict(categories_item_data)

                categories.append(categories_item)

        def _parse_death_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                death_date_type_0 = datetime.date.fromisoformat(data)

                return death_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        death_date = _parse_death_date(d.pop("death_date", UNSET))

        person_in = cls(
            name=name,
            county_code=county_code,
            enrolments=enrolments,
            categories=categories,
            death_date=death_date,
        )

        return person_in
