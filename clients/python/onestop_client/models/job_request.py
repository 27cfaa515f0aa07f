from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobRequest")


@_attrs_define
class JobRequest:
    """
    Attributes:
        policy_id (str):
        content_hash (str):
        date_from (datetime.date):
        date_to (datetime.date):
        county_code (None | str):
        hospital_code (None | str):
    """

    policy_id: str
    content_hash: str
    date_from: datetime.date
    date_to: datetime.date
    county_code: None | str
    hospital_code: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        policy_id = self.policy_id

        content_hash = self.content_hash

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        county_code: None | str
        county_code = self.county_code

        hospital_code: None | str
        hospital_code = self.hospital_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "policy_id": policy_id,
                "content_hash": content_hash,
                "date_from": date_from,
                "date_to": date_to,
                "county_code": county_code,
                "hospital_code": hospital_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        policy_id = d.pop("policy_id")

        content_hash = d.pop("content_hash")

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        def _parse_county_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        county_code = _parse_county_code(d.pop("county_code"))

        def _parse_hospital_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hospital_code = _parse_hospital_code(d.pop("hospital_code"))

        job_request = cls(
            policy_id=policy_id,
            content_hash=content_hash,
            date_from=date_from,
            date_to=date_to,
            county_code=county_code,
            hospital_code=hospital_code,
        )

        job_request.additional_properties = d
        return job_request

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
