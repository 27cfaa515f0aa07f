from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.item_out import ItemOut


T = TypeVar("T", bound="DecisionOut")


@_attrs_define
class DecisionOut:
    """
    Attributes:
        decision (str):
        decided_on (datetime.date):
        reason (str):
        items (list[ItemOut]):
        total (str):
        yb_refund (str): Of the total, refunded to the 医保 fund
        to_worker (str):
    """

    decision: str
    decided_on: datetime.date
    reason: str
    items: list[ItemOut]
    total: str
    yb_refund: str
    to_worker: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision

        decided_on = self.decided_on.isoformat()

        reason = self.reason

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        total = self.total

        yb_refund = self.yb_refund

        to_worker = self.to_worker

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision": decision,
                "decided_on": decided_on,
                "reason": reason,
                "items": items,
                "total": total,
                "yb_refund": yb_refund,
                "to_worker": to_worker,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.item_out import ItemOut  # noqa: PLC0415

        d = dict(src_dict)
        decision = d.pop("decision")

        decided_on = datetime.date.fromisoformat(d.pop("decided_on"))

        reason = d.pop("reason")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ItemOut.from_dict(items_item_data)

            items.append(items_item)

        total = d.pop("total")

        yb_refund = d.pop("yb_refund")

        to_worker = d.pop("to_worker")

        decision_out = cls(
            decision=decision,
            decided_on=decided_on,
            reason=reason,
            items=items,
            total=total,
            yb_refund=yb_refund,
            to_worker=to_worker,
        )

        decision_out.additional_properties = d
        return decision_out

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
