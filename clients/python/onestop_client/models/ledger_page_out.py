from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ledger_person_out import LedgerPersonOut


T = TypeVar("T", bound="LedgerPageOut")


@_attrs_define
class LedgerPageOut:
    """
    Attributes:
        year (int):
        county_code (None | str):
        items (list[LedgerPersonOut]): In (county_code, registry id) order
        next_cursor (None | str):
        has_more (bool):
    """

    year: int
    county_code: None | str
    items: list[LedgerPersonOut]
    next_cursor: None | str
    has_more: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        county_code: None | str
        county_code = self.county_code

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        has_more = self.has_more

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "county_code": county_code,
                "items": items,
                "next_cursor": next_cursor,
                "has_more": has_more,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_person_out import LedgerPersonOut  # noqa: PLC0415

        d = dict(src_dict)
        year = d.pop("year")

        def _parse_county_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        county_code = _parse_county_code(d.pop("county_code"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = LedgerPersonOut.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        has_more = d.pop("has_more")

        ledger_page_out = cls(
            year=year,
            county_code=county_code,
            items=items,
            next_cursor=next_cursor,
            has_more=has_more,
        )

        ledger_page_out.additional_properties = d
        return ledger_page_out

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
