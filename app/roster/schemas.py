"""Roster import bodies (docs/roster.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, Field

from .models import RosterImport

__all__ = ["ImportList", "ImportOut", "ImportSummary", "RowErrorOut", "Source"]

Source = Literal["poverty_office", "civil_affairs", "medical_insurance"]


class RowErrorOut(BaseModel):
    row: int = Field(description="Row number in the file, 1-based; the header is row 1")
    column: str = Field(
        description="The column's header as the file wrote it", examples=["身份证号"]
    )
    msg: str = Field(description="Why the row was rejected (Chinese)", examples=["校验位不符"])


class ImportSummary(BaseModel):
    """An import's counts (``rows`` = new + changed + unchanged + rejected; ``ended`` counts
    periods of the source that the file no longer lists)."""

    import_id: uuid.UUID
    source: Source = Field(
        description="poverty_office 扶贫, civil_affairs 民政, medical_insurance 医保"
    )
    as_of: dt.date = Field(description="The roster's date (名单截止日期)")
    file_name: str
    file_format: Literal["csv", "xlsx"]
    encoding: str | None = Field(
        description="How the CSV text was read: utf-8, utf-8-sig (with a BOM) or gb18030 "
        "(GBK); null for XLSX"
    )
    sha256: str = Field(description="The file's SHA-256: the same file again is this import")
    rows: int = Field(description="Data rows read (blank rows skipped)")
    new: int = Field(description="Category periods created")
    changed: int = Field(
        description="Periods whose end date or 脱贫 mark changed, or whose person's name, county "
        "or death date changed"
    )
    ended: int = Field(
        description="Periods of this source not in the file, ended at as_of (or withdrawn when "
        "they start after it)"
    )
    unchanged: int
    rejected: int = Field(description="Rows rejected (each listed in errors, up to 1,000)")
    created_at: dt.datetime

    @classmethod
    def fields_of(cls, row: RosterImport, encoding: str | None) -> dict[str, object]:
        return {
            "import_id": row.id,
            "source": row.source,
            "as_of": row.as_of,
            "file_name": row.file_name,
            "file_format": row.file_format,
            "encoding": encoding,
            "sha256": row.sha256,
            "rows": row.rows,
            "new": row.new,
            "changed": row.changed,
            "ended": row.ended,
            "unchanged": row.unchanged,
            "rejected": row.rejected,
            "created_at": row.created_at,
        }


class ImportOut(ImportSummary):
    errors: list[RowErrorOut] = Field(description="The rejected rows' errors, one per bad cell")

    @classmethod
    def of(cls, row: RosterImport, encoding: str | None) -> ImportOut:
        return cls.model_validate({**cls.fields_of(row, encoding), "errors": row.errors})


class ImportList(BaseModel):
    imports: list[ImportSummary] = Field(description="Newest first, at most 200")
