from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.run_summary_scheme import RunSummaryScheme
from ..models.run_summary_status import RunSummaryStatus

T = TypeVar("T", bound="RunSummary")


@_attrs_define
class RunSummary:
    """
    Attributes:
        id (UUID):
        scheme (RunSummaryScheme):
        year (int):
        county_code (str):
        county_name (str):
        status (RunSummaryStatus):
        rules_sha256 (str):
        persons (int):
        contribution (str): Σ contributions of the lines
        subsidy (str): Pension: Σ 政府缴费补贴; medical: 0.00
        created_at (datetime.datetime):
        confirmed_at (datetime.datetime | None):
    """

    id: UUID
    scheme: RunSummaryScheme
    year: int
    county_code: str
    county_name: str
    status: RunSummaryStatus
    rules_sha256: str
    persons: int
    contribution: str
    subsidy: str
    created_at: datetime.datetime
    confirmed_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        scheme = self.scheme.value

        year = self.year

        county_code = self.county_code

        county_name = self.county_name

        status = self.status.value

        rules_sha256 = self.rules_sha256

        persons = self.persons

        contribution = self.contribution

        subsidy = self.subsidy

        created_at = self.created_at.isoformat()

        confirmed_at: None | str
        if isinstance(self.confirmed_at, datetime.datetime):
            confirmed_at = self.confirmed_at.isoformat()
        else:
            confirmed_at = self.confirmed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "scheme": scheme,
                "year": year,
                "county_code": county_code,
                "county_name": county_name,
                "status": status,
                "rules_sha256": rules_sha256,
                "persons": persons,
                "contribution": contribution,
                "subsidy": subsidy,
                "created_at": created_at,
                "confirmed_at": confirmed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        scheme = RunSummaryScheme(d.pop("scheme"))

        year = d.pop("year")

        county_code = d.pop("county_code")

        county_name = d.pop("county_name")

        status = RunSummaryStatus(d.pop("status"))

        rules_sha256 = d.pop("rules_sha256")

        persons = d.pop("persons")

        contribution = d.pop("contribution")

        subsidy = d.pop("subsidy")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_confirmed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                confirmed_at_type_0 = datetime.datetime.fromisoformat(data)

                return confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        confirmed_at = _parse_confirmed_at(d.pop("confirmed_at"))

        run_summary = cls(
            id=id,
            scheme=scheme,
            year=year,
            county_code=county_code,
            county_name=county_name,
            status=status,
            rules_sha256=rules_sha256,
            persons=persons,
            contribution=contribution,
            subsidy=subsidy,
            created_at=created_at,
            confirmed_at=confirmed_at,
        )

        run_summary.additional_properties = d
        return run_summary

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
