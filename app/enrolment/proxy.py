"""Proxy-payment runs (代缴/资助参保): who on a county's roster the government pays for in a
scheme and year, how much, and who pays which share (docs/enrolment.md).

A run is computed from the roster (``app.roster.membership.on_roster``), the age band
(``app.enrolment.rules.eligible_for``) and the rules' covered categories, then stored with its
lines and shares. People are skipped when they died by the year's end (``deceased``), are
outside the age band (``not_eligible``), are enrolled outside the region (``enrolled_elsewhere``)
or already enrolled for the scheme and year by a confirmed run (``already_enrolled``); a person
whose categories no rule covers (or only a 脱贫-marked one the rules exclude) is ``not_covered``.

The line of a person is the pure function :func:`line_for` of the rules, the categories and the
top-up. Its shares add up to its contribution, each above 0 (an ``ensure``).

Confirming recomputes the run from today's roster and rules and refuses it (409 ``run_stale``)
when the fingerprint differs; it records the enrolments with the run's id and is idempotent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, exists, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.auth.service import Caller
from app.engine.money import ensure, format_fen
from app.errors import Conflict, NotFound, Unprocessable
from app.regions import is_county
from app.registry.models import ExternalEnrolment, PensionEnrolment, Person, PersonEnrolment
from app.roster.membership import on_roster, year_bounds
from app.types import mask_id_number

from . import rules as rules_module
from .models import ProxyPaymentLine, ProxyPaymentRun, ProxyPaymentShare
from .rules import SELF, THIRD_PARTY, SchemeRules, eligible_for

__all__ = [
    "SKIP_REASONS",
    "Candidate",
    "Computed",
    "Line",
    "StoredLine",
    "TopUp",
    "TopUpProblem",
    "compute",
    "confirm_run",
    "create_run",
    "fingerprint",
    "get_run",
    "line_for",
    "list_runs",
    "payer_totals",
]

SKIP_REASONS = ("deceased", "not_eligible", "enrolled_elsewhere", "already_enrolled", "not_covered")

# The tables, for Core executemany (the ORM's bulk insert costs twice as much at 20,000 lines).
_LINES = cast(Table, ProxyPaymentLine.__table__)
_SHARES = cast(Table, ProxyPaymentShare.__table__)
_PENSION = cast(Table, PensionEnrolment.__table__)

EXCESS_NOTICE = (
    "第三方资助超出最高缴费档次（{highest}元）的{refused}元未计入；"
    "本人可自愿选择参加城镇职工基本养老保险（攀人社发〔2018〕195号一(二)）"
)


@dataclass(frozen=True, slots=True)
class TopUp:
    """A pension top-up of one person: their own payment and a third party's, in fen."""

    self_fen: int = 0
    third_party_fen: int = 0
    third_party_name: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    categories: dict[str, bool]  # category held in the year -> its 脱贫 mark


@dataclass(frozen=True, slots=True)
class Line:
    person_id: int
    category: str
    contribution_fen: int
    tier_fen: int | None
    subsidy_fen: int | None
    refused_fen: int
    third_party_name: str | None
    notice: str | None
    shares: tuple[tuple[str, int], ...]  # (payer, amount_fen), amount > 0, in payer order


class TopUpProblem(Exception):
    """A pension top-up the rules refuse: ``field`` (``self`` or ``third_party``) and the
    ``errors[]`` item (its ``loc`` filled in by the caller, which knows the top-up's index)."""

    def __init__(self, field: str, item: dict[str, Any]) -> None:
        self.field, self.item = field, item
        super().__init__(item["msg"])


def covered(rules: SchemeRules, categories: dict[str, bool]) -> set[str]:
    """The held categories the rules pay for: in the rules, and not 脱贫-marked unless the rules
    include the 脱贫 (``include_tuopin_in_subsidy`` / ``include_tuopin_in_daijiao``)."""
    allowed, tuopin = rules.categories, rules.include_tuopin
    return {c for c, exited in categories.items() if c in allowed and (tuopin or not exited)}


