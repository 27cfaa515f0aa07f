from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.repayment_out import RepaymentOut


T = TypeVar("T", bound="RecoveryOut")


@_attrs_define
class RecoveryOut:
    """
    Attributes:
        id (int):
        debtor (str):
        debtor_name (str):
        ordered_on (datetime.date):
        due_on (datetime.date):
        amount (str):
        repaid (str):
        written_off (str):
        outstanding (str):
        status (str): open, overdue (derived, as of today), repaid, written_off
        written_off_on (datetime.date | None):
        approval_ref (None | str):
        repayments (list[RepaymentOut]):
    """

    id: int
    debtor: str
    debtor_name: str
    ordered_on: datetime.date
    due_on: datetime.date
    amount: str
    repaid: str
    written_off: str
    outstanding: str
    status: str
    written_off_on: datetime.date | None
    approval_ref: None | str
    repayments: list[RepaymentOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        debtor = self.debtor

        debtor_name = self.debtor_name

        ordered_on = self.ordered_on.isoformat()

        due_on = self.due_on.isoformat()

        amount = self.amount

        repaid = self.repaid

        written_off = self.written_off

        outstanding = self.outstanding

        status = self.status

        written_off_on: None | str
        if isinstance(self.written_off_on, datetime.date):
            written_off_on = self.written_off_on.isoformat()
        else:
            written_off_on = self.written_off_on

        approval_ref: None | str
        approval_ref = self.approval_ref

        repayments = []
        for repayments_item_data in self.repayments:
            repayments_item = repayments_item_data.to_dict()
            repayments.append(repayments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "debtor": debtor,
                "debtor_name": debtor_name,
                "ordered_on": ordered_on,
                "due_on": due_on,
                "amount": amount,
                "repaid": repaid,
                "written_off": written_off,
                "outstanding": outstanding,
                "status": status,
                "written_off_on": written_off_on,
                "approval_ref": approval_ref,
                "repayments": repayments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.repayment_out import RepaymentOut  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        debtor = d.pop("debtor")

        debtor_name = d.pop("debtor_name")

        ordered_on = datetime.date.fromisoformat(d.pop("ordered_on"))

        due_on = datetime.date.fromisoformat(d.pop("due_on"))

        amount = d.pop("amount")

        repaid = d.pop("repaid")

        written_off = d.pop("written_off")

        outstanding = d.pop("outstanding")

        status = d.pop("status")

        def _parse_written_off_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                written_off_on_type_0 = datetime.date.fromisoformat(data)

                return written_off_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        written_off_on = _parse_written_off_on(d.pop("written_off_on"))

        def _parse_approval_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approval_ref = _parse_approval_ref(d.pop("approval_ref"))

        repayments = []
        _repayments = d.pop("repayments")
        for repayments_item_data in _repayments:
            repayments_item = RepaymentOut.from_dict(repayments_item_data)

            repayments.append(repayments_item)

        recovery_out = cls(
            id=id,
            debtor=debtor,
            debtor_name=debtor_name,
            ordered_on=ordered_on,
            due_on=due_on,
            amount=amount,
            repaid=repaid,
            written_off=written_off,
            outstanding=outstanding,
            status=status,
            written_off_on=written_off_on,
            approval_ref=approval_ref,
            repayments=repayments,
        )

        recovery_out.additional_properties = d
        return recovery_out

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
