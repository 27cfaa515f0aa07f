from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gap_out_categories_item import GapOutCategoriesItem
from ..models.gap_out_reason import GapOutReason

T = TypeVar("T", bound="GapOut")


@_attrs_define
class GapOut:
    """
    Attributes:
        county_code (str):
        county_name (str):
        id_number (str): 身份证号: in clear for admin keys, masked for agency keys (`5104**********0011`)
        psn_no (str): 人员编号 (the national interface's person number)
        name (str): 姓名
        categories (list[GapOutCategoriesItem]): The categories held in the year
        category_names (list[str]):
        exited (bool): 脱贫标识: any of those categories' periods carries it
        death_date (datetime.date | None): 死亡日期, if known
        reason (GapOutReason): Why not enrolled, first that holds: deceased (died on or before 31 December of the year),
            enrolled_elsewhere (区外参保 for the scheme and year), no_record
        reason_name (str):
        elsewhere_region (None | str): 区外参保地 (6 digits), if known
    """

    county_code: str
    county_name: str
    id_number: str
    psn_no: str
    name: str
    categories: list[GapOutCategoriesItem]
    category_names: list[str]
    exited: bool
    death_date: datetime.date | None
    reason: GapOutReason
    reason_name: str
    elsewhere_region: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        county_code = self.county_code

        county_name = self.county_name

        id_number = self.id_number

        psn_no = self.psn_no

        name = self.name

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.value
            categories.append(categories_item)

        category_names = self.category_names

        exited = self.exited

        death_date: None | str
        if isinstance(self.death_date, datetime.date):
            death_date = self.death_date.isoformat()
        else:
            death_date = self.death_date

        reason = self.reason.value

        reason_name = self.reason_name

        elsewhere_region: None | str
        elsewhere_region = self.elsewhere_region

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "county_code": county_code,
                "county_name": county_name,
                "id_number": id_number,
                "psn_no": psn_no,
                "name": name,
                "categories": categories,
                "category_names": category_names,
                "exited": exited,
                "death_date": death_date,
                "reason": reason,
                "reason_name": reason_name,
                "elsewhere_region": elsewhere_region,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        county_code = d.pop("county_code")

        county_name = d.pop("county_name")

        id_number = d.pop("id_number")

        psn_no = d.pop("psn_no")

        name = d.pop("name")

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = GapOutCategoriesItem(categories_item_data)

            categories.append(categories_item)

        category_names = cast(list[str], d.pop("category_names"))

        exited = d.pop("exited")

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

        reason = GapOutReason(d.pop("reason"))

        reason_name = d.pop("reason_name")

        def _parse_elsewhere_region(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        elsewhere_region = _parse_elsewhere_region(d.pop("elsewhere_region"))

        gap_out = cls(
            county_code=county_code,
            county_name=county_name,
            id_number=id_number,
            psn_no=psn_no,
            name=name,
            categories=categories,
            category_names=category_names,
            exited=exited,
            death_date=death_date,
            reason=reason,
            reason_name=reason_name,
            elsewhere_region=elsewhere_region,
        )

        gap_out.additional_properties = d
        return gap_out

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
