from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PatientIn")


@_attrs_define
class PatientIn:
    """The insured patient (参保人).

    Attributes:
        id_number (str): 18-digit resident ID number (公民身份号码, GB 11643); must be in the person registry and enrolled
            (参保) for the discharge year
        name (None | str | Unset): Patient name (姓名); informative only
    """

    id_number: str
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id_number": id_number,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number = d.pop("id_number")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        patient_in = cls(
            id_number=id_number,
            name=name,
        )

        return patient_in
