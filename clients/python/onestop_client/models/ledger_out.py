from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ledger_row import LedgerRow


T = TypeVar("T", bound="LedgerOut")


@_attrs_define
class LedgerOut:
    """管理台帐: how registered-poor inpatients are covered, per county and month.

    Attributes:
        county_code (None | str):
        date_from (datetime.date):
        date_to (datetime.date):
        rows (list[LedgerRow]):
        time_zone (Literal['Asia/Shanghai'] | Unset):  Default: 'Asia/Shanghai'.
    """

    county_code: None | str
    date_from: datetime.date
    date_to: datetime.date
    rows: list[LedgerRow]
    time_zone: Literal["Asia/Shanghai"] | Unset = "Asia/Shanghai"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        county_code: None | str
        county_code = self.county_code

        date_from = self.date_from.isoformat()

        date_to = self.date_to.isoformat()

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        time_zone = self.time_zone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "county_code": county_code,
                "date_from": date_from,
                "date_to": date_to,
                "rows": rows,
            }
        )
        if time_zone is not UNSET:
            field_dict["time_zone"] = time_zone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ledger_row import LedgerRow  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_county_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        county_code = _parse_county_code(d.pop("county_code"))

        date_from = datetime.date.fromisoformat(d.pop("date_from"))

        date_to = datetime.date.fromisoformat(d.pop("date_to"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = LedgerRow.from_dict(rows_item_data)

            rows.append(rows_item)

        time_zone = cast(Literal["Asia/Shanghai"] | Unset, d.pop("time_zone", UNSET))
        if time_zone != "Asia/Shanghai" and not isinstance(time_zone, Unset):
            raise ValueError(f"time_zone must match const 'Asia/Shanghai', got '{time_zone}'")

        ledger_out = cls(
            county_code=county_code,
            date_from=date_from,
            date_to=date_to,
            rows=rows,
            time_zone=time_zone,
        )

        ledger_out.additional_properties = d
        return ledger_out

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
