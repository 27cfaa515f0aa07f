"""Message idempotency (nhsa_messages) and 2601 冲正."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.errors import Unprocessable
from app.nhsa import dispatch, tx_reversal, wire

from .fsi import HOSPITAL, call, envelope, failed, msgid, ok

pytestmark = pytest.mark.usefixtures("demo")

SIGN_IN = {"signIn": {"opter_no": "1099", "mac": "70-B5-E8-3F-1C-34", "ip": "168.168.210.100"}}


async def stored(engine: AsyncEngine, msg: str) -> Mapping[str, Any] | None:
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT * FROM nhsa_messages WHERE hospital_code = :h AND msgid = :m"),
                    {"h": HOSPITAL, "m": msg},
                )
            )
            .mappings()
            .first()
        )
    return row


async def signins(engine: AsyncEngine, msg: str) -> int:
    async with engine.connect() as conn:
        return int(
            await conn.scalar(
                text("SELECT count(*) FROM nhsa_signins WHERE msgid = :m"), {"m": msg}
            )
            or 0
        )


async def test_replay_returns_the_stored_bytes(client: AsyncClient, engine: AsyncEngine) -> None:
    body = envelope("9001", SIGN_IN)
    first = await call(client, body)
    ok(first)
    # the same message again, the envelope's other fields changed (not part of the input)
    again = await call(client, {**body, "inf_time": "2026-12-01 10:05:00", "opter": "2"})
    assert again.content == first.content  # byte for byte: same inf_refmsgid, times, sign_no
    assert await signins(engine, body["msgid"]) == 1  # ran once
    row = await stored(engine, body["msgid"])
    assert row is not None and row["answer"] == first.content
    assert row["infno"] == "9001" and row["content_type"] == "application/json"
    assert row["inf_refmsgid"] == first.json()["inf_refmsgid"] and not row["tombstone"]
    # numbers keep their text in the hash: the same message with 12.5 instead of 12.50 differs
    assert dispatch.input_hash("9001", body["input"]) == row["input_hash"]


async def test_msgid_reused_with_another_input(client: AsyncClient, engine: AsyncEngine) -> None:
    body = envelope("9001", SIGN_IN)
    first = await call(client, body)
    ok(first)
    other = {**body, "input": {"signIn": {**SIGN_IN["signIn"], "ip": "10.0.0.1"}}}
    assert failed(await call(client, other)) == f"FSI-报文ID重复：{body['msgid']}已用于另一报文"
    # the same input under another infno is another message too
    assert failed(await call(client, {**body, "infno": "1101"})).startswith("FSI-报文ID重复")
    # nothing changed: the stored answer still replays
    assert (await call(client, body)).content == first.content
    # another hospital may use the same msgid: (fixmedins_code, msgid) is the key
    theirs = {**body, "fixmedins_code": "H510402002"}
    ok(await call(client, theirs, key="demo-H510402002"))


async def test_a_failed_message_is_not_stored(
    client: AsyncClient, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def half_then_fail(call: dispatch.Call, node: Any) -> dispatch.Done:
        # writes a row, then fails: the row must not stay
        await call.session.execute(
            text(
                "INSERT INTO nhsa_signins (hospital_code, msgid, opter_no, ip, signed_at)"
                " VALUES (:h, :m, 'x', 'y', now())"
            ),
            {"h": call.hospital_code, "m": call.msgid},
        )
        if node.get("fail"):
            raise wire.Where("data").field("fail").fail("按要求失败")
        return dispatch.Done(output={"done": True})

    monkeypatch.setitem(dispatch.HANDLERS, "T101", half_then_fail)
    body = envelope("T101", {"fail": True})
    assert failed(await call(client, body)) == "FSI-输入[data].fail：按要求失败"
    assert await stored(engine, body["msgid"]) is None
    assert await signins(engine, body["msgid"]) == 0
    # the same msgid runs again (nothing was stored), here with an input that succeeds
    assert ok(await call(client, {**body, "input": {"fail": False}})) == {"done": True}
    assert await signins(engine, body["msgid"]) == 1


@pytest.fixture
def reversible(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, str]]]:
    """A test-only transaction T240 with an effect and its undo; the undo calls are recorded."""
    undone: list[tuple[str, dict[str, str]]] = []

    async def open_thing(call: dispatch.Call, node: Any) -> dispatch.Done:
        return dispatch.Done(output={"result": {"id": call.msgid}}, effect={"thing": call.msgid})

    async def undo_thing(call: dispatch.Call, effect: Mapping[str, str]) -> None:
        if effect["thing"].endswith("refuse"):
            raise Unprocessable("不能冲正", errors=[{"loc": ["data", "omsgid"], "msg": "不能冲正"}])
        undone.append((call.msgid, dict(effect)))

    monkeypatch.setitem(dispatch.HANDLERS, "T240", open_thing)
    monkeypatch.setitem(dispatch.UNDO, "T240", undo_thing)
    monkeypatch.setattr(tx_reversal, "REVERSIBLE", {*tx_reversal.REVERSIBLE, "T240"})
    return undone


def reversal(omsgid: str, oinfno: str = "T240", msg: str | None = None) -> dict[str, Any]:
    return envelope(
        "2601", {"data": {"psn_no": "P000000000001", "omsgid": omsgid, "oinfno": oinfno}}, msg=msg
    )


async def test_2601_undoes_a_stored_message(
    client: AsyncClient, engine: AsyncEngine, reversible: list[tuple[str, dict[str, str]]]
) -> None:
    original = envelope("T240", {"x": 1})
    ok(await call(client, original))
    undo = reversal(original["msgid"])
    first = await call(client, undo)
    assert ok(first) == {}
    assert reversible == [(undo["msgid"], {"thing": original["msgid"]})]
    row = await stored(engine, original["msgid"])
    assert (
        row is not None
        and row["reversed_by"] == undo["msgid"]
        and row["effect"] == {"thing": original["msgid"]}
    )
    # the original again: refused, not replayed
    assert failed(await call(client, original)) == "FSI-该报文已冲正"
    # the 2601 again with its msgid: its stored answer, and no second undo
    assert (await call(client, undo)).content == first.content
    assert len(reversible) == 1
    # another 2601 of the same message: refused
    assert failed(await call(client, reversal(original["msgid"]))).startswith(
        "FSI-输入[data].omsgid：原报文已冲正"
    )


async def test_2601_of_a_msgid_never_seen_leaves_a_tombstone(
    client: AsyncClient, engine: AsyncEngine, reversible: list[tuple[str, dict[str, str]]]
) -> None:
    late = msgid()
    ok(await call(client, reversal(late)))
    assert reversible == []  # nothing to undo
    row = await stored(engine, late)
    assert row is not None and row["tombstone"] and row["answer"] is None
    # the message arrives late: refused, and its handler never runs
    assert failed(await call(client, envelope("T240", {"x": 1}, msg=late))) == "FSI-该报文已冲正"
    row = await stored(engine, late)
    assert row is not None and row["tombstone"] and row["answer"] is None
    # a second 2601 of it
    assert "原报文已冲正" in failed(await call(client, reversal(late)))


async def test_2601_errors(
    client: AsyncClient, engine: AsyncEngine, reversible: list[tuple[str, dict[str, str]]]
) -> None:
    assert (
        failed(await call(client, reversal(msgid(), oinfno="2301")))
        == "FSI-输入[data].oinfno：取值2301无效，应为2304/2305/2401/T240"
    )
    original = envelope("9001", SIGN_IN)
    ok(await call(client, original))
    assert (
        failed(await call(client, reversal(original["msgid"], oinfno="T240")))
        == f"FSI-输入[data].oinfno：原报文{original['msgid']}的交易编号是9001，不是T240"
    )
    # an undo that fails: the 2601 fails, the original stays as it was, nothing stored
    refused = envelope("T240", {}, msg=msgid() + "refuse")
    ok(await call(client, refused))
    undo = reversal(refused["msgid"])
    assert failed(await call(client, undo)) == "FSI-输入[data].omsgid：不能冲正"
    row = await stored(engine, refused["msgid"])
    assert row is not None and row["reversed_by"] is None
    assert await stored(engine, undo["msgid"]) is None
    own = envelope("2601", {})
    own["input"] = {"data": {"psn_no": "P1", "omsgid": own["msgid"], "oinfno": "T240"}}
    assert failed(await call(client, own)) == "FSI-输入[data].omsgid：不能是本报文自己的报文ID"
    missing = reversal(msgid())
    del missing["input"]["data"]["psn_no"]
    assert failed(await call(client, missing)) == "FSI-输入[data].psn_no：不能为空"


async def test_the_same_message_twice_at_once_runs_once(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second waits on the advisory lock of (hospital, msgid), then finds the first's
    committed answer and replays it."""
    import asyncio

    runs: list[str] = []

    async def slow(call: dispatch.Call, node: Any) -> dispatch.Done:
        runs.append(call.msgid)
        await asyncio.sleep(0.3)
        return dispatch.Done(output={"n": len(runs)})

    monkeypatch.setitem(dispatch.HANDLERS, "T300", slow)
    body = envelope("T300", {"x": 1})
    first, second = await asyncio.gather(call(client, body), call(client, body))
    assert runs == [body["msgid"]]
    assert first.content == second.content
    assert ok(first) == {"n": 1}
