from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RepaymentIn")


@_attrs_define
class RepaymentIn:
    """
    Attributes:
        repayment_no (str): The client's number for this repayment: the retry key
        paid_on (datetime.date):
        amount (str): Amount in yuan, at most 2 decimals (a JSON number is accepted too).
    """

    repayment_no: str
    paid_on: datetime.date
    amount: str

    def to_dict(self) -> dict[str, Any]:
        repayment_no = self.repayment_no

        paid_on = self.paid_on.isoformat()

        amount = self.amount

        field_dict: dict[str, Any] = {}

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

        repayment_in = cls(
            repayment_no=repayment_no,
            paid_on=paid_on,
            amount=amount,
        )

        return repayment_in
