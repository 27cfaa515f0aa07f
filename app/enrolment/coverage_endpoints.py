"""Coverage (不漏一人) and gap endpoints (docs/coverage.md): agency
and admin read; a hospital key is 403.

- ``GET /v1/enrolment/coverage``: per county × category, on the roster / enrolled / not / ratio;
- ``GET /v1/enrolment/gaps``: who is not enrolled and why, a page at a time;
- ``GET /v1/enrolment/gaps/export?format=csv|xlsx``: the whole list as a streamed download.

Downloads are operations of their own beside the JSON one, as in the reconciliation endpoints: a
generated client reads one media type per status.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.deps import require
from app.auth.service import Caller
from app.db.session import ReadSessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute
from app.types import ASCII_INT

from . import coverage as service
from .coverage_export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Cell, stream_csv, stream_xlsx
from .coverage_schemas import CoverageOut, GapOut, GapsPageOut

__all__ = [
    "GAP_COLUMNS",
    "MAX_LIMIT",
    "CountyQuery",
    "CursorQuery",
    "ReportCaller",
    "YearQuery",
    "download_responses",
    "gap_cells",
    "router",
    "snapshot",
    "streamed",
]

router = APIRouter(prefix="/v1/enrolment", tags=["enrolment 参保"], route_class=JSONRoute)

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000

ReportCaller = Annotated[Caller, Depends(require("agency", "admin"))]
YearQuery = Annotated[
    int, Query(ge=1990, le=2100, description="Year (年度)", examples=[2018]), ASCII_INT
]
CountyQuery = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{6}$",
        description="One county of the region (县区代码); omit for every county. A county "
        "that is not the region's: 422 unknown_county",
    ),
]
SchemeQuery = Annotated[
    Literal["medical", "pension"],
    Query(description="medical 城乡居民基本医疗保险 (the default), pension 城乡居民基本养老保险"),
]
ReasonQuery = Annotated[
    Literal["deceased", "enrolled_elsewhere", "no_record"] | None,
    Query(description="Only the gaps with this reason; omit for every reason"),
]
CursorQuery = Annotated[
    str | None,
    Query(max_length=512, description="`next_cursor` of the previous page; omit to start"),
]

_UNAVAILABLE = ["query_timeout", "database_unavailable", "shutting_down"]
_422 = ["validation_error", "unknown_county"]
_404 = ["no_enrolment_rules"]
_PROBLEMS = problem_responses(
    401, 403, 404, 422, 503, codes={**AUTH_CODES, 404: _404, 422: _422, 503: _UNAVAILABLE}
)
_PAGE_PROBLEMS = problem_responses(
    401,
    403,
    404,
    422,
    503,
    codes={**AUTH_CODES, 404: _404, 422: [*_422, "invalid_cursor"], 503: _UNAVAILABLE},
)
MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}


def download_responses(*formats: str) -> dict[int | str, dict[str, Any]]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        200: {
            "description": "The file (`Content-Disposition: attachment`), streamed",
            "content": {MEDIA_TYPES[f].split(";")[0]: binary for f in formats},
            "headers": {
                "Content-Disposition": {
                    "description": 'attachment; filename="…" (what the file holds)',
                    "schema": {"type": "string"},
                }
            },
        },
        **_PROBLEMS,
    }


async def snapshot(session: AsyncSession) -> None:
    """Read the whole request in one ``REPEATABLE READ READ ONLY`` snapshot."""
    await session.connection(
        execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    )


def streamed(
    request: Request,
    format: str,
    stem: str,
    title: str,
    header: Sequence[str],
    rows: Callable[[AsyncSession], AsyncIterator[Sequence[Sequence[Cell]]]],
) -> StreamingResponse:
    """A download streamed as it is read. The request's session is closed before a byte is sent
    (``app.db.session``), so the rows are read in a session of the stream's own, in one
    snapshot; the caller has already checked every parameter, so what can still go wrong is
    the database, which cuts the stream (a client sees a truncated file, never a wrong one)."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.read_sessionmaker

    async def batches() -> AsyncIterator[Sequence[Sequence[Cell]]]:
        async with sessionmaker() as session:
            await snapshot(session)
            async for batch in rows(session):
                yield batch

    body = (
        stream_csv(header, batches()) if format == "csv" else stream_xlsx(title, header, batches())
    )
    return StreamingResponse(
        body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{format}"'},
    )


