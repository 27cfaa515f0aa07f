from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.run_line_category import RunLineCategory

if TYPE_CHECKING:
    from ..models.payer_amount import PayerAmount


T = TypeVar("T", bound="RunLine")


@_attrs_define
class RunLine:
    """
    Attributes:
        id_number (str): Masked ID number (身份证号, 脱敏)
        name (str):
        category (RunLineCategory): The category whose rule applied (类别)
        contribution (str): The contribution (缴费金额), Σ shares
        tier (None | str): Pension: the tier (缴费档次)
        subsidy (None | str): Pension: 政府缴费补贴 of the tier
        refused (str): A third party's funding above the highest tier, refused
        third_party_name (None | str):
        notice (None | str): E.g. may switch to 城镇职工基本养老保险
        shares (list[PayerAmount]): Who pays how much of the contribution
    """

    id_number: str
    name: str
    category: RunLineCategory
    contribution: str
    tier: None | str
    subsidy: None | str
    refused: str
    third_party_name: None | str
    notice: None | str
    shares: list[PayerAmount]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        name = self.name

        category = self.category.value

        contribution = self.contribution

        tier: None | str
        tier = self.tier

        subsidy: None | str
        subsidy = self.subsidy

        refused = self.refused

        third_party_name: None | str
        third_party_name = self.third_party_name

        notice: None | str
        notice = self.notice

        shares = []
        for shares_item_data in self.shares:
            shares_item = shares_item_data.to_dict()
            shares.append(shares_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id_number": id_number,
                "name": name,
                "category": category,
                "contribution": contribution,
                "tier": tier,
                "subsidy": subsidy,
                "refused": refused,
                "third_party_name": third_party_name,
                "notice": notice,
                "shares": shares,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.payer_amount import PayerAmount  # noqa: PLC0415

        d = dict(src_dict)
        id_number = d.pop("id_number")

        name = d.pop("name")

        category = RunLineCategory(d.pop("category"))

        contribution = d.pop("contribution")

        def _parse_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tier = _parse_tier(d.pop("tier"))

        def _parse_subsidy(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subsidy = _parse_subsidy(d.pop("subsidy"))

        refused = d.pop("refused")

        def _parse_third_party_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        third_party_name = _parse_third_party_name(d.pop("third_party_name"))

        def _parse_notice(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        notice = _parse_notice(d.pop("notice"))

        shares = []
        _shares = d.pop("shares")
        for shares_item_data in _shares:
            shares_item = PayerAmount.from_dict(shares_item_data)

            shares.append(shares_item)

        run_line = cls(
            id_number=id_number,
            name=name,
            category=category,
            contribution=contribution,
            tier=tier,
            subsidy=subsidy,
            refused=refused,
            third_party_name=third_party_name,
            notice=notice,
            shares=shares,
        )

        run_line.additional_properties = d
        return run_line

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
