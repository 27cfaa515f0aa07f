from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LedgerInCountyOut")


@_attrs_define
class LedgerInCountyOut:
    """
    Attributes:
        count (int):
        in_policy (str): 县域内政策范围内费用
        in_policy_self_pay (str): 县域内政策范围内个人自付
        in_policy_self_pay_ratio (None | str): in_policy_self_pay / in_policy, 4 decimals half up; null without in-
            county in-policy cost
        above_target_count (int): Settlements whose in-policy self-pay exceeds the tilted layer's stored target
    """

    count: int
    in_policy: str
    in_policy_self_pay: str
    in_policy_self_pay_ratio: None | str
    above_target_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        in_policy = self.in_policy

        in_policy_self_pay = self.in_policy_self_pay

        in_policy_self_pay_ratio: None | str
        in_policy_self_pay_ratio = self.in_policy_self_pay_ratio

        above_target_count = self.above_target_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "in_policy": in_policy,
                "in_policy_self_pay": in_policy_self_pay,
                "in_policy_self_pay_ratio": in_policy_self_pay_ratio,
                "above_target_count": above_target_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        in_policy = d.pop("in_policy")

        in_policy_self_pay = d.pop("in_policy_self_pay")

        def _parse_in_policy_self_pay_ratio(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        in_policy_self_pay_ratio = _parse_in_policy_self_pay_ratio(d.pop("in_policy_self_pay_ratio"))

        above_target_count = d.pop("above_target_count")

        ledger_in_county_out = cls(
            count=count,
            in_policy=in_policy,
            in_policy_self_pay=in_policy_self_pay,
            in_policy_self_pay_ratio=in_policy_self_pay_ratio,
            above_target_count=above_target_count,
        )

        ledger_in_county_out.additional_properties = d
        return ledger_in_county_out

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
