"""The state machine and the arithmetic of work-injury advance payment, without storage: what the
service (``app.work_injury.service``) asks before it writes, and what the property tests drive.

An **application** (先行支付申请) goes::

    applied ──remind──▶ reminded ──employer pays in full──▶ employer_paid   (closed)
       │                   │
       │                   ├──decide pay (after the employer's deadline, unpaid)──▶ paid
       │                   └──decide refuse──▶ refused                       (closed)
       ├──decide pay (no reminder needed: employer insured, third-party path)──▶ paid
       └──decide refuse──▶ refused

A **recovery** (追偿) follows a paid decision, at most one per application::

    open ──repayments reach the amount──▶ repaid
      └───write off the outstanding (财政 consent)──▶ written_off

``overdue`` is not stored: an open recovery past its due day with money outstanding is overdue
on that day (:func:`recovery_status`). Amounts are integer fen; for every recovery (and every
case) ``recovered + outstanding + written_off == advanced``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .rules import Item

__all__ = [
    "APPLICATION_STATUSES",
    "DEBTORS",
    "PATHS",
    "RECOVERY_STATUSES",
    "TRIGGERS",
    "Amounts",
    "Recovery",
    "Refused",
    "allowed_debtors",
    "check_decide",
    "check_path",
    "check_recovery",
    "check_refuse",
    "check_remind",
    "decide_amounts",
    "employer_payment_status",
    "needs_reminder",
    "recovery_status",
]

Path = Literal["employer_unpaid", "third_party_unpaid", "third_party_unknown"]
PATHS: tuple[str, ...] = ("employer_unpaid", "third_party_unpaid", "third_party_unknown")
TRIGGERS: tuple[str, ...] = ("licence_revoked", "refuses", "court_suspension", "other")
APPLICATION_STATUSES = ("applied", "reminded", "employer_paid", "paid", "refused")
RECOVERY_STATUSES = ("open", "repaid", "written_off")
DEBTORS = ("employer", "third_party", "person")


class Refused(Exception):
    """A transition or a body the rules do not allow. ``state``: the record's state forbids it
    (409); otherwise the content is wrong (422). ``errors``: items as :class:`app.errors.AppError`
    takes them (``loc``, ``msg``, ``key`` of the catalogue's ITEMS)."""

    def __init__(
        self,
        detail: str,
        *,
        code: str,
        state: bool = False,
        errors: Sequence[Mapping[str, Any]] = (),
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.code, self.detail, self.state = code, detail, state
        self.errors = [dict(e) for e in errors]
        self.params = dict(params or {})


def needs_reminder(path: str, employer_insured: bool) -> bool:
    """The agency must first remind the employer (3 working days) and give it 5 to pay: on the
    employer path always (15号令 art. 7), on a third-party path only when the employer had not
    paid premiums (art. 5 (三)(四)); when it had, the fund pays at once (art. 5 (一)(二))."""
    return path == "employer_unpaid" or not employer_insured


def check_path(
    path: str, trigger: str | None, *, employer_insured: bool, third_party_liable: bool
) -> None:
    """Which path an application may take (社会保险法 arts. 41-42; 15号令 arts. 4-6)."""
    if path == "employer_unpaid":
        if employer_insured:
            raise Refused(
                "The employer path (15号令 art. 6) is for an employer that had not paid "
                "work-injury premiums; the fund pays an insured employer's worker directly.",
                code="path_not_open",
                errors=[
                    {
                        "loc": ["body", "path"],
                        "msg": "the employer was insured at the time of the injury",
                        "key": "employer_was_insured",
                    }
                ],
            )
        if trigger is None:
            raise Refused(
                "The employer path needs the reason the employer does not pay (15号令 art. 6).",
                code="path_not_open",
                errors=[
                    {
                        "loc": ["body", "trigger"],
                        "msg": "required on the employer path",
                        "key": "trigger_required",
                    }
                ],
            )
    else:
        if not third_party_liable:
            raise Refused(
                "A third-party path (社会保险法 art. 42) needs a case with a liable third party.",
                code="path_not_open",
                errors=[
                    {
                        "loc": ["body", "path"],
                        "msg": "the case records no liable third party",
                        "key": "no_third_party",
                    }
                ],
            )
        if trigger is not None:
            raise Refused(
                "The trigger belongs to the employer path only (15号令 art. 6).",
                code="path_not_open",
                errors=[
                    {
                        "loc": ["body", "trigger"],
                        "msg": "only on the employer path",
                        "key": "trigger_not_allowed",
                    }
                ],
            )


def check_remind(status: str, reminder_needed: bool) -> None:
    if not reminder_needed:
        raise Refused(
            "The employer was insured: on this path the fund pays without a reminder "
            "(15号令 art. 5 (一)(二)).",
            code="reminder_not_needed",
            state=True,
        )
    if status != "applied":
        raise Refused(
            f"An application {status} cannot take a reminder.",
            code="invalid_transition",
            state=True,
            params={"status": status, "action": "remind"},
        )


def employer_payment_status(status: str, claimed_fen: int, paid_fen: int) -> str:
    """The status after the employer paid ``paid_fen`` in all: ``employer_paid`` once it
    covers the claim, else still ``reminded``."""
    if status != "reminded":
        raise Refused(
            f"An application {status} cannot take an employer payment.",
            code="invalid_transition",
            state=True,
            params={"status": status, "action": "employer_payment"},
        )
    return "employer_paid" if paid_fen >= claimed_fen else "reminded"


def check_refuse(status: str) -> None:
    if status not in ("applied", "reminded"):
        raise Refused(
            f"An application {status} cannot be refused.",
            code="invalid_transition",
            state=True,
            params={"status": status, "action": "refuse"},
        )


def check_decide(
    status: str,
    reminder_needed: bool,
    decided_on: dt.date,
    employer_due_on: dt.date | None,
    employer_paid_fen: int,
    claimed_fen: int,
) -> None:
    """A pay decision is allowed only once the employer's deadline has passed unpaid (when a
    reminder is needed), or straight away (when not)."""
    if status not in ("applied", "reminded"):
        raise Refused(
            f"An application {status} cannot be decided.",
            code="invalid_transition",
            state=True,
            params={"status": status, "action": "decide"},
        )
    if not reminder_needed:
        return
    if status != "reminded" or employer_due_on is None:
        raise Refused(
            "The employer must be reminded first and given its working days to pay "
            "(15号令 art. 7).",
            code="reminder_required",
            state=True,
        )
    if decided_on <= employer_due_on:
        raise Refused(
            f"The employer has until {employer_due_on.isoformat()} to pay; the fund advances "
            "only after that day (15号令 art. 8).",
            code="employer_deadline_open",
            state=True,
            params={"due_on": employer_due_on.isoformat()},
        )


@dataclass(frozen=True, slots=True)
class Amounts:
    """What a pay decision advances: per item, the total, the 医保 advance refunded out of it
    (15号令 art. 5 (一)(三)) and what reaches the worker."""

    items: dict[str, int]
    total_fen: int
    yb_refund_fen: int
    to_worker_fen: int


def decide_amounts(
    asked: Mapping[str, int],
    claimed: Mapping[str, int],
    items: Mapping[str, Item],
    path: str,
    yb_advance_fen: int,
    employer_paid_fen: int,
) -> Amounts:
    """Check each decided item against the rules and the claim; the refund of a 医保 advance
    comes out of the medical item (the 医保 fund paid medical costs only)."""
    for code, amount in asked.items():
        loc = ["body", "items", code]
        item = items.get(code)
        if item is None:
            raise Refused(
                f"No benefit item {code}.",
                code="unknown_item",
                errors=[
                    {
                        "loc": loc,
                        "msg": "not a benefit item of the rules",
                        "key": "unknown_benefit_item",
                    }
                ],
                params={"item_code": code},
            )
        if not item.fund_payable:
            raise Refused(
                f"{code} is paid by the employer (社会保险法 art. 39); the fund never advances it "
                "(15号令 art. 8).",
                code="item_not_fund_payable",
                errors=[
                    {
                        "loc": loc,
                        "msg": "an employer item (社会保险法 art. 39)",
                        "key": "employer_item",
                    }
                ],
                params={"item_code": code},
            )
        if path != "employer_unpaid" and not item.third_party:
            raise Refused(
                f"{code} is not advanced on a third-party path (社会保险法 art. 42: medical "
                "costs).",
                code="item_not_on_path",
                errors=[
                    {
                        "loc": loc,
                        "msg": "not a medical cost (社会保险法 art. 42)",
                        "key": "not_medical",
                    }
                ],
                params={"item_code": code},
            )
        if amount > claimed.get(code, 0):
            raise Refused(
                f"{code}: more than the application claims.",
                code="amount_above_claim",
                errors=[
                    {
                        "loc": loc,
                        "msg": "above the amount claimed for this item",
                        "key": "above_claim",
                    }
                ],
            )
    total = sum(asked.values())
    claimed_total = sum(claimed.values())
    if total <= 0:
        raise Refused(
            "A pay decision advances at least one fen.",
            code="nothing_to_advance",
            errors=[{"loc": ["body", "items"], "msg": "no amount to advance", "key": "no_amount"}],
        )
    if total > claimed_total - employer_paid_fen:
        raise Refused(
            "The advance would exceed what the employer left unpaid of the claim.",
            code="amount_above_claim",
            errors=[
                {
                    "loc": ["body", "items"],
                    "msg": "above the claim less what the employer paid",
                    "key": "above_unpaid_claim",
                }
            ],
        )
    refund = min(yb_advance_fen, asked.get("medical", 0))
    return Amounts(dict(asked), total, refund, total - refund)


def allowed_debtors(path: str, employer_insured: bool) -> tuple[str, ...]:
    """Who may be ordered to repay: the employer (社会保险法 art. 41; 15号令 art. 13, also on a
    third-party path when it had not paid premiums), the third party (art. 42), the worker who
    was compensated after all (15号令 art. 11)."""
    if path == "employer_unpaid":
        return ("employer",)
    return ("third_party", "person") + (() if employer_insured else ("employer",))


def check_recovery(status: str, ordered_on: dt.date, decided_on: dt.date) -> None:
    if status != "paid":
        raise Refused(
            "A recovery follows a pay decision only.",
            code="recovery_needs_payment",
            state=True,
            params={"status": status},
        )
    if ordered_on < decided_on:
        raise Refused(
            "The order cannot precede the decision.",
            code="date_before_decision",
            errors=[
                {
                    "loc": ["body", "ordered_on"],
                    "msg": "before the decision day",
                    "key": "before_decision",
                }
            ],
        )


@dataclass(frozen=True, slots=True)
class Recovery:
    """One recovery's money: the advanced amount it recovers, the repayments (keyed by the
    client's ``repayment_no``), what was written off."""

    amount_fen: int
    ordered_on: dt.date
    due_on: dt.date
    repayments: dict[str, tuple[dt.date, int]] = field(default_factory=dict)
    written_off_fen: int = 0
    written_off_on: dt.date | None = None

    @property
    def repaid_fen(self) -> int:
        return sum(amount for _, amount in self.repayments.values())

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.repaid_fen - self.written_off_fen

    @property
    def status(self) -> str:
        if self.written_off_fen:
            return "written_off"
        return "repaid" if self.outstanding_fen == 0 else "open"

    def repay(self, key: str, paid_on: dt.date, amount_fen: int) -> tuple[Recovery, bool]:
        """Record a repayment; ``(recovery, created)``. The same key with the same day and
        amount is a retry: nothing changes (``created`` False); with others it is refused."""
        if key in self.repayments:
            if self.repayments[key] == (paid_on, amount_fen):
                return self, False
            raise Refused(
                f"Repayment {key} was recorded with another day or amount.",
                code="repayment_key_reused",
                state=True,
                params={"repayment_no": key},
            )
        if self.status != "open":
            raise Refused(
                f"A recovery {self.status} takes no repayment.",
                code="invalid_transition",
                state=True,
                params={"status": self.status, "action": "repay"},
            )
        if amount_fen <= 0 or amount_fen > self.outstanding_fen:
            raise Refused(
                "A repayment is more than nothing and at most what is outstanding.",
                code="amount_above_outstanding",
                errors=[
                    {
                        "loc": ["body", "amount"],
                        "msg": "must be positive and at most the outstanding amount",
                        "key": "above_outstanding",
                    }
                ],
            )
        if paid_on < self.ordered_on:
            raise Refused(
                "A repayment cannot precede the order.",
                code="date_before_order",
                errors=[
                    {
                        "loc": ["body", "paid_on"],
                        "msg": "before the order day",
                        "key": "before_order",
                    }
                ],
            )
        return replace(self, repayments={**self.repayments, key: (paid_on, amount_fen)}), True

    def write_off(self, on: dt.date) -> tuple[Recovery, bool]:
        """Write off what is outstanding (核销, with 财政 consent: 工伤保险经办规程 §100).
        Repeating it on the same day is a retry."""
        if self.status == "written_off":
            if self.written_off_on == on:
                return self, False
            raise Refused(
                "This recovery was written off on another day.",
                code="invalid_transition",
                state=True,
                params={"status": self.status, "action": "write_off"},
            )
        if self.status != "open":
            raise Refused(
                f"A recovery {self.status} cannot be written off.",
                code="invalid_transition",
                state=True,
                params={"status": self.status, "action": "write_off"},
            )
        if on < self.ordered_on:
            raise Refused(
                "A write-off cannot precede the order.",
                code="date_before_order",
                errors=[
                    {
                        "loc": ["body", "written_off_on"],
                        "msg": "before the order day",
                        "key": "before_order",
                    }
                ],
            )
        return replace(self, written_off_fen=self.outstanding_fen, written_off_on=on), True


def recovery_status(stored: str, due_on: dt.date, outstanding_fen: int, today: dt.date) -> str:
    """``overdue`` for an open recovery past its due day with money outstanding."""
    if stored == "open" and outstanding_fen > 0 and today > due_on:
        return "overdue"
    return stored
