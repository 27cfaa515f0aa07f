"""Enrolment rules as data: ``policies/enrolment/<year>.yaml``, read and validated once at start.

Per scheme (``medical``: 城乡居民基本医疗保险, ``pension``: 城乡居民基本养老保险) and year, the
file gives who is eligible (the age band), the contribution and who pays how much of it:

- medical: the individual contribution and, per category, a subsidy rule (资助参保): ``full``,
  ``fixed_amount`` (元) or ``fixed_ratio`` of the contribution, its payer code and a priority
  (a person in several categories gets the rule of the lowest priority number: the most
  favourable, an assumption, docs/enrolment.md);
- pension: the tiers (档次), the subsidy per tier (政府缴费补贴), the highest tier, the 代缴 amount
  (100 元 in 2018, notice 一(一)), its categories and payer, the flag
  ``include_tuopin_in_daijiao`` and what a stacked total that is not a tier gets.

Every number carries a ``source`` and a ``tag`` (V, V-2nd, R, A); placeholders (tag A) carry a
``note`` saying what to obtain. A bad file stops the app starting with errors naming the field
(``RulesError``). Money is integer fen, ratios basis points (``app.engine.money``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.engine.money import BP, apply_ratio, parse_scaled
from app.errors import NotFound
from app.policy.loader import POLICY_DIR, canonical_json

__all__ = [
    "CATEGORIES",
    "ENROLMENT_DIR",
    "RULES",
    "SCHEMES",
    "TAGS",
    "MedicalRules",
    "PensionRules",
    "RulesError",
    "SchemeRules",
    "Sourced",
    "SubsidyRule",
    "age_on",
    "birth_date_of",
    "eligible_for",
    "load_directory",
    "load_rules",
    "parse_rules",
    "rules_for",
]

ENROLMENT_DIR = POLICY_DIR / "enrolment"
SCHEMES = ("medical", "pension")
CATEGORIES = ("registered_poor", "dibao", "tekun")  # ck_person_categories_category
TAGS = ("V", "V-2nd", "R", "A")
MODES = ("full", "fixed_amount", "fixed_ratio")
NOT_A_TIER = ("reject", "round_down")
SELF, THIRD_PARTY = "self", "third_party"  # the payer codes of a person's and a funder's shares

Loc = tuple[str | int, ...]


class RulesError(ValueError):
    """A rules file that does not validate; ``errors`` are ``(loc, msg)`` naming each field."""

    def __init__(self, where: str, errors: list[tuple[Loc, str]]) -> None:
        self.where = where
        self.errors = errors
        lines = [
            f"{where}: {'.'.join(str(p) for p in loc) or '(document)'}: {msg}"
            for loc, msg in errors
        ]
        super().__init__("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Sourced:
    """Where a number comes from: its source, tag and (for a placeholder) what to obtain."""

    source: str
    tag: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SubsidyRule:
    """资助参保 of one category: ``value`` is fen (fixed_amount), bp (fixed_ratio) or 0 (full)."""

    category: str
    priority: int
    mode: str
    value: int
    payer: str
    sourced: Sourced

    def subsidy_fen(self, contribution_fen: int) -> int:
        """The subsidised part of ``contribution_fen``: never more than it, never negative."""
        if self.mode == "full":
            return contribution_fen
        if self.mode == "fixed_amount":
            return min(self.value, contribution_fen)
        return min(apply_ratio(contribution_fen, self.value), contribution_fen)


@dataclass(frozen=True, slots=True)
class MedicalRules:
    contribution_fen: int
    include_tuopin: bool  # include_tuopin_in_subsidy
    subsidies: dict[str, SubsidyRule]  # category -> rule

    def rule_for(self, categories: set[str] | frozenset[str]) -> SubsidyRule | None:
        """The rule applied to a person holding ``categories``: the lowest priority number."""
        held = [self.subsidies[c] for c in categories if c in self.subsidies]
        return min(held, key=lambda r: (r.priority, r.category)) if held else None


@dataclass(frozen=True, slots=True)
class PensionRules:
    tiers_fen: tuple[int, ...]  # ascending
    highest_tier_fen: int
    subsidy_by_tier: dict[int, int]  # tier fen -> subsidy fen
    subsidy_payer: str
    daijiao_fen: int
    daijiao_categories: tuple[str, ...]
    daijiao_payer: str
    include_tuopin: bool  # include_tuopin_in_daijiao
    not_a_tier: str  # reject | round_down

    def tier_of(self, total_fen: int) -> int | None:
        """The tier a stacked total gets: itself when it is a tier; else the highest tier below
        it under ``round_down``, or ``None`` (refused) under ``reject`` or below every tier."""
        if total_fen in self.subsidy_by_tier:
            return total_fen
        if self.not_a_tier == "reject":
            return None
        below = [t for t in self.tiers_fen if t <= total_fen]
        return below[-1] if below else None


@dataclass(frozen=True, slots=True)
class SchemeRules:
    """The rules of one scheme and year, with the sources of its numbers."""

    scheme: str
    year: int
    region_code: str
    document_id: str
    sha256: str  # over the canonical JSON of the scheme's part of the file (and its payers)
    eligible_age: tuple[int, int] | None  # inclusive; None: every age
    age_on: tuple[int, int]  # (month, day) of the year on which the age is counted
    payers: dict[str, str]  # payer code -> Chinese name
    sources: dict[str, Sourced] = field(default_factory=dict)  # field path -> its source
    medical: MedicalRules | None = None
    pension: PensionRules | None = None
    covered_categories: tuple[str, ...] = ()  # see categories

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories a run covers, in the order the rules apply them."""
        return self.covered_categories

    @property
    def include_tuopin(self) -> bool:
        part = self.medical or self.pension
        assert part is not None
        return part.include_tuopin

    def placeholders(self) -> dict[str, Sourced]:
        """Every number tagged A, by field path: what docs and pages list as to obtain."""
        return {path: s for path, s in self.sources.items() if s.tag == "A"}


