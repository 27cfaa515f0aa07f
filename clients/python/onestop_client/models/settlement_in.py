from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.item_in import ItemIn
    from ..models.patient_in import PatientIn


T = TypeVar("T", bound="SettlementIn")


@_attrs_define
class SettlementIn:
    """An inpatient bill at discharge (出院结算单), for preview and settlement.

    Attributes:
        hospital_code (str): Hospital code (定点医疗机构编码); a hospital key settles its own only
        bill_no (str): Bill number (住院号/结算单号), unique per hospital; with hospital_code the idempotency key of a
            settlement
        patient (PatientIn): The insured patient (参保人).
        admission_date (datetime.date): Admission date (入院日期), YYYY-MM-DD, not before 1900-01-01
        discharge_date (datetime.date): Discharge date (出院日期), YYYY-MM-DD, not after today (Asia/Shanghai); chooses the
            policy version in force and the accumulator year (年度累计)
        items (list[ItemIn]): Bill lines (费用明细), 1 to 5000; their amounts add up to at most 99999999.99 (422
            amount_out_of_range), and with the person's other standing bills of the accumulator year to at most 999999999.99
        referral (bool | Unset): Referred (转诊): out-of-county treatment with a referral keeps the full reimbursement
            ratio Default: False.
        replaces (None | Unset | UUID): To settle a reversed bill again (重新结算): the id of its reversed settlement, the
            bill's latest. Without it a reversed bill answers 409 bill_reversed, so a late retry never settles it twice. Not
            part of the bill's content: a replay is recognised with or without it.
    """

    hospital_code: str
    bill_no: str
    patient: PatientIn
    admission_date: datetime.date
    discharge_date: datetime.date
    items: list[ItemIn]
    referral: bool | Unset = False
    replaces: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        hospital_code = self.hospital_code

        bill_no = self.bill_no

        patient = self.patient.to_dict()

        admission_date = self.admission_date.isoformat()

        discharge_date = self.discharge_date.isoformat()

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        referral = self.referral

        replaces: None | str | Unset
        if isinstance(self.replaces, Unset):
            replaces = UNSET
        elif isinstance(self.replaces, UUID):
            replaces = str(self.replaces)
        else:
            replaces = self.replaces

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hospital_code": hospital_code,
                "bill_no": bill_no,
                "patient": patient,
                "admission_date": admission_date,
                "discharge_date": discharge_date,
                "items": items,
            }
        )
        if referral is not UNSET:
            field_dict["referral"] = referral
        if replaces is not UNSET:
            field_dict["replaces"] = replaces

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.item_in import ItemIn  # noqa: PLC0415
        from ..models.patient_in import PatientIn  # noqa: PLC0415

        d = dict(src_dict)
        hospital_code = d.pop("hospital_code")

        bill_no = d.pop("bill_no")

        patient = PatientIn.from_dict(d.pop("patient"))

        admission_date = datetime.date.fromisoformat(d.pop("admission_date"))

        discharge_date = datetime.date.fromisoformat(d.pop("discharge_date"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ItemIn.from_dict(items_item_data)

            items.append(items_item)

        referral = d.pop("referral", UNSET)

        def _parse_replaces(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                replaces_type_0 = UUID(data)

                return replaces_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        replaces = _parse_replaces(d.pop("replaces", UNSET))

        settlement_in = cls(
            hospital_code=hospital_code,
            bill_no=bill_no,
            patient=patient,
            admission_date=admission_date,
            discharge_date=discharge_date,
            items=items,
            referral=referral,
            replaces=replaces,
        )

        return settlement_in
