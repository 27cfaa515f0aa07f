from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.catalog_item_in_grade import CatalogItemInGrade
from ..types import UNSET, Unset

T = TypeVar("T", bound="CatalogItemIn")


@_attrs_define
class CatalogItemIn:
    """A catalogue entry (医保目录条目): drug, service or material.

    Attributes:
        valid_from (datetime.date): First day of validity (生效日期)
        name (str): Name (项目名称)
        grade (CatalogItemInGrade): Grade: A 甲类 (fully in policy), B 乙类 (pre-self-pay first), C 丙类 (full self-pay)
        valid_to (datetime.date | None | Unset): Last day of validity (失效日期), inclusive; null: open-ended
        self_pay_ratio (str | Unset): Pre-self-pay ratio (乙类先行自付比例); must be 0 unless grade B Default: '0'.
        price_cap (None | str | Unset): Price cap per unit (最高限价), yuan; above it is over-limit self-pay; or null
    """

    valid_from: datetime.date
    name: str
    grade: CatalogItemInGrade
    valid_to: datetime.date | None | Unset = UNSET
    self_pay_ratio: str | Unset = "0"
    price_cap: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        valid_from = self.valid_from.isoformat()

        name = self.name

        grade = self.grade.value

        valid_to: None | str | Unset
        if isinstance(self.valid_to, Unset):
            valid_to = UNSET
        elif isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        self_pay_ratio = self.self_pay_ratio

        price_cap: None | str | Unset
        if isinstance(self.price_cap, Unset):
            price_cap = UNSET
        else:
            price_cap = self.price_cap

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "valid_from": valid_from,
                "name": name,
                "grade": grade,
            }
        )
        if valid_to is not UNSET:
            field_dict["valid_to"] = valid_to
        if self_pay_ratio is not UNSET:
            field_dict["self_pay_ratio"] = self_pay_ratio
        if price_cap is not UNSET:
            field_dict["price_cap"] = price_cap

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        name = d.pop("name")

        grade = CatalogItemInGrade(d.pop("grade"))

        def _parse_valid_to(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_to_type_0 = datetime.date.fromisoformat(data)

                return valid_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        valid_to = _parse_valid_to(d.pop("valid_to", UNSET))

        self_pay_ratio = d.pop("self_pay_ratio", UNSET)

        def _parse_price_cap(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        price_cap = _parse_price_cap(d.pop("price_cap", UNSET))

        catalog_item_in = cls(
            valid_from=valid_from,
            name=name,
            grade=grade,
            valid_to=valid_to,
            self_pay_ratio=self_pay_ratio,
            price_cap=price_cap,
        )

        return catalog_item_in
