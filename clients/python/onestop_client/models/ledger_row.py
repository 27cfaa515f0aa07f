from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ledger_fund import LedgerFund
    from ..models.ledger_in_county import LedgerInCounty


T = TypeVar("T", bound="LedgerRow")


@_attrs_define
class LedgerRow:
    """
    Attributes:
        county_code (str): The person's county (参保地)
        month (str):
        count (int): Registered-poor inpatient settlements that stand
        in_policy (str):
        self_pay (str):
        in_policy_self_pay (str):
        in_county (LedgerInCounty): 县域内: the hospital is in the person's county, where the 10% target applies.
        funds (list[LedgerFund]):
    """

    county_code: str
    month: str
    count: int
    in_policy: str
    self_pay: str
    in_policy_self_pay: str
    in_county: LedgerInCounty
    funds: list[LedgerFund]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        county_code = self.county_code

        month = self.month

        count = self.count

        in_policy = self.in_policy

        self_pay = self.self_pay

        in_policy_self_pay = self.in_policy_self_pay

        in_county = self.in_county.to_dict()

        funds = []
        for funds_item_data in self.funds:
            funds_item = funds_item_data.to_dict()
            funds.append(funds_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "county_code": county_code,
                "month": month,
                "count": count,
                "in_policy": in_policy,
                "self_pay": self_pay,
                "in_policy_self_pay": in_policy_self_pay,
                "in_county": in_county,
                "funds": funds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_fund import LedgerFund  # noqa: PLC0415
        from ..models.ledger_in_county import LedgerInCounty  # noqa: PLC0415

        d = dict(src_dict)
        county_code = d.pop("county_code")

        month = d.pop("month")

        count = d.pop("count")

        in_policy = d.pop("in_policy")

        self_pay = d.pop("self_pay")

        in_policy_self_pay = d.pop("in_policy_self_pay")

        in_county = LedgerInCounty.from_dict(d.pop("in_county"))

        funds = []
        _funds = d.pop("funds")
        for funds_item_data in _funds:
            funds_item = LedgerFund.from_dict(funds_item_data)

            funds.append(funds_item)

        ledger_row = cls(
            county_code=county_code,
            month=month,
            count=count,
            in_policy=in_policy,
            self_pay=self_pay,
            in_policy_self_pay=in_policy_self_pay,
            in_county=in_county,
            funds=funds,
        )

        ledger_row.additional_properties = d
        return ledger_row

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
