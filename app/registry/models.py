"""Registry tables: hospitals, persons (enrolments, dated and sourced categories), catalogue."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

PSN_NO = text("'P' || lpad(nextval('psn_no_seq')::text, 12, '0')")

__all__ = [
    "CATEGORY_SOURCES",
    "CatalogItem",
    "ExternalEnrolment",
    "Hospital",
    "PensionEnrolment",
    "Person",
    "PersonCategory",
    "PersonEnrolment",
]


class Hospital(Base):
    __tablename__ = "hospitals"
    __table_args__ = (
        CheckConstraint("level IN ('primary', 'secondary', 'tertiary')", name="level"),
    )

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    county_code: Mapped[str] = mapped_column(String(6))
    designated: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    # The national interface's person number (NHSA.md "Identifiers"; migration 0011).
    psn_no: Mapped[str] = mapped_column(String(30), unique=True, server_default=PSN_NO)
    name: Mapped[str] = mapped_column(String(100))
    county_code: Mapped[str] = mapped_column(String(6))
    # 死亡日期 (migration 0018): from a roster row or the admin PUT; the coverage reports give a
    # person who died before a year's end the gap reason "deceased" for that year.
    death_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class PersonEnrolment(Base):
    """Enrolment in the region's resident medical insurance for one calendar year: what a
    settlement checks (``person_not_enrolled``)."""

    __tablename__ = "person_enrolments"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    # The confirmed proxy-payment run (代缴) that recorded it (migration 0018; the foreign key
    # comes with the runs' table); NULL: entered by the admin PUT, which replaces only those.
    run_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("proxy_payment_runs.id", ondelete="RESTRICT")
    )


CATEGORY_SOURCES = ("manual", "poverty_office", "civil_affairs", "medical_insurance")
"""Who said a person holds a category: the admin PUT (``manual``) or a roster source's import."""


class PersonCategory(Base):
    """A category period (救助对象类别): which category, from when to when, said by whom."""

    __tablename__ = "person_categories"
    __table_args__ = (
        CheckConstraint("category IN ('registered_poor', 'dibao', 'tekun')", name="category"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
        CheckConstraint(
            "source IN ('manual', 'poverty_office', 'civil_affairs', 'medical_insurance')",
            name="source",
        ),
        CheckConstraint("(source = 'manual') = (import_id IS NULL)", name="import_of_source"),
        CheckConstraint("exit_year IS NULL OR exited", name="exit_year_if_exited"),
        Index("ix_person_categories_source_person", "source", "person_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    # Migration 0018: the source, the import that last wrote the row and the one that ended it.
    source: Mapped[str] = mapped_column(String(32), server_default="manual")
    import_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("roster_imports.id", ondelete="RESTRICT")
    )
    ended_import_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("roster_imports.id", ondelete="RESTRICT")
    )
    # 脱贫标识 and 脱贫年度 (notice 六(二): the 专用标识 for registered-poor people marked 脱贫).
    exited: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    exit_year: Mapped[int | None] = mapped_column(SmallInteger)


class ExternalEnrolment(Base):
    """A person known to be enrolled outside the region (区外参保) in a scheme and year: the gap
    reason "enrolled_elsewhere" of the coverage reports."""

    __tablename__ = "external_enrolments"
    __table_args__ = (
        CheckConstraint("scheme IN ('medical', 'pension')", name="scheme"),
        CheckConstraint("region_code ~ '^[0-9]{6}$'", name="region_code"),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    scheme: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    import_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("roster_imports.id", ondelete="RESTRICT")
    )


class PensionEnrolment(Base):
    """Enrolment in the resident basic pension (城乡居民基本养老保险) for one year: the tier paid
    (档次, the stacked total of notice 一(三)) and the government subsidy for that tier."""

    __tablename__ = "pension_enrolments"
    __table_args__ = (
        CheckConstraint("tier_fen > 0", name="tier_positive"),
        CheckConstraint("subsidy_fen >= 0", name="subsidy_not_negative"),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    tier_fen: Mapped[int] = mapped_column(BigInteger)
    subsidy_fen: Mapped[int] = mapped_column(BigInteger)
    run_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("proxy_payment_runs.id", ondelete="RESTRICT")
    )


class CatalogItem(Base):
    """A catalogue entry (医保目录): grade 甲/乙/丙 (A/B/C), 乙类 self-pay ratio, price cap."""

    __tablename__ = "catalog_items"
    __table_args__ = (
        CheckConstraint("grade IN ('A', 'B', 'C')", name="grade"),
        CheckConstraint("self_pay_ratio_bp BETWEEN 0 AND 10000", name="ratio"),
        CheckConstraint("price_cap_e4 IS NULL OR price_cap_e4 >= 0", name="price_cap"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
    )

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(1))
    self_pay_ratio_bp: Mapped[int] = mapped_column(Integer)
    price_cap_e4: Mapped[int | None] = mapped_column(BigInteger)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
