from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.category_in_category import CategoryInCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="CategoryIn")


@_attrs_define
class CategoryIn:
    """An assistance category (救助对象类别) with its validity.

    Attributes:
        valid_from (datetime.date): First day of validity (生效日期)
        category (CategoryInCategory): registered_poor 建档立卡贫困人员, dibao 低保对象, tekun 特困人员
        valid_to (datetime.date | None | Unset): Last day of validity (失效日期), inclusive; null: open-ended
        exited (bool | Unset): 脱贫标识: the person left poverty (marked in the ledger; the category still holds for its
            period) Default: False.
        exit_year (int | None | Unset): 脱贫年度: the year the person left poverty; only if exited
    """

    valid_from: datetime.date
    category: CategoryInCategory
    valid_to: datetime.date | None | Unset = UNSET
    exited: bool | Unset = False
    exit_year: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        valid_from = self.valid_from.isoformat()

        category = self.category.value

        valid_to: None | str | Unset
        if isinstance(self.valid_to, Unset):
            valid_to = UNSET
        elif isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        exited = self.exited

        exit_year: int | None | Unset
        if isinstance(self.exit_year, Unset):
            exit_year = UNSET
        else:
            exit_year = self.exit_year

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "valid_from": valid_from,
                "category": category,
            }
        )
        if valid_to is not UNSET:
            field_dict["valid_to"] = valid_to
        if exited is not UNSET:
            field_dict["exited"] = exited
        if exit_year is not UNSET:
            field_dict["exit_year"] = exit_year

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        category = CategoryInCategory(d.pop("category"))

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

        exited = d.pop("exited", UNSET)

        def _parse_exit_year(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        exit_year = _parse_exit_year(d.pop("exit_year", UNSET))

        category_in = cls(
            valid_from=valid_from,
            category=category,
            valid_to=valid_to,
            exited=exited,
            exit_year=exit_year,
        )

        return category_in
