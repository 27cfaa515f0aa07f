"""Registry use cases: upsert and read hospitals, persons and catalogue entries. Never commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ColumnElement, delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.auth.service import Caller
from app.errors import NotFound, Unprocessable
from app.types import id_number_problem, id_number_problem_key, mask_id_number

from .models import CatalogItem, Hospital, Person, PersonCategory, PersonEnrolment
from .schemas import (
    CatalogItemIn,
    CatalogItemOut,
    CategoryOut,
    EnrolmentIn,
    HospitalIn,
    HospitalOut,
    PersonIn,
    PersonOut,
)

__all__ = [
    "get_catalog_item",
    "get_hospital",
    "get_person",
    "put_catalog_item",
    "put_hospital",
    "put_person",
    "validate_id_number",
]


# PostgreSQL's xmax is 0 on a row this statement inserted (not on one ON CONFLICT updated).
_INSERTED: ColumnElement[bool] = literal_column("(xmax = 0)", Boolean)


def validate_id_number(id_number: str, loc: list[str | int]) -> None:
    problem = id_number_problem(id_number)
    if problem is not None:
        raise Unprocessable(
            "Invalid resident ID number.",
            code="invalid_id_number",
            errors=[{"loc": loc, "msg": problem, "key": id_number_problem_key(id_number)}],
        )


async def _upsert(
    session: AsyncSession, model: type, key: dict[str, Any], values: dict[str, Any]
) -> bool:
    """Insert or update one row; True when it was created."""
    stmt = (
        insert(model)
        .values(**key, **values)
        .on_conflict_do_update(
            index_elements=list(key),
            set_={**values, "updated_at": func.now()} if hasattr(model, "updated_at") else values,
        )
        .returning(_INSERTED)
    )
    return bool(await session.scalar(stmt))


async def put_hospital(
    session: AsyncSession, actor: Caller | None, code: str, body: HospitalIn
) -> tuple[HospitalOut, bool]:
    created = await _upsert(session, Hospital, {"code": code}, body.model_dump())
    record(
        session, actor, "hospital.put", "hospital", code, {"created": created, **body.model_dump()}
    )
    return HospitalOut(code=code, **body.model_dump()), created


async def get_hospital(session: AsyncSession, code: str) -> HospitalOut:
    row = await session.get(Hospital, code)
    if row is None:
        raise NotFound(
            f"No hospital {code}.", code="hospital_not_found", params={"hospital_code": code}
        )
    return HospitalOut(
        code=row.code,
        name=row.name,
        level=row.level,  # type: ignore[arg-type]
        county_code=row.county_code,
        designated=row.designated,
    )


async def put_person(
    session: AsyncSession, actor: Caller | None, id_number: str, body: PersonIn
) -> tuple[PersonOut, bool]:
    """Replace the person's record, and the enrolments and categories the admin entered, with the
    body. Category periods a roster import wrote (``source`` not ``manual``) and enrolments a
    confirmed proxy-payment run recorded (``run_id`` set) stay: they have their own source."""
    validate_id_number(id_number, ["path", "id_number"])
    values: dict[str, Any] = {"name": body.name, "county_code": body.county_code}
    if "death_date" in body.model_fields_set:  # absent: a roster's death date stays
        values["death_date"] = body.death_date
    stmt = (
        insert(Person)
        .values(id_number=id_number, **values)
        .on_conflict_do_update(
            index_elements=["id_number"], set_={**values, "updated_at": func.now()}
        )
        .returning(Person.id, _INSERTED)
    )
    person_id, created = (await session.execute(stmt)).one()
    await session.execute(
        delete(PersonEnrolment).where(
            PersonEnrolment.person_id == person_id, PersonEnrolment.run_id.is_(None)
        )
    )
    await session.execute(
        delete(PersonCategory).where(
            PersonCategory.person_id == person_id, PersonCategory.source == "manual"
        )
    )
    if body.enrolments:
        await session.execute(
            insert(PersonEnrolment).on_conflict_do_nothing(),
            [{"person_id": person_id, "year": e.year} for e in body.enrolments],
        )
    if body.categories:
        await session.execute(
            insert(PersonCategory),
            [{"person_id": person_id, **c.model_dump()} for c in body.categories],
        )
    # The audit trail names the person by registry id and masked ID number, never in clear.
    record(
        session,
        actor,
        "person.put",
        "person",
        str(person_id),
        {
            "created": bool(created),
            "id_number": mask_id_number(id_number),
            "county_code": body.county_code,
            "enrolments": [e.year for e in body.enrolments],
            "categories": body.model_dump(mode="json")["categories"],
            **({"death_date": str(body.death_date)} if "death_date" in values else {}),
        },
    )
    return await get_person(session, id_number), bool(created)


async def get_person(session: AsyncSession, id_number: str) -> PersonOut:
    person = await session.scalar(select(Person).where(Person.id_number == id_number))
    if person is None:
        raise NotFound("No person with this ID number.", code="person_not_found")
    years = await session.scalars(
        select(PersonEnrolment.year)
        .where(PersonEnrolment.person_id == person.id)
        .order_by(PersonEnrolment.year)
    )
    categories = await session.scalars(
        select(PersonCategory)
        .where(PersonCategory.person_id == person.id)
        .order_by(PersonCategory.id)
    )
    return PersonOut(
        id_number=person.id_number,
        name=person.name,
        county_code=person.county_code,
        death_date=person.death_date,
        enrolments=[EnrolmentIn(year=y) for y in years],
        categories=[
            CategoryOut(
                category=c.category,  # type: ignore[arg-type]  # CHECK constraint
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                exited=c.exited,
                exit_year=c.exit_year,
                source=c.source,  # type: ignore[arg-type]  # CHECK constraint
                import_id=c.import_id,
            )
            for c in categories
        ],
    )


async def put_catalog_item(
    session: AsyncSession, actor: Caller | None, code: str, body: CatalogItemIn
) -> tuple[CatalogItemOut, bool]:
    values = {
        "name": body.name,
        "grade": body.grade,
        "self_pay_ratio_bp": body.self_pay_ratio,
        "price_cap_e4": body.price_cap,
        "valid_from": body.valid_from,
        "valid_to": body.valid_to,
    }
    created = await _upsert(session, CatalogItem, {"code": code}, values)
    record(
        session,
        actor,
        "catalog.put",
        "catalog_item",
        code,
        {"created": created, **body.model_dump(mode="json")},
    )
    return CatalogItemOut.of(CatalogItem(code=code, **values)), created


async def get_catalog_item(session: AsyncSession, code: str) -> CatalogItemOut:
    item = await session.get(CatalogItem, code)
    if item is None:
        raise NotFound(
            f"No catalogue entry {code}.", code="catalog_item_not_found", params={"code": code}
        )
    return CatalogItemOut.of(item)
