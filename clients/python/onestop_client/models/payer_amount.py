from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PayerAmount")


@_attrs_define
class PayerAmount:
    """
    Attributes:
        payer (str): Payer code (policies/enrolment: payers)
        payer_name (str): Payer name (付款方)
        amount (str):
    """

    payer: str
    payer_name: str
    amount: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payer = self.payer

        payer_name = self.payer_name

        amount = self.amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payer": payer,
                "payer_name": payer_name,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payer = d.pop("payer")

        payer_name = d.pop("payer_name")

        amount = d.pop("amount")

        payer_amount = cls(
            payer=payer,
            payer_name=payer_name,
            amount=amount,
        )

        payer_amount.additional_properties = d
        return payer_amount

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