def _shares(*pairs: tuple[str, int]) -> tuple[tuple[str, int], ...]:
    merged: dict[str, int] = {}
    for payer, amount in pairs:
        ensure(amount >= 0, f"share of {payer} is negative: {amount}")
        merged[payer] = merged.get(payer, 0) + amount
    return tuple((p, a) for p, a in merged.items() if a > 0)


def line_for(rules: SchemeRules, candidate: Candidate, top_up: TopUp | None = None) -> Line | None:
    """The line of one person, or ``None`` when no rule covers their categories. Raises
    :class:`TopUpProblem` for a pension top-up the rules refuse."""
    held = covered(rules, candidate.categories)
    if not held:
        return None
    if rules.medical is not None:
        medical = rules.medical
        rule = medical.rule_for(held)
        assert rule is not None
        contribution = medical.contribution_fen
        subsidy = rule.subsidy_fen(contribution)
        line = Line(
            person_id=candidate.person_id,
            category=rule.category,
            contribution_fen=contribution,
            tier_fen=None,
            subsidy_fen=None,
            refused_fen=0,
            third_party_name=None,
            notice=None,
            shares=_shares((rule.payer, subsidy), (SELF, contribution - subsidy)),
        )
    else:
        pension = rules.pension
        assert pension is not None
        category = next(c for c in pension.daijiao_categories if c in held)
        top = top_up or TopUp()
        gov = pension.daijiao_fen
        room = pension.highest_tier_fen - gov - top.self_fen
        if room < 0:
            raise TopUpProblem(
                "self",
                {
                    "loc": [],
                    "msg": f"the 代缴 {format_fen(gov)} plus this {format_fen(top.self_fen)} is "
                    f"above the highest tier {format_fen(pension.highest_tier_fen)}",
                    "key": "over_highest_tier",
                    "params": {
                        "gov": format_fen(gov),
                        "amount": format_fen(top.self_fen),
                        "highest": format_fen(pension.highest_tier_fen),
                    },
                },
            )
        third = min(top.third_party_fen, room)
        refused = top.third_party_fen - third
        total = gov + top.self_fen + third
        tier = pension.tier_of(total)
        if tier is None:
            tiers = ", ".join(format_fen(t) for t in pension.tiers_fen)
            raise TopUpProblem(
                "self" if top.self_fen else "third_party",
                {
                    "loc": [],
                    "msg": f"the stacked total {format_fen(total)} is not a tier ({tiers})",
                    "key": "not_a_tier",
                    "params": {"total": format_fen(total), "tiers": tiers},
                },
            )
        notice = (
            EXCESS_NOTICE.format(
                highest=format_fen(pension.highest_tier_fen), refused=format_fen(refused)
            )
            if refused
            else None
        )
        line = Line(
            person_id=candidate.person_id,
            category=category,
            contribution_fen=total,
            tier_fen=tier,
            subsidy_fen=pension.subsidy_by_tier[tier],
            refused_fen=refused,
            third_party_name=top.third_party_name if third else None,
            notice=notice,
            shares=_shares(
                (pension.daijiao_payer, gov), (SELF, top.self_fen), (THIRD_PARTY, third)
            ),
        )
    ensure(
        sum(a for _, a in line.shares) == line.contribution_fen,
        f"shares of person {line.person_id} do not add up to the contribution",
    )
    return line


def fingerprint(rules_sha256: str, lines: Iterable[Line]) -> str:
    """SHA-256 over what a run computed: the rules' hash and every line, by person."""
    body = {
        "rules": rules_sha256,
        "lines": [
            [
                ln.person_id,
                ln.category,
                ln.contribution_fen,
                ln.tier_fen,
                ln.subsidy_fen,
                ln.refused_fen,
                ln.third_party_name,
                [list(s) for s in ln.shares],
            ]
            for ln in sorted(lines, key=lambda ln: ln.person_id)
        ],
    }
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)  # lists: no key order
    return hashlib.sha256(text.encode()).hexdigest()


