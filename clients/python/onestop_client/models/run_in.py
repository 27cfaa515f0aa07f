from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.run_in_scheme import RunInScheme
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.top_up_in import TopUpIn


T = TypeVar("T", bound="RunIn")


@_attrs_define
class RunIn:
    """
    Attributes:
        scheme (RunInScheme): medical 城乡居民医保 | pension 城乡居民养老保险
        year (int): Contribution year (缴费年度)
        county_code (str): County (县区) of the roster people
        top_ups (list[TopUpIn] | Unset): Pension only: extra payments of people of the run
    """

    scheme: RunInScheme
    year: int
    county_code: str
    top_ups: list[TopUpIn] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme.value

        year = self.year

        county_code = self.county_code

        top_ups: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.top_ups, Unset):
            top_ups = []
            for top_ups_item_data in self.top_ups:
                top_ups_item = top_ups_item_data.to_dict()
                top_ups.append(top_ups_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
                "year": year,
                "county_code": county_code,
            }
        )
        if top_ups is not UNSET:
            field_dict["top_ups"] = top_ups

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.top_up_in import TopUpIn  # noqa: PLC0415

        d = dict(src_dict)
        scheme = RunInScheme(d.pop("scheme"))

        year = d.pop("year")

        county_code = d.pop("county_code")

        _top_ups = d.pop("top_ups", UNSET)
        top_ups: list[TopUpIn] | Unset = UNSET
        if _top_ups is not UNSET:
            top_ups = []
            for top_ups_item_data in _top_ups:
                top_ups_item = TopUpIn.from_dict(top_ups_item_data)

                top_ups.append(top_ups_item)

        run_in = cls(
            scheme=scheme,
            year=year,
            county_code=county_code,
            top_ups=top_ups,
        )

        return run_in
