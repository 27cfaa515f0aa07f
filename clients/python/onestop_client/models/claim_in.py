from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ClaimIn")


@_attrs_define
class ClaimIn:
    """
    Attributes:
        item_code (str):
        amount (str): Amount in yuan, at most 2 decimals (a JSON number is accepted too).
    """

    item_code: str
    amount: str

    def to_dict(self) -> dict[str, Any]:
        item_code = self.item_code

        amount = self.amount

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "item_code": item_code,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        item_code = d.pop("item_code")

        amount = d.pop("amount")

        claim_in = cls(
            item_code=item_code,
            amount=amount,
        )

        return claim_in
