"""Reading a roster file (CSV or XLSX) into checked rows: no database (docs/roster.md).

:func:`read_roster` takes the file's bytes and answers a :class:`Parsed`: the good rows, and one
:class:`RowError` per bad cell of each rejected row (row number 1-based with the header as row 1,
the column as the header was written, a Chinese message). A problem with the file as a whole (not
CSV or XLSX, an encoding that is neither UTF-8 nor GB18030, no header, a required column missing,
too big) raises :class:`FileRefused`, and nothing is imported.

Strict parsing, as at the HTTP edge (app/types.py): ASCII digits, whole-cell matches, dates
``YYYY-MM-DD`` naming a real day (or an XLSX date cell at midnight), ``0``/``1`` for the 脱贫
mark. The only leniency: whitespace around a cell is dropped (exports pad cells), and a row with
every cell blank is skipped (spreadsheets keep formatted empty rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.engine import parse_date
from app.regions import is_county
from app.types import id_number_problem

__all__ = [
    "CATEGORY_WORDS",
    "COLUMNS",
    "MAX_ERRORS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "Column",
    "FileRefused",
    "Parsed",
    "Row",
    "RowError",
    "read_roster",
]

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest file taken (32 MiB): a 100,000-row CSV is about 8 MiB, its XLSX about 4 MiB, so
this leaves room for 200,000 rows with long names; the whole file is held in memory while read."""
MAX_ROWS = 200_000
"""The most data rows in one file: twice the 100,000 the benchmark imports (bench/roster.py),
about the whole region's three rosters together. The rows are held in memory and loaded in one
transaction; a larger roster is split by county."""
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
"""An XLSX (a zip) whose parts unpack to more than this is refused before it is read: a
100,000-row sheet unpacks to about 30 MiB, and a zip bomb would otherwise fill memory."""
MAX_ERRORS = 1000
"""Row errors kept and answered (the ``rejected`` count stays exact beyond it): enough to fix a
file by; a file with more bad rows is better mended as a whole."""
NAME_MAX = 100  # persons.name is VARCHAR(100)

CATEGORY_WORDS: dict[str, str] = {
    "建档立卡": "registered_poor",
    "建档立卡贫困人员": "registered_poor",
    "建档立卡贫困户": "registered_poor",
    "registered_poor": "registered_poor",
    "低保": "dibao",
    "低保对象": "dibao",
    "dibao": "dibao",
    "特困": "tekun",
    "特困人员": "tekun",
    "特困供养": "tekun",
    "特困供养人员": "tekun",
    "tekun": "tekun",
}
"""The 类别 cell: the notice's words (and their usual long forms) or the codes themselves."""

SCHEME_WORDS: dict[str, str] = {
    "medical": "medical",
    "医疗": "medical",
    "医保": "medical",
    "基本医疗保险": "medical",
    "pension": "pension",
    "养老": "pension",
    "养老保险": "pension",
}


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # the English header and the field's name
    names: tuple[str, ...]  # Chinese headers accepted (the first is the one documented)
    required: bool


COLUMNS: tuple[Column, ...] = (
    Column("id_number", ("身份证号", "身份证号码", "公民身份号码"), True),
    Column("name", ("姓名",), True),
    Column("county_code", ("县区代码", "县区划代码", "行政区划代码"), True),
    Column("category", ("类别", "人员类别"), True),
    Column("valid_from", ("起始日期", "开始日期"), True),
    Column("valid_to", ("终止日期", "结束日期"), False),
    Column("exited", ("脱贫标识",), False),
    Column("exit_year", ("脱贫年度",), False),
    Column("death_date", ("死亡日期",), False),
    Column("elsewhere_region", ("区外参保地",), False),
    Column("elsewhere_scheme", ("区外参保险种",), False),
)
_BY_HEADER: dict[str, str] = {
    **{c.key: c.key for c in COLUMNS},
    **{name: c.key for c in COLUMNS for name in c.names},
}


