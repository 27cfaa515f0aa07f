from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TotalsOut")


@_attrs_define
class TotalsOut:
    """How the bill total splits before the funds pay (amounts in yuan).

    Attributes:
        total (str): Bill total (医疗总费用)
        hospital_borne (str): Non-compliant charges borne by the hospital (不合规费用)
        full_self_pay (str): Full self-pay (全自费): grade C items, outside the catalogue's scope
        over_limit (str): Above the price cap (超限价自付)
        pre_self_pay (str): Pre-self-pay of grade B items (乙类先行自付)
        in_policy (str): In-policy amount (政策范围内费用) the layers work on
    """

    total: str
    hospital_borne: str
    full_self_pay: str
    over_limit: str
    pre_self_pay: str
    in_policy: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        hospital_borne = self.hospital_borne

        full_self_pay = self.full_self_pay

        over_limit = self.over_limit

        pre_self_pay = self.pre_self_pay

        in_policy = self.in_policy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "hospital_borne": hospital_borne,
                "full_self_pay": full_self_pay,
                "over_limit": over_limit,
                "pre_self_pay": pre_self_pay,
                "in_policy": in_policy,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total = d.pop("total")

        hospital_borne = d.pop("hospital_borne")

        full_self_pay = d.pop("full_self_pay")

        over_limit = d.pop("over_limit")

        pre_self_pay = d.pop("pre_self_pay")

        in_policy = d.pop("in_policy")

        totals_out = cls(
            total=total,
            hospital_borne=hospital_borne,
            full_self_pay=full_self_pay,
            over_limit=over_limit,
            pre_self_pay=pre_self_pay,
            in_policy=in_policy,
        )

        totals_out.additional_properties = d
        return totals_out

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
