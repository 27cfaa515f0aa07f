"""The dated rules of work-injury advance payment, read from ``policies/work_injury/`` (data, not
code): deadlines (人社部令第15号 arts. 5, 7, 13), premium rates of project-based enrolment, the
benefit items and who pays each (社会保险法 arts. 38-39), which registry categories make a
"poor worker", and a working-day calendar per region (statutory rest days and adjusted working
days of the State Council's notices).

Read once at start (``app.work_injury`` is imported when the app is built, so a broken file stops
it starting); every number keeps the ``source`` and ``tag`` of its file. docs/work-injury.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.engine.money import div_half_up, parse_scaled
from app.policy.loader import POLICY_DIR

__all__ = [
    "CALENDAR_DIR",
    "RATE_SCALE",
    "RULES",
    "RULES_PATH",
    "Calendar",
    "CalendarNotCovered",
    "DeadlineRule",
    "Item",
    "NoRule",
    "PremiumRate",
    "Rules",
    "load_rules",
]

WORK_INJURY_DIR = POLICY_DIR / "work_injury"
RULES_PATH = WORK_INJURY_DIR / "rules.yaml"
CALENDAR_DIR = WORK_INJURY_DIR / "calendar"
RATE_SCALE = 1_000_000  # premium rates in parts per million: "0.00066" is 660
TAGS = ("V", "V-2nd", "R", "A")
CATEGORIES = ("registered_poor", "dibao", "tekun")  # ck_person_categories_category
PAYERS = ("fund", "employer")


class NoRule(LookupError):
    """No dated rule covers the day (or region) asked about."""

    def __init__(self, what: str, day: dt.date, region: str | None = None) -> None:
        super().__init__(
            f"no {what} rule for {day.isoformat()}" + (f" in {region}" if region else "")
        )
        self.what, self.day, self.region = what, day, region


class CalendarNotCovered(LookupError):
    """The working-day calendar does not reach the day a deadline needs."""

    def __init__(self, region: str, day: dt.date) -> None:
        super().__init__(f"the {region} calendar does not cover {day.isoformat()}")
        self.region, self.day = region, day


def _fail(where: str, problem: str) -> ValueError:
    return ValueError(f"policies/work_injury {where}: {problem}")


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(where, f"{value!r} is not a date YYYY-MM-DD")


def _optional_date(value: Any, where: str) -> dt.date | None:
    return None if value is None else _date(value, where)


def _sourced(node: Any, where: str) -> dict[str, Any]:
    if not isinstance(node, dict) or "value" not in node:
        raise _fail(where, "needs a value")
    _check_source(node, where)
    return node


def _check_source(node: dict[str, Any], where: str) -> None:
    if not isinstance(node.get("source"), str) or not node["source"].strip():
        raise _fail(where, "needs a source")
    if node.get("tag") not in TAGS:
        raise _fail(where, f"tag must be one of {', '.join(TAGS)}")


def _whole(node: Any, where: str) -> int:
    value = _sourced(node, where)["value"]
    if type(value) is not int or value < 0:
        raise _fail(where, "must be a whole number of days")
    return value


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    valid_from: dt.date
    valid_to: dt.date | None
    reminder_working_days: int
    employer_pay_working_days: int
    repayment_days: int
    repayment_rolls_past_rest_day: bool
    source: str

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class PremiumRate:
    region: str
    valid_from: dt.date
    valid_to: dt.date | None
    rate_ppm: int
    rate_text: str
    source: str
    tag: str

    def premium_fen(self, contract_price_fen: int) -> int:
        """``round(contract price × rate)`` to the fen, half up."""
        return div_half_up(contract_price_fen * self.rate_ppm, RATE_SCALE)


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    name: str
    payer: str  # fund (社会保险法 art. 38) or employer (art. 39)
    third_party: bool  # advanced on the third-party paths (art. 42: medical costs only)
    source: str
    tag: str

    @property
    def fund_payable(self) -> bool:
        return self.payer == "fund"


@dataclass(frozen=True, slots=True)
class Calendar:
    region: str
    covers_from: dt.date
    covers_to: dt.date
    rest_days: frozenset[dt.date]
    working_days: frozenset[dt.date]

    def is_working_day(self, day: dt.date) -> bool:
        if not self.covers_from <= day <= self.covers_to:
            raise CalendarNotCovered(self.region, day)
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.rest_days

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted: the day
        an application arrives is day 0)."""
        day, counted = start, 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def add_days(self, start: dt.date, days: int, *, roll: bool) -> dt.date:
        """``start`` + ``days`` calendar days; with ``roll``, a last day that is a rest day moves
        to the next working day."""
        day = start + dt.timedelta(days=days)
        while roll and not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day


