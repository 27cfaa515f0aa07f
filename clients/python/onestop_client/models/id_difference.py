from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IdDifference")


@_attrs_define
class IdDifference:
    """
    Attributes:
        only_submitted (list[UUID]): Sent by the hospital, but no such event here (sorted, at most 1000)
        only_submitted_count (int):
        only_recorded (list[UUID]): Recorded here, but not sent by the hospital (sorted, at most 1000)
        only_recorded_count (int):
    """

    only_submitted: list[UUID]
    only_submitted_count: int
    only_recorded: list[UUID]
    only_recorded_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        only_submitted = []
        for only_submitted_item_data in self.only_submitted:
            only_submitted_item = str(only_submitted_item_data)
            only_submitted.append(only_submitted_item)

        only_submitted_count = self.only_submitted_count

        only_recorded = []
        for only_recorded_item_data in self.only_recorded:
            only_recorded_item = str(only_recorded_item_data)
            only_recorded.append(only_recorded_item)

        only_recorded_count = self.only_recorded_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "only_submitted": only_submitted,
                "only_submitted_count": only_submitted_count,
                "only_recorded": only_recorded,
                "only_recorded_count": only_recorded_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        only_submitted = []
        _only_submitted = d.pop("only_submitted")
        for only_submitted_item_data in _only_submitted:
            only_submitted_item = UUID(only_submitted_item_data)

            only_submitted.append(only_submitted_item)

        only_submitted_count = d.pop("only_submitted_count")

        only_recorded = []
        _only_recorded = d.pop("only_recorded")
        for only_recorded_item_data in _only_recorded:
            only_recorded_item = UUID(only_recorded_item_data)

            only_recorded.append(only_recorded_item)

        only_recorded_count = d.pop("only_recorded_count")

        id_difference = cls(
            only_submitted=only_submitted,
            only_submitted_count=only_submitted_count,
            only_recorded=only_recorded,
            only_recorded_count=only_recorded_count,
        )

        id_difference.additional_properties = d
        return id_difference

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
