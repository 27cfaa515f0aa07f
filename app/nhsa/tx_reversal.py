"""2601 冲正: undo the effect of an earlier message, named by its ``msgid`` (``omsgid``).

``oinfno`` is one of :data:`REVERSIBLE` (NHSA.md: 2401, 2304, 2305). The stored message's
``effect`` goes to the undo function its transaction registered (``@undoes("2304")``), and the
message is marked ``reversed_by`` this 2601's ``msgid``: that ``msgid`` then answers
``-1 该报文已冲正``. An ``omsgid`` never seen (the HIS never got an answer because the message
never arrived, or failed) succeeds and leaves a tombstone, so the message arriving late is
refused the same way instead of taking effect after its 冲正.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from . import wire
from .dispatch import UNDO, Call, Done, lock_message, transaction
from .errors import NhsaFailure
from .models import NhsaMessage

__all__ = ["REVERSIBLE", "reverse_message"]

REVERSIBLE = {"2401", "2304", "2305"}
"""The transactions 2601 may undo (nhsa-interface-detail.md §2601: the spec's list, inpatient)."""


@transaction("2601")
async def reverse_message(call: Call, node: Any) -> Done:
    where = wire.Where("data")
    data = wire.node(wire.node(node, wire.Where("input")).get("data"), where)
    wire.text(data.get("psn_no"), where.field("psn_no"), 30)
    omsgid = wire.text(data.get("omsgid"), where.field("omsgid"), 30)
    oinfno = wire.one_of(data.get("oinfno"), where.field("oinfno"), REVERSIBLE)
    if omsgid is None:  # required: text() raised already
        raise where.field("omsgid").fail("不能为空")
    if omsgid == call.msgid:
        raise where.field("omsgid").fail("不能是本报文自己的报文ID")
    await lock_message(call.session, call.hospital_code, omsgid)
    original = await call.session.scalar(
        select(NhsaMessage).where(
            NhsaMessage.hospital_code == call.hospital_code, NhsaMessage.msgid == omsgid
        )
    )
    at = call.now.astimezone(dt.UTC)
    if original is None:
        call.session.add(
            NhsaMessage(
                hospital_code=call.hospital_code,
                msgid=omsgid,
                infno=oinfno,
                tombstone=True,
                reversed_by=call.msgid,
                reversed_at=at,
            )
        )
        await call.session.flush()
        return Done(output={})
    if original.tombstone or original.reversed_by is not None:
        raise NhsaFailure(f"FSI-输入[data].omsgid：原报文已冲正（冲正报文{original.reversed_by}）")
    if original.infno != oinfno:
        raise NhsaFailure(
            f"FSI-输入[data].oinfno：原报文{omsgid}的交易编号是{original.infno}，不是{oinfno}"
        )
    undo = UNDO.get(oinfno)
    if undo is None:
        raise NhsaFailure(f"FSI-输入[data].oinfno：交易{oinfno}暂不支持冲正")
    await undo(call, dict(original.effect or {}))
    original.reversed_by = call.msgid
    original.reversed_at = at
    await call.session.flush()
    return Done(output={})
