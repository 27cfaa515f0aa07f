"""Proxy-payment runs (代缴/资助参保, migration 0019): a run is the list computed for one scheme,
year and county; its lines are the people and their contributions; its shares who pays what.

``Σ shares.amount_fen = lines.contribution_fen`` per line (the service checks it; a test proves
it), ``runs.contribution_fen = Σ lines.contribution_fen``, ``runs.persons = count(lines)``. At most
one run per (scheme, year, county) is confirmed (a partial unique index); confirming records the
enrolments (``person_enrolments`` for medical, ``pension_enrolments`` for pension) with the run's
id, and the run's lines and shares are the record of who paid how much.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = ["ProxyPaymentLine", "ProxyPaymentRun", "ProxyPaymentShare"]


class ProxyPaymentRun(Base):
    __tablename__ = "proxy_payment_runs"
    __table_args__ = (
        CheckConstraint("scheme IN ('medical', 'pension')", name="scheme"),
        CheckConstraint("status IN ('computed', 'confirmed')", name="status"),
        CheckConstraint("county_code ~ '^[0-9]{6}$'", name="county_code"),
        CheckConstraint(
            "persons >= 0 AND contribution_fen >= 0 AND subsidy_fen >= 0", name="totals"
        ),
        CheckConstraint(
            "(status = 'confirmed') = (confirmed_at IS NOT NULL)", name="confirmed_at_if_confirmed"
        ),
        Index(
            "uq_proxy_payment_runs_confirmed",
            "scheme",
            "year",
            "county_code",
            unique=True,
            postgresql_where=text("status = 'confirmed'"),
        ),
        Index("ix_proxy_payment_runs_scheme_year_county", "scheme", "year", "county_code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(SmallInteger)
    county_code: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(16), server_default="computed")
    # The rules the run used (app.enrolment.rules SchemeRules.sha256) and the fingerprint of what
    # it computed from them and the roster: a confirm recomputes it and refuses a stale run.
    rules_sha256: Mapped[str] = mapped_column(String(64))
    input_sha256: Mapped[str] = mapped_column(String(64))
    persons: Mapped[int] = mapped_column(Integer)
    contribution_fen: Mapped[int] = mapped_column(BigInteger)
    subsidy_fen: Mapped[int] = mapped_column(BigInteger)  # pension: Σ 政府缴费补贴; medical: 0
    # The request's top-ups by person id ([{person_id, self_fen, third_party_fen,
    # third_party_name}]), to recompute the run at confirm; never an ID number.
    top_ups: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    # Why roster people of the county got no line, by reason: {deceased, not_eligible,
    # enrolled_elsewhere, already_enrolled, not_covered} -> count.
    skipped: Mapped[dict[str, int]] = mapped_column(JSONB)
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
    key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(TIMESTAMPTZ)
    confirmed_key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class ProxyPaymentLine(Base):
    __tablename__ = "proxy_payment_lines"
    __table_args__ = (
        CheckConstraint("contribution_fen > 0", name="contribution_positive"),
        CheckConstraint("tier_fen IS NULL OR tier_fen > 0", name="tier_positive"),
        CheckConstraint("subsidy_fen IS NULL OR subsidy_fen >= 0", name="subsidy_not_negative"),
        CheckConstraint("refused_fen >= 0", name="refused_not_negative"),
        CheckConstraint("category IN ('registered_poor', 'dibao', 'tekun')", name="category"),
        Index("ix_proxy_payment_lines_person_id", "person_id"),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("proxy_payment_runs.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(32))  # the category whose rule applied
    contribution_fen: Mapped[int] = mapped_column(BigInteger)
    tier_fen: Mapped[int | None] = mapped_column(BigInteger)  # pension: the tier (档次)
    subsidy_fen: Mapped[int | None] = mapped_column(BigInteger)  # pension: 政府缴费补贴
    # A third party's funding above the highest tier, refused (notice 一(二)), and the notice
    # shown with it ("may switch to 职工养老").
    refused_fen: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    third_party_name: Mapped[str | None] = mapped_column(String(200))
    notice: Mapped[str | None] = mapped_column(Text)


class ProxyPaymentShare(Base):
    __tablename__ = "proxy_payment_shares"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        ForeignKeyConstraint(
            ["run_id", "person_id"],
            ["proxy_payment_lines.run_id", "proxy_payment_lines.person_id"],
            ondelete="CASCADE",
        ),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    payer: Mapped[str] = mapped_column(String(32), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
