from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.import_summary_file_format import ImportSummaryFileFormat
from ..models.import_summary_source import ImportSummarySource

T = TypeVar("T", bound="ImportSummary")


@_attrs_define
class ImportSummary:
    """An import's counts (``rows`` = new + changed + unchanged + rejected; ``ended`` counts
    periods of the source that the file no longer lists).

        Attributes:
            import_id (UUID):
            source (ImportSummarySource): poverty_office 扶贫, civil_affairs 民政, medical_insurance 医保
            as_of (datetime.date): The roster's date (名单截止日期)
            file_name (str):
            file_format (ImportSummaryFileFormat):
            encoding (None | str): How the CSV text was read: utf-8, utf-8-sig (with a BOM) or gb18030 (GBK); null for XLSX
            sha256 (str): The file's SHA-256: the same file again is this import
            rows (int): Data rows read (blank rows skipped)
            new (int): Category periods created
            changed (int): Periods whose end date or 脱贫 mark changed, or whose person's name, county or death date changed
            ended (int): Periods of this source not in the file, ended at as_of (or withdrawn when they start after it)
            unchanged (int):
            rejected (int): Rows rejected (each listed in errors, up to 1,000)
            created_at (datetime.datetime):
    """

    import_id: UUID
    source: ImportSummarySource
    as_of: datetime.date
    file_name: str
    file_format: ImportSummaryFileFormat
    encoding: None | str
    sha256: str
    rows: int
    new: int
    changed: int
    ended: int
    unchanged: int
    rejected: int
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        import_id = str(self.import_id)

        source = self.source.value

        as_of = self.as_of.isoformat()

        file_name = self.file_name

        file_format = self.file_format.value

        encoding: None | str
        encoding = self.encoding

        sha256 = self.sha256

        rows = self.rows

        new = self.new

        changed = self.changed

        ended = self.ended

        unchanged = self.unchanged

        rejected = self.rejected

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "import_id": import_id,
                "source": source,
                "as_of": as_of,
                "file_name": file_name,
                "file_format": file_format,
                "encoding": encoding,
                "sha256": sha256,
                "rows": rows,
                "new": new,
                "changed": changed,
                "ended": ended,
                "unchanged": unchanged,
                "rejected": rejected,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        import_id = UUID(d.pop("import_id"))

        source = ImportSummarySource(d.pop("source"))

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        file_name = d.pop("file_name")

        file_format = ImportSummaryFileFormat(d.pop("file_format"))

        def _parse_encoding(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        encoding = _parse_encoding(d.pop("encoding"))

        sha256 = d.pop("sha256")

        rows = d.pop("rows")

        new = d.pop("new")

        changed = d.pop("changed")

        ended = d.pop("ended")

        unchanged = d.pop("unchanged")

        rejected = d.pop("rejected")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        import_summary = cls(
            import_id=import_id,
            source=source,
            as_of=as_of,
            file_name=file_name,
            file_format=file_format,
            encoding=encoding,
            sha256=sha256,
            rows=rows,
            new=new,
            changed=changed,
            ended=ended,
            unchanged=unchanged,
            rejected=rejected,
            created_at=created_at,
        )

        import_summary.additional_properties = d
        return import_summary

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
