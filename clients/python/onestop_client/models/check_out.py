from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.check_out_result import CheckOutResult
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fund_difference import FundDifference
    from ..models.id_difference import IdDifference


T = TypeVar("T", bound="CheckOut")


@_attrs_define
class CheckOut:
    """
    Attributes:
        result (CheckOutResult):
        hospital_code (str):
        date_from (datetime.date):
        date_to (datetime.date):
        funds (list[FundDifference]): Only the funds whose figures differ
        settlements (IdDifference | None): When settlement_ids were sent
        reversals (IdDifference | None): When reversed_settlement_ids were sent
        time_zone (Literal['Asia/Shanghai'] | Unset):  Default: 'Asia/Shanghai'.
    """

    result: CheckOutResult
    hospital_code: str
    date_from: datetime.date
    date_to: datetime.date
    funds: list[FundDifference]
    settlements: IdDifference | None
    reversals: IdDifference | None
    time_zone: Literal["Asia/Shanghai"] | Unset = "Asia/Shanghai"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.id_difference import IdDifference  # noqa: PLC0415

        result = self.result.value

        hospital_code = self.hospital_code

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        funds = []
        for funds_item_data in self.funds:
            funds_item = funds_item_data.to_dict()
            funds.append(funds_item)

        settlements: dict[str, Any] | None
        if isinstance(self.settlements, IdDifference):
            settlements = self.settlements.to_dict()
        else:
            settlements = self.settlements

        reversals: dict[str, Any] | None
        if isinstance(self.reversals, IdDifference):
            reversals = self.reversals.to_dict()
        else:
            reversals = self.reversals

        time_zone = self.time_zone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
                "hospital_code": hospital_code,
                "date_from": date_from,
                "date_to": date_to,
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
        from ..models.fund_difference import FundDifference  # noqa: PLC0415
        from ..models.id_difference import IdDifference  # noqa: PLC0415

        d = dict(src_dict)
        result = CheckOutResult(d.pop("result"))

        hospital_code = d.pop("hospital_code")

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        funds = []
        _funds = d.pop("funds")
        for funds_item_data in _funds:
            funds_item = FundDifference.from_dict(funds_item_data)

            funds.append(funds_item)

        def _parse_settlements(data: object) -> IdDifference | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                settlements_type_0 = IdDifference.from_dict(data)

                return settlements_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdDifference | None, data)

        settlements = _parse_settlements(d.pop("settlements"))

        def _parse_reversals(data: object) -> IdDifference | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reversals_type_0 = IdDifference.from_dict(data)

                return reversals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IdDifference | None, data)

        reversals = _parse_reversals(d.pop("reversals"))

        time_zone = cast(Literal["Asia/Shanghai"] | Unset, d.pop("time_zone", UNSET))
        if time_zone != "Asia/Shanghai" and not isinstance(time_zone, Unset):
            raise ValueError(f"time_zone must match const 'Asia/Shanghai', got '{time_zone}'")

        check_out = cls(
            result=result,
            hospital_code=hospital_code,
            date_from=date_from,
            date_to=date_to,
            funds=funds,
            settlements=settlements,
            reversals=reversals,
            time_zone=time_zone,
        )

        check_out.additional_properties = d
        return check_out

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
