from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.coverage_all import CoverageAll
    from ..models.coverage_cell import CoverageCell


T = TypeVar("T", bound="CoverageCounty")


@_attrs_define
class CoverageCounty:
    """
    Attributes:
        county_code (None | str): 县区代码; null in `total` (every county)
        county_name (None | str): 县区名称; null in `total`
        categories (list[CoverageCell]): One cell per category (every category, zeros included)
        all_ (CoverageAll):
    """

    county_code: None | str
    county_name: None | str
    categories: list[CoverageCell]
    all_: CoverageAll
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        county_code: None | str
        county_code = self.county_code

        county_name: None | str
        county_name = self.county_name

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        all_ = self.all_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "county_code": county_code,
                "county_name": county_name,
                "categories": categories,
                "all": all_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coverage_all import CoverageAll  # noqa: PLC0415
        from ..models.coverage_cell import CoverageCell  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_county_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        county_code = _parse_county_code(d.pop("county_code"))

        def _parse_county_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        county_name = _parse_county_name(d.pop("county_name"))

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = CoverageCell.from_dict(categories_item_data)

            categories.append(categories_item)

        all_ = CoverageAll.from_dict(d.pop("all"))

        coverage_county = cls(
            county_code=county_code,
            county_name=county_name,
            categories=categories,
            all_=all_,
        )

        coverage_county.additional_properties = d
        return coverage_county

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
