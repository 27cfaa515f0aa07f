"""Registry request and response bodies (API.md "Registries")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.engine.money import format_bp, format_e4
from app.registry.models import CatalogItem
from app.types import CountyCode, OptionalPrice, Ratio, Year

__all__ = [
    "CatalogItemIn",
    "CatalogItemOut",
    "CategoryIn",
    "EnrolmentIn",
    "HospitalIn",
    "HospitalOut",
    "PersonIn",
    "PersonOut",
]

Level = Literal["primary", "secondary", "tertiary"]
Category = Literal["registered_poor", "dibao", "tekun"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _DateRange(_In):
    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> _DateRange:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


class HospitalIn(_In):
    name: str = Field(min_length=1, max_length=200, examples=["米易县人民医院"])
    level: Level = Field(description="primary 一级/乡镇卫生院/社区, secondary 二级, tertiary 三级")
    county_code: CountyCode
    designated: bool = Field(description="定点医疗机构: only designated hospitals settle")


class HospitalOut(BaseModel):
    code: str
    name: str
    level: Level
    county_code: str
    designated: bool


class EnrolmentIn(_In):
    year: Year


class CategoryIn(_DateRange):
    category: Category = Field(
        description="registered_poor 建档立卡贫困人员, dibao 低保对象, tekun 特困人员"
    )


class PersonIn(_In):
    name: str = Field(min_length=1, max_length=100)
    county_code: CountyCode = Field(description="参保地 county")
    enrolments: list[EnrolmentIn] = Field(default_factory=list, max_length=200)
    categories: list[CategoryIn] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _unique_years(self) -> PersonIn:
        years = [e.year for e in self.enrolments]
        if len(years) != len(set(years)):
            raise ValueError("enrolments list a year twice")
        return self


class PersonOut(BaseModel):
    id_number: str
    name: str
    county_code: str
    enrolments: list[EnrolmentIn]
    categories: list[CategoryIn]


class CatalogItemIn(_DateRange):
    name: str = Field(min_length=1, max_length=200)
    grade: Literal["A", "B", "C"] = Field(description="A 甲类, B 乙类, C 丙类")
    self_pay_ratio: Ratio = Field(
        default=0, description="乙类先行自付比例; must be 0 unless grade B"
    )
    price_cap: OptionalPrice = Field(default=None, description="最高限价 per unit, or null")

    @model_validator(mode="after")
    def _ratio_only_for_b(self) -> CatalogItemIn:
        if self.grade != "B" and self.self_pay_ratio:
            raise ValueError("self_pay_ratio applies to grade B only")
        return self


class CatalogItemOut(BaseModel):
    code: str
    name: str
    grade: Literal["A", "B", "C"]
    self_pay_ratio: str
    price_cap: str | None
    valid_from: dt.date
    valid_to: dt.date | None

    @classmethod
    def of(cls, item: CatalogItem) -> CatalogItemOut:
        cap = item.price_cap_e4
        return cls(
            code=item.code,
            name=item.name,
            grade=item.grade,  # type: ignore[arg-type]  # CHECK constraint keeps it A/B/C
            self_pay_ratio=format_bp(item.self_pay_ratio_bp),
            price_cap=None if cap is None else format_e4(cap),
            valid_from=item.valid_from,
            valid_to=item.valid_to,
        )
