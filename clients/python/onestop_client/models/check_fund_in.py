from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CheckFundIn")


@_attrs_define
class CheckFundIn:
    """
    Attributes:
        fund_code (str):
        count (int): Net number of events in which the fund paid (as in totals)
        paid (str): Amount in yuan, at most 2 decimals; negative when reversals outweigh.
    """

    fund_code: str
    count: int
    paid: str

    def to_dict(self) -> dict[str, Any]:
        fund_code = self.fund_code

        count = self.count

        paid = self.paid

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fund_code": fund_code,
                "count": count,
                "paid": paid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fund_code = d.pop("fund_code")

        count = d.pop("count")

        paid = d.pop("paid")

        check_fund_in = cls(
            fund_code=fund_code,
            count=count,
            paid=paid,
        )

        return check_fund_in
