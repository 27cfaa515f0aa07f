from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.what_if_in_policy_type_1 import WhatIfInPolicyType1


T = TypeVar("T", bound="WhatIfIn")


@_attrs_define
class WhatIfIn:
    """
    Attributes:
        policy (str | WhatIfInPolicyType1): The draft policy document: its YAML text (as in `policies/`) in a string, or
            the same document as a JSON object (every amount and ratio a quoted string).
        date_from (datetime.date): First day of settlement, Asia/Shanghai
        date_to (datetime.date): Last day (inclusive), Asia/Shanghai
        county_code (None | str | Unset): Only the persons of this county (参保地) in the result
        hospital_code (None | str | Unset): Only this hospital's settlements in the result
    """

    policy: str | WhatIfInPolicyType1
    date_from: datetime.date
    date_to: datetime.date
    county_code: None | str | Unset = UNSET
    hospital_code: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.what_if_in_policy_type_1 import WhatIfInPolicyType1  # noqa: PLC0415

        policy: dict[str, Any] | str
        if isinstance(self.policy, WhatIfInPolicyType1):
            policy = self.policy.to_dict()
        else:
            policy = self.policy

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        county_code: None | str | Unset
        if isinstance(self.county_code, Unset):
            county_code = UNSET
        else:
            county_code = self.county_code

        hospital_code: None | str | Unset
        if isinstance(self.hospital_code, Unset):
            hospital_code = UNSET
        else:
            hospital_code = self.hospital_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "policy": policy,
                "date_from": date_from,
                "date_to": date_to,
            }
        )
        if county_code is not UNSET:
            field_dict["county_code"] = county_code
        if hospital_code is not UNSET:
            field_dict["hospital_code"] = hospital_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.what_if_in_policy_type_1 import WhatIfInPolicyType1  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_policy(data: object) -> str | WhatIfInPolicyType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                policy_type_1 = WhatIfInPolicyType1.from_dict(data)

                return policy_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | WhatIfInPolicyType1, data)

        policy = _parse_policy(d.pop("policy"))

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        def _parse_county_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        county_code = _parse_county_code(d.pop("county_code", UNSET))

        def _parse_hospital_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hospital_code = _parse_hospital_code(d.pop("hospital_code", UNSET))

        what_if_in = cls(
            policy=policy,
            date_from=date_from,
            date_to=date_to,
            county_code=county_code,
            hospital_code=hospital_code,
        )

        return what_if_in