# --- ages -----------------------------------------------------------------------------------


def birth_date_of(id_number: str) -> dt.date:
    """The birth date in an 18-digit resident ID (digits 7–14, ``YYYYMMDD``); ``ValueError``
    when they are not a date."""
    digits = id_number[6:14]
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        raise ValueError("the ID number's digits 7-14 are not a date")
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def age_on(id_number_or_birth: str | dt.date, day: dt.date) -> int:
    """Whole years (周岁) reached on ``day`` by someone born on the date (or the ID number's)."""
    born = (
        birth_date_of(id_number_or_birth)
        if isinstance(id_number_or_birth, str)
        else id_number_or_birth
    )
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _reference_day(rules: SchemeRules) -> dt.date:
    month, day = rules.age_on
    if (month, day) == (2, 29) and not _leap(rules.year):
        return dt.date(rules.year, 2, 28)
    return dt.date(rules.year, month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def eligible_for(scheme: str, year: int, birth_date: dt.date | str) -> bool:
    """Whether someone born on ``birth_date`` (or with that ID number) is of an age to enrol and
    contribute in ``scheme`` in ``year``: the age band of the rules, counted on their ``age_on``
    day. Raises ``NotFound`` (``no_enrolment_rules``) when there are no rules for the year."""
    rules = rules_for(scheme, year)
    if rules.eligible_age is None:
        return True
    low, high = rules.eligible_age
    return low <= age_on(birth_date, _reference_day(rules)) <= high


# --- loading --------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[Loc, str]] = []
        self.sources: dict[str, Sourced] = {}

    def fail(self, loc: Loc, msg: str) -> None:
        self.errors.append((loc, msg))

    def node(self, parent: Any, loc: Loc) -> dict[str, Any]:
        value = parent.get(loc[-1]) if isinstance(parent, dict) else None
        if not isinstance(value, dict):
            self.fail(loc, "is missing or not a mapping")
            return {}
        return value

    def sourced(self, parent: Any, loc: Loc) -> tuple[bool, Any]:
        """A ``{value, source, tag, note?}`` entry: ``(found, value)``; records its source."""
        entry = parent.get(loc[-1]) if isinstance(parent, dict) else None
        if not isinstance(entry, dict) or "value" not in entry:
            self.fail(loc, "is missing (a mapping with value, source and tag)")
            return False, None
        ok = True
        source, tag, note = entry.get("source"), entry.get("tag"), entry.get("note")
        if not isinstance(source, str) or not source.strip():
            self.fail((*loc, "source"), "is missing: every number needs a source")
            ok = False
        if tag not in TAGS:
            self.fail((*loc, "tag"), f"must be one of {', '.join(TAGS)}")
            ok = False
        if note is not None and not isinstance(note, str):
            self.fail((*loc, "note"), "must be text")
            ok = False
        if ok:
            self.sources[".".join(str(p) for p in loc)] = Sourced(str(source), str(tag), note)
        return ok, entry["value"]

    def money(self, value: Any, loc: Loc, *, positive: bool = True) -> int | None:
        if not isinstance(value, str):
            self.fail(loc, 'must be an amount in yuan as a string, like "100.00"')
            return None
        try:
            fen = parse_scaled(value, 2)
        except ValueError as exc:
            self.fail(loc, str(exc))
            return None
        if fen < 0 or (positive and fen == 0):
            self.fail(loc, "must be more than 0" if positive else "must not be negative")
            return None
        return fen

    def text(self, value: Any, loc: Loc) -> str | None:
        if not isinstance(value, str) or not value:
            self.fail(loc, "must be a non-empty string")
            return None
        return value

    def payer(self, value: Any, loc: Loc, payers: dict[str, str]) -> str | None:
        if value not in payers:
            self.fail(loc, f"must be a payer code listed in payers ({', '.join(payers)})")
            return None
        return str(value)

    def flag(self, parent: Any, loc: Loc) -> bool | None:
        found, value = self.sourced(parent, loc)
        if found and not isinstance(value, bool):
            self.fail((*loc, "value"), "must be true or false")
            return None
        return value if found else None


def _eligibility(block: dict[str, Any], loc: Loc, read: _Reader) -> tuple[Any, tuple[int, int]]:
    elig = read.node(block, (*loc, "eligibility"))
    found, band = read.sourced(elig, (*loc, "eligibility", "age_band"))
    age_band: tuple[int, int] | None = None
    bad_band = False
    if found and band is not None:
        if (
            isinstance(band, list)
            and len(band) == 2
            and all(isinstance(a, int) and not isinstance(a, bool) and 0 <= a <= 150 for a in band)
            and band[0] <= band[1]
        ):
            age_band = (band[0], band[1])
        else:
            read.fail(
                (*loc, "eligibility", "age_band", "value"),
                "must be null or [low, high] ages, low <= high",
            )
            bad_band = True
    found, on = read.sourced(elig, (*loc, "eligibility", "age_on"))
    month_day = (12, 31)
    if found:
        try:
            if not isinstance(on, str) or len(on) != 5 or on[2] != "-":
                raise ValueError
            month_day = (int(on[:2]), int(on[3:]))
            dt.date(2000, *month_day)  # a leap year: 02-29 is a day
        except ValueError:
            read.fail((*loc, "eligibility", "age_on", "value"), 'must be a day of the year "MM-DD"')
    return (None if bad_band else age_band), month_day


_RULE_KEYS = {"priority", "mode", "value", "payer", "source", "tag", "note"}


def _medical(block: dict[str, Any], payers: dict[str, str], read: _Reader) -> MedicalRules:
    loc: Loc = ("medical",)
    found, value = read.sourced(block, (*loc, "individual_contribution"))
    contribution = read.money(value, (*loc, "individual_contribution", "value")) if found else None
    include = read.flag(block, (*loc, "include_tuopin_in_subsidy"))
    subsidies: dict[str, SubsidyRule] = {}
    raw = read.node(block, (*loc, "subsidies"))
    priorities: dict[int, str] = {}
    for category, rule in raw.items():
        rloc: Loc = (*loc, "subsidies", str(category))
        if category not in CATEGORIES:
            read.fail(rloc, f"is not a category ({', '.join(CATEGORIES)})")
            continue
        if not isinstance(rule, dict):
            read.fail(rloc, "must be a mapping")
            continue
        priority = rule.get("priority")
        if not isinstance(priority, int) or isinstance(priority, bool) or priority < 1:
            read.fail((*rloc, "priority"), "must be a whole number >= 1")
            priority = None
        elif priority in priorities:
            read.fail(
                (*rloc, "priority"),
                f"is the same as {priorities[priority]}'s: priorities must differ",
            )
        else:
            priorities[priority] = str(category)
        mode = rule.get("mode")
        amount: int | None = 0
        if mode not in MODES:
            read.fail((*rloc, "mode"), f"must be one of {', '.join(MODES)}")
            amount = None
        elif mode == "full":
            if rule.get("value") is not None:
                read.fail((*rloc, "value"), "must be null for mode full")
                amount = None
        elif mode == "fixed_amount":
            amount = read.money(rule.get("value"), (*rloc, "value"))
        else:
            ratio = rule.get("value")
            try:
                if not isinstance(ratio, str):
                    raise ValueError
                amount = parse_scaled(ratio, 4)
                if not 0 < amount <= BP:
                    raise ValueError
            except ValueError:
                read.fail(
                    (*rloc, "value"),
                    'must be a ratio above 0 and at most 1 as a string, like "0.5000"',
                )
                amount = None
        payer = read.payer(rule.get("payer"), (*rloc, "payer"), payers)
        if payer in (SELF, THIRD_PARTY):
            read.fail((*rloc, "payer"), "must be a public payer, not self or third_party")
            payer = None
        unknown = set(rule) - _RULE_KEYS
        if unknown:
            read.fail(rloc, f"has unknown keys: {', '.join(sorted(map(str, unknown)))}")
        src, tag, note = rule.get("source"), rule.get("tag"), rule.get("note")
        if not isinstance(src, str) or not src.strip():
            read.fail((*rloc, "source"), "is missing: every number needs a source")
        elif tag not in TAGS:
            read.fail((*rloc, "tag"), f"must be one of {', '.join(TAGS)}")
        else:
            read.sources[".".join(str(p) for p in rloc)] = Sourced(
                src, str(tag), note if isinstance(note, str) else None
            )
        if (
            priority is not None
            and amount is not None
            and payer is not None
            and isinstance(mode, str)
        ):
            subsidies[str(category)] = SubsidyRule(
                str(category),
                priority,
                mode,
                amount,
                payer,
                read.sources.get(".".join(str(p) for p in rloc), Sourced("", "A")),
            )
    if not raw and not read.errors:
        read.fail((*loc, "subsidies"), "is empty: no category is subsidised")
    return MedicalRules(contribution or 0, bool(include), subsidies)


def _pension(block: dict[str, Any], payers: dict[str, str], read: _Reader) -> PensionRules:
    loc: Loc = ("pension",)
    found, raw_tiers = read.sourced(block, (*loc, "tiers"))
    tiers: list[int] = []
    if found:
        if not isinstance(raw_tiers, list) or not raw_tiers:
            read.fail((*loc, "tiers", "value"), "must be a non-empty list of amounts")
        else:
            for i, t in enumerate(raw_tiers):
                fen = read.money(t, (*loc, "tiers", "value", i))
                if fen is not None:
                    if tiers and fen <= tiers[-1]:
                        read.fail(
                            (*loc, "tiers", "value", i),
                            "tiers must be listed in ascending order, once",
                        )
                    else:
                        tiers.append(fen)
    found, value = read.sourced(block, (*loc, "highest_tier"))
    highest = read.money(value, (*loc, "highest_tier", "value")) if found else None
    if highest is not None and tiers and highest not in tiers:
        read.fail((*loc, "highest_tier", "value"), "must be one of the tiers")
    found, table = read.sourced(block, (*loc, "subsidy_by_tier"))
    subsidy: dict[int, int] = {}
    if found:
        if not isinstance(table, dict):
            read.fail((*loc, "subsidy_by_tier", "value"), "must map each tier to its subsidy")
        else:
            for tier_text, amount_text in table.items():
                tloc: Loc = (*loc, "subsidy_by_tier", "value", str(tier_text))
                tier = read.money(tier_text, tloc)
                amount = read.money(amount_text, tloc, positive=False)
                if tier is not None and tiers and tier not in tiers:
                    read.fail(tloc, "is not one of the tiers")
                elif tier is not None and amount is not None:
                    subsidy[tier] = amount
            for t in tiers:
                if t not in subsidy:
                    read.fail(
                        (*loc, "subsidy_by_tier", "value"),
                        f"has no subsidy for the tier {t // 100}.{t % 100:02d}",
                    )
    found, value = read.sourced(block, (*loc, "subsidy_payer"))
    subsidy_payer = read.payer(value, (*loc, "subsidy_payer", "value"), payers) if found else None
    daijiao = read.node(block, (*loc, "daijiao"))
    found, value = read.sourced(daijiao, (*loc, "daijiao", "amount"))
    amount = read.money(value, (*loc, "daijiao", "amount", "value")) if found else None
    if amount is not None and tiers and amount not in tiers:
        read.fail((*loc, "daijiao", "amount", "value"), "must be one of the tiers")
    elif amount is not None and highest is not None and amount > highest:
        read.fail((*loc, "daijiao", "amount", "value"), "must not be above the highest tier")
    found, cats = read.sourced(daijiao, (*loc, "daijiao", "categories"))
    categories: tuple[str, ...] = ()
    if found:
        if (
            not isinstance(cats, list)
            or not cats
            or any(c not in CATEGORIES for c in cats)
            or len(set(cats)) != len(cats)
        ):
            read.fail(
                (*loc, "daijiao", "categories", "value"),
                f"must list categories ({', '.join(CATEGORIES)}), each once",
            )
        else:
            categories = tuple(cats)
    found, value = read.sourced(daijiao, (*loc, "daijiao", "payer"))
    payer = read.payer(value, (*loc, "daijiao", "payer", "value"), payers) if found else None
    if payer in (SELF, THIRD_PARTY):
        read.fail(
            (*loc, "daijiao", "payer", "value"), "must be a public payer, not self or third_party"
        )
    include = read.flag(daijiao, (*loc, "daijiao", "include_tuopin_in_daijiao"))
    stacking = read.node(block, (*loc, "stacking"))
    found, value = read.sourced(stacking, (*loc, "stacking", "not_a_tier"))
    if found and value not in NOT_A_TIER:
        read.fail(
            (*loc, "stacking", "not_a_tier", "value"), f"must be one of {', '.join(NOT_A_TIER)}"
        )
    for code in (SELF, THIRD_PARTY):
        if code not in payers:
            read.fail(("payers", code), "is missing: a top-up's shares are paid by it")
    return PensionRules(
        tiers_fen=tuple(tiers),
        highest_tier_fen=highest or 0,
        subsidy_by_tier=subsidy,
        subsidy_payer=subsidy_payer or "",
        daijiao_fen=amount or 0,
        daijiao_categories=categories,
        daijiao_payer=payer or "",
        include_tuopin=bool(include),
        not_a_tier=str(value) if value in NOT_A_TIER else "reject",
    )


def parse_rules(document: Any, where: str = "rules") -> dict[str, SchemeRules]:
    """Validate one parsed rules file; its rules by scheme. Raises :class:`RulesError` listing
    every bad field."""
    read = _Reader()
    if not isinstance(document, dict):
        raise RulesError(where, [((), "must be a mapping")])
    year = document.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
        read.fail(("year",), "must be a year (a whole number)")
        year = 0
    region = read.text(document.get("region_code"), ("region_code",))
    doc_id = read.text(document.get("id"), ("id",))
    read.text(document.get("source"), ("source",))
    payers: dict[str, str] = {}
    raw_payers = document.get("payers")
    if not isinstance(raw_payers, dict) or not raw_payers:
        read.fail(("payers",), "is missing: the payer codes and their names")
    else:
        for code, entry in raw_payers.items():
            name = entry.get("name") if isinstance(entry, dict) else None
            if (
                not isinstance(code, str)
                or not code.isascii()
                or not code.replace("_", "").isalpha()
            ):
                read.fail(("payers", str(code)), "the code must be ASCII letters and _")
            elif not isinstance(name, str) or not name:
                read.fail(("payers", code, "name"), "must be a non-empty string")
            elif len(code) > 32:
                read.fail(("payers", code), "the code must be at most 32 characters")
            else:
                payers[code] = name
    schemes: dict[str, SchemeRules] = {}
    unknown = set(document) - {"id", "year", "region_code", "title", "source", "payers", *SCHEMES}
    for key in sorted(unknown, key=str):
        read.fail((str(key),), "is not a known key")
    for scheme in SCHEMES:
        if scheme not in document:
            continue
        block = read.node(document, (scheme,))
        read.sources = {}
        age_band, month_day = _eligibility(block, (scheme,), read)
        medical = _medical(block, payers, read) if scheme == "medical" else None
        pension = _pension(block, payers, read) if scheme == "pension" else None
        part = {k: document.get(k) for k in ("id", "year", "region_code", "payers")}
        part[scheme] = document[scheme]
        digest = hashlib.sha256(canonical_json(_jsonable(part)).encode()).hexdigest()
        schemes[scheme] = SchemeRules(
            scheme=scheme,
            year=year,
            region_code=region or "",
            document_id=doc_id or "",
            sha256=digest,
            eligible_age=age_band,
            age_on=month_day,
            payers=dict(payers),
            sources=dict(read.sources),
            medical=medical,
            pension=pension,
            covered_categories=(
                tuple(
                    r.category
                    for r in sorted(
                        medical.subsidies.values(), key=lambda r: (r.priority, r.category)
                    )
                )
                if medical is not None
                else pension.daijiao_categories
                if pension is not None
                else ()
            ),
        )
    if not schemes:
        read.fail((), f"has no scheme ({', '.join(SCHEMES)})")
    if read.errors:
        raise RulesError(where, read.errors)
    return schemes


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def load_rules(path: Path) -> dict[str, SchemeRules]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RulesError(path.name, [((), f"not valid YAML: {exc}")]) from exc
    return parse_rules(document, path.name)


def load_directory(directory: Path = ENROLMENT_DIR) -> dict[tuple[str, int], SchemeRules]:
    """Every ``*.yaml`` of ``directory``: the rules by (scheme, year); a year in two files is
    refused."""
    found: dict[tuple[str, int], SchemeRules] = {}
    for path in sorted(directory.glob("*.yaml")):
        for scheme, rules in load_rules(path).items():
            if (scheme, rules.year) in found:
                raise RulesError(
                    path.name, [(("year",), f"{scheme} {rules.year} is in another file too")]
                )
            found[(scheme, rules.year)] = rules
    return found


RULES: dict[tuple[str, int], SchemeRules] = load_directory()


def rules_for(scheme: str, year: int) -> SchemeRules:
    """The rules of ``scheme`` in ``year``; ``NotFound`` (``no_enrolment_rules``) when none."""
    rules = RULES.get((scheme, year))
    if rules is None:
        raise NotFound(
            f"no enrolment rules for {scheme} in {year}",
            code="no_enrolment_rules",
            params={"scheme": scheme, "year": year},
        )
    return rules