@dataclass(frozen=True, slots=True)
class Row:
    """A good row: one category period of one person, as the source states it."""

    row: int
    id_number: str
    name: str
    county_code: str
    category: str
    valid_from: dt.date
    valid_to: dt.date | None
    exited: bool
    exit_year: int | None
    death_date: dt.date | None
    elsewhere_region: str | None
    elsewhere_scheme: str | None

    def record(self) -> tuple[Any, ...]:
        """The row as the import's staging table takes it (app.roster.service)."""
        return (
            self.row,
            self.id_number,
            self.name,
            self.county_code,
            self.category,
            self.valid_from,
            self.valid_to,
            self.exited,
            self.exit_year,
            self.death_date,
            self.elsewhere_region,
            self.elsewhere_scheme,
        )


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    msg: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "msg": self.msg}


class FileRefused(Exception):
    """The file as a whole cannot be imported: ``code`` is the problem code (app.i18n.catalog),
    ``params`` its template's values, ``detail`` the English text."""

    def __init__(self, detail: str, *, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.params = dict(params or {})


@dataclass(slots=True)
class Parsed:
    file_format: str  # csv | xlsx
    encoding: str | None  # utf-8 | utf-8-sig (with a BOM) | gb18030; None for XLSX
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # at most MAX_ERRORS
    total: int = 0  # data rows read (blank rows not counted)
    rejected: int = 0  # rows rejected (every one, beyond MAX_ERRORS too)
    # The valid ID numbers of rejected rows: their persons' periods of this source are left as
    # they are (neither matched nor ended) by a full import (docs/roster.md).
    held: set[str] = field(default_factory=set)


Progress = Callable[[int, int | None], None]
"""``progress(rows_read, rows_expected_or_None)``, called every few thousand rows."""

_PROGRESS_EVERY = 5000


def read_roster(data: bytes, progress: Progress | None = None) -> Parsed:
    """The file's rows, checked. Raises :class:`FileRefused` for a file-level problem."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            f"The file has {len(data)} bytes; at most {MAX_FILE_BYTES} are taken.",
            code="roster_too_big",
            params={"size": len(data), "max_bytes": MAX_FILE_BYTES},
        )
    if not data.strip():
        raise FileRefused("The file is empty: no header row.", code="roster_no_header")
    if data[:4] == b"PK\x03\x04":
        lines, expected = _xlsx_rows(data)
        parsed = Parsed("xlsx", None)
    else:
        text, encoding = _decode(data)
        lines, expected = _csv_rows(text), max(text.count("\n") - 1, 0) or None
        parsed = Parsed("csv", encoding)
    _read(lines, expected, parsed, progress)
    return parsed


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a BOM dropped) when the bytes are valid UTF-8, else GB18030 (a superset of GBK and
    GB2312, what Chinese Excel writes as "CSV"); anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _not_text(exc, "UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _not_text(exc, "UTF-8 or GB18030/GBK") from None


def _not_text(exc: UnicodeDecodeError, what: str) -> FileRefused:
    return FileRefused(
        f"The file is neither an XLSX workbook nor CSV text in {what} (byte {exc.start}).",
        code="roster_unreadable",
        params={
            "reason": f"不是 XLSX 工作簿，也不是 {what} 编码的 CSV 文本（第 {exc.start} 字节）"
        },
    )


def _csv_rows(text: str) -> Iterator[Sequence[Any]]:
    if "\x00" in text:
        raise FileRefused(
            "The CSV text contains U+0000 (NUL): not a text file.",
            code="roster_unreadable",
            params={"reason": "CSV 文本中含有 U+0000（NUL）字符，不是文本文件"},
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise FileRefused(
            f"The CSV text is malformed at line {reader.line_num}: {exc}.",
            code="roster_unreadable",
            params={"reason": f"CSV 格式错误（第 {reader.line_num} 行：引号不配对或字段格式错误）"},
        ) from None


def _xlsx_rows(data: bytes) -> tuple[Iterator[Sequence[Any]], int | None]:
    # openpyxl is imported here: only an XLSX upload pays for it.
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise FileRefused(
                f"The workbook unpacks to {unpacked} bytes; at most "
                f"{MAX_XLSX_UNPACKED_BYTES} are taken.",
                code="roster_too_big",
                params={"size": unpacked, "max_bytes": MAX_XLSX_UNPACKED_BYTES},
            )
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, zipfile, XML errors)
        raise FileRefused(
            f"The file is not a readable XLSX workbook ({type(exc).__name__}).",
            code="roster_unreadable",
            params={"reason": f"不是可读取的 XLSX 工作簿（{type(exc).__name__}）"},
        ) from None
    if not book.worksheets:
        raise FileRefused("The workbook has no sheet: no header row.", code="roster_no_header")
    sheet = book.worksheets[0]
    expected = sheet.max_row - 1 if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None

    def rows() -> Iterator[Sequence[Any]]:
        try:
            yield from sheet.iter_rows(values_only=True)
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused(
                f"The workbook's first sheet cannot be read ({type(exc).__name__}).",
                code="roster_unreadable",
                params={"reason": f"工作簿的第一个工作表无法读取（{type(exc).__name__}）"},
            ) from None
        finally:
            book.close()

    return rows(), expected


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header(cells: Sequence[Any]) -> tuple[dict[str, int], dict[str, str]]:
    """Column key → index, and key → the header as written."""
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    for i, cell in enumerate(cells):
        if _blank(cell):
            continue
        text = str(cell).strip()
        key = _BY_HEADER.get(text) or _BY_HEADER.get(text.lower())
        if key is None:
            continue  # a column this import does not read (序号, 联系电话 ...): ignored
        if key in index:
            raise FileRefused(
                f"Two columns mean {key}: {written[key]!r} and {text!r}.",
                code="roster_duplicate_column",
                params={"columns": f"{written[key]}、{text}"},
            )
        index[key] = i
        written[key] = text
    missing = [c for c in COLUMNS if c.required and c.key not in index]
    if missing:
        raise FileRefused(
            "The header lacks required columns: " + ", ".join(c.key for c in missing) + ".",
            code="roster_missing_columns",
            params={"columns": "、".join(f"{c.names[0]}（{c.key}）" for c in missing)},
        )
    return index, written


def _read(
    lines: Iterator[Sequence[Any]], expected: int | None, parsed: Parsed, progress: Progress | None
) -> None:
    header: tuple[dict[str, int], dict[str, str]] | None = None
    seen_period: dict[tuple[str, str, dt.date], int] = {}
    seen_person: dict[str, tuple[int, str, str, dt.date | None]] = {}
    for number, cells in enumerate(lines, start=1):
        if header is None:
            if all(_blank(c) for c in cells):
                raise FileRefused(
                    "The first row is blank: it must be the header.", code="roster_no_header"
                )
            header = _header(cells)
            continue
        if all(_blank(c) for c in cells):
            continue
        parsed.total += 1
        if parsed.total > MAX_ROWS:
            raise FileRefused(
                f"The file has more than {MAX_ROWS} rows.",
                code="roster_too_many_rows",
                params={"max_rows": MAX_ROWS},
            )
        index, written = header
        row, errors, id_number = _row(number, cells, index, written)
        if row is not None:
            errors = _against_earlier(row, written, seen_period, seen_person)
        if errors:
            parsed.rejected += 1
            if id_number is not None:
                parsed.held.add(id_number)
            room = MAX_ERRORS - len(parsed.errors)
            parsed.errors.extend(errors[: max(room, 0)])
        elif row is not None:
            parsed.rows.append(row)
        if progress is not None and parsed.total % _PROGRESS_EVERY == 0:
            progress(parsed.total, expected)
    if header is None:
        raise FileRefused("The file is empty: no header row.", code="roster_no_header")
    if parsed.total == 0:
        # A header alone would end every period of the source: far likelier an export gone
        # wrong than a source with nobody left on its roster (docs/roster.md).
        raise FileRefused("The file has a header but no data row.", code="roster_no_rows")
    if progress is not None:
        progress(parsed.total, parsed.total)


def _against_earlier(
    row: Row,
    written: dict[str, str],
    seen_period: dict[tuple[str, str, dt.date], int],
    seen_person: dict[str, tuple[int, str, str, dt.date | None]],
) -> list[RowError]:
    """A row repeating an earlier good row's period, or naming its person differently, is
    rejected (the earlier one stands)."""
    key = (row.id_number, row.category, row.valid_from)
    if (first := seen_period.get(key)) is not None:
        return [
            RowError(
                row.row,
                written["id_number"],
                f"与第 {first} 行重复（同一身份证号、类别和起始日期）",
            )
        ]
    person = seen_person.get(row.id_number)
    if person is not None:
        first, name, county, death = person
        errors = []
        if row.name != name:
            errors.append(RowError(row.row, written["name"], f"与第 {first} 行的姓名不一致"))
        if row.county_code != county:
            errors.append(
                RowError(row.row, written["county_code"], f"与第 {first} 行的县区代码不一致")
            )
        if row.death_date is not None and death is not None and row.death_date != death:
            errors.append(
                RowError(row.row, written["death_date"], f"与第 {first} 行的死亡日期不一致")
            )
        if errors:
            return errors
        if death is None and row.death_date is not None:
            seen_person[row.id_number] = (first, name, county, row.death_date)
    else:
        seen_person[row.id_number] = (row.row, row.name, row.county_code, row.death_date)
    seen_period[key] = row.row
    return []


class _Bad(Exception):
    """A cell's problem, in Chinese."""


_DIGITS6 = re.compile(r"[0-9]{6}")
_YEAR = re.compile(r"[0-9]{4}")


def _text(cell: Any, *, numbers: bool) -> str:
    """A cell as text. ``numbers``: an XLSX integer cell is taken as its digits (a county code
    typed as a number); a fraction, a boolean or a date never is."""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        raise _Bad("须为文本，不能是逻辑值（TRUE/FALSE）")
    if isinstance(cell, int | float) and not numbers:
        raise _Bad("须为文本单元格（数字单元格会丢失位数），请将该列设为文本格式")
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        raise _Bad("须为文本或整数，不能是带小数的数字")
    if isinstance(cell, dt.datetime | dt.date | dt.time | dt.timedelta):
        raise _Bad("须为文本，不能是日期或时间")
    raise _Bad("无法识别的单元格")


def _date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time(0, 0):
            raise _Bad("须为日期，不能带时间")
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = _text(cell, numbers=False)
    try:
        return parse_date(text)
    except ValueError:
        raise _Bad("须为真实存在的日期，格式 YYYY-MM-DD（如 2018-01-01）") from None


def _cell(cells: Sequence[Any], index: dict[str, int], key: str) -> Any:
    i = index.get(key)
    if i is None or i >= len(cells):
        return None
    cell = cells[i]
    return None if _blank(cell) else cell


def _row(
    number: int, cells: Sequence[Any], index: dict[str, int], written: dict[str, str]
) -> tuple[Row | None, list[RowError], str | None]:
    """The row, or its errors; and its ID number when that cell is valid."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def check(key: str, parse: Callable[[Any], Any], *, required: bool = False) -> None:
        cell = _cell(cells, index, key)
        if cell is None:
            if required:
                errors.append(RowError(number, written[key], "必填，不能为空"))
            values[key] = None
            return
        try:
            values[key] = parse(cell)
        except _Bad as bad:
            errors.append(RowError(number, written[key], str(bad)))
            values[key] = None

    check("id_number", _id_number, required=True)
    check("name", _name, required=True)
    check("county_code", _county, required=True)
    check("category", _category, required=True)
    check("valid_from", _date, required=True)
    check("valid_to", _date)
    check("exited", _exited)
    check("exit_year", _exit_year)
    check("death_date", _date)
    check("elsewhere_region", _region)
    check("elsewhere_scheme", _scheme)
    start, end = values["valid_from"], values["valid_to"]
    if start is not None and end is not None and end < start:
        errors.append(RowError(number, written["valid_to"], "终止日期早于起始日期"))
    if values["exit_year"] is not None and values["exited"] is not True:
        errors.append(RowError(number, written["exit_year"], "填写了脱贫年度，但脱贫标识不是 1"))
    if values["elsewhere_scheme"] is not None and values["elsewhere_region"] is None:
        errors.append(
            RowError(number, written["elsewhere_scheme"], "填写了区外参保险种，但未填区外参保地")
        )
    if errors:
        return None, errors, values["id_number"]
    region = values["elsewhere_region"]
    return (
        Row(
            row=number,
            id_number=values["id_number"],
            name=values["name"],
            county_code=values["county_code"],
            category=values["category"],
            valid_from=start,
            valid_to=end,
            exited=bool(values["exited"]),
            exit_year=values["exit_year"],
            death_date=values["death_date"],
            elsewhere_region=region,
            elsewhere_scheme=None if region is None else values["elsewhere_scheme"] or "medical",
        ),
        [],
        values["id_number"],
    )


def _id_number(cell: Any) -> str:
    text = _text(cell, numbers=False)
    problem = id_number_problem(text)
    if problem is None:
        return text
    if len(text) == 18 and text[:17].isascii() and text[:17].isdigit() and text[17] == "x":
        raise _Bad("校验位 X 须为大写")
    if problem.startswith("checksum"):
        raise _Bad("校验位不符（GB 11643）")
    raise _Bad("须为 18 位：17 位数字加 1 位数字或 X")


def _name(cell: Any) -> str:
    text = _text(cell, numbers=False)
    if "\x00" in text:
        raise _Bad("不得包含 U+0000（NUL）字符")
    if len(text) > NAME_MAX:
        raise _Bad(f"最多 {NAME_MAX} 个字符")
    return text


def _county(cell: Any) -> str:
    text = _text(cell, numbers=True)
    if not _DIGITS6.fullmatch(text):
        raise _Bad("须为 6 位数字的县级行政区划代码")
    if not is_county(text):
        raise _Bad(f"{text} 不是本统筹区的县（区）")
    return text


def _category(cell: Any) -> str:
    text = _text(cell, numbers=False)
    code = CATEGORY_WORDS.get(text)
    if code is None:
        raise _Bad("须为 建档立卡、低保、特困 之一（或 registered_poor、dibao、tekun）")
    return code


def _exited(cell: Any) -> bool:
    text = _text(cell, numbers=True)
    if text not in ("0", "1"):
        raise _Bad("须为 0 或 1")
    return text == "1"


def _exit_year(cell: Any) -> int:
    text = _text(cell, numbers=True)
    if not _YEAR.fullmatch(text) or not 1990 <= int(text) <= 2100:
        raise _Bad("须为 4 位数字的年度（1990 至 2100）")
    return int(text)


def _region(cell: Any) -> str:
    text = _text(cell, numbers=True)
    if not _DIGITS6.fullmatch(text):
        raise _Bad("须为 6 位数字的行政区划代码")
    if is_county(text):
        raise _Bad(f"{text} 是本统筹区的县（区），不是区外参保地")
    return text


def _scheme(cell: Any) -> str:
    text = _text(cell, numbers=False)
    code = SCHEME_WORDS.get(text)
    if code is None:
        raise _Bad("须为 medical（医疗）或 pension（养老）")
    return code
