"""Registry endpoints (admin writes; any authenticated role reads hospitals and catalogue)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from app.auth.deps import AdminCaller, AnyCaller
from app.db.session import SessionDep
from app.errors import AUTH_CODES, problem_responses
from app.routing import JSONRoute

from . import service
from .schemas import CatalogItemIn, CatalogItemOut, HospitalIn, HospitalOut, PersonIn, PersonOut

router = APIRouter(prefix="/v1", tags=["registries 登记"], route_class=JSONRoute)

Code = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9._-]{1,32}$",
        description="Hospital code (定点医疗机构编码)",
        examples=["H510402001"],
    ),
]
CatalogCode = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9._-]{1,64}$",
        description="Catalogue code (医保目录编码)",
        examples=["XA01"],
    ),
]
IdNumber = Annotated[
    str,
    Path(
        pattern=r"^[0-9]{17}[0-9X]$",
        description="18-digit resident ID number (公民身份号码, GB 11643), checksum verified",
        examples=["510402195001010014"],
    ),
]

_AUTH = AUTH_CODES
_WRITE_ERRORS = problem_responses(
    401,
    403,
    422,
    503,
    codes={
        **_AUTH,
        422: ["validation_error"],
        503: ["commit_failed", "commit_unconfirmed", "shutting_down"],
    },
)


def _read_errors(not_found: str, *invalid: str) -> dict[int | str, dict[str, Any]]:
    return problem_responses(
        401,
        403,
        404,
        422,
        codes={**_AUTH, 404: [not_found], 422: ["validation_error", *invalid]},
    )


def _status(response: Response, created: bool) -> None:
    response.status_code = 201 if created else 200


@router.put(
    "/hospitals/{code}",
    operation_id="putHospital",
    summary="登记医疗机构 Create or replace a hospital",
    responses={201: {"model": HospitalOut, "description": "Created"}, **_WRITE_ERRORS},
)
async def put_hospital(
    code: Code, body: HospitalIn, session: SessionDep, caller: AdminCaller, response: Response
) -> HospitalOut:
    """Create or replace a hospital (定点医疗机构). 201 when created, 200 when replaced."""
    out, created = await service.put_hospital(session, caller, code, body)
    _status(response, created)
    return out


@router.get(
    "/hospitals/{code}",
    operation_id="getHospital",
    summary="查询医疗机构 Read a hospital",
    responses=_read_errors("hospital_not_found"),
)
async def get_hospital(code: Code, session: SessionDep, caller: AnyCaller) -> HospitalOut:
    """A hospital by code; any role may read it."""
    return await service.get_hospital(session, code)


@router.put(
    "/persons/{id_number}",
    operation_id="putPerson",
    summary="登记参保人 Create or replace an insured person",
    responses={
        201: {"model": PersonOut, "description": "Created"},
        **_WRITE_ERRORS,
        **problem_responses(422, codes={422: ["validation_error", "invalid_id_number"]}),
    },
)
async def put_person(
    id_number: IdNumber,
    body: PersonIn,
    session: SessionDep,
    caller: AdminCaller,
    response: Response,
) -> PersonOut:
    """Create or replace a person (参保人) with enrolment years (参保年度) and dated assistance
    categories (建档立卡/低保/特困). 201 when created, 200 when replaced. 422
    ``invalid_id_number`` when the ID number's checksum digit does not match."""
    out, created = await service.put_person(session, caller, id_number, body)
    _status(response, created)
    return out


@router.get(
    "/persons/{id_number}",
    operation_id="getPerson",
    summary="查询参保人 Read an insured person",
    responses=_read_errors("person_not_found"),
)
async def get_person(id_number: IdNumber, session: SessionDep, caller: AdminCaller) -> PersonOut:
    """A person by ID number (admin only: it is personal data)."""
    return await service.get_person(session, id_number)


@router.put(
    "/catalog/{code}",
    operation_id="putCatalogItem",
    summary="登记医保目录 Create or replace a catalogue entry",
    responses={201: {"model": CatalogItemOut, "description": "Created"}, **_WRITE_ERRORS},
)
async def put_catalog_item(
    code: CatalogCode,
    body: CatalogItemIn,
    session: SessionDep,
    caller: AdminCaller,
    response: Response,
) -> CatalogItemOut:
    """Create or replace a catalogue entry (医保目录): grade, 乙类 ratio, price cap, validity."""
    out, created = await service.put_catalog_item(session, caller, code, body)
    _status(response, created)
    return out


@router.get(
    "/catalog/{code}",
    operation_id="getCatalogItem",
    summary="查询医保目录 Read a catalogue entry",
    responses=_read_errors("catalog_item_not_found"),
)
async def get_catalog_item(
    code: CatalogCode, session: SessionDep, caller: AnyCaller
) -> CatalogItemOut:
    """A catalogue entry by code; any role may read it."""
    return await service.get_catalog_item(session, code)
