from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RosterOut")


@_attrs_define
class RosterOut:
    """
    Attributes:
        id_number (str): ID number, masked (5104**********0011)
        on_from (datetime.date):
        on_to (datetime.date | None):
    """

    id_number: str
    on_from: datetime.date
    on_to: datetime.date | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        on_from = self.on_from.isoformat()

        on_to: None | str
        if isinstance(self.on_to, datetime.date):
            on_to = self.on_to.isoformat()
        else:
            on_to = self.on_to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id_number": id_number,
                "on_from": on_from,
                "on_to": on_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number = d.pop("id_number")

        on_from = datetime.date.fromisoformat(d.pop("on_from"))

        def _parse_on_to(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                on_to_type_0 = datetime.date.fromisoformat(data)

                return on_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        on_to = _parse_on_to(d.pop("on_to"))

        roster_out = cls(
            id_number=id_number,
            on_from=on_from,
            on_to=on_to,
        )

        roster_out.additional_properties = d
        return roster_out

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
