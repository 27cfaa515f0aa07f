"""Work-injury use cases: record projects, cases and applications, move applications and
recoveries through their states (:mod:`.domain` decides what is allowed), read them back and
sum the ledger. Never commits; every state change queues an audit entry with the commit.

Retry safety (docs/work-injury.md "Retries"): every record that creates money or state has a
natural key (project_no, case_no, one application per case and path, one reminder, one
decision and one recovery per application, repayment_no per recovery). A create is
``INSERT ... ON CONFLICT DO NOTHING``; when the key exists, the same request (same body hash,
or for a repayment the same day and amount) is answered with the stored record and changes
nothing, another is 409. A state change first locks its application (or recovery) row
(``SELECT ... FOR UPDATE``), so two copies of one request run one after the other and the second
sees the first's result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import BigInteger, Integer, cast, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app import clock
from app.audit.service import record
from app.auth.service import Caller
from app.engine.money import BP, div_half_up, format_fen
from app.errors import AppError, Conflict, NotFound, Unprocessable
from app.registry.models import Person, PersonCategory
from app.types import mask_id_number

from . import domain
from .models import (
    WiApplication,
    WiCase,
    WiDecision,
    WiDecisionItem,
    WiProject,
    WiProjectWorker,
    WiRecovery,
    WiReminder,
    WiRepayment,
)
from .rules import RULES, CalendarNotCovered, NoRule, Rules
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    CaseIn,
    CaseOut,
    CaseRowOut,
    DecisionIn,
    DecisionOut,
    EmployerPaymentIn,
    ItemOut,
    ProjectIn,
    ProjectOut,
    RecoveryIn,
    RecoveryOut,
    ReminderIn,
    ReminderOut,
    RepaymentIn,
    RepaymentOut,
    RosterOut,
    WorkInjuryLedgerOut,
    WorkInjuryLedgerRow,
    WriteOffIn,
)

__all__ = [
    "create_application",
    "create_case",
    "create_project",
    "create_recovery",
    "decide",
    "employer_payment",
    "get_case",
    "get_project",
    "ledger",
    "list_cases",
    "remind",
    "repay",
    "write_off",
]


def _hash(body: BaseModel) -> str:
    text = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _refused(refusal: domain.Refused) -> AppError:
    cls = Conflict if refusal.state else Unprocessable
    return cls(refusal.detail, code=refusal.code, errors=refusal.errors, params=refusal.params)


def _retry_conflict(what: str, key: str) -> Conflict:
    return Conflict(
        f"{what} {key} exists with another body; a retry must repeat the request exactly.",
        code="key_reused",
        params={"key": key},
    )


_RULE_NAMES = {"deadline": "期限", "premium rate": "费率", "calendar": "工作日历"}
"""The Chinese name of a kind of rule, for the ``no_rule`` template."""


def _no_rule(error: NoRule | CalendarNotCovered) -> Unprocessable:
    if isinstance(error, CalendarNotCovered):
        return Unprocessable(
            f"The working-day calendar of {error.region} does not cover {error.day}.",
            code="calendar_not_covered",
            params={"region": error.region, "day": error.day.isoformat()},
        )
    return Unprocessable(
        f"No dated {error.what} rule covers {error.day}.",
        code="no_rule",
        params={"what": _RULE_NAMES.get(error.what, error.what), "day": error.day.isoformat()},
    )


async def _person(session: AsyncSession, id_number: str, loc: list[str | int]) -> Person:
    person = await session.scalar(select(Person).where(Person.id_number == id_number))
    if person is None:
        raise Unprocessable(
            "The worker is not in the person registry.",
            code="unknown_person",
            errors=[
                {
                    "loc": loc,
                    "msg": "not in the person registry",
                    "key": "not_in_person_registry",
                    "params": {},
                }
            ],
        )
    return person


# -- projects ------------------------------------------------------------------------------------


async def create_project(
    session: AsyncSession, actor: Caller, body: ProjectIn, rules: Rules = RULES
) -> tuple[ProjectOut, bool]:
    if body.premium_paid_on > body.work_start_on:
        raise Unprocessable(
            "The premium is paid once, before work starts (先参保、再开工).",
            code="premium_after_start",
            errors=[
                {
                    "loc": ["body", "premium_paid_on"],
                    "msg": "after the work-start day",
                    "key": "after_work_start",
                    "params": {},
                }
            ],
        )
    try:
        rate = rules.premium_rate(body.county_code, body.work_start_on)
    except NoRule as error:
        raise _no_rule(error) from None
    people = [
        await _person(session, w.id_number, ["body", "workers", i, "id_number"])
        for i, w in enumerate(body.workers)
    ]
    digest = _hash(body)
    values = body.model_dump(exclude={"workers", "contract_price"})
    premium = rate.premium_fen(body.contract_price)
    project_id = await session.scalar(
        insert(WiProject)
        .values(
            **values,
            contract_price_fen=body.contract_price,
            rate_ppm=rate.rate_ppm,
            rate_source=rate.source[:500],
            premium_fen=premium,
            request_hash=digest,
        )
        .on_conflict_do_nothing(index_elements=["project_no"])
        .returning(WiProject.id)
    )
    if project_id is None:
        existing = await session.scalar(
            select(WiProject).where(WiProject.project_no == body.project_no)
        )
        if existing is None or existing.request_hash != digest:
            raise _retry_conflict("Project", body.project_no)
        return await get_project(session, body.project_no), False
    if people:
        await session.execute(
            insert(WiProjectWorker),
            [
                {
                    "project_id": project_id,
                    "person_id": p.id,
                    "on_from": w.on_from,
                    "on_to": w.on_to,
                }
                for p, w in zip(people, body.workers, strict=True)
            ],
        )
    record(
        session,
        actor,
        "work_injury.project.create",
        "wi_project",
        body.project_no,
        {
            "county_code": body.county_code,
            "contract_price": format_fen(body.contract_price),
            "rate": rate.rate_text,
            "rate_tag": rate.tag,
            "premium": format_fen(premium),
            "workers": len(people),
        },
    )
    return await get_project(session, body.project_no), True


async def get_project(session: AsyncSession, project_no: str) -> ProjectOut:
    project = await session.scalar(select(WiProject).where(WiProject.project_no == project_no))
    if project is None:
        raise NotFound(
            f"No project {project_no}.", code="project_not_found", params={"key": project_no}
        )
    rows = (
        await session.execute(
            select(Person.id_number, WiProjectWorker.on_from, WiProjectWorker.on_to)
            .join(Person, Person.id == WiProjectWorker.person_id)
            .where(WiProjectWorker.project_id == project.id)
            .order_by(WiProjectWorker.on_from, Person.id)
        )
    ).all()
    return ProjectOut(
        project_no=project.project_no,
        name=project.name,
        county_code=project.county_code,
        contractor_name=project.contractor_name,
        contractor_code=project.contractor_code,
        contract_price=project.contract_price_fen,
        rate=f"{project.rate_ppm / 1_000_000:.6f}".rstrip("0"),
        rate_source=project.rate_source,
        premium=project.premium_fen,
        premium_paid_on=project.premium_paid_on,
        work_start_on=project.work_start_on,
        cover_from=project.cover_from,
        cover_to=project.cover_to,
        workers=[RosterOut(id_number=mask_id_number(n), on_from=f, on_to=t) for n, f, t in rows],
    )


# -- cases ---------------------------------------------------------------------------------------


async def _poor_category(
    session: AsyncSession, person_id: int, day: dt.date, rules: Rules
) -> str | None:
    """The first of the rules' poor categories valid on ``day`` for the person, or None."""
    rows = await session.scalars(
        select(PersonCategory.category).where(
            PersonCategory.person_id == person_id,
            PersonCategory.category.in_(rules.poor_categories),
            PersonCategory.valid_from <= day,
            (PersonCategory.valid_to.is_(None)) | (PersonCategory.valid_to >= day),
        )
    )
    found = set(rows)
    return next((c for c in rules.poor_categories if c in found), None)


