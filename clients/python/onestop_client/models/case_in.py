from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CaseIn")


@_attrs_define
class CaseIn:
    """An injury case with its 工伤认定 decision.

    Attributes:
        case_no (str): Case number (案件编号): the retry key
        id_number (str): The worker; must be in the person registry
        county_code (str): The agency's county (统筹地): the ledger's county
        employer_name (str):
        employer_code (str): 统一社会信用代码 (18 characters, digits and capital letters)
        injury_date (datetime.date):
        recognition_no (str): 工伤认定决定书号
        recognition_date (datetime.date):
        third_party_liable (bool): A third party caused the injury (社会保险法 art. 42)
        project_no (None | str | Unset): The project, if injured on one
        employer_insured (bool | None | Unset): Employer had paid premiums at the time; with project_no it is derived
            (covered on the day and on the roster) and must be null
    """

    case_no: str
    id_number: str
    county_code: str
    employer_name: str
    employer_code: str
    injury_date: datetime.date
    recognition_no: str
    recognition_date: datetime.date
    third_party_liable: bool
    project_no: None | str | Unset = UNSET
    employer_insured: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        case_no = self.case_no

        id_number = self.id_number

        county_code = self.county_code

        employer_name = self.employer_name

        employer_code = self.employer_code

        injury_date = self.injury_date.isoformat()

        recognition_no = self.recognition_no

        recognition_date = self.recognition_date.isoformat()

        third_party_liable = self.third_party_liable

        project_no: None | str | Unset
        if isinstance(self.project_no, Unset):
            project_no = UNSET
        else:
            project_no = self.project_no

        employer_insured: bool | None | Unset
        if isinstance(self.employer_insured, Unset):
            employer_insured = UNSET
        else:
            employer_insured = self.employer_insured

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "case_no": case_no,
                "id_number": id_number,
                "county_code": county_code,
                "employer_name": employer_name,
                "employer_code": employer_code,
                "injury_date": injury_date,
                "recognition_no": recognition_no,
                "recognition_date": recognition_date,
                "third_party_liable": third_party_liable,
            }
        )
        if project_no is not UNSET:
            field_dict["project_no"] = project_no
        if employer_insured is not UNSET:
            field_dict["employer_insured"] = employer_insured

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        case_no = d.pop("case_no")

        id_number = d.pop("id_number")

        county_code = d.pop("county_code")

        employer_name = d.pop("employer_name")

        employer_code = d.pop("employer_code")

        injury_date = datetime.date.fromisoformat(d.pop("injury_date"))

        recognition_no = d.pop("recognition_no")

        recognition_date = datetime.date.fromisoformat(d.pop("recognition_date"))

        third_party_liable = d.pop("third_party_liable")

        def _parse_project_no(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_no = _parse_project_no(d.pop("project_no", UNSET))

        def _parse_employer_insured(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        employer_insured = _parse_employer_insured(d.pop("employer_insured", UNSET))

        case_in = cls(
            case_no=case_no,
            id_number=id_number,
            county_code=county_code,
            employer_name=employer_name,
            employer_code=employer_code,
            injury_date=injury_date,
            recognition_no=recognition_no,
            recognition_date=recognition_date,
            third_party_liable=third_party_liable,
            project_no=project_no,
            employer_insured=employer_insured,
        )

        return case_in