# --- the roster side ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Computed:
    lines: list[Line]
    skipped: dict[str, int]
    persons: dict[int, tuple[str, str]]  # person id -> (id_number, name), of every candidate
    problems: list[tuple[int, TopUpProblem]]  # (person id, problem) of refused top-ups


_Row = tuple[int, str, str, dt.date | None, bool, bool, dict[str, bool]]


async def _candidates(session: AsyncSession, rules: SchemeRules, county_code: str) -> list[_Row]:
    """Per roster person of the county: id, ID number, name, death date, enrolled elsewhere,
    already enrolled by a run, and the categories held in the year with their 脱贫 marks."""
    roster = on_roster(rules.year, county_code).subquery()
    if rules.scheme == "medical":
        enrolled = exists().where(
            PersonEnrolment.person_id == roster.c.person_id,
            PersonEnrolment.year == rules.year,
            PersonEnrolment.run_id.is_not(None),
        )
    else:
        enrolled = exists().where(
            PensionEnrolment.person_id == roster.c.person_id,
            PensionEnrolment.year == rules.year,
        )
    elsewhere = exists().where(
        ExternalEnrolment.person_id == roster.c.person_id,
        ExternalEnrolment.scheme == rules.scheme,
        ExternalEnrolment.year == rules.year,
    )
    query = (
        select(
            roster.c.person_id,
            Person.id_number,
            Person.name,
            Person.death_date,
            elsewhere.label("elsewhere"),
            enrolled.label("enrolled"),
            roster.c.category,
            roster.c.exited,
        )
        .join(Person, Person.id == roster.c.person_id)
        .order_by(roster.c.person_id)
    )
    people: dict[int, _Row] = {}
    for pid, id_number, name, death, out, done, category, exited in await session.execute(query):
        if pid not in people:
            people[pid] = (pid, id_number, name, death, bool(out), bool(done), {})
        people[pid][6][category] = bool(exited)
    return list(people.values())


def _eligible(rules: SchemeRules, id_number: str) -> bool:
    try:
        return eligible_for(rules.scheme, rules.year, id_number)
    except ValueError:  # digits 7-14 are not a date (the checksum alone does not say)
        return False


async def compute(
    session: AsyncSession,
    rules: SchemeRules,
    county_code: str,
    top_ups: dict[int, TopUp],
) -> Computed:
    """The run's lines for ``county_code`` as the roster stands now."""
    people = await _candidates(session, rules, county_code)
    _, last = year_bounds(rules.year)
    skipped = dict.fromkeys(SKIP_REASONS, 0)
    lines: list[Line] = []
    problems: list[tuple[int, TopUpProblem]] = []
    persons: dict[int, tuple[str, str]] = {}
    for pid, id_number, name, death, elsewhere, enrolled, categories in people:
        persons[pid] = (id_number, name)
        if death is not None and death <= last:
            skipped["deceased"] += 1
        elif not _eligible(rules, id_number):
            skipped["not_eligible"] += 1
        elif elsewhere:
            skipped["enrolled_elsewhere"] += 1
        elif enrolled:
            skipped["already_enrolled"] += 1
        else:
            try:
                line = line_for(rules, Candidate(pid, categories), top_ups.get(pid))
            except TopUpProblem as problem:
                problems.append((pid, problem))
                continue
            if line is None:
                skipped["not_covered"] += 1
            else:
                lines.append(line)
    return Computed(lines, skipped, persons, problems)


# --- runs -----------------------------------------------------------------------------------


def _rules(scheme: str, year: int) -> SchemeRules:
    return rules_module.rules_for(scheme, year)


def _check_county(county_code: str, loc: Sequence[str | int]) -> None:
    if not is_county(county_code):
        raise Unprocessable(
            f"{county_code} is not a county of the region",
            code="unknown_county",
            params={"county_code": county_code},
            errors=[
                {
                    "loc": list(loc),
                    "msg": "not a county of the region",
                    "key": "not_a_county",
                }
            ],
        )