async def create_case(
    session: AsyncSession, actor: Caller, body: CaseIn, rules: Rules = RULES
) -> tuple[CaseOut, bool]:
    person = await _person(session, body.id_number, ["body", "id_number"])
    project_id: int | None = None
    insured = body.employer_insured
    if body.project_no is not None:
        project = await session.scalar(
            select(WiProject).where(WiProject.project_no == body.project_no)
        )
        if project is None:
            raise Unprocessable(
                f"No project {body.project_no}.",
                code="unknown_project",
                errors=[
                    {
                        "loc": ["body", "project_no"],
                        "msg": "no such project",
                        "key": "unknown_project_no",
                        "params": {},
                    }
                ],
            )
        project_id = project.id
        on_roster = await session.scalar(
            select(func.count())
            .select_from(WiProjectWorker)
            .where(
                WiProjectWorker.project_id == project.id,
                WiProjectWorker.person_id == person.id,
                WiProjectWorker.on_from <= body.injury_date,
                (WiProjectWorker.on_to.is_(None)) | (WiProjectWorker.on_to >= body.injury_date),
            )
        )
        insured = bool(on_roster) and project.cover_from <= body.injury_date <= project.cover_to
    category = await _poor_category(session, person.id, body.injury_date, rules)
    digest = _hash(body)
    values = body.model_dump(exclude={"id_number", "project_no", "employer_insured"})
    case_id = await session.scalar(
        insert(WiCase)
        .values(
            **values,
            person_id=person.id,
            project_id=project_id,
            employer_insured=bool(insured),
            poor_worker=category is not None,
            poor_category=category,
            request_hash=digest,
        )
        .on_conflict_do_nothing(index_elements=["case_no"])
        .returning(WiCase.id)
    )
    if case_id is None:
        existing = await session.scalar(select(WiCase).where(WiCase.case_no == body.case_no))
        if existing is None or existing.request_hash != digest:
            raise _retry_conflict("Case", body.case_no)
        return await get_case(session, body.case_no), False
    record(
        session,
        actor,
        "work_injury.case.create",
        "wi_case",
        body.case_no,
        {
            "person_id": person.id,
            "id_number": mask_id_number(body.id_number),
            "county_code": body.county_code,
            "project_no": body.project_no,
            "injury_date": body.injury_date.isoformat(),
            "employer_insured": bool(insured),
            "third_party_liable": body.third_party_liable,
            "poor_worker": category is not None,
            "poor_category": category,
        },
    )
    return await get_case(session, body.case_no), True


