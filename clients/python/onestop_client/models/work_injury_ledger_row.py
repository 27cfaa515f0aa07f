from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkInjuryLedgerRow")


@_attrs_define
class WorkInjuryLedgerRow:
    """
    Attributes:
        county_code (str):
        cases (int):
        open_cases (int):
        poor_cases (int):
        advanced (str):
        recovered (str):
        outstanding (str):
        overdue (str):
        written_off (str):
        poor_advanced (str):
        poor_share (None | str): poor_advanced ÷ advanced (4 decimals), null if none
    """

    county_code: str
    cases: int
    open_cases: int
    poor_cases: int
    advanced: str
    recovered: str
    outstanding: str
    overdue: str
    written_off: str
    poor_advanced: str
    poor_share: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        county_code = self.county_code

        cases = self.cases

        open_cases = self.open_cases

        poor_cases = self.poor_cases

        advanced = self.advanced

        recovered = self.recovered

        outstanding = self.outstanding

        overdue = self.overdue

        written_off = self.written_off

        poor_advanced = self.poor_advanced

        poor_share: None | str
        poor_share = self.poor_share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "county_code": county_code,
                "cases": cases,
                "open_cases": open_cases,
                "poor_cases": poor_cases,
                "advanced": advanced,
                "recovered": recovered,
                "outstanding": outstanding,
                "overdue": overdue,
                "written_off": written_off,
                "poor_advanced": poor_advanced,
                "poor_share": poor_share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        county_code = d.pop("county_code")

        cases = d.pop("cases")

        open_cases = d.pop("open_cases")

        poor_cases = d.pop("poor_cases")

        advanced = d.pop("advanced")

        recovered = d.pop("recovered")

        outstanding = d.pop("outstanding")

        overdue = d.pop("overdue")

        written_off = d.pop("written_off")

        poor_advanced = d.pop("poor_advanced")

        def _parse_poor_share(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        poor_share = _parse_poor_share(d.pop("poor_share"))

        work_injury_ledger_row = cls(
            county_code=county_code,
            cases=cases,
            open_cases=open_cases,
            poor_cases=poor_cases,
            advanced=advanced,
            recovered=recovered,
            outstanding=outstanding,
            overdue=overdue,
            written_off=written_off,
            poor_advanced=poor_advanced,
            poor_share=poor_share,
        )

        work_injury_ledger_row.additional_properties = d
        return work_injury_ledger_row

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
