from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_out_event import EventOutEvent
from ..models.event_out_sign import EventOutSign

if TYPE_CHECKING:
    from ..models.event_fund import EventFund


T = TypeVar("T", bound="EventOut")


@_attrs_define
class EventOut:
    """One row of 对明细账: a settlement (+) or a reversal (−) event. Rows never change.

    Attributes:
        event (EventOutEvent):
        sign (EventOutSign): 1 for a settlement, -1 for a reversal
        day (datetime.date): The Asia/Shanghai calendar day the event counts on
        event_at (datetime.datetime): settled_at or reversed_at, in +08:00
        settlement_id (UUID):
        hospital_code (str):
        bill_no (str):
        setl_id (str): The record's national-interface number (结算ID): the settlement's, or on a reversal event the
            reversal record's own
        mdtrt_id (None | str): The visit (就诊ID) of a settlement made through the national interface; null for a /v1 bill
        discharge_date (datetime.date):
        settled_at (datetime.datetime):
        reversed_at (datetime.datetime | None): Set on reversal events only
        total (str):
        hospital_borne (str):
        in_policy (str):
        fund_paid (str):
        self_pay (str):
        funds (list[EventFund]): Every fund of the settlement, in layer order
    """

    event: EventOutEvent
    sign: EventOutSign
    day: datetime.date
    event_at: datetime.datetime
    settlement_id: UUID
    hospital_code: str
    bill_no: str
    setl_id: str
    mdtrt_id: None | str
    discharge_date: datetime.date
    settled_at: datetime.datetime
    reversed_at: datetime.datetime | None
    total: str
    hospital_borne: str
    in_policy: str
    fund_paid: str
    self_pay: str
    funds: list[EventFund]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.value

        sign = self.sign.value

        day = self.day.isoformat()

        event_at = self.event_at.isoformat()

        settlement_id = str(self.settlement_id)

        hospital_code = self.hospital_code

        bill_no = self.bill_no

        setl_id = self.setl_id

        mdtrt_id: None | str
        mdtrt_id = self.mdtrt_id

        discharge_date = self.discharge_date.isoformat()

        settled_at = self.settled_at.isoformat()

        reversed_at: None | str
        if isinstance(self.reversed_at, datetime.datetime):
            reversed_at = self.reversed_at.isoformat()
        else:
            reversed_at = self.reversed_at

        total = self.total

        hospital_borne = self.hospital_borne

        in_policy = self.in_policy

        fund_paid = self.fund_paid

        self_pay = self.self_pay

        funds = []
        for funds_item_data in self.funds:
            funds_item = funds_item_data.to_dict()
            funds.append(funds_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "sign": sign,
                "day": day,
                "event_at": event_at,
                "settlement_id": settlement_id,
                "hospital_code": hospital_code,
                "bill_no": bill_no,
                "setl_id": setl_id,
                "mdtrt_id": mdtrt_id,
                "discharge_date": discharge_date,
                "settled_at": settled_at,
                "reversed_at": reversed_at,
                "total": total,
                "hospital_borne": hospital_borne,
                "in_policy": in_policy,
                "fund_paid": fund_paid,
                "self_pay": self_pay,
                "funds": funds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_fund import EventFund  # noqa: PLC0415

        d = dict(src_dict)
        event = EventOutEvent(d.pop("event"))

        sign = EventOutSign(d.pop("sign"))

        day = datetime.date.fromisoformat(d.pop("day"))

        event_at = datetime.datetime.fromisoformat(d.pop("event_at"))

        settlement_id = UUID(d.pop("settlement_id"))

        hospital_code = d.pop("hospital_code")

        bill_no = d.pop("bill_no")

        setl_id = d.pop("setl_id")

        def _parse_mdtrt_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        mdtrt_id = _parse_mdtrt_id(d.pop("mdtrt_id"))

        discharge_date = datetime.date.fromisoformat(d.pop("discharge_date"))

        settled_at = datetime.datetime.fromisoformat(d.pop("settled_at"))

        def _parse_reversed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reversed_at_type_0 = datetime.datetime.fromisoformat(data)

                return reversed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        reversed_at = _parse_reversed_at(d.pop("reversed_at"))

        total = d.pop("total")

        hospital_borne = d.pop("hospital_borne")

        in_policy = d.pop("in_policy")

        fund_paid = d.pop("fund_paid")

        self_pay = d.pop("self_pay")

        funds = []
        _funds = d.pop("funds")
        for funds_item_data in _funds:
            funds_item = EventFund.from_dict(funds_item_data)

            funds.append(funds_item)

        event_out = cls(
            event=event,
            sign=sign,
            day=day,
            event_at=event_at,
            settlement_id=settlement_id,
            hospital_code=hospital_code,
            bill_no=bill_no,
            setl_id=setl_id,
            mdtrt_id=mdtrt_id,
            discharge_date=discharge_date,
            settled_at=settled_at,
            reversed_at=reversed_at,
            total=total,
            hospital_borne=hospital_borne,
            in_policy=in_policy,
            fund_paid=fund_paid,
            self_pay=self_pay,
            funds=funds,
        )

        event_out.additional_properties = d
        return event_out

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