async def _case_row(session: AsyncSession, case_no: str) -> WiCase:
    case = await session.scalar(select(WiCase).where(WiCase.case_no == case_no))
    if case is None:
        raise NotFound(f"No case {case_no}.", code="case_not_found", params={"key": case_no})
    return case


def _items_out(amounts: dict[str, int], rules: Rules) -> list[ItemOut]:
    return [
        ItemOut(item_code=c, name=rules.items[c].name if c in rules.items else c, amount=a)
        for c, a in amounts.items()
    ]


async def _recovery_out(session: AsyncSession, recovery: WiRecovery, today: dt.date) -> RecoveryOut:
    repayments = (
        await session.scalars(
            select(WiRepayment)
            .where(WiRepayment.recovery_id == recovery.id)
            .order_by(WiRepayment.paid_on, WiRepayment.id)
        )
    ).all()
    outstanding = recovery.amount_fen - recovery.repaid_fen - recovery.written_off_fen
    return RecoveryOut(
        id=recovery.id,
        debtor=recovery.debtor,
        debtor_name=recovery.debtor_name,
        ordered_on=recovery.ordered_on,
        due_on=recovery.due_on,
        amount=recovery.amount_fen,
        repaid=recovery.repaid_fen,
        written_off=recovery.written_off_fen,
        outstanding=outstanding,
        status=domain.recovery_status(recovery.status, recovery.due_on, outstanding, today),
        written_off_on=recovery.written_off_on,
        approval_ref=recovery.write_off_ref,
        repayments=[
            RepaymentOut(repayment_no=r.repayment_no, paid_on=r.paid_on, amount=r.amount_fen)
            for r in repayments
        ],
    )


async def _application_out(
    session: AsyncSession, application: WiApplication, case_no: str, rules: Rules
) -> ApplicationOut:
    today = clock.today()
    reminder = await session.get(WiReminder, application.id)
    decision = await session.scalar(
        select(WiDecision).where(WiDecision.application_id == application.id)
    )
    decision_out = None
    if decision is not None:
        items = (
            await session.execute(
                select(WiDecisionItem.item_code, WiDecisionItem.amount_fen)
                .where(WiDecisionItem.decision_id == decision.id)
                .order_by(WiDecisionItem.item_code)
            )
        ).all()
        decision_out = DecisionOut(
            decision=decision.decision,
            decided_on=decision.decided_on,
            reason=decision.reason,
            items=_items_out({c: a for c, a in items}, rules),
            total=decision.total_fen,
            yb_refund=decision.yb_refund_fen,
            to_worker=decision.total_fen - decision.yb_refund_fen,
        )
    recovery = await session.scalar(
        select(WiRecovery).where(WiRecovery.application_id == application.id)
    )
    return ApplicationOut(
        id=application.id,
        case_no=case_no,
        path=application.path,
        trigger=application.trigger,
        applicant=application.applicant,
        applied_on=application.applied_on,
        claims=_items_out(dict(application.claims), rules),
        claimed=application.claimed_fen,
        yb_advance=application.yb_advance_fen,
        reminder_needed=application.reminder_needed,
        reminder_due_on=application.reminder_due_on,
        status=application.status,
        reminder=None
        if reminder is None
        else ReminderOut(
            sent_on=reminder.sent_on,
            late=reminder.late,
            employer_due_on=reminder.employer_due_on,
            employer_paid=reminder.employer_paid_fen,
            employer_paid_on=reminder.employer_paid_on,
        ),
        decision=decision_out,
        recovery=None if recovery is None else await _recovery_out(session, recovery, today),
    )


