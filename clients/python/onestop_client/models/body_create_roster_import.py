from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.body_create_roster_import_source import BodyCreateRosterImportSource

T = TypeVar("T", bound="BodyCreateRosterImport")


@_attrs_define
class BodyCreateRosterImport:
    """
    Attributes:
        file (str): The roster: CSV (UTF-8 or GBK) or XLSX
        source (BodyCreateRosterImportSource): poverty_office 扶贫, civil_affairs 民政, medical_insurance 医保
        as_of (datetime.date): The roster's date (名单截止日期), YYYY-MM-DD
    """

    file: str
    source: BodyCreateRosterImportSource
    as_of: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file

        source = self.source.value

        as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "source": source,
                "as_of": as_of,
            }
        )

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", (None, str(self.file).encode(), "text/plain")))

        files.append(("source", (None, str(self.source.value).encode(), "text/plain")))

        files.append(("as_of", (None, self.as_of.isoformat().encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = d.pop("file")

        source = BodyCreateRosterImportSource(d.pop("source"))

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        body_create_roster_import = cls(
            file=file,
            source=source,
            as_of=as_of,
        )

        body_create_roster_import.additional_properties = d
        return body_create_roster_import

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
