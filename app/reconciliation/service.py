"""Reconciliation (对总账, 对明细账, 对账, 管理台帐): read-only SQL over settlements. Never writes.

What the endpoints call, one function per operation; each reads in one snapshot below its
horizon (:mod:`.cursor`, which also tells why the details cursor never skips or repeats):

- :func:`totals` and :func:`check` (:mod:`.totals`): aggregates of a scope's events;
- :func:`list_events` (:mod:`.pages`): the events themselves, page by page;
- :func:`ledger` (:mod:`.ledger`): the poverty ledger of registered-poor settlements.

A scope (:mod:`.scope`) is the hospital a caller may see and the Asia/Shanghai days asked for;
sums of fen are exact Python integers however large (:mod:`.sums`).
"""

from __future__ import annotations

from .ledger import ledger
from .pages import EventsPage, list_events
from .totals import check, totals

__all__ = ["EventsPage", "check", "ledger", "list_events", "totals"]