@router.get(
    "/coverage",
    operation_id="getEnrolmentCoverage",
    summary="参保覆盖 Coverage of the roster per county and category",
    responses=_PROBLEMS,
)
async def get_coverage(
    session: ReadSessionDep,
    caller: ReportCaller,
    year: YearQuery,
    county_code: CountyQuery = None,
    scheme: SchemeQuery = "medical",
) -> CoverageOut:
    """不漏一人 (agency, admin): per county × category, the persons on the roster in the year
    (any category period overlapping it, from any source) who are eligible for the scheme
    (medical: every age; pension: the rules' age band), how many are enrolled (medical: a
    `person_enrolments` row for the year; pension: a `pension_enrolments` row), how many not,
    and the ratio (4 decimals, half up; null when nobody is on the roster). Each county also
    has an `all` line counting distinct persons, and `total` adds up every county."""
    await snapshot(session)
    return CoverageOut.of(await service.coverage(session, scheme, year, county_code))


@router.get(
    "/gaps",
    operation_id="listEnrolmentGaps",
    summary="未参保名单 Who on the roster is not enrolled, and why",
    response_model=GapsPageOut,
    responses=_PAGE_PROBLEMS,
)
async def list_gaps(
    session: ReadSessionDep,
    caller: ReportCaller,
    year: YearQuery,
    county_code: CountyQuery = None,
    scheme: SchemeQuery = "medical",
    reason: ReasonQuery = None,
    cursor: CursorQuery = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Page size"), ASCII_INT
    ] = DEFAULT_LIMIT,
) -> GapsPageOut:
    """未参保名单 (agency, admin): the persons counted as not enrolled by `getEnrolmentCoverage`
    (exactly: the roster eligible for the scheme minus the enrolled), one row per person, in
    (county, registry id) order, with the reason: `deceased` (死亡日期 on or before 31 December),
    else `enrolled_elsewhere` (区外参保 for the scheme and year), else `no_record`. ID numbers
    are in clear for admin keys, masked for agency keys. As a file: `exportEnrolmentGaps`."""
    page = await service.gaps_page(session, scheme, year, county_code, reason, cursor, limit)
    return GapsPageOut(
        year=year,
        scheme=scheme,
        county_code=county_code,
        reason=reason,
        items=[GapOut.of(gap, caller.role) for gap in page.items],
        next_cursor=page.next_cursor,
        has_more=page.next_cursor is not None,
    )


GAP_COLUMNS = (
    "县区代码",
    "县区名称",
    "身份证号",
    "人员编号",
    "姓名",
    "人员类别",
    "脱贫标识",
    "死亡日期",
    "未参保原因代码",
    "未参保原因",
    "区外参保地",
)


def gap_cells(gap: GapOut) -> list[Cell]:
    return [
        ("text", gap.county_code),
        ("text", gap.county_name),
        ("text", gap.id_number),
        ("text", gap.psn_no),
        ("text", gap.name),
        ("text", "、".join(gap.category_names)),
        ("text", "是" if gap.exited else "否"),
        ("date", gap.death_date),
        ("text", gap.reason),
        ("text", gap.reason_name),
        ("text", gap.elsewhere_region),
    ]


@router.get(
    "/gaps/export",
    operation_id="exportEnrolmentGaps",
    summary="导出未参保名单 Download the gaps (CSV, XLSX)",
    response_class=StreamingResponse,
    responses=download_responses("csv", "xlsx"),
)
async def export_gaps(
    request: Request,
    session: ReadSessionDep,
    caller: ReportCaller,
    year: YearQuery,
    format: Annotated[
        Literal["csv", "xlsx"], Query(description="`csv` (UTF-8 with a BOM, for Excel) or `xlsx`")
    ],
    county_code: CountyQuery = None,
    scheme: SchemeQuery = "medical",
    reason: ReasonQuery = None,
) -> StreamingResponse:
    """导出未参保名单 (agency, admin): every row of `listEnrolmentGaps` (in its order, ID numbers
    shown as there) as a CSV or XLSX file with Chinese column headers, streamed as it is read:
    any county's list, however long."""
    # Everything that can be refused is refused now, while the answer can still be a problem.
    await service.gaps_page(session, scheme, year, county_code, reason, None, 1)
    role = caller.role

    async def rows(read: AsyncSession) -> AsyncIterator[list[list[Cell]]]:
        async for batch in service.iter_gaps(read, scheme, year, county_code, reason):
            yield [gap_cells(GapOut.of(gap, role)) for gap in batch]

    return streamed(
        request,
        format,
        f"enrolment-gaps-{scheme}-{year}-{county_code or 'all'}",
        "未参保名单",
        GAP_COLUMNS,
        rows,
    )
