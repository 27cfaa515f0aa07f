from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ledger_in_county_out import LedgerInCountyOut


T = TypeVar("T", bound="LedgerSettlementsOut")


@_attrs_define
class LedgerSettlementsOut:
    """
    Attributes:
        count (int): Standing settlements made in the year (not reversed)
        total (str): 医疗费总额
        fund_paid (str): 基金支付
        self_pay (str): 个人自付
        in_policy (str): 政策范围内费用
        in_policy_self_pay (str): 政策范围内个人自付
        in_county (LedgerInCountyOut):
    """

    count: int
    total: str
    fund_paid: str
    self_pay: str
    in_policy: str
    in_policy_self_pay: str
    in_county: LedgerInCountyOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        total = self.total

        fund_paid = self.fund_paid

        self_pay = self.self_pay

        in_policy = self.in_policy

        in_policy_self_pay = self.in_policy_self_pay

        in_county = self.in_county.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "total": total,
                "fund_paid": fund_paid,
                "self_pay": self_pay,
                "in_policy": in_policy,
                "in_policy_self_pay": in_policy_self_pay,
                "in_county": in_county,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_in_county_out import LedgerInCountyOut  # noqa: PLC0415

        d = dict(src_dict)
        count = d.pop("count")

        total = d.pop("total")

        fund_paid = d.pop("fund_paid")

        self_pay = d.pop("self_pay")

        in_policy = d.pop("in_policy")

        in_policy_self_pay = d.pop("in_policy_self_pay")

        in_county = LedgerInCountyOut.from_dict(d.pop("in_county"))

        ledger_settlements_out = cls(
            count=count,
            total=total,
            fund_paid=fund_paid,
            self_pay=self_pay,
            in_policy=in_policy,
            in_policy_self_pay=in_policy_self_pay,
            in_county=in_county,
        )

        ledger_settlements_out.additional_properties = d
        return ledger_settlements_out

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
