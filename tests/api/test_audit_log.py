"""The Merkle audit log end to end (migration 0022, docs/audit.md): the sequencer, the signed
heads, the proofs a client verifies on its own, and ``onestop audit verify`` finding an edit of
every stored table, a deleted tail against an anchored head included."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from app.audit import merkle, signing
from app.audit.sequencer import integrate_all
from app.audit.verification import Report, anchored_from_json, verify_all

from .conftest import ADMIN, AGENCY, assert_problem, bill_no, headers, make_bill, new_person, settle
from .conftest import reverse as reverse_settlement

pytestmark = pytest.mark.usefixtures("demo")

OWN = "H510402001"
KEY = Ed25519PrivateKey.generate()


async def _superuser(url: str, *statements: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def _sequence(app: FastAPI) -> int:
    return await integrate_all(app.state.sessionmaker, KEY)


async def _verify(app: FastAPI, **kwargs: Any) -> Report:
    async with app.state.sessionmaker() as session, session.begin():
        return await verify_all(session, **kwargs)


async def _settled(client: AsyncClient) -> dict[str, Any]:
    person = await new_person(client, ["registered_poor"], county=OWN[1:7])
    response = await settle(client, make_bill(bill_no(), person, hospital=OWN))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def log(own_app: FastAPI, own_client: AsyncClient, own_database_url: str) -> dict[str, Any]:
    """Three settlements, one reversed, all integrated: a log that verifies."""
    settled = [await _settled(own_client) for _ in range(3)]
    response = await reverse_settlement(own_client, settled[0])
    assert response.status_code in (200, 201), response.text
    await _sequence(own_app)
    report = await _verify(own_app)
    assert report.ok, report.problems
    assert report.unsequenced == 0 and report.leaves > 0 and report.settlements >= 3
    return {"app": own_app, "client": own_client, "url": own_database_url, "settled": settled}


async def test_head_is_signed_and_proofs_verify_by_themselves(log: dict[str, Any]) -> None:
    client: AsyncClient = log["client"]
    head = (await client.get("/v1/audit/head", headers=headers(AGENCY))).json()
    key = (await client.get("/v1/audit/public-key", headers=headers(AGENCY))).json()
    assert key["algorithm"] == "Ed25519" and "BEGIN PUBLIC KEY" in key["pem"]
    public = base64.b64decode(head["public_key"])
    assert signing.key_id(public) == head["key_id"]
    at = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=head["signed_at_ms"])
    root = bytes.fromhex(head["root_hash"])
    # The signed message rebuilt from the JSON alone (docs/audit.md).
    message = "onestop-audit-tree-head-v1\n{tree_size}\n{root_hash}\n{signed_at_ms}\n".format(
        **head
    )
    assert signing.head_message(head["tree_size"], root, at) == message.encode()
    assert signing.verify_head(
        public, head["tree_size"], root, at, base64.b64decode(head["signature"])
    )

    # A settlement's entry: its leaf data names the settlement and its layer amounts.
    sid = log["settled"][1]["settlement_id"]
    proof = (await client.get(f"/v1/audit/settlements/{sid}/proof", headers=headers(AGENCY))).json()
    data = json.loads(proof["leaf_data"])
    assert data["entity_id"] == sid and data["action"] == "settlement.create"
    assert data["details"]["layers"] and data["details"]["amounts"]
    leaf = merkle.leaf_hash(proof["leaf_data"].encode())
    assert leaf.hex() == proof["leaf_hash"]
    path = [bytes.fromhex(p) for p in proof["audit_path"]]
    assert merkle.verify_inclusion(proof["leaf_index"], proof["tree_size"], leaf, path, root)
    # The same by entry id.
    by_id = (
        await client.get(f"/v1/audit/entries/{proof['entry_id']}/proof", headers=headers(ADMIN))
    ).json()
    assert by_id["audit_path"] == proof["audit_path"]

    # The log grows; the old head is a prefix of the new one.
    await _settled(client)
    await _sequence(log["app"])
    new = (await client.get("/v1/audit/head", headers=headers(AGENCY))).json()
    assert new["tree_size"] > head["tree_size"]
    consistency = (
        await client.get(
            "/v1/audit/consistency",
            params={"first": head["tree_size"], "second": new["tree_size"]},
            headers=headers(AGENCY),
        )
    ).json()
    assert merkle.verify_consistency(
        head["tree_size"],
        new["tree_size"],
        root,
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(p) for p in consistency["proof"]],
    )
    # Against a size with no head: 404; a hospital key cannot ask for proofs.
    assert_problem(
        await client.get(
            f"/v1/audit/entries/{proof['entry_id']}/proof",
            params={"tree_size": new["tree_size"] + 5},
            headers=headers(ADMIN),
        ),
        404,
        "audit_head_not_found",
    )
    assert (
        await client.get(f"/v1/audit/settlements/{sid}/proof", headers=headers(f"demo-{OWN}"))
    ).status_code == 403


async def test_an_entry_not_yet_integrated_has_no_proof(log: dict[str, Any]) -> None:
    client: AsyncClient = log["client"]
    # The lifespan's sequencer may integrate it at any moment: stop it for this test.
    await log["app"].state.audit_sequencer.stop()
    settled = await _settled(client)
    assert_problem(
        await client.get(
            f"/v1/audit/settlements/{settled['settlement_id']}/proof", headers=headers(ADMIN)
        ),
        409,
        "audit_entry_not_integrated",
    )


# -- tampering: one test per stored table ------------------------------------------------------

_OFF = "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"
_ON = "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"


async def _findings(log: dict[str, Any]) -> list[str]:
    report = await _verify(log["app"])
    assert not report.ok
    return report.problems


async def test_an_edited_leaf_entry_is_reported(log: dict[str, Any]) -> None:
    sid = log["settled"][2]["settlement_id"]
    await _superuser(
        log["url"],
        _OFF,
        "UPDATE audit_log SET details = jsonb_set(details, '{fund_paid_fen}', '1')"
        f" WHERE entity_id = '{sid}' AND action = 'settlement.create'",
        _ON,
    )
    problems = await _findings(log)
    assert any("does not match leaf hash" in p for p in problems), problems
    # and the settlement no longer matches the (edited) entry either
    assert any(sid in p and "amounts differ" in p for p in problems), problems


async def test_an_edited_tree_head_is_reported(log: dict[str, Any]) -> None:
    await _superuser(
        log["url"],
        "UPDATE audit_tree_heads SET root_hash = sha256(root_hash)"
        " WHERE tree_size = (SELECT max(tree_size) FROM audit_tree_heads)",
    )
    problems = await _findings(log)
    assert any("signature does not verify" in p for p in problems), problems


async def test_an_edited_tree_node_is_reported(log: dict[str, Any]) -> None:
    await _superuser(
        log["url"], "UPDATE audit_tree_nodes SET hash = sha256(hash) WHERE level = 1 AND idx = 0"
    )
    problems = await _findings(log)
    assert any("inner nodes" in p for p in problems), problems


async def test_an_edited_settlement_row_is_reported(log: dict[str, Any]) -> None:
    sid = log["settled"][1]["settlement_id"]
    await _superuser(
        log["url"],
        "UPDATE settlements SET self_pay_fen = self_pay_fen + 1, fund_paid_fen = fund_paid_fen - 1"
        f" WHERE id = '{sid}'",  # conserved (the CHECK holds): only the log tells
    )
    problems = await _findings(log)
    assert problems == [f"settlement {sid}: its amounts differ from its entry"]


async def test_an_edited_layer_line_is_reported(log: dict[str, Any]) -> None:
    """The issue's case: a superuser's UPDATE of settlement_layers.paid_fen."""
    sid = log["settled"][1]["settlement_id"]
    await _superuser(
        log["url"],
        "UPDATE settlement_layers SET paid_fen = paid_fen - 100, left_fen = left_fen + 100"
        f" WHERE settlement_id = '{sid}' AND position = 0",  # within its CHECK
    )
    problems = await _findings(log)
    assert problems == [f"settlement {sid}: its layer lines differ from its entry"]


async def test_an_edited_or_deleted_reversal_is_reported(log: dict[str, Any]) -> None:
    sid = log["settled"][0]["settlement_id"]
    await _superuser(
        log["url"], f"UPDATE reversals SET reason = 'edited' WHERE settlement_id = '{sid}'"
    )
    assert await _findings(log) == [f"settlement {sid}: the reversal row differs from its entry"]
    await _superuser(log["url"], f"DELETE FROM reversals WHERE settlement_id = '{sid}'")
    assert await _findings(log) == [
        f"settlement {sid}: the settlement.reverse entry has no reversal row"
    ]
    # A reversal nobody logged: a reversal row for settlement 2.
    other = log["settled"][2]["settlement_id"]
    await _superuser(
        log["url"],
        "INSERT INTO reversals (id, settlement_id, reason) VALUES (gen_random_uuid(),"
        f" '{other}', 'forged')",
    )
    problems = await _findings(log)
    assert f"settlement {other}: reversal row has no settlement.reverse entry" in problems


async def test_a_deleted_tail_is_found_against_an_anchored_head(
    log: dict[str, Any], tmp_path: Path
) -> None:
    client: AsyncClient = log["client"]
    anchor = (await client.get("/v1/audit/head", headers=headers(AGENCY))).json()
    (tmp_path / "head.json").write_text(json.dumps(anchor))
    size = anchor["tree_size"]
    # Delete the last leaf with its head, nodes and every later head: the stored log is
    # self-consistent again at size - 1...
    await _superuser(
        log["url"],
        _OFF,
        f"DELETE FROM audit_tree_heads WHERE tree_size >= {size - 1}",
        f"DELETE FROM audit_tree_nodes WHERE idx >= ({size - 1} >> level)",
        f"DELETE FROM audit_log WHERE leaf_index >= {size - 1}",
        _ON,
    )
    report = await _verify(log["app"])
    assert not any("missing" in p for p in report.problems)  # no hole: nothing says "deleted"
    # ...but not with the head the agency kept.
    with_anchor = await _verify(log["app"], anchored=[anchored_from_json(anchor)])
    assert any(f"anchored head {size}" in p for p in with_anchor.problems), with_anchor.problems
    # The CLI, as an agency runs it with the head it kept.
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "audit",
            "verify",
            "--anchor",
            str(tmp_path / "head.json"),
        ],
        env={**os.environ, "DATABASE_URL": log["url"]},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert cli.returncode == 1, cli.stdout + cli.stderr
    assert "audit log BROKEN" in cli.stdout and f"anchored head {size}" in cli.stdout
    # An anchored head whose signature was altered is refused as such.
    forged = {**anchor, "signed_at_ms": anchor["signed_at_ms"] + 1}
    forged_report = await _verify(log["app"], anchored=[anchored_from_json(forged)])
    assert any("its signature does not verify" in p for p in forged_report.problems)


async def test_trusted_keys_only(log: dict[str, Any]) -> None:
    other = signing.public_bytes(Ed25519PrivateKey.generate().public_key())
    report = await _verify(log["app"], trusted_keys=[other])
    assert any("not a trusted key" in p for p in report.problems)
    ok = await _verify(
        log["app"],
        trusted_keys=[signing.public_bytes(KEY.public_key()), log["app"].state.audit_public_key],
    )
    assert ok.ok, ok.problems


async def test_the_verify_endpoint_reports_what_the_cli_does(log: dict[str, Any]) -> None:
    client: AsyncClient = log["client"]
    sid = log["settled"][1]["settlement_id"]
    ok = (await client.get("/v1/audit/verify", headers=headers(ADMIN))).json()
    assert ok["ok"] is True and ok["problems"] == [] and ok["heads"] >= 1
    await _superuser(
        log["url"],
        "UPDATE settlement_layers SET paid_fen = 0, left_fen = base_fen"
        f" WHERE settlement_id = '{sid}'",
    )
    broken = (await client.get("/v1/audit/verify", headers=headers(ADMIN))).json()
    assert broken["ok"] is False
    assert broken["problem"] == f"settlement {sid}: its layer lines differ from its entry"


async def _leaf_order(url: str) -> list[tuple[int, int, int]]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with AsyncSession(engine) as session:
            rows = await session.execute(
                text("SELECT leaf_index, xact_id, id FROM audit_log ORDER BY leaf_index")
            )
            return [(int(a), int(b), int(c)) for a, b, c in rows]
    finally:
        await engine.dispose()


# -- concurrency: the sequencer cancelled mid-batch, again and again ----------------------------


async def test_concurrent_settlements_with_the_sequencer_killed_mid_batch(
    own_app: FastAPI,
    own_client: AsyncClient,
    own_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """40 settlements at once while a sequencer with batches of 3 is cancelled inside a batch
    (after it set leaf indices and stored nodes, before it signed and committed) five times and
    restarted; then 5 settlements one after another. Every entry is a leaf exactly once, leaves
    are in (xact_id, id) order, the tree verifies, and the sequential ones are in the order they
    were answered."""
    from app.audit import sequencer as seq

    await own_app.state.audit_sequencer.stop()  # this test runs its own
    inside = asyncio.Event()
    real_sign = seq.sign_head

    async def slow_sign(*args: Any, **kwargs: Any) -> None:
        inside.set()
        await asyncio.sleep(0.05)  # the window in which the task is cancelled
        await real_sign(*args, **kwargs)

    monkeypatch.setattr(seq, "sign_head", slow_sign)

    def started() -> seq.Sequencer:
        running = seq.Sequencer(own_app.state.sessionmaker, KEY, 0.01)
        running.batch = 3
        running.start()
        return running

    async def killer() -> int:
        kills = 0
        running = started()
        for _ in range(5):
            inside.clear()
            await asyncio.wait_for(inside.wait(), 30)
            await running.stop()  # cancelled inside the batch: its transaction rolls back
            kills += 1
            running = started()
        await asyncio.sleep(0.2)
        await running.stop()
        return kills

    async def settled(person: str) -> Any:
        body = make_bill(bill_no(), person, hospital=OWN)
        for _ in range(100):  # 503 overloaded (admission control) on a loaded machine: again
            response = await settle(own_client, body)
            if response.status_code != 503:
                return response
            await asyncio.sleep(0.05)
        return response

    persons = [
        await new_person(own_client, ["registered_poor"], county=OWN[1:7]) for _ in range(40)
    ]
    before = (await _verify(own_app)).leaves
    results = await asyncio.gather(killer(), *(settled(p) for p in persons))
    assert results[0] == 5
    assert [r.status_code for r in results[1:]] == [201] * 40  # type: ignore[union-attr]
    sequential = [await _settled(own_client) for _ in range(5)]
    monkeypatch.setattr(seq, "sign_head", real_sign)
    await integrate_all(own_app.state.sessionmaker, KEY)

    order = await _leaf_order(own_database_url)
    assert [leaf for leaf, _, _ in order] == list(range(len(order)))  # dense, once each
    assert [(x, i) for _, x, i in order] == sorted((x, i) for _, x, i in order)
    engine = create_async_engine(own_database_url, poolclass=NullPool)
    try:
        async with AsyncSession(engine) as session:
            unsequenced = await session.scalar(
                text("SELECT count(*) FROM audit_log WHERE leaf_index IS NULL")
            )
            created = dict(
                (
                    await session.execute(
                        text(
                            "SELECT entity_id, leaf_index FROM audit_log"
                            " WHERE action = 'settlement.create'"
                        )
                    )
                ).all()
            )
    finally:
        await engine.dispose()
    assert unsequenced == 0
    for r in results[1:]:
        assert r.json()["settlement_id"] in created  # type: ignore[union-attr]
    leaves = [created[s["settlement_id"]] for s in sequential]
    assert leaves == sorted(leaves)  # answered one after another: logged in that order
    report = await _verify(own_app)
    assert report.ok, report.problems
    assert report.leaves == len(order) > before
