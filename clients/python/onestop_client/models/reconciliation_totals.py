from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fund_total import FundTotal
    from ..models.sums import Sums


T = TypeVar("T", bound="ReconciliationTotals")


@_attrs_define
class ReconciliationTotals:
    """对总账. Net figures (settlements minus reversals in the range) at the top level.

    Attributes:
        hospital_code (None | str): null: every hospital
        date_from (datetime.date):
        date_to (datetime.date):
        count (int): Net: settlements minus reversals
        total (str):
        hospital_borne (str):
        in_policy (str):
        fund_paid (str):
        self_pay (str):
        funds (list[FundTotal]): Per fund code, in policy layer order
        settlements (Sums): Figures of a set of events. In ``reversals`` the amounts are negative (as in the details).
        reversals (Sums): Figures of a set of events. In ``reversals`` the amounts are negative (as in the details).
        time_zone (Literal['Asia/Shanghai'] | Unset):  Default: 'Asia/Shanghai'.
    """

    hospital_code: None | str
    date_from: datetime.date
    date_to: datetime.date
    count: int
    total: str
    hospital_borne: str
    in_policy: str
    fund_paid: str
    self_pay: str
    funds: list[FundTotal]
    settlements: Sums
    reversals: Sums
    time_zone: Literal["Asia/Shanghai"] | Unset = "Asia/Shanghai"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hospital_code: None | str
        hospital_code = self.hospital_code

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        count = self.count

        total = self.total

        hospital_borne = self.hospital_borne

        in_policy = self.in_policy

        fund_paid = self.fund_paid

        self_pay = self.self_pay

        funds = []
        for funds_item_data in self.funds:
            funds_item = funds_item_data.to_dict()
            funds.append(funds_item)

        settlements = self.settlements.to_dict()

        reversals = self.reversals.to_dict()

        time_zone = self.time_zone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hospital_code": hospital_code,
                "date_from": date_from,
                "date_to": date_to,
                "count": count,
                "total": total,
                "hospital_borne": hospital_borne,
                "in_policy": in_policy,
                "fund_paid": fund_paid,
                "self_pay": self_pay,
                "funds": funds,
                "settlements": settlements,
                "reversals": reversals,
            }
        )
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fund_total import FundTotal  # noqa: PLC0415
        from ..models.sums import Sums  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_hospital_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hospital_code = _parse_hospital_code(d.pop("hospital_code"))

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        count = d.pop("count")

        total = d.pop("total")

        hospital_borne = d.pop("hospital_borne")

        in_policy = d.pop("in_policy")

        fund_paid = d.pop("fund_paid")

        self_pay = d.pop("self_pay")

        funds = []
        _funds = d.pop("funds")
        for funds_item_data in _funds:
            funds_item = FundTotal.from_dict(funds_item_data)

            funds.append(funds_item)

        settlements = Sums.from_dict(d.pop("settlements"))

        reversals = Sums.from_dict(d.pop("reversals"))

        time_zone = cast(Literal["Asia/Shanghai"] | Unset, d.pop("time_zone", UNSET))
        if time_zone != "Asia/Shanghai" and not isinstance(time_zone, Unset):
            raise ValueError(f"time_zone must match const 'Asia/Shanghai', got '{time_zone}'")

        reconciliation_totals = cls(
            hospital_code=hospital_code,
            date_from=date_from,
            date_to=date_to,
            count=count,
            total=total,
            hospital_borne=hospital_borne,
            in_policy=in_policy,
            fund_paid=fund_paid,
            self_pay=self_pay,
            funds=funds,
            settlements=settlements,
            reversals=reversals,
            time_zone=time_zone,
        )

        reconciliation_totals.additional_properties = d
        return reconciliation_totals

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
