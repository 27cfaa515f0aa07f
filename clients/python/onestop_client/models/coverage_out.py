from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.coverage_out_scheme import CoverageOutScheme

if TYPE_CHECKING:
    from ..models.coverage_county import CoverageCounty


T = TypeVar("T", bound="CoverageOut")


@_attrs_define
class CoverageOut:
    """
    Attributes:
        year (int):
        scheme (CoverageOutScheme): medical 城乡居民医保, pension 城乡居民养老保险
        scheme_name (str):
        county_code (None | str): The county asked for; null: every county
        counties (list[CoverageCounty]): Per county: the region's counties in the region file's order (zeros included),
            then any other county a roster person is registered in
        total (CoverageCounty):
    """

    year: int
    scheme: CoverageOutScheme
    scheme_name: str
    county_code: None | str
    counties: list[CoverageCounty]
    total: CoverageCounty
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        scheme = self.scheme.value

        scheme_name = self.scheme_name

        county_code: None | str
        county_code = self.county_code

        counties = []
        for counties_item_data in self.counties:
            counties_item = counties_item_data.to_dict()
            counties.append(counties_item)

        total = self.total.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "scheme": scheme,
                "scheme_name": scheme_name,
                "county_code": county_code,
                "counties": counties,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coverage_county import CoverageCounty  # noqa: PLC0415

        d = dict(src_dict)
        year = d.pop("year")

        scheme = CoverageOutScheme(d.pop("scheme"))

        scheme_name = d.pop("scheme_name")

        def _parse_county_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        county_code = _parse_county_code(d.pop("county_code"))

        counties = []
        _counties = d.pop("counties")
        for counties_item_data in _counties:
            counties_item = CoverageCounty.from_dict(counties_item_data)

            counties.append(counties_item)

        total = CoverageCounty.from_dict(d.pop("total"))

        coverage_out = cls(
            year=year,
            scheme=scheme,
            scheme_name=scheme_name,
            county_code=county_code,
            counties=counties,
            total=total,
        )

        coverage_out.additional_properties = d
        return coverage_out

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
