from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EmployerPaymentIn")


@_attrs_define
class EmployerPaymentIn:
    """
    Attributes:
        paid_on (datetime.date):
        amount (str): What the employer has paid IN ALL so far (a total, not an increment)
    """

    paid_on: datetime.date
    amount: str

    def to_dict(self) -> dict[str, Any]:
        paid_on = self.paid_on.isoformat()

        amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "paid_on": paid_on,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        paid_on = datetime.date.fromisoformat(d.pop("paid_on"))

        amount = d.pop("amount")

        employer_payment_in = cls(
            paid_on=paid_on,
            amount=amount,
        )

        return employer_payment_in
