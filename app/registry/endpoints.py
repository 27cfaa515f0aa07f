"""Registry endpoints (admin writes; any authenticated role reads hospitals and catalogue)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.auth.deps import AdminCaller, AnyCaller
from app.db.session import SessionDep
from app.errors import problem_responses

from . import service
from .schemas import CatalogItemIn, CatalogItemOut, HospitalIn, HospitalOut, PersonIn, PersonOut

router = APIRouter(prefix="/v1", tags=["registries 登记"])

Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,32}$", examples=["H510402001"])]
CatalogCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$", examples=["XA01"])]
IdNumber = Annotated[
    str, Path(pattern=r"^\d{17}[\dX]$", description="18-digit resident ID (GB 11643)")
]

_WRITE_ERRORS = problem_responses(401, 403, 422)
_READ_ERRORS = problem_responses(401, 403, 404)


def _status(response: Response, created: bool) -> None:
    response.status_code = 201 if created else 200


@router.put(
    "/hospitals/{code}",
    operation_id="putHospital",
    responses={201: {"model": HospitalOut}, **_WRITE_ERRORS},
)
async def put_hospital(
    code: Code, body: HospitalIn, session: SessionDep, caller: AdminCaller, response: Response
) -> HospitalOut:
    """Create or replace a hospital (定点医疗机构). 201 when created, 200 when replaced."""
    out, created = await service.put_hospital(session, caller, code, body)
    _status(response, created)
    return out


@router.get("/hospitals/{code}", operation_id="getHospital", responses=_READ_ERRORS)
async def get_hospital(code: Code, session: SessionDep, caller: AnyCaller) -> HospitalOut:
    return await service.get_hospital(session, code)


@router.put(
    "/persons/{id_number}",
    operation_id="putPerson",
    responses={201: {"model": PersonOut}, **_WRITE_ERRORS},
)
async def put_person(
    id_number: IdNumber,
    body: PersonIn,
    session: SessionDep,
    caller: AdminCaller,
    response: Response,
) -> PersonOut:
    """Create or replace a person (参保人) with enrolment years and dated categories."""
    out, created = await service.put_person(session, caller, id_number, body)
    _status(response, created)
    return out


@router.get("/persons/{id_number}", operation_id="getPerson", responses=_READ_ERRORS)
async def get_person(id_number: IdNumber, session: SessionDep, caller: AdminCaller) -> PersonOut:
    return await service.get_person(session, id_number)


@router.put(
    "/catalog/{code}",
    operation_id="putCatalogItem",
    responses={201: {"model": CatalogItemOut}, **_WRITE_ERRORS},
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


@router.get("/catalog/{code}", operation_id="getCatalogItem", responses=_READ_ERRORS)
async def get_catalog_item(
    code: CatalogCode, session: SessionDep, caller: AnyCaller
) -> CatalogItemOut:
    return await service.get_catalog_item(session, code)
