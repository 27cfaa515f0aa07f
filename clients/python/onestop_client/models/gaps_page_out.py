from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gaps_page_out_reason_type_0 import GapsPageOutReasonType0
from ..models.gaps_page_out_scheme import GapsPageOutScheme

if TYPE_CHECKING:
    from ..models.gap_out import GapOut


T = TypeVar("T", bound="GapsPageOut")


@_attrs_define
class GapsPageOut:
    """
    Attributes:
        year (int):
        scheme (GapsPageOutScheme):
        county_code (None | str):
        reason (GapsPageOutReasonType0 | None): The reason asked for; null: every reason
        items (list[GapOut]): In (county_code, registry id) order
        next_cursor (None | str): Pass as `cursor` for the next page; null: last
        has_more (bool):
    """

    year: int
    scheme: GapsPageOutScheme
    county_code: None | str
    reason: GapsPageOutReasonType0 | None
    items: list[GapOut]
    next_cursor: None | str
    has_more: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        scheme = self.scheme.value

        county_code: None | str
        county_code = self.county_code

        reason: None | str
        if isinstance(self.reason, GapsPageOutReasonType0):
            reason = self.reason.value
        else:
            reason = self.reason

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
                "scheme": scheme,
                "county_code": county_code,
                "reason": reason,
                "items": items,
                "next_cursor": next_cursor,
                "has_more": has_more,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gap_out import GapOut  # noqa: PLC0415

        d = dict(src_dict)
        year = d.pop("year")

        scheme = GapsPageOutScheme(d.pop("scheme"))

        def _parse_county_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        county_code = _parse_county_code(d.pop("county_code"))

        def _parse_reason(data: object) -> GapsPageOutReasonType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = GapsPageOutReasonType0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GapsPageOutReasonType0 | None, data)

        reason = _parse_reason(d.pop("reason"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = GapOut.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        has_more = d.pop("has_more")

        gaps_page_out = cls(
            year=year,
            scheme=scheme,
            county_code=county_code,
            reason=reason,
            items=items,
            next_cursor=next_cursor,
            has_more=has_more,
        )

        gaps_page_out.additional_properties = d
        return gaps_page_out

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
