from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ledger_category_out_category import LedgerCategoryOutCategory
from ..models.ledger_category_out_source import LedgerCategoryOutSource

T = TypeVar("T", bound="LedgerCategoryOut")


@_attrs_define
class LedgerCategoryOut:
    """
    Attributes:
        category (LedgerCategoryOutCategory):
        category_name (str):
        source (LedgerCategoryOutSource): manual (the admin PUT) or the roster source whose import said it
        source_name (str):
        valid_from (datetime.date):
        valid_to (datetime.date | None):
        exited (bool): 脱贫标识
        exit_year (int | None): 脱贫年度
    """

    category: LedgerCategoryOutCategory
    category_name: str
    source: LedgerCategoryOutSource
    source_name: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    exited: bool
    exit_year: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        category_name = self.category_name

        source = self.source.value

        source_name = self.source_name

        valid_from = self.valid_from.isoformat()

        valid_to: None | str
        if isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        exited = self.exited

        exit_year: int | None
        exit_year = self.exit_year

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "category_name": category_name,
                "source": source,
                "source_name": source_name,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "exited": exited,
                "exit_year": exit_year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = LedgerCategoryOutCategory(d.pop("category"))

        category_name = d.pop("category_name")

        source = LedgerCategoryOutSource(d.pop("source"))

        source_name = d.pop("source_name")

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

        exited = d.pop("exited")

        def _parse_exit_year(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exit_year = _parse_exit_year(d.pop("exit_year"))

        ledger_category_out = cls(
            category=category,
            category_name=category_name,
            source=source,
            source_name=source_name,
            valid_from=valid_from,
            valid_to=valid_to,
            exited=exited,
            exit_year=exit_year,
        )

        ledger_category_out.additional_properties = d
        return ledger_category_out

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
