from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.work_injury_ledger_row import WorkInjuryLedgerRow


T = TypeVar("T", bound="WorkInjuryLedgerOut")


@_attrs_define
class WorkInjuryLedgerOut:
    """
    Attributes:
        as_of (datetime.date):
        rows (list[WorkInjuryLedgerRow]):
        total (WorkInjuryLedgerRow):
    """

    as_of: datetime.date
    rows: list[WorkInjuryLedgerRow]
    total: WorkInjuryLedgerRow
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        total = self.total.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "rows": rows,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.work_injury_ledger_row import WorkInjuryLedgerRow  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = WorkInjuryLedgerRow.from_dict(rows_item_data)

            rows.append(rows_item)

        total = WorkInjuryLedgerRow.from_dict(d.pop("total"))

        work_injury_ledger_out = cls(
            as_of=as_of,
            rows=rows,
            total=total,
        )

        work_injury_ledger_out.additional_properties = d
        return work_injury_ledger_out

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