_NOT_IN_RUN = {
    "loc": [],
    "msg": "not a person of this run (not on the county's roster for the scheme and year, "
    "or skipped)",
    "key": "top_up_not_in_run",
}


def _at(index: int, field: str, item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "loc": ["body", "top_ups", index, field]}


async def create_run(
    session: AsyncSession,
    caller: Caller | None,
    scheme: str,
    year: int,
    county_code: str,
    top_ups: Sequence[tuple[str, int, int, str | None]],
) -> uuid.UUID:
    """Compute and store a run; its id. ``top_ups``: ``(id_number, self_fen, third_party_fen,
    third_party_name)`` in request order."""
    _check_county(county_code, ["body", "county_code"])
    rules = _rules(scheme, year)
    if scheme == "medical" and top_ups:
        raise Unprocessable(
            "top_ups are for the pension only",
            code="invalid_top_ups",
            errors=[
                {
                    "loc": ["body", "top_ups"],
                    "msg": "the medical contribution has no tiers to top up",
                    "key": "top_up_medical",
                }
            ],
        )
    errors: list[dict[str, Any]] = []
    by_person: dict[int, TopUp] = {}
    index_of: dict[int, int] = {}
    if top_ups:
        numbers = {t[0] for t in top_ups}
        found = dict(
            (
                await session.execute(
                    select(Person.id_number, Person.id).where(Person.id_number.in_(numbers))
                )
            ).all()
        )
        seen: dict[str, int] = {}
        for i, (number, self_fen, third_fen, third_name) in enumerate(top_ups):
            if number in seen:
                errors.append(
                    _at(
                        i,
                        "id_number",
                        {
                            "loc": [],
                            "msg": f"the same person as top_ups[{seen[number]}]",
                            "key": "top_up_twice",
                            "params": {"first": seen[number]},
                        },
                    )
                )
                continue
            seen[number] = i
            pid = found.get(number)
            if pid is None:
                errors.append(_at(i, "id_number", _NOT_IN_RUN))
                continue
            if third_fen == 0 and third_name:
                errors.append(
                    _at(
                        i,
                        "third_party_name",
                        {
                            "loc": [],
                            "msg": "a third party's name needs a third_party amount",
                            "key": "third_party_name_without_amount",
                        },
                    )
                )
                continue
            by_person[pid] = TopUp(self_fen, third_fen, third_name or None)
            index_of[pid] = i
    computed = await compute(session, rules, county_code, by_person)
    in_run = {ln.person_id for ln in computed.lines} | {pid for pid, _ in computed.problems}
    for pid, problem in computed.problems:
        errors.append(_at(index_of[pid], problem.field, problem.item))
    for pid, i in index_of.items():
        if pid not in in_run:
            errors.append(_at(i, "id_number", _NOT_IN_RUN))
    if errors:
        errors.sort(key=lambda e: (e["loc"][2], str(e["loc"][3])))
        raise Unprocessable(
            f"{len(errors)} top-up(s) refused", code="invalid_top_ups", errors=errors
        )
    run_id = uuid.uuid4()
    lines = computed.lines
    stored_top_ups = [
        {
            "person_id": pid,
            "self_fen": t.self_fen,
            "third_party_fen": t.third_party_fen,
            "third_party_name": t.third_party_name,
        }
        for pid, t in sorted(by_person.items())
    ]
    run = ProxyPaymentRun(
        id=run_id,
        scheme=scheme,
        year=year,
        county_code=county_code,
        status="computed",
        rules_sha256=rules.sha256,
        input_sha256=fingerprint(rules.sha256, lines),
        persons=len(lines),
        contribution_fen=sum(ln.contribution_fen for ln in lines),
        subsidy_fen=sum(ln.subsidy_fen or 0 for ln in lines),
        top_ups=stored_top_ups,
        skipped=computed.skipped,
        key_id=caller.key_id if caller else None,
    )
    session.add(run)
    await session.flush()
    if lines:
        await session.execute(
            insert(_LINES),
            [
                {
                    "run_id": run_id,
                    "person_id": ln.person_id,
                    "category": ln.category,
                    "contribution_fen": ln.contribution_fen,
                    "tier_fen": ln.tier_fen,
                    "subsidy_fen": ln.subsidy_fen,
                    "refused_fen": ln.refused_fen,
                    "third_party_name": ln.third_party_name,
                    "notice": ln.notice,
                }
                for ln in lines
            ],
        )
        await session.execute(
            insert(_SHARES),
            [
                {"run_id": run_id, "person_id": ln.person_id, "payer": p, "amount_fen": a}
                for ln in lines
                for p, a in ln.shares
            ],
        )
    record(
        session,
        caller,
        "proxy_run.create",
        "proxy_payment_run",
        str(run_id),
        {
            "scheme": scheme,
            "year": year,
            "county_code": county_code,
            "rules_sha256": rules.sha256,
            "persons": len(lines),
            "contribution": format_fen(run.contribution_fen),
            "top_ups": len(stored_top_ups),
            "skipped": computed.skipped,
        },
    )
    return run_id


