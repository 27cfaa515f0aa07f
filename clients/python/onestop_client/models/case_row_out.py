from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CaseRowOut")


@_attrs_define
class CaseRowOut:
    """A case in a list, with its money as of today.

    Attributes:
        case_no (str):
        county_code (str):
        injury_date (datetime.date):
        employer_name (str):
        name (str): The worker's name
        poor_worker (bool):
        advanced (str):
        recovered (str):
        written_off (str):
        outstanding (str):
        overdue (str):
        open_ (bool):
    """

    case_no: str
    county_code: str
    injury_date: datetime.date
    employer_name: str
    name: str
    poor_worker: bool
    advanced: str
    recovered: str
    written_off: str
    outstanding: str
    overdue: str
    open_: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        case_no = self.case_no

        county_code = self.county_code

        injury_date = self.injury_date.isoformat()

        employer_name = self.employer_name

        name = self.name

        poor_worker = self.poor_worker

        advanced = self.advanced

        recovered = self.recovered

        written_off = self.written_off

        outstanding = self.outstanding

        overdue = self.overdue

        open_ = self.open_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "case_no": case_no,
                "county_code": county_code,
                "injury_date": injury_date,
                "employer_name": employer_name,
                "name": name,
                "poor_worker": poor_worker,
                "advanced": advanced,
                "recovered": recovered,
                "written_off": written_off,
                "outstanding": outstanding,
                "overdue": overdue,
                "open": open_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        case_no = d.pop("case_no")

        county_code = d.pop("county_code")

        injury_date = datetime.date.fromisoformat(d.pop("injury_date"))

        employer_name = d.pop("employer_name")

        name = d.pop("name")

        poor_worker = d.pop("poor_worker")

        advanced = d.pop("advanced")

        recovered = d.pop("recovered")

        written_off = d.pop("written_off")

        outstanding = d.pop("outstanding")

        overdue = d.pop("overdue")

        open_ = d.pop("open")

        case_row_out = cls(
            case_no=case_no,
            county_code=county_code,
            injury_date=injury_date,
            employer_name=employer_name,
            name=name,
            poor_worker=poor_worker,
            advanced=advanced,
            recovered=recovered,
            written_off=written_off,
            outstanding=outstanding,
            overdue=overdue,
            open_=open_,
        )

        case_row_out.additional_properties = d
        return case_row_out

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