def _calendar(path: Path) -> Calendar:
    where = path.name
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("region"), str):
        raise _fail(where, "needs a region")
    if path.stem != document["region"]:
        raise _fail(where, "the file name must be the region")
    covers_from = _date(document.get("covers_from"), f"{where} covers_from")
    covers_to = _date(document.get("covers_to"), f"{where} covers_to")
    rest: set[dt.date] = set()
    working: set[dt.date] = set()
    for n, notice in enumerate(document.get("notices") or []):
        at = f"{where} notices[{n}]"
        if not isinstance(notice, dict) or not notice.get("id"):
            raise _fail(at, "needs an id")
        _check_source(notice, at)
        for period in notice.get("rest_days") or []:
            first = _date(period.get("from"), f"{at} rest_days")
            last = _date(period.get("to"), f"{at} rest_days")
            if last < first:
                raise _fail(at, f"rest days {first} to {last} are out of order")
            day = first
            while day <= last:
                rest.add(day)
                day += dt.timedelta(days=1)
        for entry in notice.get("working_days") or []:
            day = _date(entry.get("date"), f"{at} working_days")
            if day.weekday() < 5:
                raise _fail(at, f"{day} is a weekday: an adjusted working day is a weekend day")
            working.add(day)
    if clash := rest & working:
        raise _fail(where, f"{sorted(clash)[0]} is both a rest day and a working day")
    return Calendar(document["region"], covers_from, covers_to, frozenset(rest), frozenset(working))


@dataclass(frozen=True, slots=True)
class Rules:
    poor_categories: tuple[str, ...]
    poor_source: str
    deadlines: tuple[DeadlineRule, ...]
    premium_rates: tuple[PremiumRate, ...]
    items: dict[str, Item]
    calendars: dict[str, Calendar]

    def deadline_rule(self, day: dt.date) -> DeadlineRule:
        for rule in self.deadlines:
            if rule.covers(day):
                return rule
        raise NoRule("deadline", day)

    def premium_rate(self, county_code: str, day: dt.date) -> PremiumRate:
        region = county_code[:4] + "00"
        for rate in self.premium_rates:
            if (
                rate.region == region
                and rate.valid_from <= day
                and (rate.valid_to is None or day <= rate.valid_to)
            ):
                return rate
        raise NoRule("premium rate", day, region)

    def calendar(self, county_code: str) -> Calendar:
        """The county's own calendar, else its city's, its province's, the national one."""
        for region in (county_code, county_code[:4] + "00", county_code[:2] + "0000", "CN"):
            if region in self.calendars:
                return self.calendars[region]
        raise NoRule("calendar", dt.date.min, county_code)  # pragma: no cover - CN ships


def load_rules(path: Path = RULES_PATH, calendar_dir: Path = CALENDAR_DIR) -> Rules:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise _fail(path.name, "is not a mapping")
    poor = document.get("poor_worker")
    if not isinstance(poor, dict):
        raise _fail("poor_worker", "is missing")
    _check_source(poor, "poor_worker")
    categories = tuple(poor.get("categories") or ())
    if not categories or not set(categories) <= set(CATEGORIES):
        raise _fail("poor_worker.categories", f"must be some of {', '.join(CATEGORIES)}")
    deadlines = []
    for n, node in enumerate(document.get("deadlines") or []):
        at = f"deadlines[{n}]"
        rolls = _sourced(node.get("repayment_rolls_past_rest_day"), f"{at} rolls")["value"]
        if not isinstance(rolls, bool):
            raise _fail(at, "repayment_rolls_past_rest_day must be true or false")
        deadlines.append(
            DeadlineRule(
                valid_from=_date(node.get("valid_from"), at),
                valid_to=_optional_date(node.get("valid_to"), at),
                reminder_working_days=_whole(node.get("reminder_working_days"), at),
                employer_pay_working_days=_whole(node.get("employer_pay_working_days"), at),
                repayment_days=_whole(node.get("repayment_days"), at),
                repayment_rolls_past_rest_day=rolls,
                source=str(node.get("source", "")),
            )
        )
    rates = []
    for n, node in enumerate(document.get("premium_rates") or []):
        at = f"premium_rates[{n}]"
        rate = _sourced(node.get("rate"), f"{at} rate")
        try:
            ppm = parse_scaled(str(rate["value"]), 6)
        except ValueError as exc:
            raise _fail(at, f"rate: {exc}") from None
        if not 0 <= ppm <= RATE_SCALE:
            raise _fail(at, "rate must be between 0 and 1")
        rates.append(
            PremiumRate(
                region=str(node.get("region")),
                valid_from=_date(node.get("valid_from"), at),
                valid_to=_optional_date(node.get("valid_to"), at),
                rate_ppm=ppm,
                rate_text=str(rate["value"]),
                source=str(rate["source"]),
                tag=str(rate["tag"]),
            )
        )
    items: dict[str, Item] = {}
    for n, node in enumerate(document.get("items") or []):
        at = f"items[{n}]"
        _check_source(node, at)
        if node.get("payer") not in PAYERS or not isinstance(node.get("third_party"), bool):
            raise _fail(at, "needs payer fund|employer and third_party true|false")
        if node.get("third_party") and node["payer"] != "fund":
            raise _fail(at, "an employer item cannot be advanced on a third-party path")
        code = str(node.get("code"))
        if code in items:
            raise _fail(at, f"item {code} is listed twice")
        items[code] = Item(
            code, str(node["name"]), node["payer"], node["third_party"], node["source"], node["tag"]
        )
    calendars = {c.region: c for c in map(_calendar, sorted(calendar_dir.glob("*.yaml")))}
    if "CN" not in calendars:
        raise _fail("calendar", "CN.yaml (the national calendar) is missing")
    return Rules(
        poor_categories=categories,
        poor_source=str(poor["source"]),
        deadlines=tuple(deadlines),
        premium_rates=tuple(rates),
        items=items,
        calendars=calendars,
    )


RULES = load_rules()
