"""Response bodies of the coverage and gap reports (docs/coverage.md). Counts are integers;
a ratio is a 4-decimal string (``"0.9500"``), or ``null`` when nobody is on the roster."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from app.regions import county_name

from .coverage import (
    CATEGORY_NAMES,
    REASON_NAMES,
    SCHEME_NAMES,
    CountyCoverage,
    Coverage,
    Gap,
    Tally,
    show_id_number,
)

__all__ = [
    "CoverageAll",
    "CoverageCell",
    "CoverageCounty",
    "CoverageOut",
    "GapOut",
    "GapsPageOut",
]

Scheme = Literal["medical", "pension"]
Category = Literal["registered_poor", "dibao", "tekun"]
Reason = Literal["deceased", "enrolled_elsewhere", "no_record"]
Ratio = str | None


class CoverageAll(BaseModel):
    on_roster: int = Field(description="应参保人数: persons on the roster (each counted once)")
    enrolled: int = Field(description="已参保人数")
    not_enrolled: int = Field(description="未参保人数 = on_roster − enrolled")
    ratio: Ratio = Field(
        description="参保率 enrolled / on_roster, 4 decimals rounded half up; null when "
        "on_roster is 0",
        examples=["0.9500"],
    )

    @classmethod
    def of(cls, tally: Tally) -> CoverageAll:
        return cls(
            on_roster=tally.on_roster,
            enrolled=tally.enrolled,
            not_enrolled=tally.not_enrolled,
            ratio=tally.ratio,
        )


class CoverageCell(CoverageAll):
    category: Category = Field(description="registered_poor, dibao, tekun")
    category_name: str = Field(description="类别名称", examples=["建档立卡贫困人员"])


class CoverageCounty(BaseModel):
    county_code: str | None = Field(description="县区代码; null in `total` (every county)")
    county_name: str | None = Field(description="县区名称; null in `total`")
    categories: list[CoverageCell] = Field(
        description="One cell per category (every category, zeros included)"
    )
    all: CoverageAll = Field(
        description="Every category together: distinct persons (a person holding two "
        "categories counts once here, once in each category's cell)"
    )

    @classmethod
    def of(cls, county: CountyCoverage) -> CoverageCounty:
        code = county.county_code
        return cls(
            county_code=code,
            county_name=None if code is None else county_name(code),
            categories=[
                CoverageCell(
                    category=category,  # type: ignore[arg-type]  # one of CATEGORIES
                    category_name=CATEGORY_NAMES[category],
                    **CoverageAll.of(tally).model_dump(),
                )
                for category, tally in county.categories.items()
            ],
            all=CoverageAll.of(county.all),
        )


class CoverageOut(BaseModel):
    year: int = Field(examples=[2018])
    scheme: Scheme = Field(description="medical 城乡居民医保, pension 城乡居民养老保险")
    scheme_name: str = Field(examples=["城乡居民基本医疗保险"])
    county_code: str | None = Field(description="The county asked for; null: every county")
    counties: list[CoverageCounty] = Field(
        description="Per county: the region's counties in the region file's order (zeros "
        "included), then any other county a roster person is registered in"
    )
    total: CoverageCounty = Field(description="Every county listed, together")

    @classmethod
    def of(cls, report: Coverage) -> CoverageOut:
        return cls(
            year=report.year,
            scheme=report.scheme,  # type: ignore[arg-type]  # one of SCHEMES
            scheme_name=SCHEME_NAMES[report.scheme],
            county_code=report.county_code,
            counties=[CoverageCounty.of(c) for c in report.counties],
            total=CoverageCounty.of(report.total),
        )


class GapOut(BaseModel):
    county_code: str = Field(examples=["510402"])
    county_name: str = Field(examples=["东区"])
    id_number: str = Field(
        description="身份证号: in clear for admin keys, masked for agency keys "
        "(`5104**********0011`)"
    )
    psn_no: str = Field(description="人员编号 (the national interface's person number)")
    name: str = Field(description="姓名")
    categories: list[Category] = Field(description="The categories held in the year")
    category_names: list[str] = Field(examples=[["建档立卡贫困人员"]])
    exited: bool = Field(description="脱贫标识: any of those categories' periods carries it")
    death_date: dt.date | None = Field(description="死亡日期, if known")
    reason: Reason = Field(
        description="Why not enrolled, first that holds: deceased (died on or before 31 "
        "December of the year), enrolled_elsewhere (区外参保 for the scheme and year), "
        "no_record"
    )
    reason_name: str = Field(examples=["无参保记录"])
    elsewhere_region: str | None = Field(description="区外参保地 (6 digits), if known")

    @classmethod
    def of(cls, gap: Gap, role: str) -> GapOut:
        return cls(
            county_code=gap.county_code,
            county_name=gap.county_name,
            id_number=show_id_number(gap.id_number, role),
            psn_no=gap.psn_no,
            name=gap.name,
            categories=gap.categories,  # type: ignore[arg-type]  # CATEGORIES
            category_names=[CATEGORY_NAMES[c] for c in gap.categories],
            exited=gap.exited,
            death_date=gap.death_date,
            reason=gap.reason,  # type: ignore[arg-type]  # REASONS
            reason_name=REASON_NAMES[gap.reason],
            elsewhere_region=gap.elsewhere_region,
        )


class GapsPageOut(BaseModel):
    year: int
    scheme: Scheme
    county_code: str | None
    reason: Reason | None = Field(description="The reason asked for; null: every reason")
    items: list[GapOut] = Field(description="In (county_code, registry id) order")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: last")
    has_more: bool
