from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ledger_scheme_out_recorded_by_type_0 import LedgerSchemeOutRecordedByType0

if TYPE_CHECKING:
    from ..models.payer_out import PayerOut


T = TypeVar("T", bound="LedgerSchemeOut")


@_attrs_define
class LedgerSchemeOut:
    """
    Attributes:
        enrolled (bool): Enrolled in the scheme for the year
        recorded_by (LedgerSchemeOutRecordedByType0 | None): run: a confirmed proxy-payment run; manual: the admin PUT;
            null: not enrolled
        run_id (None | UUID): The run that recorded it, if one did
        tier (None | str): Pension: 缴费档次 (yuan)
        subsidy (None | str): Pension: 政府缴费补贴 (yuan)
        contribution (None | str): The contribution of the confirmed run(s) listing the person, if any
        payers (list[PayerOut]): Who paid (the confirmed run's shares), by payer code; empty if no run did
        paid_by (str): The payers in words (县（区）财政 180.00); 本人/未记录 for an enrolment no confirmed run lists; empty when
            not enrolled
        elsewhere_region (None | str): 区外参保地 for the scheme and year, if any
    """

    enrolled: bool
    recorded_by: LedgerSchemeOutRecordedByType0 | None
    run_id: None | UUID
    tier: None | str
    subsidy: None | str
    contribution: None | str
    payers: list[PayerOut]
    paid_by: str
    elsewhere_region: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enrolled = self.enrolled

        recorded_by: None | str
        if isinstance(self.recorded_by, LedgerSchemeOutRecordedByType0):
            recorded_by = self.recorded_by.value
        else:
            recorded_by = self.recorded_by

        run_id: None | str
        if isinstance(self.run_id, UUID):
            run_id = str(self.run_id)
        else:
            run_id = self.run_id

        tier: None | str
        tier = self.tier

        subsidy: None | str
        subsidy = self.subsidy

        contribution: None | str
        contribution = self.contribution

        payers = []
        for payers_item_data in self.payers:
            payers_item = payers_item_data.to_dict()
            payers.append(payers_item)

        paid_by = self.paid_by

        elsewhere_region: None | str
        elsewhere_region = self.elsewhere_region

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enrolled": enrolled,
                "recorded_by": recorded_by,
                "run_id": run_id,
                "tier": tier,
                "subsidy": subsidy,
                "contribution": contribution,
                "payers": payers,
                "paid_by": paid_by,
                "elsewhere_region": elsewhere_region,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payer_out import PayerOut  # noqa: PLC0415

        d = dict(src_dict)
        enrolled = d.pop("enrolled")

        def _parse_recorded_by(data: object) -> LedgerSchemeOutRecordedByType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recorded_by_type_0 = LedgerSchemeOutRecordedByType0(data)

                return recorded_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LedgerSchemeOutRecordedByType0 | None, data)

        recorded_by = _parse_recorded_by(d.pop("recorded_by"))

        def _parse_run_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                run_id_type_0 = UUID(data)

                return run_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        run_id = _parse_run_id(d.pop("run_id"))

        def _parse_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tier = _parse_tier(d.pop("tier"))

        def _parse_subsidy(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subsidy = _parse_subsidy(d.pop("subsidy"))

        def _parse_contribution(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        contribution = _parse_contribution(d.pop("contribution"))

        payers = []
        _payers = d.pop("payers")
        for payers_item_data in _payers:
            payers_item = PayerOut.from_dict(payers_item_data)

            payers.append(payers_item)

        paid_by = d.pop("paid_by")

        def _parse_elsewhere_region(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        elsewhere_region = _parse_elsewhere_region(d.pop("elsewhere_region"))

        ledger_scheme_out = cls(
            enrolled=enrolled,
            recorded_by=recorded_by,
            run_id=run_id,
            tier=tier,
            subsidy=subsidy,
            contribution=contribution,
            payers=payers,
            paid_by=paid_by,
            elsewhere_region=elsewhere_region,
        )

        ledger_scheme_out.additional_properties = d
        return ledger_scheme_out

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
