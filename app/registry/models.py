"""Registry tables: hospitals, persons (with enrolments and dated categories), catalogue."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

PSN_NO = text("'P' || lpad(nextval('psn_no_seq')::text, 12, '0')")

__all__ = ["CatalogItem", "Hospital", "Person", "PersonCategory", "PersonEnrolment"]


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
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class PersonEnrolment(Base):
    """Enrolment in resident medical insurance for one calendar year."""

    __tablename__ = "person_enrolments"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class PersonCategory(Base):
    __tablename__ = "person_categories"
    __table_args__ = (
        CheckConstraint("category IN ('registered_poor', 'dibao', 'tekun')", name="category"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)


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