async def get_case(session: AsyncSession, case_no: str, rules: Rules = RULES) -> CaseOut:
    case = await _case_row(session, case_no)
    person = await session.get(Person, case.person_id)
    assert person is not None  # a foreign key
    project_no = None
    if case.project_id is not None:
        project_no = await session.scalar(
            select(WiProject.project_no).where(WiProject.id == case.project_id)
        )
    applications = (
        await session.scalars(
            select(WiApplication).where(WiApplication.case_id == case.id).order_by(WiApplication.id)
        )
    ).all()
    outs = [await _application_out(session, a, case.case_no, rules) for a in applications]
    advanced = sum(a.decision.total for a in outs if a.decision and a.decision.decision == "pay")
    recovered = sum(a.recovery.repaid for a in outs if a.recovery)
    written_off = sum(a.recovery.written_off for a in outs if a.recovery)
    is_open = any(a.status in ("applied", "reminded") for a in outs) or (
        advanced - recovered - written_off > 0
    )
    return CaseOut(
        case_no=case.case_no,
        id_number=mask_id_number(person.id_number),
        name=person.name,
        county_code=case.county_code,
        employer_name=case.employer_name,
        employer_code=case.employer_code,
        project_no=project_no,
        injury_date=case.injury_date,
        recognition_no=case.recognition_no,
        recognition_date=case.recognition_date,
        third_party_liable=case.third_party_liable,
        employer_insured=case.employer_insured,
        poor_worker=case.poor_worker,
        poor_category=case.poor_category,
        open=is_open,
        advanced=advanced,
        recovered=recovered,
        written_off=written_off,
        outstanding=advanced - recovered - written_off,
        applications=outs,
    )


async def list_cases(
    session: AsyncSession, county_code: str | None, limit: int
) -> list[CaseRowOut]:
    """The newest cases (optionally of one county) with their money as of today."""
    sums = _case_sums(clock.today()).subquery()
    stmt = (
        select(
            WiCase.case_no,
            WiCase.county_code,
            WiCase.injury_date,
            WiCase.employer_name,
            WiCase.poor_worker,
            Person.name,
            sums,
        )
        .join(Person, Person.id == WiCase.person_id)
        .join(sums, sums.c.case_id == WiCase.id)
        .order_by(WiCase.id.desc())
        .limit(limit)
    )
    if county_code is not None:
        stmt = stmt.where(WiCase.county_code == county_code)
    rows = []
    for row in await session.execute(stmt):
        outstanding = row.advanced - row.recovered - row.written_off
        rows.append(
            CaseRowOut(
                case_no=row.case_no,
                county_code=row.county_code,
                injury_date=row.injury_date,
                employer_name=row.employer_name,
                name=row.name,
                poor_worker=row.poor_worker,
                advanced=row.advanced,
                recovered=row.recovered,
                written_off=row.written_off,
                outstanding=outstanding,
                overdue=row.overdue,
                open=row.undecided > 0 or outstanding > 0,
            )
        )
    return rows


# -- applications --------------------------------------------------------------------------------


async def create_application(
    session: AsyncSession, actor: Caller, case_no: str, body: ApplicationIn, rules: Rules = RULES
) -> tuple[ApplicationOut, bool]:
    case = await _case_row(session, case_no)
    # Lock the case: two copies of one application run one after the other.
    await session.execute(select(WiCase.id).where(WiCase.id == case.id).with_for_update())
    if body.applied_on < case.recognition_date:
        raise Unprocessable(
            "An application follows the 工伤认定 decision (15号令 arts. 4, 6).",
            code="applied_before_recognition",
            errors=[
                {
                    "loc": ["body", "applied_on"],
                    "msg": "before the recognition date",
                    "key": "before_recognition",
                    "params": {},
                }
            ],
        )
    for i, claim in enumerate(body.claims):
        if claim.item_code not in rules.items:
            raise Unprocessable(
                f"No benefit item {claim.item_code}.",
                code="unknown_item",
                errors=[
                    {
                        "loc": ["body", "claims", i, "item_code"],
                        "msg": "not a benefit item of the rules",
                        "key": "unknown_benefit_item",
                        "params": {"item_code": claim.item_code},
                    }
                ],
                params={"item_code": claim.item_code},
            )
    try:
        domain.check_path(
            body.path,
            body.trigger,
            employer_insured=case.employer_insured,
            third_party_liable=case.third_party_liable,
        )
    except domain.Refused as refusal:
        raise _refused(refusal) from None
    needed = domain.needs_reminder(body.path, case.employer_insured)
    due = None
    if needed:
        try:
            rule = rules.deadline_rule(body.applied_on)
            due = rules.calendar(case.county_code).add_working_days(
                body.applied_on, rule.reminder_working_days
            )
        except (NoRule, CalendarNotCovered) as error:
            raise _no_rule(error) from None
    claims = {c.item_code: c.amount for c in body.claims}
    digest = _hash(body)
    application_id = await session.scalar(
        insert(WiApplication)
        .values(
            case_id=case.id,
            path=body.path,
            trigger=body.trigger,
            applicant=body.applicant,
            applied_on=body.applied_on,
            claims=claims,
            claimed_fen=sum(claims.values()),
            yb_advance_fen=body.yb_advance,
            reminder_needed=needed,
            reminder_due_on=due,
            status="applied",
            request_hash=digest,
        )
        .on_conflict_do_nothing(index_elements=["case_id", "path"])
        .returning(WiApplication.id)
    )
    if application_id is None:
        existing = await session.scalar(
            select(WiApplication).where(
                WiApplication.case_id == case.id, WiApplication.path == body.path
            )
        )
        if existing is None or existing.request_hash != digest:
            raise _retry_conflict("Application", f"{case_no}/{body.path}")
        return await _application_out(session, existing, case_no, rules), False
    record(
        session,
        actor,
        "work_injury.application.create",
        "wi_application",
        str(application_id),
        {
            "case_no": case_no,
            "path": body.path,
            "trigger": body.trigger,
            "applied_on": body.applied_on.isoformat(),
            "claimed": format_fen(sum(claims.values())),
            "reminder_due_on": None if due is None else due.isoformat(),
        },
    )
    application = await session.get(WiApplication, application_id)
    assert application is not None
    return await _application_out(session, application, case_no, rules), True


