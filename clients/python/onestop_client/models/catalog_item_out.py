from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.catalog_item_out_grade import CatalogItemOutGrade

T = TypeVar("T", bound="CatalogItemOut")


@_attrs_define
class CatalogItemOut:
    """
    Attributes:
        code (str): Catalogue code (医保目录编码)
        name (str): Name (项目名称)
        grade (CatalogItemOutGrade): A 甲类, B 乙类, C 丙类
        self_pay_ratio (str): Pre-self-pay ratio (乙类先行自付比例)
        price_cap (None | str): Price cap per unit (最高限价), yuan, or null
        valid_from (datetime.date): First day of validity (生效日期)
        valid_to (datetime.date | None): Last day of validity (失效日期), or null
    """

    code: str
    name: str
    grade: CatalogItemOutGrade
    self_pay_ratio: str
    price_cap: None | str
    valid_from: datetime.date
    valid_to: datetime.date | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        grade = self.grade.value

        self_pay_ratio = self.self_pay_ratio

        price_cap: None | str
        price_cap = self.price_cap

        valid_from = self.valid_from.isoformat()

        valid_to: None | str
        if isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
                "grade": grade,
                "self_pay_ratio": self_pay_ratio,
                "price_cap": price_cap,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        grade = CatalogItemOutGrade(d.pop("grade"))

        self_pay_ratio = d.pop("self_pay_ratio")

        def _parse_price_cap(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        price_cap = _parse_price_cap(d.pop("price_cap"))

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        def _parse_valid_to(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_to_type_0 = datetime.date.fromisoformat(data)

                return valid_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        valid_to = _parse_valid_to(d.pop("valid_to"))

        catalog_item_out = cls(
            code=code,
            name=name,
            grade=grade,
            self_pay_ratio=self_pay_ratio,
            price_cap=price_cap,
            valid_from=valid_from,
            valid_to=valid_to,
        )

        catalog_item_out.additional_properties = d
        return catalog_item_out

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
