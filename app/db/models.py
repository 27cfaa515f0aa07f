"""Every table, imported in one place so Alembic's autogenerate and the tests see them all."""

from app.audit.models import AuditEntry, AuditPending
from app.auth.models import ApiKey
from app.enrolment.models import ProxyPaymentLine, ProxyPaymentRun, ProxyPaymentShare
from app.nhsa.files import NhsaFile
from app.nhsa.models import NhsaMessage, NhsaNonce, NhsaSignin
from app.nhsa.rollup import NhsaRollup
from app.policy.models import PolicyVersion
from app.reconciliation.models import (
    EventRollup,
    FundRollup,
    LedgerAllFundRollup,
    LedgerAllRollup,
    LedgerFundRollup,
    LedgerRollup,
)
from app.registry.models import (
    CatalogItem,
    ExternalEnrolment,
    Hospital,
    PensionEnrolment,
    Person,
    PersonCategory,
    PersonEnrolment,
)
from app.roster.models import RosterImport
from app.settlement.models import (
    Accumulator,
    Reversal,
    Settlement,
    SettlementItemList,
    SettlementLayer,
)
from app.ui.models import UiSession
from app.visits.models import FeeLine, Visit
from app.whatif.models import WhatIfJob
from app.work_injury.models import (
    WiApplication,
    WiCase,
    WiDecision,
    WiDecisionItem,
    WiProject,
    WiProjectWorker,
    WiRecovery,
    WiReminder,
    WiRepayment,
)

__all__ = [
    "Accumulator",
    "ApiKey",
    "AuditEntry",
    "AuditPending",
    "CatalogItem",
    "EventRollup",
    "ExternalEnrolment",
    "FeeLine",
    "FundRollup",
    "Hospital",
    "LedgerAllFundRollup",
    "LedgerAllRollup",
    "LedgerFundRollup",
    "LedgerRollup",
    "NhsaFile",
    "NhsaMessage",
    "NhsaNonce",
    "NhsaRollup",
    "NhsaSignin",
    "PensionEnrolment",
    "Person",
    "PersonCategory",
    "PersonEnrolment",
    "PolicyVersion",
    "ProxyPaymentLine",
    "ProxyPaymentRun",
    "ProxyPaymentShare",
    "Reversal",
    "RosterImport",
    "Settlement",
    "SettlementItemList",
    "SettlementLayer",
    "UiSession",
    "Visit",
    "WhatIfJob",
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
