from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_out import EventOut


T = TypeVar("T", bound="EventPage")


@_attrs_define
class EventPage:
    """
    Attributes:
        items (list[EventOut]):
        next_cursor (str): Pass as `cursor` to continue after the last item. Always set: once `has_more` is false, keep
            it to fetch later only the events committed since.
        has_more (bool): More events were already available after this page
        time_zone (Literal['Asia/Shanghai'] | Unset):  Default: 'Asia/Shanghai'.
    """

    items: list[EventOut]
    next_cursor: str
    has_more: bool
    time_zone: Literal["Asia/Shanghai"] | Unset = "Asia/Shanghai"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor = self.next_cursor

        has_more = self.has_more

        time_zone = self.time_zone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "next_cursor": next_cursor,
                "has_more": has_more,
            }
        )
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_out import EventOut  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = EventOut.from_dict(items_item_data)

            items.append(items_item)

        next_cursor = d.pop("next_cursor")

        has_more = d.pop("has_more")

        time_zone = cast(Literal["Asia/Shanghai"] | Unset, d.pop("time_zone", UNSET))
        if time_zone != "Asia/Shanghai" and not isinstance(time_zone, Unset):
            raise ValueError(f"time_zone must match const 'Asia/Shanghai', got '{time_zone}'")

        event_page = cls(
            items=items,
            next_cursor=next_cursor,
            has_more=has_more,
            time_zone=time_zone,
        )

        event_page.additional_properties = d
        return event_page

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
