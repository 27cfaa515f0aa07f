"""Every table, imported in one place so Alembic's autogenerate and the tests see them all."""

from app.audit.models import AuditEntry, AuditPending
from app.auth.models import ApiKey
from app.nhsa.files import NhsaFile
from app.nhsa.models import NhsaMessage, NhsaNonce, NhsaSignin
from app.policy.models import PolicyVersion
from app.registry.models import CatalogItem, Hospital, Person, PersonCategory, PersonEnrolment
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

__all__ = [
    "Accumulator",
    "ApiKey",
    "AuditEntry",
    "AuditPending",
    "CatalogItem",
    "FeeLine",
    "Hospital",
    "NhsaFile",
    "NhsaMessage",
    "NhsaNonce",
    "NhsaSignin",
    "Person",
    "PersonCategory",
    "PersonEnrolment",
    "PolicyVersion",
    "Reversal",
    "Settlement",
    "SettlementItemList",
    "SettlementLayer",
    "UiSession",
    "Visit",
    "WhatIfJob",
]
