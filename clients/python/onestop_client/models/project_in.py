from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.roster_in import RosterIn


T = TypeVar("T", bound="ProjectIn")


@_attrs_define
class ProjectIn:
    """A construction project insured by project (按项目参保).

    Attributes:
        project_no (str): Project number (项目编号): the retry key
        name (str):
        county_code (str): 县级行政区划代码
        contractor_name (str): 施工总承包单位
        contractor_code (str): 统一社会信用代码 (18 characters, digits and capital letters)
        contract_price (str): Contract price (工程合同价), yuan
        premium_paid_on (datetime.date): Day the premium was paid: not after work starts
        work_start_on (datetime.date): Day work starts (开工日期)
        cover_from (datetime.date): First day of cover (参保期间)
        cover_to (datetime.date): Last day of cover
        workers (list[RosterIn] | Unset): 花名册
    """

    project_no: str
    name: str
    county_code: str
    contractor_name: str
    contractor_code: str
    contract_price: str
    premium_paid_on: datetime.date
    work_start_on: datetime.date
    cover_from: datetime.date
    cover_to: datetime.date
    workers: list[RosterIn] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        project_no = self.project_no

        name = self.name

        county_code = self.county_code

        contractor_name = self.contractor_name

        contractor_code = self.contractor_code

        contract_price = self.contract_price

        premium_paid_on = self.premium_paid_on.isoformat()

        work_start_on = self.work_start_on.isoformat()

        cover_from = self.cover_from.isoformat()

        cover_to = self.cover_to.isoformat()

        workers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.workers, Unset):
            workers = []
            for workers_item_data in self.workers:
                workers_item = workers_item_data.to_dict()
                workers.append(workers_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "project_no": project_no,
                "name": name,
                "county_code": county_code,
                "contractor_name": contractor_name,
                "contractor_code": contractor_code,
                "contract_price": contract_price,
                "premium_paid_on": premium_paid_on,
                "work_start_on": work_start_on,
                "cover_from": cover_from,
                "cover_to": cover_to,
            }
        )
        if workers is not UNSET:
            field_dict["workers"] = workers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.roster_in import RosterIn  # noqa: PLC0415

        d = dict(src_dict)
        project_no = d.pop("project_no")

        name = d.pop("name")

        county_code = d.pop("county_code")

        contractor_name = d.pop("contractor_name")

        contractor_code = d.pop("contractor_code")

        contract_price = d.pop("contract_price")

        premium_paid_on = datetime.date.fromisoformat(d.pop("premium_paid_on"))

        work_start_on = datetime.date.fromisoformat(d.pop("work_start_on"))

        cover_from = datetime.date.fromisoformat(d.pop("cover_from"))

        cover_to = datetime.date.fromisoformat(d.pop("cover_to"))

        _workers = d.pop("workers", UNSET)
        workers: list[RosterIn] | Unset = UNSET
        if _workers is not UNSET:
            workers = []
            for workers_item_data in _workers:
                workers_item = RosterIn.from_dict(workers_item_data)

                workers.append(workers_item)

        project_in = cls(
            project_no=project_no,
            name=name,
            county_code=county_code,
            contractor_name=contractor_name,
            contractor_code=contractor_code,
            contract_price=contract_price,
            premium_paid_on=premium_paid_on,
            work_start_on=work_start_on,
            cover_from=cover_from,
            cover_to=cover_to,
            workers=workers,
        )

        return project_in
