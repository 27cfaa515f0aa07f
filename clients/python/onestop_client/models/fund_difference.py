from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.fund_figures import FundFigures


T = TypeVar("T", bound="FundDifference")


@_attrs_define
class FundDifference:
    """
    Attributes:
        fund_code (str):
        fund_name (None | str): null for a fund code the service never recorded
        submitted (FundFigures):
        recorded (FundFigures):
    """

    fund_code: str
    fund_name: None | str
    submitted: FundFigures
    recorded: FundFigures
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fund_code = self.fund_code

        fund_name: None | str
        fund_name = self.fund_name

        submitted = self.submitted.to_dict()

        recorded = self.recorded.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fund_code": fund_code,
                "fund_name": fund_name,
                "submitted": submitted,
                "recorded": recorded,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fund_figures import FundFigures  # noqa: PLC0415

        d = dict(src_dict)
        fund_code = d.pop("fund_code")

        def _parse_fund_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        fund_name = _parse_fund_name(d.pop("fund_name"))

        submitted = FundFigures.from_dict(d.pop("submitted"))

        recorded = FundFigures.from_dict(d.pop("recorded"))

        fund_difference = cls(
            fund_code=fund_code,
            fund_name=fund_name,
            submitted=submitted,
            recorded=recorded,
        )

        fund_difference.additional_properties = d
        return fund_difference

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
