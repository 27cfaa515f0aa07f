"""Work-injury tables (migration 0021): projects and their rosters, injury cases, advance
applications, employer reminders, decisions with their items, recoveries and repayments.
Amounts are integer fen; states are CHECKed; every natural key a retry could repeat is UNIQUE."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import TIMESTAMPTZ, Base

__all__ = [
    "WiApplication",
    "WiCase",
    "WiDecision",
    "WiDecisionItem",
    "WiProject",
    "WiProjectWorker",
    "WiRecovery",
    "WiReminder",
    "WiRepayment",
]


class WiProject(Base):
    """A construction project insured by project (按项目参保)."""

    __tablename__ = "wi_projects"
    __table_args__ = (
        CheckConstraint("contract_price_fen >= 0", name="price"),
        CheckConstraint("premium_fen >= 0", name="premium"),
        CheckConstraint("rate_ppm BETWEEN 0 AND 1000000", name="rate"),
        CheckConstraint("premium_paid_on <= work_start_on", name="paid_before_start"),
        CheckConstraint("cover_to >= cover_from", name="cover_range"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    project_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    county_code: Mapped[str] = mapped_column(String(6))
    contractor_name: Mapped[str] = mapped_column(String(200))
    contractor_code: Mapped[str] = mapped_column(String(18))
    contract_price_fen: Mapped[int] = mapped_column(BigInteger)
    rate_ppm: Mapped[int] = mapped_column(Integer)
    rate_source: Mapped[str] = mapped_column(String(500))
    premium_fen: Mapped[int] = mapped_column(BigInteger)
    premium_paid_on: Mapped[dt.date] = mapped_column(Date)
    work_start_on: Mapped[dt.date] = mapped_column(Date)
    cover_from: Mapped[dt.date] = mapped_column(Date)
    cover_to: Mapped[dt.date] = mapped_column(Date)
    # sha256 of the request body's canonical JSON: a retry with the same key and body is
    # answered with this record, one with another body is refused (docs/work-injury.md).
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class WiProjectWorker(Base):
    """A worker on a project's real-name roster (实名制), from ``on_from`` to ``on_to``."""

    __tablename__ = "wi_project_workers"
    __table_args__ = (CheckConstraint("on_to IS NULL OR on_to >= on_from", name="range"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("wi_projects.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True, index=True)
    on_from: Mapped[dt.date] = mapped_column(Date)
    on_to: Mapped[dt.date | None] = mapped_column(Date)


class WiCase(Base):
    """An injury case: the worker, the employer, the 工伤认定 decision."""

    __tablename__ = "wi_cases"
    __table_args__ = (
        CheckConstraint("recognition_date >= injury_date", name="recognised_after_injury"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    employer_name: Mapped[str] = mapped_column(String(200))
    employer_code: Mapped[str] = mapped_column(String(18))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("wi_projects.id"), index=True)
    injury_date: Mapped[dt.date] = mapped_column(Date)
    recognition_no: Mapped[str] = mapped_column(String(64))
    recognition_date: Mapped[dt.date] = mapped_column(Date)
    third_party_liable: Mapped[bool] = mapped_column(Boolean)
    employer_insured: Mapped[bool] = mapped_column(Boolean)
    poor_worker: Mapped[bool] = mapped_column(Boolean)
    poor_category: Mapped[str | None] = mapped_column(String(32))
    # sha256 of the request body's canonical JSON: a retry with the same key and body is
    # answered with this record, one with another body is refused (docs/work-injury.md).
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class WiApplication(Base):
    """An application for an advance (先行支付申请) on one of the three paths."""

    __tablename__ = "wi_applications"
    __table_args__ = (
        UniqueConstraint("case_id", "path"),
        CheckConstraint(
            "path IN ('employer_unpaid', 'third_party_unpaid', 'third_party_unknown')",
            name="path",
        ),
        CheckConstraint(
            "trigger IS NULL OR trigger IN ('licence_revoked', 'refuses', 'court_suspension', "
            "'other')",
            name="trigger",
        ),
        CheckConstraint("(path = 'employer_unpaid') = (trigger IS NOT NULL)", name="trigger_path"),
        CheckConstraint("applicant IN ('worker', 'relative')", name="applicant"),
        CheckConstraint(
            "status IN ('applied', 'reminded', 'employer_paid', 'paid', 'refused')", name="status"
        ),
        CheckConstraint("claimed_fen > 0 AND yb_advance_fen >= 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("wi_cases.id"), index=True)
    path: Mapped[str] = mapped_column(String(32))
    trigger: Mapped[str | None] = mapped_column(String(32))
    applicant: Mapped[str] = mapped_column(String(16))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    claims: Mapped[dict[str, int]] = mapped_column(JSONB)  # item code -> fen claimed
    claimed_fen: Mapped[int] = mapped_column(BigInteger)
    yb_advance_fen: Mapped[int] = mapped_column(BigInteger)
    reminder_needed: Mapped[bool] = mapped_column(Boolean)
    reminder_due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    # sha256 of the request body's canonical JSON: a retry with the same key and body is
    # answered with this record, one with another body is refused (docs/work-injury.md).
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class WiReminder(Base):
    """The agency's written reminder to the employer, and what the employer paid after it."""

    __tablename__ = "wi_reminders"
    __table_args__ = (
        CheckConstraint("employer_due_on > sent_on", name="due_after_sent"),
        CheckConstraint("employer_paid_fen >= 0", name="paid"),
    )

    application_id: Mapped[int] = mapped_column(ForeignKey("wi_applications.id"), primary_key=True)
    sent_on: Mapped[dt.date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(Boolean)
    employer_due_on: Mapped[dt.date] = mapped_column(Date)
    employer_paid_fen: Mapped[int] = mapped_column(BigInteger, server_default="0")
    employer_paid_on: Mapped[dt.date | None] = mapped_column(Date)


class WiDecision(Base):
    """The agency's decision: pay (the advance, paid on ``decided_on``) or refuse, with reason."""

    __tablename__ = "wi_decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('pay', 'refuse')", name="decision"),
        CheckConstraint(
            "(decision = 'pay') = (total_fen > 0) AND yb_refund_fen >= 0 "
            "AND yb_refund_fen <= total_fen",
            name="amounts",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("wi_applications.id"), unique=True)
    decision: Mapped[str] = mapped_column(String(8))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(1000))
    total_fen: Mapped[int] = mapped_column(BigInteger)
    yb_refund_fen: Mapped[int] = mapped_column(BigInteger)
    # sha256 of the request body's canonical JSON: a retry with the same key and body is
    # answered with this record, one with another body is refused (docs/work-injury.md).
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class WiDecisionItem(Base):
    __tablename__ = "wi_decision_items"
    __table_args__ = (CheckConstraint("amount_fen >= 0", name="amount"),)

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("wi_decisions.id", ondelete="CASCADE"), primary_key=True
    )
    item_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class WiRecovery(Base):
    """The order to repay an advance (追偿), its money and status (overdue is derived)."""

    __tablename__ = "wi_recoveries"
    __table_args__ = (
        CheckConstraint("debtor IN ('employer', 'third_party', 'person')", name="debtor"),
        CheckConstraint("status IN ('open', 'repaid', 'written_off')", name="status"),
        CheckConstraint(
            "amount_fen > 0 AND repaid_fen >= 0 AND written_off_fen >= 0 "
            "AND repaid_fen + written_off_fen <= amount_fen",
            name="money",
        ),
        CheckConstraint(
            "(status = 'repaid') = (repaid_fen = amount_fen) "
            "AND (status = 'written_off') = (written_off_fen > 0)",
            name="status_money",
        ),
        CheckConstraint("due_on >= ordered_on", name="due_after_order"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("wi_applications.id"), unique=True)
    debtor: Mapped[str] = mapped_column(String(16))
    debtor_name: Mapped[str] = mapped_column(String(200))
    ordered_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    repaid_fen: Mapped[int] = mapped_column(BigInteger, server_default="0")
    written_off_fen: Mapped[int] = mapped_column(BigInteger, server_default="0")
    written_off_on: Mapped[dt.date | None] = mapped_column(Date)
    write_off_ref: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    # sha256 of the request body's canonical JSON: a retry with the same key and body is
    # answered with this record, one with another body is refused (docs/work-injury.md).
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())


class WiRepayment(Base):
    """A repayment, keyed by the client's ``repayment_no`` (a retry adds nothing)."""

    __tablename__ = "wi_repayments"
    __table_args__ = (
        UniqueConstraint("recovery_id", "repayment_no"),
        CheckConstraint("amount_fen > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    recovery_id: Mapped[int] = mapped_column(ForeignKey("wi_recoveries.id"), index=True)
    repayment_no: Mapped[str] = mapped_column(String(64))
    paid_on: Mapped[dt.date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(TIMESTAMPTZ, server_default=func.now())
