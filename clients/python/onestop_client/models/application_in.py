from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.application_in_applicant import ApplicationInApplicant
from ..models.application_in_path import ApplicationInPath
from ..models.application_in_trigger_type_0 import ApplicationInTriggerType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.claim_in import ClaimIn


T = TypeVar("T", bound="ApplicationIn")


@_attrs_define
class ApplicationIn:
    """An application for an advance (先行支付申请), 人社部令第15号.

    Attributes:
        path (ApplicationInPath): employer_unpaid (社会保险法 art. 41; 15号令 arts. 6-8), third_party_unpaid or
            third_party_unknown (art. 42; 15号令 arts. 4-5)
        applicant (ApplicationInApplicant):
        applied_on (datetime.date):
        claims (list[ClaimIn]): Items and amounts claimed
        trigger (ApplicationInTriggerType0 | None | Unset): 15号令 art. 6 (一)-(四); employer path only
        yb_advance (str | Unset): Already advanced by 医保 (15号令 art. 5) Default: '0'.
    """

    path: ApplicationInPath
    applicant: ApplicationInApplicant
    applied_on: datetime.date
    claims: list[ClaimIn]
    trigger: ApplicationInTriggerType0 | None | Unset = UNSET
    yb_advance: str | Unset = "0"

    def to_dict(self) -> dict[str, Any]:
        path = self.path.value

        applicant = self.applicant.value

        applied_on = self.applied_on.isoformat()

        claims = []
        for claims_item_data in self.claims:
            claims_item = claims_item_data.to_dict()
            claims.append(claims_item)

        trigger: None | str | Unset
        if isinstance(self.trigger, Unset):
            trigger = UNSET
        elif isinstance(self.trigger, ApplicationInTriggerType0):
            trigger = self.trigger.value
        else:
            trigger = self.trigger

        yb_advance = self.yb_advance

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "applicant": applicant,
                "applied_on": applied_on,
                "claims": claims,
            }
        )
        if trigger is not UNSET:
            field_dict["trigger"] = trigger
        if yb_advance is not UNSET:
            field_dict["yb_advance"] = yb_advance

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.claim_in import ClaimIn  # noqa: PLC0415

        d = dict(src_dict)
        path = ApplicationInPath(d.pop("path"))

        applicant = ApplicationInApplicant(d.pop("applicant"))

        applied_on = datetime.date.fromisoformat(d.pop("applied_on"))

        claims = []
        _claims = d.pop("claims")
        for claims_item_data in _claims:
            claims_item = ClaimIn.from_dict(claims_item_data)

            claims.append(claims_item)

        def _parse_trigger(data: object) -> ApplicationInTriggerType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                trigger_type_0 = ApplicationInTriggerType0(data)

                return trigger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApplicationInTriggerType0 | None | Unset, data)

        trigger = _parse_trigger(d.pop("trigger", UNSET))

        yb_advance = d.pop("yb_advance", UNSET)

        application_in = cls(
            path=path,
            applicant=applicant,
            applied_on=applied_on,
            claims=claims,
            trigger=trigger,
            yb_advance=yb_advance,
        )

        return application_in
