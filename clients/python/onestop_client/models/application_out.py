from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.decision_out import DecisionOut
    from ..models.item_out import ItemOut
    from ..models.recovery_out import RecoveryOut
    from ..models.reminder_out import ReminderOut


T = TypeVar("T", bound="ApplicationOut")


@_attrs_define
class ApplicationOut:
    """
    Attributes:
        id (int):
        case_no (str):
        path (str):
        trigger (None | str):
        applicant (str):
        applied_on (datetime.date):
        claims (list[ItemOut]):
        claimed (str):
        yb_advance (str):
        reminder_needed (bool):
        reminder_due_on (datetime.date | None):
        status (str):
        reminder (None | ReminderOut):
        decision (DecisionOut | None):
        recovery (None | RecoveryOut):
    """

    id: int
    case_no: str
    path: str
    trigger: None | str
    applicant: str
    applied_on: datetime.date
    claims: list[ItemOut]
    claimed: str
    yb_advance: str
    reminder_needed: bool
    reminder_due_on: datetime.date | None
    status: str
    reminder: None | ReminderOut
    decision: DecisionOut | None
    recovery: None | RecoveryOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.decision_out import DecisionOut  # noqa: PLC0415
        from ..models.recovery_out import RecoveryOut  # noqa: PLC0415
        from ..models.reminder_out import ReminderOut  # noqa: PLC0415

        id = self.id

        case_no = self.case_no

        path = self.path

        trigger: None | str
        trigger = self.trigger

        applicant = self.applicant

        applied_on = self.applied_on.isoformat()

        claims = []
        for claims_item_data in self.claims:
            claims_item = claims_item_data.to_dict()
            claims.append(claims_item)

        claimed = self.claimed

        yb_advance = self.yb_advance

        reminder_needed = self.reminder_needed

        reminder_due_on: None | str
        if isinstance(self.reminder_due_on, datetime.date):
            reminder_due_on = self.reminder_due_on.isoformat()
        else:
            reminder_due_on = self.reminder_due_on

        status = self.status

        reminder: dict[str, Any] | None
        if isinstance(self.reminder, ReminderOut):
            reminder = self.reminder.to_dict()
        else:
            reminder = self.reminder

        decision: dict[str, Any] | None
        if isinstance(self.decision, DecisionOut):
            decision = self.decision.to_dict()
        else:
            decision = self.decision

        recovery: dict[str, Any] | None
        if isinstance(self.recovery, RecoveryOut):
            recovery = self.recovery.to_dict()
        else:
            recovery = self.recovery

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "case_no": case_no,
                "path": path,
                "trigger": trigger,
                "applicant": applicant,
                "applied_on": applied_on,
                "claims": claims,
                "claimed": claimed,
                "yb_advance": yb_advance,
                "reminder_needed": reminder_needed,
                "reminder_due_on": reminder_due_on,
                "status": status,
                "reminder": reminder,
                "decision": decision,
                "recovery": recovery,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.decision_out import DecisionOut  # noqa: PLC0415
        from ..models.item_out import ItemOut  # noqa: PLC0415
        from ..models.recovery_out import RecoveryOut  # noqa: PLC0415
        from ..models.reminder_out import ReminderOut  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        case_no = d.pop("case_no")

        path = d.pop("path")

        def _parse_trigger(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        trigger = _parse_trigger(d.pop("trigger"))

        applicant = d.pop("applicant")

        applied_on = datetime.date.fromisoformat(d.pop("applied_on"))

        claims = []
        _claims = d.pop("claims")
        for claims_item_data in _claims:
            claims_item = ItemOut.from_dict(claims_item_data)

            claims.append(claims_item)

        claimed = d.pop("claimed")

        yb_advance = d.pop("yb_advance")

        reminder_needed = d.pop("reminder_needed")

        def _parse_reminder_due_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reminder_due_on_type_0 = datetime.date.fromisoformat(data)

                return reminder_due_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        reminder_due_on = _parse_reminder_due_on(d.pop("reminder_due_on"))

        status = d.pop("status")

        def _parse_reminder(data: object) -> None | ReminderOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reminder_type_0 = ReminderOut.from_dict(data)

                return reminder_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReminderOut, data)

        reminder = _parse_reminder(d.pop("reminder"))

        def _parse_decision(data: object) -> DecisionOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                decision_type_0 = DecisionOut.from_dict(data)

                return decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DecisionOut | None, data)

        decision = _parse_decision(d.pop("decision"))

        def _parse_recovery(data: object) -> None | RecoveryOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recovery_type_0 = RecoveryOut.from_dict(data)

                return recovery_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RecoveryOut, data)

        recovery = _parse_recovery(d.pop("recovery"))

        application_out = cls(
            id=id,
            case_no=case_no,
            path=path,
            trigger=trigger,
            applicant=applicant,
            applied_on=applied_on,
            claims=claims,
            claimed=claimed,
            yb_advance=yb_advance,
            reminder_needed=reminder_needed,
            reminder_due_on=reminder_due_on,
            status=status,
            reminder=reminder,
            decision=decision,
            recovery=recovery,
        )

        application_out.additional_properties = d
        return application_out

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
