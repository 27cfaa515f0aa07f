"""Files exchanged through the national interface (9101 文件上传, 9102 文件下载): table
``nhsa_files`` (migration 0015).

A hospital uploads a zip with 9101 (``kind = 'upload'``) and names it by its ``file_qury_no`` in
3202, which stores the result zip the same way (``kind = 'result'``) for 9102 to hand back. Each
file belongs to one hospital and is readable for :data:`FILE_TTL` after it was stored
(``dld_endtime`` on the wire); an expired file is refused like an unknown one and stays in the
table (nothing here deletes: a periodic ``DELETE … WHERE expires_at < now()`` may, any time).

``file_qury_no`` is ``F`` + 15 digits from a sequence (at most 30 characters, the wire's C30).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["FILE_QURY_NO", "FILE_TTL", "FileKind", "NhsaFile", "load_file", "store_file"]

FILE_QURY_NO = text("'F' || lpad(nextval('nhsa_file_qury_no_seq')::text, 15, '0')")
FILE_TTL = dt.timedelta(hours=24)  # NHSA.md 9101: "stores a file … for 24 h"

FileKind = Literal["upload", "result"]


class NhsaFile(Base):
    __tablename__ = "nhsa_files"
    __table_args__ = (CheckConstraint("kind IN ('upload', 'result')", name="kind"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    hospital_code: Mapped[str] = mapped_column(ForeignKey("hospitals.code"))
    file_qury_no: Mapped[str] = mapped_column(String(30), unique=True, server_default=FILE_QURY_NO)
    filename: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(8))
    bytes: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)
    expires_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ)


async def store_file(
    session: AsyncSession,
    hospital_code: str,
    filename: str,
    kind: FileKind,
    content: bytes,
    now: dt.datetime,
) -> NhsaFile:
    """Insert a file (flushed, not committed); its ``file_qury_no`` is the database's."""
    row = NhsaFile(
        hospital_code=hospital_code,
        filename=filename,
        kind=kind,
        bytes=content,
        created_at=now,
        expires_at=now + FILE_TTL,
    )
    session.add(row)
    await session.flush()
    await session.refresh(row, ["file_qury_no"])
    return row


async def load_file(
    session: AsyncSession, hospital_code: str, file_qury_no: str, kind: FileKind, now: dt.datetime
) -> NhsaFile | None:
    """The hospital's file of this kind and number, unless it expired; ``None`` otherwise (an
    unknown number, another hospital's file and an expired one are not told apart)."""
    row: NhsaFile | None = await session.scalar(
        select(NhsaFile).where(
            NhsaFile.file_qury_no == file_qury_no,
            NhsaFile.hospital_code == hospital_code,
            NhsaFile.kind == kind,
            NhsaFile.expires_at > now,
        )
    )
    return row
