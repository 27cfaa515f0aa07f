from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReminderIn")


@_attrs_define
class ReminderIn:
    """
    Attributes:
        sent_on (datetime.date): Day the written reminder (书面告知) was sent
    """

    sent_on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        sent_on = self.sent_on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sent_on": sent_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sent_on = datetime.date.fromisoformat(d.pop("sent_on"))

        reminder_in = cls(
            sent_on=sent_on,
        )

        return reminder_in