async def _locked(session: AsyncSession, application_id: int) -> tuple[WiApplication, WiCase]:
    application = await session.scalar(
        select(WiApplication)
        .where(WiApplication.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if application is None:
        raise NotFound(
            f"No application {application_id}.",
            code="application_not_found",
            params={"key": application_id},
        )
    case = await session.get(WiCase, application.case_id)
    assert case is not None
    return application, case


async def remind(
    session: AsyncSession,
    actor: Caller,
    application_id: int,
    body: ReminderIn,
    rules: Rules = RULES,
) -> tuple[ApplicationOut, bool]:
    application, case = await _locked(session, application_id)
    existing = await session.get(WiReminder, application.id)
    if existing is not None:
        if existing.sent_on != body.sent_on:
            raise _retry_conflict("Reminder of application", str(application_id))
        return await _application_out(session, application, case.case_no, rules), False
    try:
        domain.check_remind(application.status, application.reminder_needed)
    except domain.Refused as refusal:
        raise _refused(refusal) from None
    if body.sent_on < application.applied_on:
        raise Unprocessable(
            "A reminder cannot precede the application.",
            code="date_before_application",
            errors=[
                {
                    "loc": ["body", "sent_on"],
                    "msg": "before the application day",
                    "key": "before_application",
                    "params": {},
                }
            ],
        )
    try:
        rule = rules.deadline_rule(body.sent_on)
        employer_due = rules.calendar(case.county_code).add_working_days(
            body.sent_on, rule.employer_pay_working_days
        )
    except (NoRule, CalendarNotCovered) as error:
        raise _no_rule(error) from None
    late = application.reminder_due_on is not None and body.sent_on > application.reminder_due_on
    session.add(
        WiReminder(
            application_id=application.id,
            sent_on=body.sent_on,
            late=late,
            employer_due_on=employer_due,
            employer_paid_fen=0,
        )
    )
    application.status = "reminded"
    await session.flush()
    record(
        session,
        actor,
        "work_injury.application.remind",
        "wi_application",
        str(application.id),
        {
            "sent_on": body.sent_on.isoformat(),
            "late": late,
            "employer_due_on": employer_due.isoformat(),
        },
    )
    return await _application_out(session, application, case.case_no, rules), True


async def employer_payment(
    session: AsyncSession,
    actor: Caller,
    application_id: int,
    body: EmployerPaymentIn,
    rules: Rules = RULES,
) -> tuple[ApplicationOut, bool]:
    """The employer's total payment so far (a total, so repeating it changes nothing)."""
    application, case = await _locked(session, application_id)
    reminder = await session.get(WiReminder, application.id)
    if (
        reminder is not None
        and reminder.employer_paid_fen == body.amount
        and reminder.employer_paid_on == body.paid_on
    ):
        return await _application_out(session, application, case.case_no, rules), False
    try:
        status = domain.employer_payment_status(
            application.status, application.claimed_fen, body.amount
        )
    except domain.Refused as refusal:
        raise _refused(refusal) from None
    assert reminder is not None  # status reminded
    if body.amount < reminder.employer_paid_fen or body.paid_on < reminder.sent_on:
        raise Unprocessable(
            "The employer's total cannot go down, nor be paid before the reminder.",
            code="employer_payment_invalid",
            errors=[
                {
                    "loc": ["body", "amount"],
                    "msg": "below the total recorded, or paid before the reminder",
                    "key": "payment_goes_back",
                    "params": {},
                }
            ],
        )
    reminder.employer_paid_fen = body.amount
    reminder.employer_paid_on = body.paid_on
    application.status = status
    await session.flush()
    record(
        session,
        actor,
        "work_injury.application.employer_payment",
        "wi_application",
        str(application.id),
        {"paid_on": body.paid_on.isoformat(), "amount": format_fen(body.amount), "status": status},
    )
    return await _application_out(session, application, case.case_no, rules), True


async def decide(
    session: AsyncSession,
    actor: Caller,
    application_id: int,
    body: DecisionIn,
    rules: Rules = RULES,
) -> tuple[ApplicationOut, bool]:
    application, case = await _locked(session, application_id)
    digest = _hash(body)
    existing = await session.scalar(
        select(WiDecision).where(WiDecision.application_id == application.id)
    )
    if existing is not None:
        if existing.request_hash != digest:
            raise _retry_conflict("Decision of application", str(application_id))
        return await _application_out(session, application, case.case_no, rules), False
    if body.decided_on < application.applied_on:
        raise Unprocessable(
            "A decision cannot precede the application.",
            code="date_before_application",
            errors=[
                {
                    "loc": ["body", "decided_on"],
                    "msg": "before the application day",
                    "key": "before_application",
                    "params": {},
                }
            ],
        )
    reminder = await session.get(WiReminder, application.id)
    paid_by_employer = reminder.employer_paid_fen if reminder else 0
    try:
        if body.decision == "refuse":
            domain.check_refuse(application.status)
            amounts = domain.Amounts({}, 0, 0, 0)
        else:
            domain.check_decide(
                application.status,
                application.reminder_needed,
                body.decided_on,
                reminder.employer_due_on if reminder else None,
                paid_by_employer,
                application.claimed_fen,
            )
            amounts = domain.decide_amounts(
                {i.item_code: i.amount for i in body.items},
                dict(application.claims),
                rules.items,
                application.path,
                application.yb_advance_fen,
                paid_by_employer,
            )
    except domain.Refused as refusal:
        raise _refused(refusal) from None
    decision_id = await session.scalar(
        insert(WiDecision)
        .values(
            application_id=application.id,
            decision=body.decision,
            decided_on=body.decided_on,
            reason=body.reason,
            total_fen=amounts.total_fen,
            yb_refund_fen=amounts.yb_refund_fen,
            request_hash=digest,
        )
        .returning(WiDecision.id)
    )
    if amounts.items:
        await session.execute(
            insert(WiDecisionItem),
            [
                {"decision_id": decision_id, "item_code": c, "amount_fen": a}
                for c, a in amounts.items.items()
            ],
        )
    application.status = "paid" if body.decision == "pay" else "refused"
    await session.flush()
    record(
        session,
        actor,
        f"work_injury.application.{body.decision}",
        "wi_application",
        str(application.id),
        {
            "case_no": case.case_no,
            "decided_on": body.decided_on.isoformat(),
            "reason": body.reason,
            "items": {c: format_fen(a) for c, a in amounts.items.items()},
            "total": format_fen(amounts.total_fen),
            "yb_refund": format_fen(amounts.yb_refund_fen),
        },
    )
    return await _application_out(session, application, case.case_no, rules), True


# -- recoveries ----------------------------------------------------------------------------------


async def create_recovery(
    session: AsyncSession,
    actor: Caller,
    application_id: int,
    body: RecoveryIn,
    rules: Rules = RULES,
) -> tuple[ApplicationOut, bool]:
    application, case = await _locked(session, application_id)
    digest = _hash(body)
    existing = await session.scalar(
        select(WiRecovery).where(WiRecovery.application_id == application.id)
    )
    if existing is not None:
        if existing.request_hash != digest:
            raise _retry_conflict("Recovery of application", str(application_id))
        return await _application_out(session, application, case.case_no, rules), False
    decision = await session.scalar(
        select(WiDecision).where(WiDecision.application_id == application.id)
    )
    try:
        domain.check_recovery(
            application.status,
            body.ordered_on,
            decision.decided_on if decision else body.ordered_on,
        )
        allowed = domain.allowed_debtors(application.path, case.employer_insured)
        if body.debtor not in allowed:
            raise domain.Refused(
                f"On this path the debtor is one of {', '.join(allowed)}.",
                code="debtor_not_liable",
                errors=[
                    {
                        "loc": ["body", "debtor"],
                        "msg": "not liable on this path",
                        "key": "not_liable",
                    }
                ],
            )
    except domain.Refused as refusal:
        raise _refused(refusal) from None
    assert decision is not None  # status paid
    try:
        rule = rules.deadline_rule(body.ordered_on)
        due = rules.calendar(case.county_code).add_days(
            body.ordered_on, rule.repayment_days, roll=rule.repayment_rolls_past_rest_day
        )
    except (NoRule, CalendarNotCovered) as error:
        raise _no_rule(error) from None
    recovery_id = await session.scalar(
        insert(WiRecovery)
        .values(
            application_id=application.id,
            debtor=body.debtor,
            debtor_name=body.debtor_name,
            ordered_on=body.ordered_on,
            due_on=due,
            amount_fen=decision.total_fen,
            repaid_fen=0,
            written_off_fen=0,
            status="open",
            request_hash=digest,
        )
        .returning(WiRecovery.id)
    )
    record(
        session,
        actor,
        "work_injury.recovery.create",
        "wi_recovery",
        str(recovery_id),
        {
            "application_id": application.id,
            "debtor": body.debtor,
            "ordered_on": body.ordered_on.isoformat(),
            "due_on": due.isoformat(),
            "amount": format_fen(decision.total_fen),
        },
    )
    return await _application_out(session, application, case.case_no, rules), True


async def _locked_recovery(
    session: AsyncSession, recovery_id: int
) -> tuple[WiRecovery, domain.Recovery]:
    recovery = await session.scalar(
        select(WiRecovery)
        .where(WiRecovery.id == recovery_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if recovery is None:
        raise NotFound(
            f"No recovery {recovery_id}.", code="recovery_not_found", params={"key": recovery_id}
        )
    rows = await session.scalars(select(WiRepayment).where(WiRepayment.recovery_id == recovery.id))
    state = domain.Recovery(
        amount_fen=recovery.amount_fen,
        ordered_on=recovery.ordered_on,
        due_on=recovery.due_on,
        repayments={r.repayment_no: (r.paid_on, r.amount_fen) for r in rows},
        written_off_fen=recovery.written_off_fen,
        written_off_on=recovery.written_off_on,
    )
    return recovery, state


def _store(recovery: WiRecovery, state: domain.Recovery) -> None:
    recovery.repaid_fen = state.repaid_fen
    recovery.written_off_fen = state.written_off_fen
    recovery.written_off_on = state.written_off_on
    recovery.status = state.status


async def repay(
    session: AsyncSession, actor: Caller, recovery_id: int, body: RepaymentIn
) -> tuple[RecoveryOut, bool]:
    recovery, state = await _locked_recovery(session, recovery_id)
    try:
        after, created = state.repay(body.repayment_no, body.paid_on, body.amount)
    except domain.Refused as refusal:
        raise _refused(refusal) from None
    if created:
        session.add(
            WiRepayment(
                recovery_id=recovery.id,
                repayment_no=body.repayment_no,
                paid_on=body.paid_on,
                amount_fen=body.amount,
            )
        )
        _store(recovery, after)
        await session.flush()
        record(
            session,
            actor,
            "work_injury.recovery.repay",
            "wi_recovery",
            str(recovery.id),
            {
                "repayment_no": body.repayment_no,
                "paid_on": body.paid_on.isoformat(),
                "amount": format_fen(body.amount),
                "outstanding": format_fen(after.outstanding_fen),
                "status": after.status,
            },
        )
    return await _recovery_out(session, recovery, clock.today()), created


async def write_off(
    session: AsyncSession, actor: Caller, recovery_id: int, body: WriteOffIn
) -> tuple[RecoveryOut, bool]:
    recovery, state = await _locked_recovery(session, recovery_id)
    if recovery.status == "written_off" and recovery.write_off_ref != body.approval_ref:
        raise _retry_conflict("Write-off of recovery", str(recovery_id))
    try:
        after, created = state.write_off(body.written_off_on)
    except domain.Refused as refusal:
        raise _refused(refusal) from None
    if created:
        written = after.written_off_fen
        _store(recovery, after)
        recovery.write_off_ref = body.approval_ref
        await session.flush()
        record(
            session,
            actor,
            "work_injury.recovery.write_off",
            "wi_recovery",
            str(recovery.id),
            {
                "written_off_on": body.written_off_on.isoformat(),
                "approval_ref": body.approval_ref,
                "amount": format_fen(written),
            },
        )
    return await _recovery_out(session, recovery, clock.today()), created


# -- the ledger ----------------------------------------------------------------------------------


def _fen_sum(column: Any) -> Any:
    """``SUM`` of a BIGINT column is NUMERIC in PostgreSQL: cast back to BIGINT (the sums of
    fen fit: app.bounds), 0 for no rows."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def _case_sums(as_of: dt.date) -> Any:
    """Per case, as of the end of ``as_of``: advanced, recovered, written off, the overdue
    outstanding, and how many applications are undecided (open). Set-based: each figure is one
    ``GROUP BY case_id`` over its table, joined to the cases, so the cost grows with the rows and
    never with rows × cases whatever the planner's statistics say."""
    d, r, p, a = WiDecision, WiRecovery, WiRepayment, WiApplication
    advanced = (
        select(a.case_id, _fen_sum(d.total_fen).label("s"))
        .join(a, a.id == d.application_id)
        .where(d.decision == "pay", d.decided_on <= as_of)
        .group_by(a.case_id)
        .subquery()
    )
    recovered = (
        select(a.case_id, _fen_sum(p.amount_fen).label("s"))
        .join(r, r.id == p.recovery_id)
        .join(a, a.id == r.application_id)
        .where(p.paid_on <= as_of)
        .group_by(a.case_id)
        .subquery()
    )
    written_off = (
        select(a.case_id, _fen_sum(r.written_off_fen).label("s"))
        .join(a, a.id == r.application_id)
        .where(r.written_off_on <= as_of)
        .group_by(a.case_id)
        .subquery()
    )
    repaid_by = (
        select(p.recovery_id, _fen_sum(p.amount_fen).label("s"))
        .where(p.paid_on <= as_of)
        .group_by(p.recovery_id)
        .subquery()
    )
    overdue = (
        select(a.case_id, _fen_sum(r.amount_fen - func.coalesce(repaid_by.c.s, 0)).label("s"))
        .join(a, a.id == r.application_id)
        .outerjoin(repaid_by, repaid_by.c.recovery_id == r.id)
        .where(
            r.due_on < as_of,
            r.ordered_on <= as_of,
            (r.written_off_on.is_(None)) | (r.written_off_on > as_of),
        )
        .group_by(a.case_id)
        .subquery()
    )
    undecided = (
        select(a.case_id, func.count().label("s"))
        .outerjoin(d, d.application_id == a.id)
        .outerjoin(WiReminder, WiReminder.application_id == a.id)
        .where(
            a.applied_on <= as_of,
            (d.id.is_(None)) | (d.decided_on > as_of),
            ~((a.status == "employer_paid") & (WiReminder.employer_paid_on <= as_of)),
        )
        .group_by(a.case_id)
        .subquery()
    )
    figures = {
        "advanced": advanced,
        "recovered": recovered,
        "written_off": written_off,
        "overdue": overdue,
        "undecided": undecided,
    }
    stmt = select(
        WiCase.id.label("case_id"),
        *(cast(func.coalesce(q.c.s, 0), BigInteger).label(name) for name, q in figures.items()),
    )
    for q in figures.values():
        stmt = stmt.outerjoin(q, q.c.case_id == WiCase.id)
    return stmt


async def ledger(
    session: AsyncSession, as_of: dt.date, county_code: str | None
) -> WorkInjuryLedgerOut:
    """The ledger: summed in SQL per county and poor-worker mark (at most two rows a county),
    then per county and in total here."""
    sums = _case_sums(as_of).subquery()
    outstanding = sums.c.advanced - sums.c.recovered - sums.c.written_off
    is_open = or_(sums.c.undecided > 0, outstanding > 0)
    stmt = (
        select(
            WiCase.county_code,
            WiCase.poor_worker,
            func.count().label("cases"),
            _fen_sum(cast(is_open, Integer)).label("open_cases"),
            _fen_sum(sums.c.advanced).label("advanced"),
            _fen_sum(sums.c.recovered).label("recovered"),
            _fen_sum(sums.c.written_off).label("written_off"),
            _fen_sum(sums.c.overdue).label("overdue"),
        )
        .join(sums, sums.c.case_id == WiCase.id)
        .where(WiCase.injury_date <= as_of)  # a case counts from its injury day
        .group_by(WiCase.county_code, WiCase.poor_worker)
    )
    if county_code is not None:
        stmt = stmt.where(WiCase.county_code == county_code)
    fields = (
        "cases",
        "open_cases",
        "poor_cases",
        "advanced",
        "recovered",
        "outstanding",
        "overdue",
        "written_off",
        "poor_advanced",
    )
    counties: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(fields, 0)
    for row in await session.execute(stmt):
        figures = {
            "cases": row.cases,
            "open_cases": row.open_cases,
            "poor_cases": row.cases if row.poor_worker else 0,
            "advanced": row.advanced,
            "recovered": row.recovered,
            "outstanding": row.advanced - row.recovered - row.written_off,
            "overdue": row.overdue,
            "written_off": row.written_off,
            "poor_advanced": row.advanced if row.poor_worker else 0,
        }
        bucket = counties.setdefault(row.county_code, dict.fromkeys(fields, 0))
        for name, value in figures.items():
            bucket[name] += value
            total[name] += value
    return WorkInjuryLedgerOut(
        as_of=as_of,
        rows=[_ledger_row(code, counties[code]) for code in sorted(counties)],
        total=_ledger_row("合计", total),
    )


def _ledger_row(county_code: str, figures: dict[str, int]) -> WorkInjuryLedgerRow:
    share = (
        div_half_up(figures["poor_advanced"] * BP, figures["advanced"])
        if figures["advanced"]
        else None
    )
    return WorkInjuryLedgerRow(county_code=county_code, poor_share=share, **figures)


def item_names(rules: Rules = RULES) -> Sequence[tuple[str, str, str]]:
    """(code, name, payer) of every benefit item, for the pages."""
    return [(i.code, i.name, i.payer) for i in rules.items.values()]
