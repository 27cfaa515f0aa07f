from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RosterIn")


@_attrs_define
class RosterIn:
    """
    Attributes:
        id_number (str): Worker's ID number; must be in the person registry
        on_from (datetime.date): First day on the project (进场)
        on_to (datetime.date | None | Unset): Last day (退场), or null
    """

    id_number: str
    on_from: datetime.date
    on_to: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        on_from = self.on_from.isoformat()

        on_to: None | str | Unset
        if isinstance(self.on_to, Unset):
            on_to = UNSET
        elif isinstance(self.on_to, datetime.date):
            on_to = self.on_to.isoformat()
        else:
            on_to = self.on_to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id_number": id_number,
                "on_from": on_from,
            }
        )
        if on_to is not UNSET:
            field_dict["on_to"] = on_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number = d.pop("id_number")

        on_from = datetime.date.fromisoformat(d.pop("on_from"))

        def _parse_on_to(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                on_to_type_0 = datetime.date.fromisoformat(data)

                return on_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        on_to = _parse_on_to(d.pop("on_to", UNSET))

        roster_in = cls(
            id_number=id_number,
            on_from=on_from,
            on_to=on_to,
        )

        return roster_in
