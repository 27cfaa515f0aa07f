"""Registry request and response bodies (docs/api.md "Registries")."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.engine.money import format_bp, format_e4
from app.registry.models import CatalogItem
from app.types import CountyCode, IsoDate, OptionalPrice, Ratio, Text, Year

__all__ = [
    "CatalogItemIn",
    "CatalogItemOut",
    "CategoryIn",
    "CategoryOut",
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
    valid_from: IsoDate = Field(
        description="First day of validity (生效日期)", examples=["2018-01-01"]
    )
    valid_to: IsoDate | None = Field(
        default=None, description="Last day of validity (失效日期), inclusive; null: open-ended"
    )

    @field_validator("valid_to")
    @classmethod
    def _ordered(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise ValueError("valid_to must not be before valid_from")
        return value


class HospitalIn(_In):
    """A hospital (医疗机构)."""

    name: Annotated[str, Text(200, min_length=1)] = Field(
        description="Name (机构名称)", examples=["米易县人民医院"]
    )
    level: Level = Field(
        description="Level (医院等级): primary 一级/乡镇卫生院/社区, secondary 二级, "
        "tertiary 三级; chooses deductibles and ratios",
        examples=["secondary"],
    )
    county_code: CountyCode = Field(
        description="County (所在县区划代码); in-county (县域内) when it is the person's county"
    )
    designated: bool = Field(
        description="Designated (定点医疗机构): only designated hospitals settle", examples=[True]
    )


class HospitalOut(BaseModel):
    code: str = Field(description="Hospital code (医疗机构编码)", examples=["H510421001"])
    name: str = Field(description="Name (机构名称)", examples=["米易县人民医院"])
    level: Level = Field(description="Level (医院等级)")
    county_code: str = Field(description="County (县区划代码)", examples=["510421"])
    designated: bool = Field(description="Designated (定点)")


class EnrolmentIn(_In):
    """A year of enrolment in resident medical insurance (参保年度)."""

    year: Year = Field(description="Enrolment year (参保年度)", examples=[2018])


class CategoryIn(_DateRange):
    """An assistance category (救助对象类别) with its validity."""

    category: Category = Field(
        description="registered_poor 建档立卡贫困人员, dibao 低保对象, tekun 特困人员",
        examples=["registered_poor"],
    )
    exited: bool = Field(
        default=False,
        description="脱贫标识: the person left poverty (marked in the ledger; the category still "
        "holds for its period)",
    )
    exit_year: Year | None = Field(
        default=None, description="脱贫年度: the year the person left poverty; only if exited"
    )

    @field_validator("exit_year")
    @classmethod
    def _exit_year_if_exited(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is not None and info.data.get("exited") is False:
            raise ValueError("exit_year needs exited true")
        return value


class CategoryOut(BaseModel):
    """A category period as stored: who said it (``manual``: the admin PUT; or a roster source)
    and which import last wrote it."""

    category: Category = Field(description="registered_poor, dibao, tekun")
    valid_from: dt.date = Field(description="First day (生效日期)")
    valid_to: dt.date | None = Field(description="Last day (失效日期), inclusive; null: open")
    exited: bool = Field(description="脱贫标识")
    exit_year: int | None = Field(description="脱贫年度, or null")
    source: Literal["manual", "poverty_office", "civil_affairs", "medical_insurance"] = Field(
        description="manual (admin PUT), poverty_office 扶贫, civil_affairs 民政, "
        "medical_insurance 医保"
    )
    import_id: uuid.UUID | None = Field(
        description="The roster import that last wrote it (GET /v1/roster/imports/{id}); null "
        "for manual"
    )


class PersonIn(_In):
    """An insured person (参保人)."""

    name: Annotated[str, Text(100, min_length=1)] = Field(
        description="Name (姓名)", examples=["张三"]
    )
    county_code: CountyCode = Field(description="Insured county (参保地区划代码)")
    enrolments: list[EnrolmentIn] = Field(
        default_factory=list,
        max_length=200,
        description="Enrolment years (参保年度); settling needs the discharge year",
    )
    categories: list[CategoryIn] = Field(
        default_factory=list,
        max_length=200,
        description="Assistance categories (救助对象类别) with validity; they open the tilted and "
        "civil-assistance layers. Replaces only the manual ones: roster periods stay",
    )
    death_date: IsoDate | None = Field(
        default=None,
        description="死亡日期, or null; left as it is when the field is absent",
    )

    @field_validator("enrolments")
    @classmethod
    def _unique_years(cls, value: list[EnrolmentIn]) -> list[EnrolmentIn]:
        years = [e.year for e in value]
        if len(years) != len(set(years)):
            raise ValueError("enrolments list a year twice")
        return value


class PersonOut(BaseModel):
    id_number: str = Field(
        description="ID number (公民身份号码), in clear: admin only",
        examples=["510402195001010014"],
    )
    name: str = Field(description="Name (姓名)", examples=["张三"])
    county_code: str = Field(description="Insured county (参保地区划代码)", examples=["510402"])
    enrolments: list[EnrolmentIn] = Field(description="Enrolment years (参保年度)")
    categories: list[CategoryOut] = Field(
        description="Assistance categories (救助对象类别), every source's"
    )
    death_date: dt.date | None = Field(description="死亡日期, or null")


class CatalogItemIn(_DateRange):
    """A catalogue entry (医保目录条目): drug, service or material."""

    name: Annotated[str, Text(200, min_length=1)] = Field(
        description="Name (项目名称)",
        examples=["注射用头孢曲松钠 1g"],
    )
    grade: Literal["A", "B", "C"] = Field(
        description="Grade: A 甲类 (fully in policy), B 乙类 (pre-self-pay first), C 丙类 (full "
        "self-pay)",
        examples=["B"],
    )
    self_pay_ratio: Ratio = Field(
        default=0,
        description="Pre-self-pay ratio (乙类先行自付比例); must be 0 unless grade B",
        examples=["0.10"],
    )
    price_cap: OptionalPrice = Field(
        default=None,
        description="Price cap per unit (最高限价), yuan; above it is over-limit self-pay; or null",
        examples=["280.00"],
    )

    @field_validator("self_pay_ratio")
    @classmethod
    def _ratio_only_for_b(cls, value: int, info: ValidationInfo) -> int:
        if value and info.data.get("grade", "B") != "B":
            raise ValueError("self_pay_ratio applies to grade B only")
        return value


class CatalogItemOut(BaseModel):
    code: str = Field(description="Catalogue code (医保目录编码)", examples=["XB01"])
    name: str = Field(description="Name (项目名称)", examples=["注射用头孢曲松钠 1g"])
    grade: Literal["A", "B", "C"] = Field(description="A 甲类, B 乙类, C 丙类")
    self_pay_ratio: str = Field(
        description="Pre-self-pay ratio (乙类先行自付比例)", examples=["0.10"]
    )
    price_cap: str | None = Field(description="Price cap per unit (最高限价), yuan, or null")
    valid_from: dt.date = Field(description="First day of validity (生效日期)")
    valid_to: dt.date | None = Field(description="Last day of validity (失效日期), or null")

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
