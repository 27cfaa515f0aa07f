from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ledger_category_out import LedgerCategoryOut
    from ..models.ledger_scheme_out import LedgerSchemeOut
    from ..models.ledger_settlements_out import LedgerSettlementsOut


T = TypeVar("T", bound="LedgerPersonOut")


@_attrs_define
class LedgerPersonOut:
    """
    Attributes:
        county_code (str):
        county_name (str):
        id_number (str): In clear for admin keys, masked for agency keys
        psn_no (str):
        name (str):
        death_date (datetime.date | None):
        categories (list[LedgerCategoryOut]): The category periods overlapping the year, with their sources
        exited (bool): 脱贫标识: any of the periods carries it
        exit_year (int | None): The latest 脱贫年度 given
        medical (LedgerSchemeOut):
        pension (LedgerSchemeOut):
        settlements (LedgerSettlementsOut):
    """

    county_code: str
    county_name: str
    id_number: str
    psn_no: str
    name: str
    death_date: datetime.date | None
    categories: list[LedgerCategoryOut]
    exited: bool
    exit_year: int | None
    medical: LedgerSchemeOut
    pension: LedgerSchemeOut
    settlements: LedgerSettlementsOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        county_code = self.county_code

        county_name = self.county_name

        id_number = self.id_number

        psn_no = self.psn_no

        name = self.name

        death_date: None | str
        if isinstance(self.death_date, datetime.date):
            death_date = self.death_date.isoformat()
        else:
            death_date = self.death_date

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        exited = self.exited

        exit_year: int | None
        exit_year = self.exit_year

        medical = self.medical.to_dict()

        pension = self.pension.to_dict()

        settlements = self.settlements.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "county_code": county_code,
                "county_name": county_name,
                "id_number": id_number,
                "psn_no": psn_no,
                "name": name,
                "death_date": death_date,
                "categories": categories,
                "exited": exited,
                "exit_year": exit_year,
                "medical": medical,
                "pension": pension,
                "settlements": settlements,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_category_out import LedgerCategoryOut  # noqa: PLC0415
        from ..models.ledger_scheme_out import LedgerSchemeOut  # noqa: PLC0415
        from ..models.ledger_settlements_out import LedgerSettlementsOut  # noqa: PLC0415

        d = dict(src_dict)
        county_code = d.pop("county_code")

        county_name = d.pop("county_name")

        id_number = d.pop("id_number")

        psn_no = d.pop("psn_no")

        name = d.pop("name")

        def _parse_death_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                death_date_type_0 = datetime.date.fromisoformat(data)

                return death_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        death_date = _parse_death_date(d.pop("death_date"))

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = LedgerCategoryOut.from_dict(categories_item_data)

            categories.append(categories_item)

        exited = d.pop("exited")

        def _parse_exit_year(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exit_year = _parse_exit_year(d.pop("exit_year"))

        medical = LedgerSchemeOut.from_dict(d.pop("medical"))

        pension = LedgerSchemeOut.from_dict(d.pop("pension"))

        settlements = LedgerSettlementsOut.from_dict(d.pop("settlements"))

        ledger_person_out = cls(
            county_code=county_code,
            county_name=county_name,
            id_number=id_number,
            psn_no=psn_no,
            name=name,
            death_date=death_date,
            categories=categories,
            exited=exited,
            exit_year=exit_year,
            medical=medical,
            pension=pension,
            settlements=settlements,
        )

        ledger_person_out.additional_properties = d
        return ledger_person_out

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