async def _run(
    session: AsyncSession, run_id: uuid.UUID, *, lock: bool = False, fresh: bool = False
) -> ProxyPaymentRun:
    query = select(ProxyPaymentRun).where(ProxyPaymentRun.id == run_id)
    if lock:
        query = query.with_for_update()
    if lock or fresh:
        query = query.execution_options(populate_existing=True)
    run = (await session.execute(query)).scalar_one_or_none()
    if run is None:
        raise NotFound(f"no proxy-payment run {run_id}", code="proxy_run_not_found")
    return run


async def confirm_run(session: AsyncSession, caller: Caller | None, run_id: uuid.UUID) -> None:
    """Record the run's enrolments. A confirmed run again: nothing more. Refused (409) when
    another run of the scheme, year and county is confirmed (``run_already_confirmed``) or when
    the roster or the rules have changed what the run would compute (``run_stale``)."""
    run = await _run(session, run_id)
    if run.status == "confirmed":
        return
    # One confirm at a time per scheme and year (across counties: a person who moved counties
    # could be on two counties' runs), then read the run again under the lock.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"proxy-run:{run.scheme}:{run.year}"},
    )
    run = await _run(session, run_id, lock=True)
    if run.status == "confirmed":
        return
    other = await session.scalar(
        select(ProxyPaymentRun.id).where(
            ProxyPaymentRun.scheme == run.scheme,
            ProxyPaymentRun.year == run.year,
            ProxyPaymentRun.county_code == run.county_code,
            ProxyPaymentRun.status == "confirmed",
        )
    )
    if other is not None:
        raise Conflict(
            f"run {other} of {run.scheme} {run.year} in {run.county_code} is already confirmed",
            code="run_already_confirmed",
            params={"other": str(other)},
        )
    stale_detail = "the roster or the rules changed since the run was computed; compute a new run"
    try:
        rules = _rules(run.scheme, run.year)
    except NotFound:
        raise Conflict(stale_detail, code="run_stale") from None
    top_ups = {
        int(t["person_id"]): TopUp(
            int(t["self_fen"]), int(t["third_party_fen"]), t.get("third_party_name")
        )
        for t in run.top_ups
    }
    computed = await compute(session, rules, run.county_code, top_ups)
    if (
        rules.sha256 != run.rules_sha256
        or computed.problems
        or fingerprint(rules.sha256, computed.lines) != run.input_sha256
    ):
        raise Conflict(stale_detail, code="run_stale")
    lines = computed.lines
    adopted = 0
    if run.scheme == "medical" and lines:
        ids = [ln.person_id for ln in lines]
        adopted = len(
            (
                await session.execute(
                    update(PersonEnrolment)
                    .where(
                        PersonEnrolment.person_id.in_(ids),
                        PersonEnrolment.year == run.year,
                        PersonEnrolment.run_id.is_(None),
                    )
                    .values(run_id=run.id)
                    .returning(PersonEnrolment.person_id)
                )
            ).all()
        )
        # Everyone else of the run: a new enrolment recorded by the run (the recomputation
        # above found none enrolled by another run, under the lock).
        await session.execute(
            pg_insert(PersonEnrolment).on_conflict_do_nothing(),
            [{"person_id": pid, "year": run.year, "run_id": run.id} for pid in ids],
        )
    elif lines:
        await session.execute(
            insert(_PENSION),
            [
                {
                    "person_id": ln.person_id,
                    "year": run.year,
                    "tier_fen": ln.tier_fen,
                    "subsidy_fen": ln.subsidy_fen,
                    "run_id": run.id,
                }
                for ln in lines
            ],
        )
    await session.execute(
        update(ProxyPaymentRun)
        .where(ProxyPaymentRun.id == run.id)
        .values(
            status="confirmed",
            confirmed_at=func.now(),
            confirmed_key_id=caller.key_id if caller else None,
        )
    )
    record(
        session,
        caller,
        "proxy_run.confirm",
        "proxy_payment_run",
        str(run.id),
        {
            "scheme": run.scheme,
            "year": run.year,
            "county_code": run.county_code,
            "persons": run.persons,
            "contribution": format_fen(run.contribution_fen),
            "adopted_manual_enrolments": adopted,
        },
    )


