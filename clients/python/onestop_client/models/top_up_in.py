from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TopUpIn")


@_attrs_define
class TopUpIn:
    """A pension top-up (notice 一(二)(三)): the person's own extra payment and a third party's
    funding, stacked on the 代缴; the subsidy is the stacked total's tier's.

        Attributes:
            id_number (str): 18-digit resident ID number of a person of the run
            self_ (str | Unset): The person's own payment on top of the 代缴 (个人缴费), yuan Default: '0'.
            third_party (str | Unset): A third party's funding (社会组织、个人资助), yuan; above the highest tier the excess is
                refused with a notice (may switch to 职工养老) Default: '0'.
            third_party_name (None | str | Unset): Who funds (资助方), when third_party is not 0
    """

    id_number: str
    self_: str | Unset = "0"
    third_party: str | Unset = "0"
    third_party_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        self_ = self.self_

        third_party = self.third_party

        third_party_name: None | str | Unset
        if isinstance(self.third_party_name, Unset):
            third_party_name = UNSET
        else:
            third_party_name = self.third_party_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id_number": id_number,
            }
        )
        if self_ is not UNSET:
            field_dict["self"] = self_
        if third_party is not UNSET:
            field_dict["third_party"] = third_party
        if third_party_name is not UNSET:
            field_dict["third_party_name"] = third_party_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number = d.pop("id_number")

        self_ = d.pop("self", UNSET)

        third_party = d.pop("third_party", UNSET)

        def _parse_third_party_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        third_party_name = _parse_third_party_name(d.pop("third_party_name", UNSET))

        top_up_in = cls(
            id_number=id_number,
            self_=self_,
            third_party=third_party,
            third_party_name=third_party_name,
        )

        return top_up_in
