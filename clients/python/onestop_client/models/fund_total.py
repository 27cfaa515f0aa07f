from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FundTotal")


@_attrs_define
class FundTotal:
    """
    Attributes:
        fund_code (str):
        fund_name (str):
        count (int): Net number of events in which this fund paid a non-zero amount: settlements minus reversals
        paid (str): Net amount the fund paid: settled_paid + reversed_paid
        settled_count (int):
        settled_paid (str):
        reversed_count (int):
        reversed_paid (str): Negative (or 0.00): what reversals took back
    """

    fund_code: str
    fund_name: str
    count: int
    paid: str
    settled_count: int
    settled_paid: str
    reversed_count: int
    reversed_paid: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fund_code = self.fund_code

        fund_name = self.fund_name

        count = self.count

        paid = self.paid

        settled_count = self.settled_count

        settled_paid = self.settled_paid

        reversed_count = self.reversed_count

        reversed_paid = self.reversed_paid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fund_code": fund_code,
                "fund_name": fund_name,
                "count": count,
                "paid": paid,
                "settled_count": settled_count,
                "settled_paid": settled_paid,
                "reversed_count": reversed_count,
                "reversed_paid": reversed_paid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fund_code = d.pop("fund_code")

        fund_name = d.pop("fund_name")

        count = d.pop("count")

        paid = d.pop("paid")

        settled_count = d.pop("settled_count")

        settled_paid = d.pop("settled_paid")

        reversed_count = d.pop("reversed_count")

        reversed_paid = d.pop("reversed_paid")

        fund_total = cls(
            fund_code=fund_code,
            fund_name=fund_name,
            count=count,
            paid=paid,
            settled_count=settled_count,
            settled_paid=settled_paid,
            reversed_count=reversed_count,
            reversed_paid=reversed_paid,
        )

        fund_total.additional_properties = d
        return fund_total

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
