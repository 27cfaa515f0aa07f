from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.recovery_in_debtor import RecoveryInDebtor

T = TypeVar("T", bound="RecoveryIn")


@_attrs_define
class RecoveryIn:
    """
    Attributes:
        debtor (RecoveryInDebtor):
        debtor_name (str):
        ordered_on (datetime.date): Day of the order to repay (责令偿还)
    """

    debtor: RecoveryInDebtor
    debtor_name: str
    ordered_on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        debtor = self.debtor.value

        debtor_name = self.debtor_name

        ordered_on = self.ordered_on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "debtor": debtor,
                "debtor_name": debtor_name,
                "ordered_on": ordered_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        debtor = RecoveryInDebtor(d.pop("debtor"))

        debtor_name = d.pop("debtor_name")

        ordered_on = datetime.date.fromisoformat(d.pop("ordered_on"))

        recovery_in = cls(
            debtor=debtor,
            debtor_name=debtor_name,
            ordered_on=ordered_on,
        )

        return recovery_in
