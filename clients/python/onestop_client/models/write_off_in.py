from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="WriteOffIn")


@_attrs_define
class WriteOffIn:
    """
    Attributes:
        written_off_on (datetime.date):
        approval_ref (str): 财政 consent (文号)
    """

    written_off_on: datetime.date
    approval_ref: str

    def to_dict(self) -> dict[str, Any]:
        written_off_on = self.written_off_on.isoformat()

        approval_ref = self.approval_ref

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "written_off_on": written_off_on,
                "approval_ref": approval_ref,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        written_off_on = datetime.date.fromisoformat(d.pop("written_off_on"))

        approval_ref = d.pop("approval_ref")

        write_off_in = cls(
            written_off_on=written_off_on,
            approval_ref=approval_ref,
        )

        return write_off_in
