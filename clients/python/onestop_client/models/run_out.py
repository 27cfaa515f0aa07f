from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.run_out_scheme import RunOutScheme
from ..models.run_out_status import RunOutStatus

if TYPE_CHECKING:
    from ..models.payer_amount import PayerAmount
    from ..models.run_line import RunLine
    from ..models.skipped import Skipped


T = TypeVar("T", bound="RunOut")


@_attrs_define
class RunOut:
    """
    Attributes:
        id (UUID):
        scheme (RunOutScheme):
        year (int):
        county_code (str):
        county_name (str):
        status (RunOutStatus):
        rules_sha256 (str):
        persons (int):
        contribution (str): Σ contributions of the lines
        subsidy (str): Pension: Σ 政府缴费补贴; medical: 0.00
        created_at (datetime.datetime):
        confirmed_at (datetime.datetime | None):
        rules_id (str): The rules file's id (policies/enrolment)
        subsidy_payer (None | str): Pension: who pays the subsidy
        totals (list[PayerAmount]): Σ shares per payer; their sum is contribution
        skipped (Skipped): Roster people of the county without a line, by reason.
        lines (list[RunLine]):
    """

    id: UUID
    scheme: RunOutScheme
    year: int
    county_code: str
    county_name: str
    status: RunOutStatus
    rules_sha256: str
    persons: int
    contribution: str
    subsidy: str
    created_at: datetime.datetime
    confirmed_at: datetime.datetime | None
    rules_id: str
    subsidy_payer: None | str
    totals: list[PayerAmount]
    skipped: Skipped
    lines: list[RunLine]
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

        rules_id = self.rules_id

        subsidy_payer: None | str
        subsidy_payer = self.subsidy_payer

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        skipped = self.skipped.to_dict()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

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
                "rules_id": rules_id,
                "subsidy_payer": subsidy_payer,
                "totals": totals,
                "skipped": skipped,
                "lines": lines,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payer_amount import PayerAmount  # noqa: PLC0415
        from ..models.run_line import RunLine  # noqa: PLC0415
        from ..models.skipped import Skipped  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        scheme = RunOutScheme(d.pop("scheme"))

        year = d.pop("year")

        county_code = d.pop("county_code")

        county_name = d.pop("county_name")

        status = RunOutStatus(d.pop("status"))

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

        rules_id = d.pop("rules_id")

        def _parse_subsidy_payer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subsidy_payer = _parse_subsidy_payer(d.pop("subsidy_payer"))

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = PayerAmount.from_dict(totals_item_data)

            totals.append(totals_item)

        skipped = Skipped.from_dict(d.pop("skipped"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = RunLine.from_dict(lines_item_data)

            lines.append(lines_item)

        run_out = cls(
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
            rules_id=rules_id,
            subsidy_payer=subsidy_payer,
            totals=totals,
            skipped=skipped,
            lines=lines,
        )

        run_out.additional_properties = d
        return run_out

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
