from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.roster_out import RosterOut


T = TypeVar("T", bound="ProjectOut")


@_attrs_define
class ProjectOut:
    """
    Attributes:
        project_no (str):
        name (str):
        county_code (str):
        contractor_name (str):
        contractor_code (str):
        contract_price (str):
        rate (str): Premium rate (费率) of the rules in force on the work-start day
        rate_source (str):
        premium (str): round(contract price × rate), half up, to the fen
        premium_paid_on (datetime.date):
        work_start_on (datetime.date):
        cover_from (datetime.date):
        cover_to (datetime.date):
        workers (list[RosterOut]):
    """

    project_no: str
    name: str
    county_code: str
    contractor_name: str
    contractor_code: str
    contract_price: str
    rate: str
    rate_source: str
    premium: str
    premium_paid_on: datetime.date
    work_start_on: datetime.date
    cover_from: datetime.date
    cover_to: datetime.date
    workers: list[RosterOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_no = self.project_no

        name = self.name

        county_code = self.county_code

        contractor_name = self.contractor_name

        contractor_code = self.contractor_code

        contract_price = self.contract_price

        rate = self.rate

        rate_source = self.rate_source

        premium = self.premium

        premium_paid_on = self.premium_paid_on.isoformat()

        work_start_on = self.work_start_on.isoformat()

        cover_from = self.cover_from.isoformat()

        cover_to = self.cover_to.isoformat()

        workers = []
        for workers_item_data in self.workers:
            workers_item = workers_item_data.to_dict()
            workers.append(workers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project_no": project_no,
                "name": name,
                "county_code": county_code,
                "contractor_name": contractor_name,
                "contractor_code": contractor_code,
                "contract_price": contract_price,
                "rate": rate,
                "rate_source": rate_source,
                "premium": premium,
                "premium_paid_on": premium_paid_on,
                "work_start_on": work_start_on,
                "cover_from": cover_from,
                "cover_to": cover_to,
                "workers": workers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.roster_out import RosterOut  # noqa: PLC0415

        d = dict(src_dict)
        project_no = d.pop("project_no")

        name = d.pop("name")

        county_code = d.pop("county_code")

        contractor_name = d.pop("contractor_name")

        contractor_code = d.pop("contractor_code")

        contract_price = d.pop("contract_price")

        rate = d.pop("rate")

        rate_source = d.pop("rate_source")

        premium = d.pop("premium")

        premium_paid_on = datetime.date.fromisoformat(d.pop("premium_paid_on"))

        work_start_on = datetime.date.fromisoformat(d.pop("work_start_on"))

        cover_from = datetime.date.fromisoformat(d.pop("cover_from"))

        cover_to = datetime.date.fromisoformat(d.pop("cover_to"))

        workers = []
        _workers = d.pop("workers")
        for workers_item_data in _workers:
            workers_item = RosterOut.from_dict(workers_item_data)

            workers.append(workers_item)

        project_out = cls(
            project_no=project_no,
            name=name,
            county_code=county_code,
            contractor_name=contractor_name,
            contractor_code=contractor_code,
            contract_price=contract_price,
            rate=rate,
            rate_source=rate_source,
            premium=premium,
            premium_paid_on=premium_paid_on,
            work_start_on=work_start_on,
            cover_from=cover_from,
            cover_to=cover_to,
            workers=workers,
        )

        project_out.additional_properties = d
        return project_out

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
