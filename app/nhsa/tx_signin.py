"""9001 签到: record the operator's sign-in and answer a ``sign_no``.

Later envelopes may carry that ``sign_no``; it is kept with each message (``nhsa_messages.header``)
but not required, as on the platform (nhsa-interface-detail.md §9001).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from . import wire
from .dispatch import Call, Done, transaction
from .models import NhsaSignin

__all__ = ["sign_in"]


@transaction("9001")
async def sign_in(call: Call, node: Any) -> Done:
    where = wire.Where("signIn")
    sign = wire.node(wire.node(node, wire.Where("input")).get("signIn"), where)
    opter_no = wire.text(sign.get("opter_no"), where.field("opter_no"), 20)
    mac = wire.text(sign.get("mac"), where.field("mac"), 20, required=False)
    ip = wire.text(sign.get("ip"), where.field("ip"), 20)
    sign_no = await call.session.scalar(
        insert(NhsaSignin)
        .values(
            hospital_code=call.hospital_code,
            msgid=call.msgid,
            opter_no=opter_no,
            mac=mac,
            ip=ip,
            signed_at=call.now,
        )
        .returning(NhsaSignin.sign_no)
    )
    return Done(
        output={
            "signinoutb": {
                "sign_no": sign_no,
                "sign_time": call.now.strftime("%Y-%m-%d %H:%M:%S"),
            }
        }
    )
