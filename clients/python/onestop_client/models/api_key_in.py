from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_key_in_role import ApiKeyInRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyIn")


@_attrs_define
class ApiKeyIn:
    """
    Attributes:
        role (ApiKeyInRole):
        hospital_code (None | str | Unset): Required for (and only for) role hospital
        label (None | str | Unset):
    """

    role: ApiKeyInRole
    hospital_code: None | str | Unset = UNSET
    label: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        hospital_code: None | str | Unset
        if isinstance(self.hospital_code, Unset):
            hospital_code = UNSET
        else:
            hospital_code = self.hospital_code

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )
        if hospital_code is not UNSET:
            field_dict["hospital_code"] = hospital_code
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = ApiKeyInRole(d.pop("role"))

        def _parse_hospital_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hospital_code = _parse_hospital_code(d.pop("hospital_code", UNSET))

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        api_key_in = cls(
            role=role,
            hospital_code=hospital_code,
            label=label,
        )

        return api_key_in