@dataclass(frozen=True, slots=True)
class StoredLine:
    id_number: str
    name: str
    line: Line


async def get_run(
    session: AsyncSession, run_id: uuid.UUID
) -> tuple[ProxyPaymentRun, list[StoredLine]]:
    """A run and its lines (ordered by ID number) with their shares."""
    run = await _run(session, run_id, fresh=True)
    shares: dict[int, list[tuple[str, int]]] = {}
    for pid, payer, amount in await session.execute(
        select(ProxyPaymentShare.person_id, ProxyPaymentShare.payer, ProxyPaymentShare.amount_fen)
        .where(ProxyPaymentShare.run_id == run_id)
        .order_by(ProxyPaymentShare.person_id, ProxyPaymentShare.payer)
    ):
        shares.setdefault(pid, []).append((payer, amount))
    line = ProxyPaymentLine
    rows = await session.execute(
        select(
            line.person_id,
            line.category,
            line.contribution_fen,
            line.tier_fen,
            line.subsidy_fen,
            line.refused_fen,
            line.third_party_name,
            line.notice,
            Person.id_number,
            Person.name,
        )
        .join(Person, Person.id == line.person_id)
        .where(line.run_id == run_id)
        .order_by(Person.id_number)
    )
    lines = [
        StoredLine(
            mask_id_number(number),
            name,
            Line(
                pid,
                category,
                contribution,
                tier,
                subsidy,
                refused,
                third,
                notice,
                tuple(shares.get(pid, ())),
            ),
        )
        for pid, category, contribution, tier, subsidy, refused, third, notice, number, name in rows
    ]
    return run, lines


async def list_runs(
    session: AsyncSession,
    *,
    year: int | None = None,
    county_code: str | None = None,
    scheme: str | None = None,
    limit: int = 200,
) -> list[ProxyPaymentRun]:
    """Runs, newest first, optionally of one year, county and scheme."""
    query = select(ProxyPaymentRun).order_by(ProxyPaymentRun.created_at.desc(), ProxyPaymentRun.id)
    if year is not None:
        query = query.where(ProxyPaymentRun.year == year)
    if county_code is not None:
        query = query.where(ProxyPaymentRun.county_code == county_code)
    if scheme is not None:
        query = query.where(ProxyPaymentRun.scheme == scheme)
    return list((await session.execute(query.limit(limit))).scalars())


def payer_totals(lines: Iterable[Line]) -> dict[str, int]:
    """Σ shares per payer over ``lines`` (payer code -> fen), in first-seen order."""
    totals: dict[str, int] = {}
    for ln in lines:
        for payer, amount in ln.shares:
            totals[payer] = totals.get(payer, 0) + amount
    return totals
