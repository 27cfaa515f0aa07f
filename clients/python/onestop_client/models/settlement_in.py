from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

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
        admission_date (datetime.date): Admission date (入院日期)
        discharge_date (datetime.date): Discharge date (出院日期); chooses the policy version in force and the accumulator
            year (年度累计)
        items (list[ItemIn]): Bill lines (费用明细), 1 to 5000
        referral (bool | Unset): Referred (转诊): out-of-county treatment with a referral keeps the full reimbursement
            ratio Default: False.
    """

    hospital_code: str
    bill_no: str
    patient: PatientIn
    admission_date: datetime.date
    discharge_date: datetime.date
    items: list[ItemIn]
    referral: bool | Unset = False

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

        settlement_in = cls(
            hospital_code=hospital_code,
            bill_no=bill_no,
            patient=patient,
            admission_date=admission_date,
            discharge_date=discharge_date,
            items=items,
            referral=referral,
        )

        return settlement_in
