"""Proxy-payment run request and response bodies (docs/enrolment.md "Proxy-payment runs")."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.regions import county_name
from app.types import CountyCode, Money, MoneyOut, Text, Year

from .models import ProxyPaymentRun
from .proxy import SKIP_REASONS, StoredLine, payer_totals
from .rules import SchemeRules

__all__ = [
    "MAX_TOP_UPS",
    "PayerAmount",
    "RunIn",
    "RunLine",
    "RunOut",
    "RunSummary",
    "Skipped",
    "TopUpIn",
    "run_out",
    "run_summary",
]

MAX_TOP_UPS = 100_000
Scheme = Literal["medical", "pension"]
Category = Literal["registered_poor", "dibao", "tekun"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class TopUpIn(_In):
    """A pension top-up (notice 一(二)(三)): the person's own extra payment and a third party's
    funding, stacked on the 代缴; the subsidy is the stacked total's tier's."""

    id_number: str = Field(
        pattern=r"^[0-9]{17}[0-9X]$",
        description="18-digit resident ID number of a person of the run",
        examples=["510402197001010011"],
    )
    self_amount: Money = Field(
        default=0,
        alias="self",
        description="The person's own payment on top of the 代缴 (个人缴费), yuan",
        examples=["200.00"],
    )
    third_party: Money = Field(
        default=0,
        description="A third party's funding (社会组织、个人资助), yuan; above the highest tier "
        "the excess is refused with a notice (may switch to 职工养老)",
        examples=["0.00"],
    )
    third_party_name: Annotated[str, Text(200, min_length=1)] | None = Field(
        default=None, description="Who funds (资助方), when third_party is not 0"
    )


class RunIn(_In):
    scheme: Scheme = Field(description="medical 城乡居民医保 | pension 城乡居民养老保险")
    year: Year = Field(description="Contribution year (缴费年度)", examples=[2018])
    county_code: CountyCode = Field(description="County (县区) of the roster people")
    top_ups: list[TopUpIn] = Field(
        default_factory=list,
        max_length=MAX_TOP_UPS,
        description="Pension only: extra payments of people of the run",
    )


class PayerAmount(BaseModel):
    payer: str = Field(description="Payer code (policies/enrolment: payers)")
    payer_name: str = Field(description="Payer name (付款方)")
    amount: MoneyOut


class Skipped(BaseModel):
    """Roster people of the county without a line, by reason."""

    deceased: int = Field(description="died by 31 December of the year")
    not_eligible: int = Field(description="outside the age band of the rules")
    enrolled_elsewhere: int = Field(description="enrolled outside the region (区外参保)")
    already_enrolled: int = Field(description="enrolled for the scheme and year by a confirmed run")
    not_covered: int = Field(
        description="no category the rules pay for (or only a 脱贫 one excluded)"
    )


class RunLine(BaseModel):
    id_number: str = Field(description="Masked ID number (身份证号, 脱敏)")
    name: str
    category: Category = Field(description="The category whose rule applied (类别)")
    contribution: MoneyOut = Field(description="The contribution (缴费金额), Σ shares")
    tier: MoneyOut | None = Field(description="Pension: the tier (缴费档次)")
    subsidy: MoneyOut | None = Field(description="Pension: 政府缴费补贴 of the tier")
    refused: MoneyOut = Field(description="A third party's funding above the highest tier, refused")
    third_party_name: str | None
    notice: str | None = Field(description="E.g. may switch to 城镇职工基本养老保险")
    shares: list[PayerAmount] = Field(description="Who pays how much of the contribution")


class RunSummary(BaseModel):
    id: uuid.UUID
    scheme: Scheme
    year: int
    county_code: str
    county_name: str
    status: Literal["computed", "confirmed"]
    rules_sha256: str
    persons: int
    contribution: MoneyOut = Field(description="Σ contributions of the lines")
    subsidy: MoneyOut = Field(description="Pension: Σ 政府缴费补贴; medical: 0.00")
    created_at: dt.datetime
    confirmed_at: dt.datetime | None


class RunOut(RunSummary):
    rules_id: str = Field(description="The rules file's id (policies/enrolment)")
    subsidy_payer: str | None = Field(description="Pension: who pays the subsidy")
    totals: list[PayerAmount] = Field(description="Σ shares per payer; their sum is contribution")
    skipped: Skipped
    lines: list[RunLine]


def _summary_fields(run: ProxyPaymentRun) -> dict[str, object]:
    return dict(
        id=run.id,
        scheme=run.scheme,
        year=run.year,
        county_code=run.county_code,
        county_name=county_name(run.county_code),
        status=run.status,
        rules_sha256=run.rules_sha256,
        persons=run.persons,
        contribution=run.contribution_fen,
        subsidy=run.subsidy_fen,
        created_at=run.created_at,
        confirmed_at=run.confirmed_at,
    )


def run_summary(run: ProxyPaymentRun) -> RunSummary:
    return RunSummary.model_validate(_summary_fields(run))


def run_out(run: ProxyPaymentRun, lines: list[StoredLine], rules: SchemeRules | None) -> RunOut:
    """The run as the API answers it; ``rules``: the scheme-year's rules (for payer names),
    ``None`` when the file no longer has them (the codes stand for the names then)."""
    names = rules.payers if rules is not None else {}
    totals = payer_totals(s.line for s in lines)
    order = list(names)
    return RunOut(
        **_summary_fields(run),  # type: ignore[arg-type]
        rules_id=rules.document_id if rules is not None else "",
        subsidy_payer=rules.pension.subsidy_payer if rules and rules.pension else None,
        totals=[
            PayerAmount(payer=p, payer_name=names.get(p, p), amount=totals[p])
            for p in sorted(totals, key=lambda p: (order.index(p) if p in order else len(order), p))
        ],
        skipped=Skipped(**{r: int(run.skipped.get(r, 0)) for r in SKIP_REASONS}),
        lines=[
            RunLine(
                id_number=s.id_number,
                name=s.name,
                category=s.line.category,  # type: ignore[arg-type]
                contribution=s.line.contribution_fen,
                tier=s.line.tier_fen,
                subsidy=s.line.subsidy_fen,
                refused=s.line.refused_fen,
                third_party_name=s.line.third_party_name,
                notice=s.line.notice,
                shares=[
                    PayerAmount(payer=p, payer_name=names.get(p, p), amount=a)
                    for p, a in s.line.shares
                ],
            )
            for s in lines
        ],
    )
