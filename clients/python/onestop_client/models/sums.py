from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Sums")


@_attrs_define
class Sums:
    """Figures of a set of events. In ``reversals`` the amounts are negative (as in the details).

    Attributes:
        count (int): Number of events
        total (str): 医疗费总额
        hospital_borne (str): 医院承担 (不合规)
        in_policy (str): 政策范围内费用
        fund_paid (str): 基金支付合计
        self_pay (str): 个人现金支付
    """

    count: int
    total: str
    hospital_borne: str
    in_policy: str
    fund_paid: str
    self_pay: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        total = self.total

        hospital_borne = self.hospital_borne

        in_policy = self.in_policy

        fund_paid = self.fund_paid

        self_pay = self.self_pay

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "total": total,
                "hospital_borne": hospital_borne,
                "in_policy": in_policy,
                "fund_paid": fund_paid,
                "self_pay": self_pay,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        total = d.pop("total")

        hospital_borne = d.pop("hospital_borne")

        in_policy = d.pop("in_policy")

        fund_paid = d.pop("fund_paid")

        self_pay = d.pop("self_pay")

        sums = cls(
            count=count,
            total=total,
            hospital_borne=hospital_borne,
            in_policy=in_policy,
            fund_paid=fund_paid,
            self_pay=self_pay,
        )

        sums.additional_properties = d
        return sums

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
