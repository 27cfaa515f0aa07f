from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.application_out import ApplicationOut


T = TypeVar("T", bound="CaseOut")


@_attrs_define
class CaseOut:
    """
    Attributes:
        case_no (str):
        id_number (str): Masked
        name (str):
        county_code (str):
        employer_name (str):
        employer_code (str):
        project_no (None | str):
        injury_date (datetime.date):
        recognition_no (str):
        recognition_date (datetime.date):
        third_party_liable (bool):
        employer_insured (bool):
        poor_worker (bool):
        poor_category (None | str):
        open_ (bool):
        advanced (str):
        recovered (str):
        written_off (str):
        outstanding (str):
        applications (list[ApplicationOut]):
    """

    case_no: str
    id_number: str
    name: str
    county_code: str
    employer_name: str
    employer_code: str
    project_no: None | str
    injury_date: datetime.date
    recognition_no: str
    recognition_date: datetime.date
    third_party_liable: bool
    employer_insured: bool
    poor_worker: bool
    poor_category: None | str
    open_: bool
    advanced: str
    recovered: str
    written_off: str
    outstanding: str
    applications: list[ApplicationOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        case_no = self.case_no

        id_number = self.id_number

        name = self.name

        county_code = self.county_code

        employer_name = self.employer_name

        employer_code = self.employer_code

        project_no: None | str
        project_no = self.project_no

        injury_date = self.injury_date.isoformat()

        recognition_no = self.recognition_no

        recognition_date = self.recognition_date.isoformat()

        third_party_liable = self.third_party_liable

        employer_insured = self.employer_insured

        poor_worker = self.poor_worker

        poor_category: None | str
        poor_category = self.poor_category

        open_ = self.open_

        advanced = self.advanced

        recovered = self.recovered

        written_off = self.written_off

        outstanding = self.outstanding

        applications = []
        for applications_item_data in self.applications:
            applications_item = applications_item_data.to_dict()
            applications.append(applications_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "case_no": case_no,
                "id_number": id_number,
                "name": name,
                "county_code": county_code,
                "employer_name": employer_name,
                "employer_code": employer_code,
                "project_no": project_no,
                "injury_date": injury_date,
                "recognition_no": recognition_no,
                "recognition_date": recognition_date,
                "third_party_liable": third_party_liable,
                "employer_insured": employer_insured,
                "poor_worker": poor_worker,
                "poor_category": poor_category,
                "open": open_,
                "advanced": advanced,
                "recovered": recovered,
                "written_off": written_off,
                "outstanding": outstanding,
                "applications": applications,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.application_out import ApplicationOut  # noqa: PLC0415

        d = dict(src_dict)
        case_no = d.pop("case_no")

        id_number = d.pop("id_number")

        name = d.pop("name")

        county_code = d.pop("county_code")

        employer_name = d.pop("employer_name")

        employer_code = d.pop("employer_code")

        def _parse_project_no(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        project_no = _parse_project_no(d.pop("project_no"))

        injury_date = datetime.date.fromisoformat(d.pop("injury_date"))

        recognition_no = d.pop("recognition_no")

        recognition_date = datetime.date.fromisoformat(d.pop("recognition_date"))

        third_party_liable = d.pop("third_party_liable")

        employer_insured = d.pop("employer_insured")

        poor_worker = d.pop("poor_worker")

        def _parse_poor_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        poor_category = _parse_poor_category(d.pop("poor_category"))

        open_ = d.pop("open")

        advanced = d.pop("advanced")

        recovered = d.pop("recovered")

        written_off = d.pop("written_off")

        outstanding = d.pop("outstanding")

        applications = []
        _applications = d.pop("applications")
        for applications_item_data in _applications:
            applications_item = ApplicationOut.from_dict(applications_item_data)

            applications.append(applications_item)

        case_out = cls(
            case_no=case_no,
            id_number=id_number,
            name=name,
            county_code=county_code,
            employer_name=employer_name,
            employer_code=employer_code,
            project_no=project_no,
            injury_date=injury_date,
            recognition_no=recognition_no,
            recognition_date=recognition_date,
            third_party_liable=third_party_liable,
            employer_insured=employer_insured,
            poor_worker=poor_worker,
            poor_category=poor_category,
            open_=open_,
            advanced=advanced,
            recovered=recovered,
            written_off=written_off,
            outstanding=outstanding,
            applications=applications,
        )

        case_out.additional_properties = d
        return case_out

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
