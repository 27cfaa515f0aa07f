from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.settlement_out_status import SettlementOutStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.layer_out import LayerOut
    from ..models.patient_out import PatientOut
    from ..models.totals_out import TotalsOut


T = TypeVar("T", bound="SettlementOut")


@_attrs_define
class SettlementOut:
    """A settlement (结算单) or a preview (预结算) of one bill.

    Attributes:
        settlement_id (None | UUID): Settlement id (结算流水号); null for a preview
        status (SettlementOutStatus): preview (预结算), settled (已结算) or reversed (已撤销)
        hospital_code (str): Hospital code (医疗机构编码)
        bill_no (str): Bill number (住院号/结算单号)
        policy_version (str): Policy version applied (政策版本)
        policy_hash (str): SHA-256 of the policy document applied
        settled_at (datetime.datetime | None): Settlement time (结算时间); null for a preview
        admission_date (datetime.date): Admission date (入院日期)
        discharge_date (datetime.date): Discharge date (出院日期)
        accumulator_year (int): The year whose accumulators (年度累计) this settlement counts in
        patient (PatientOut):
        totals (TotalsOut): How the bill total splits before the funds pay (amounts in yuan).
        layers (list[LayerOut]): All payment layers in policy order
        fund_paid (str): Paid by all funds together (基金支付合计), yuan
        self_pay (str): What the patient pays at the window (个人自付现金), yuan
        in_policy_self_pay (str): The patient's share of the in-policy amount (政策范围内个人自付), yuan
        in_policy_self_pay_ratio (str): in_policy_self_pay / in_policy (政策范围内自付比例), 4 decimals
        setl_id (None | str | Unset): The national interface's settlement id (结算ID, setl_id): 'S' and 15 digits; null
            for a preview
        mdtrt_id (None | str | Unset): The visit (就诊ID, mdtrt_id) a settlement through the national interface settled;
            null for a /v1 bill
        reversed_at (datetime.datetime | None | Unset): Reversal time (撤销时间) when reversed
        reversal_setl_id (None | str | Unset): The reversal record's own setl_id (撤销的结算ID, the national interface's
            negative settlement) when reversed, else null
        replaces (None | Unset | UUID): The reversed settlement of the same bill this one settled again (被重结的结算流水号),
            else null
    """

    settlement_id: None | UUID
    status: SettlementOutStatus
    hospital_code: str
    bill_no: str
    policy_version: str
    policy_hash: str
    settled_at: datetime.datetime | None
    admission_date: datetime.date
    discharge_date: datetime.date
    accumulator_year: int
    patient: PatientOut
    totals: TotalsOut
    layers: list[LayerOut]
    fund_paid: str
    self_pay: str
    in_policy_self_pay: str
    in_policy_self_pay_ratio: str
    setl_id: None | str | Unset = UNSET
    mdtrt_id: None | str | Unset = UNSET
    reversed_at: datetime.datetime | None | Unset = UNSET
    reversal_setl_id: None | str | Unset = UNSET
    replaces: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        settlement_id: None | str
        if isinstance(self.settlement_id, UUID):
            settlement_id = str(self.settlement_id)
        else:
            settlement_id = self.settlement_id

        status = self.status.value

        hospital_code = self.hospital_code

        bill_no = self.bill_no

        policy_version = self.policy_version

        policy_hash = self.policy_hash

        settled_at: None | str
        if isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        admission_date = self.admission_date.isoformat()

        discharge_date = self.discharge_date.isoformat()

        accumulator_year = self.accumulator_year

        patient = self.patient.to_dict()

        totals = self.totals.to_dict()

        layers = []
        for layers_item_data in self.layers:
            layers_item = layers_item_data.to_dict()
            layers.append(layers_item)

        fund_paid = self.fund_paid

        self_pay = self.self_pay

        in_policy_self_pay = self.in_policy_self_pay

        in_policy_self_pay_ratio = self.in_policy_self_pay_ratio

        setl_id: None | str | Unset
        if isinstance(self.setl_id, Unset):
            setl_id = UNSET
        else:
            setl_id = self.setl_id

        mdtrt_id: None | str | Unset
        if isinstance(self.mdtrt_id, Unset):
            mdtrt_id = UNSET
        else:
            mdtrt_id = self.mdtrt_id

        reversed_at: None | str | Unset
        if isinstance(self.reversed_at, Unset):
            reversed_at = UNSET
        elif isinstance(self.reversed_at, datetime.datetime):
            reversed_at = self.reversed_at.isoformat()
        else:
            reversed_at = self.reversed_at

        reversal_setl_id: None | str | Unset
        if isinstance(self.reversal_setl_id, Unset):
            reversal_setl_id = UNSET
        else:
            reversal_setl_id = self.reversal_setl_id

        replaces: None | str | Unset
        if isinstance(self.replaces, Unset):
            replaces = UNSET
        elif isinstance(self.replaces, UUID):
            replaces = str(self.replaces)
        else:
            replaces = self.replaces

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "settlement_id": settlement_id,
                "status": status,
                "hospital_code": hospital_code,
                "bill_no": bill_no,
                "policy_version": policy_version,
                "policy_hash": policy_hash,
                "settled_at": settled_at,
                "admission_date": admission_date,
                "discharge_date": discharge_date,
                "accumulator_year": accumulator_year,
                "patient": patient,
                "totals": totals,
                "layers": layers,
                "fund_paid": fund_paid,
                "self_pay": self_pay,
                "in_policy_self_pay": in_policy_self_pay,
                "in_policy_self_pay_ratio": in_policy_self_pay_ratio,
            }
        )
        if setl_id is not UNSET:
            field_dict["setl_id"] = setl_id
        if mdtrt_id is not UNSET:
            field_dict["mdtrt_id"] = mdtrt_id
        if reversed_at is not UNSET:
            field_dict["reversed_at"] = reversed_at
        if reversal_setl_id is not UNSET:
            field_dict["reversal_setl_id"] = reversal_setl_id
        if replaces is not UNSET:
            field_dict["replaces"] = replaces

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.layer_out import LayerOut  # noqa: PLC0415
        from ..models.patient_out import PatientOut  # noqa: PLC0415
        from ..models.totals_out import TotalsOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_settlement_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settlement_id_type_0 = UUID(data)

                return settlement_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        settlement_id = _parse_settlement_id(d.pop("settlement_id"))

        status = SettlementOutStatus(d.pop("status"))

        hospital_code = d.pop("hospital_code")

        bill_no = d.pop("bill_no")

        policy_version = d.pop("policy_version")

        policy_hash = d.pop("policy_hash")

        def _parse_settled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        settled_at = _parse_settled_at(d.pop("settled_at"))

        admission_date = datetime.date.fromisoformat(d.pop("admission_date"))

        discharge_date = datetime.date.fromisoformat(d.pop("discharge_date"))

        accumulator_year = d.pop("accumulator_year")

        patient = PatientOut.from_dict(d.pop("patient"))

        totals = TotalsOut.from_dict(d.pop("totals"))

        layers = []
        _layers = d.pop("layers")
        for layers_item_data in _layers:
            layers_item = LayerOut.from_dict(layers_item_data)

            layers.append(layers_item)

        fund_paid = d.pop("fund_paid")

        self_pay = d.pop("self_pay")

        in_policy_self_pay = d.pop("in_policy_self_pay")

        in_policy_self_pay_ratio = d.pop("in_policy_self_pay_ratio")

        def _parse_setl_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        setl_id = _parse_setl_id(d.pop("setl_id", UNSET))

        def _parse_mdtrt_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mdtrt_id = _parse_mdtrt_id(d.pop("mdtrt_id", UNSET))

        def _parse_reversed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reversed_at_type_0 = datetime.datetime.fromisoformat(data)

                return reversed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        reversed_at = _parse_reversed_at(d.pop("reversed_at", UNSET))

        def _parse_reversal_setl_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reversal_setl_id = _parse_reversal_setl_id(d.pop("reversal_setl_id", UNSET))

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

        settlement_out = cls(
            settlement_id=settlement_id,
            status=status,
            hospital_code=hospital_code,
            bill_no=bill_no,
            policy_version=policy_version,
            policy_hash=policy_hash,
            settled_at=settled_at,
            admission_date=admission_date,
            discharge_date=discharge_date,
            accumulator_year=accumulator_year,
            patient=patient,
            totals=totals,
            layers=layers,
            fund_paid=fund_paid,
            self_pay=self_pay,
            in_policy_self_pay=in_policy_self_pay,
            in_policy_self_pay_ratio=in_policy_self_pay_ratio,
            setl_id=setl_id,
            mdtrt_id=mdtrt_id,
            reversed_at=reversed_at,
            reversal_setl_id=reversal_setl_id,
            replaces=replaces,
        )

        settlement_out.additional_properties = d
        return settlement_out

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
