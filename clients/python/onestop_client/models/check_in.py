from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.check_fund_in import CheckFundIn


T = TypeVar("T", bound="CheckIn")


@_attrs_define
class CheckIn:
    """A hospital's own books for a range (对账申请).

    Attributes:
        hospital_code (str):
        date_from (datetime.date): First day, Asia/Shanghai
        date_to (datetime.date): Last day (inclusive), Asia/Shanghai
        funds (list[CheckFundIn]): Net count and paid per fund; a fund left out counts as 0 and 0.00
        settlement_ids (list[UUID] | None | Unset): Optional: ids of the settlements made in the range (settlement
            events)
        reversed_settlement_ids (list[UUID] | None | Unset): Optional: ids of the settlements reversed in the range
            (reversal events)
    """

    hospital_code: str
    date_from: datetime.date
    date_to: datetime.date
    funds: list[CheckFundIn]
    settlement_ids: list[UUID] | None | Unset = UNSET
    reversed_settlement_ids: list[UUID] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        hospital_code = self.hospital_code

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        funds = []
        for funds_item_data in self.funds:
            funds_item = funds_item_data.to_dict()
            funds.append(funds_item)

        settlement_ids: list[str] | None | Unset
        if isinstance(self.settlement_ids, Unset):
            settlement_ids = UNSET
        elif isinstance(self.settlement_ids, list):
            settlement_ids = []
            for settlement_ids_type_0_item_data in self.settlement_ids:
                settlement_ids_type_0_item = str(settlement_ids_type_0_item_data)
                settlement_ids.append(settlement_ids_type_0_item)

        else:
            settlement_ids = self.settlement_ids

        reversed_settlement_ids: list[str] | None | Unset
        if isinstance(self.reversed_settlement_ids, Unset):
            reversed_settlement_ids = UNSET
        elif isinstance(self.reversed_settlement_ids, list):
            reversed_settlement_ids = []
            for reversed_settlement_ids_type_0_item_data in self.reversed_settlement_ids:
                reversed_settlement_ids_type_0_item = str(reversed_settlement_ids_type_0_item_data)
                reversed_settlement_ids.append(reversed_settlement_ids_type_0_item)

        else:
            reversed_settlement_ids = self.reversed_settlement_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hospital_code": hospital_code,
                "date_from": date_from,
                "date_to": date_to,
                "funds": funds,
            }
        )
        if settlement_ids is not UNSET:
            field_dict["settlement_ids"] = settlement_ids
        if reversed_settlement_ids is not UNSET:
            field_dict["reversed_settlement_ids"] = reversed_settlement_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_fund_in import CheckFundIn  # noqa: PLC0415

        d = dict(src_dict)
        hospital_code = d.pop("hospital_code")

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        funds = []
        _funds = d.pop("funds")
        for funds_item_data in _funds:
            funds_item = CheckFundIn.from_dict(funds_item_data)

            funds.append(funds_item)

        def _parse_settlement_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                settlement_ids_type_0 = []
                _settlement_ids_type_0 = data
                for settlement_ids_type_0_item_data in _settlement_ids_type_0:
                    settlement_ids_type_0_item = UUID(settlement_ids_type_0_item_data)

                    settlement_ids_type_0.append(settlement_ids_type_0_item)

                return settlement_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        settlement_ids = _parse_settlement_ids(d.pop("settlement_ids", UNSET))

        def _parse_reversed_settlement_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                reversed_settlement_ids_type_0 = []
                _reversed_settlement_ids_type_0 = data
                for reversed_settlement_ids_type_0_item_data in _reversed_settlement_ids_type_0:
                    reversed_settlement_ids_type_0_item = UUID(reversed_settlement_ids_type_0_item_data)

                    reversed_settlement_ids_type_0.append(reversed_settlement_ids_type_0_item)

                return reversed_settlement_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        reversed_settlement_ids = _parse_reversed_settlement_ids(d.pop("reversed_settlement_ids", UNSET))

        check_in = cls(
            hospital_code=hospital_code,
            date_from=date_from,
            date_to=date_to,
            funds=funds,
            settlement_ids=settlement_ids,
            reversed_settlement_ids=reversed_settlement_ids,
        )

        return check_in
