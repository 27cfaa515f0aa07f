from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReminderOut")


@_attrs_define
class ReminderOut:
    """
    Attributes:
        sent_on (datetime.date):
        late (bool): Sent after the 3-working-day limit
        employer_due_on (datetime.date):
        employer_paid (str):
        employer_paid_on (datetime.date | None):
    """

    sent_on: datetime.date
    late: bool
    employer_due_on: datetime.date
    employer_paid: str
    employer_paid_on: datetime.date | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sent_on = self.sent_on.isoformat()

        late = self.late

        employer_due_on = self.employer_due_on.isoformat()

        employer_paid = self.employer_paid

        employer_paid_on: None | str
        if isinstance(self.employer_paid_on, datetime.date):
            employer_paid_on = self.employer_paid_on.isoformat()
        else:
            employer_paid_on = self.employer_paid_on

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sent_on": sent_on,
                "late": late,
                "employer_due_on": employer_due_on,
                "employer_paid": employer_paid,
                "employer_paid_on": employer_paid_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sent_on = datetime.date.fromisoformat(d.pop("sent_on"))

        late = d.pop("late")

        employer_due_on = datetime.date.fromisoformat(d.pop("employer_due_on"))

        employer_paid = d.pop("employer_paid")

        def _parse_employer_paid_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                employer_paid_on_type_0 = datetime.date.fromisoformat(data)

                return employer_paid_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        employer_paid_on = _parse_employer_paid_on(d.pop("employer_paid_on"))

        reminder_out = cls(
            sent_on=sent_on,
            late=late,
            employer_due_on=employer_due_on,
            employer_paid=employer_paid,
            employer_paid_on=employer_paid_on,
        )

        reminder_out.additional_properties = d
        return reminder_out

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
