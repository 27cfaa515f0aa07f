from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RepaymentOut")


@_attrs_define
class RepaymentOut:
    """
    Attributes:
        repayment_no (str):
        paid_on (datetime.date):
        amount (str):
    """

    repayment_no: str
    paid_on: datetime.date
    amount: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        repayment_no = self.repayment_no

        paid_on = self.paid_on.isoformat()

        amount = self.amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "repayment_no": repayment_no,
                "paid_on": paid_on,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        repayment_no = d.pop("repayment_no")

        paid_on = datetime.date.fromisoformat(d.pop("paid_on"))

        amount = d.pop("amount")

        repayment_out = cls(
            repayment_no=repayment_no,
            paid_on=paid_on,
            amount=amount,
        )

        repayment_out.additional_properties = d
        return repayment_out

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
