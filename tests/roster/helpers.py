"""Roster test helpers: files written from rows, the upload call, reading periods back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from httpx import AsyncClient, Response
from openpyxl import Workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

ZH = ["身份证号", "姓名", "县区代码", "类别", "起始日期", "终止日期", "脱贫标识", "脱贫年度"]
EN = [
    "id_number",
    "name",
    "county_code",
    "category",
    "valid_from",
    "valid_to",
    "exited",
    "exit_year",
]


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(
    client: AsyncClient,
    data: bytes,
    *,
    source: str,
    as_of: str,
    key: str = "demo-admin",
    name: str = "roster.csv",
) -> Response:
    return await client.post(
        "/v1/roster/imports",
        headers={"Authorization": f"Bearer {key}"},
        data={"source": source, "as_of": as_of},
        files={"file": (name, data, "application/octet-stream")},
    )


async def periods(engine: AsyncEngine, id_number: str) -> list[tuple[Any, ...]]:
    """``(category, valid_from, valid_to, source, exited, exit_year, ended)`` of a person, where
    ``ended`` says whether an import ended the period; sorted."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT c.category, c.valid_from, c.valid_to, c.source, c.exited, c.exit_year,"
                " c.ended_import_id IS NOT NULL FROM person_categories c"
                " JOIN persons p ON p.id = c.person_id WHERE p.id_number = :n"
                " ORDER BY c.source, c.category, c.valid_from"
            ),
            {"n": id_number},
        )
        return [tuple(r) for r in rows]


async def person(engine: AsyncEngine, id_number: str) -> tuple[Any, ...] | None:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT name, county_code, death_date FROM persons WHERE id_number = :n"),
                {"n": id_number},
            )
        ).first()
        return None if row is None else tuple(row)


def d(text_: str) -> dt.date:
    return dt.date.fromisoformat(text_)
