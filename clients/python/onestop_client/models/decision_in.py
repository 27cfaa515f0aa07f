from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.decision_in_decision import DecisionInDecision
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.claim_in import ClaimIn


T = TypeVar("T", bound="DecisionIn")


@_attrs_define
class DecisionIn:
    """
    Attributes:
        decision (DecisionInDecision):
        decided_on (datetime.date): Day of the decision; a pay decision pays on this day
        reason (str | Unset): Required for refuse Default: ''.
        items (list[ClaimIn] | Unset): pay: the items advanced
    """

    decision: DecisionInDecision
    decided_on: datetime.date
    reason: str | Unset = ""
    items: list[ClaimIn] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        decided_on = self.decided_on.isoformat()

        reason = self.reason

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
                "decided_on": decided_on,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.claim_in import ClaimIn  # noqa: PLC0415

        d = dict(src_dict)
        decision = DecisionInDecision(d.pop("decision"))

        decided_on = datetime.date.fromisoformat(d.pop("decided_on"))

        reason = d.pop("reason", UNSET)

        _items = d.pop("items", UNSET)
        items: list[ClaimIn] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = ClaimIn.from_dict(items_item_data)

                items.append(items_item)

        decision_in = cls(
            decision=decision,
            decided_on=decided_on,
            reason=reason,
            items=items,
        )

        return decision_in
