"""The national medical-insurance platform's interface (国家医保信息平台 "fsi"), served over the
same domain as ``/v1`` (docs/nhsa.md). Importing the package registers every transaction."""

from . import tx_person, tx_reconcile, tx_reversal, tx_settle, tx_signin, tx_visits
from .dispatch import router

__all__ = [
    "router",
    "tx_person",
    "tx_reconcile",
    "tx_reversal",
    "tx_settle",
    "tx_signin",
    "tx_visits",
]
