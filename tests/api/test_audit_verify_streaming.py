"""``verify_all`` reads the signed heads batch by batch with the leaves they cover (it no longer
holds every head): with many heads and a leaf page smaller than the log, every head is still
counted, its signature checked and its root compared, wherever the pages fall."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, text

from app.audit import merkle, signing
from app.audit.models import TreeHead
from app.audit.sequencer import integrate_once
from app.audit.verification import anchored_from_json

from .test_audit_log import KEY, _settled, _superuser, _verify

pytestmark = pytest.mark.usefixtures("demo")


async def _heads(app: FastAPI) -> list[int]:
    async with app.state.sessionmaker() as session:
        return list(await session.scalars(select(TreeHead.tree_size).order_by(TreeHead.tree_size)))


async def test_every_head_checked_whatever_the_page(
    own_app: FastAPI, own_client: AsyncClient, own_database_url: str
) -> None:
    for _ in range(3):
        await _settled(own_client)
    # One head per entry: a batch of one leaf at a time, until nothing is left.
    while True:
        async with own_app.state.sessionmaker() as session:
            done = await integrate_once(session, KEY, batch=1, wait=True)
        if done.leaves == 0:
            break
    sizes = await _heads(own_app)
    assert sizes == list(range(1, len(sizes) + 1)) and len(sizes) > 6
    for page in (1, 2, 3, 5000):  # pages of leaves: heads fall inside, on and past their ends
        report = await _verify(own_app, batch=page)
        assert report.ok, (page, report.problems)
        assert (report.heads, report.leaves) == (len(sizes), len(sizes))

    # A head in the middle re-signed over another size's root: its signature is valid, its
    # root is not the root of its leaves, and only that head is reported, at any page size.
    victim, other = sizes[len(sizes) // 2], sizes[len(sizes) // 2 - 1]
    async with own_app.state.sessionmaker() as session:
        head = await session.get(TreeHead, victim)
        wrong = await session.get(TreeHead, other)
        assert head is not None and wrong is not None
        root, at = bytes(wrong.root_hash), head.signed_at
    signature = KEY.sign(signing.head_message(victim, root, at))
    await _superuser(
        own_database_url,
        f"UPDATE audit_tree_heads SET root_hash = '\\x{root.hex()}',"
        f" signature = '\\x{signature.hex()}' WHERE tree_size = {victim}",
    )
    for page in (1, 2, 3, 5000):
        report = await _verify(own_app, batch=page)
        assert report.problems == [f"head {victim}: the root does not match the leaves"], page
    # An anchored head past the end of the log (its tail gone) is reported as such.
    anchored_size = len(sizes) + 4
    fake_root = merkle.leaf_hash(b"not the log")
    at_ms = signing.millis(at)
    anchor: dict[str, Any] = {
        "tree_size": anchored_size,
        "root_hash": fake_root.hex(),
        "signed_at_ms": at_ms,
        "public_key": base64.b64encode(signing.public_bytes(KEY.public_key())).decode(),
        "signature": base64.b64encode(
            KEY.sign(signing.head_message(anchored_size, fake_root, at))
        ).decode(),
    }
    report = await _verify(own_app, batch=2, anchored=[anchored_from_json(anchor)])
    assert (
        f"anchored head {anchored_size} covers {anchored_size} leaves but the log has "
        f"{len(sizes)}: leaves were deleted from the tail"
    ) in report.problems
    async with own_app.state.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM audit_tree_heads")) == len(sizes)


async def test_many_differing_settlements_are_counted_and_twenty_listed(
    own_app: FastAPI, own_client: AsyncClient, own_database_url: str
) -> None:
    """The cross-check is counted in the database: 22 edited settlements give 20 findings by
    settlement id (the 20 smallest ids as text) and one line with the count, 22."""
    settled = [await _settled(own_client) for _ in range(22)]
    await integrate_once_all(own_app)
    await _superuser(
        own_database_url,
        "UPDATE settlement_layers SET paid_fen = paid_fen - 100, left_fen = left_fen + 100"
        " WHERE position = 0 AND paid_fen >= 100",  # within its CHECK
    )
    edited = sorted(s["settlement_id"] for s in settled)  # every one paid at layer 0
    report = await _verify(own_app)
    assert report.settlements == 22
    assert report.problems == [
        f"settlement {sid}: its layer lines differ from its entry" for sid in edited[:20]
    ] + ["(22 settlements and 0 reversals differ in all)"]


async def integrate_once_all(app: FastAPI) -> None:
    while True:
        async with app.state.sessionmaker() as session:
            if (await integrate_once(session, KEY, wait=True)).leaves == 0:
                return
