from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EnrolmentIn")


@_attrs_define
class EnrolmentIn:
    """A year of enrolment in resident medical insurance (参保年度).

    Attributes:
        year (int): Enrolment year (参保年度)
    """

    year: int

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "year": year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        year = d.pop("year")

        enrolment_in = cls(
            year=year,
        )

        return enrolment_in
