"""The audit log's console page (``/ui/console/audit``): the latest signed head and its JSON
file, inclusion proofs of an entry and of a settlement, consistency between two heads, each
checked on the page; bad input is a Chinese message and changes nothing.

Expected values are computed independently of the stored tree: every entry's leaf hash from
its row (``leaf_data``), in leaf order, folded by the in-memory reference tree
(``app.audit.merkle.Tree``), and signatures checked with the public key of the signer the test
made itself. Runs on a database of its own: the tree's size is every entry of that database.
"""

from __future__ import annotations

import base64
import html
import json
import re
import uuid
from typing import Any

from api.conftest import make_bill, new_person, settle
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, text

from app.audit import merkle, signing
from app.audit.models import AuditEntry
from app.audit.sequencer import integrate_all
from app.audit.service import leaf_data
from app.audit.verification import anchored_from_json

from .conftest import ADMIN, AGENCY, HOSPITAL, headers
from .test_pages import _assert_same_origin

PAGE = "/ui/console/audit"


async def _tree(app: FastAPI) -> tuple[merkle.Tree, list[AuditEntry]]:
    """The reference tree of the integrated entries, from their rows, in leaf order."""
    async with app.state.sessionmaker() as session:
        entries = list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.leaf_index.is_not(None))
                .order_by(AuditEntry.leaf_index)
            )
        )
    assert [e.leaf_index for e in entries] == list(range(len(entries)))
    return merkle.Tree([merkle.leaf_hash(leaf_data(e)) for e in entries]), entries


async def _settled(client: AsyncClient, bill_no: str) -> dict[str, Any]:
    response = await settle(client, make_bill(bill_no, await new_person(client)))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', page, re.S)
    assert found, element_id
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _field(page: str, name: str) -> str:
    found = re.search(rf'data-field="{name}">([^<]*)<', page)
    assert found, name
    return found.group(1)


def _path(page: str) -> list[str]:
    block = re.search(r'<ol class="audit-path">(.*?)</ol>', page, re.S)
    assert block
    return re.findall(r"<code>([0-9a-f]{64})</code>", block.group(1))


async def _log_state(app: FastAPI) -> tuple[int, int, int]:
    async with app.state.engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM audit_log), (SELECT count(*) FROM"
                    " audit_tree_heads), (SELECT count(*) FROM audit_log WHERE leaf_index IS NULL)"
                )
            )
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def test_head_proofs_and_consistency(own_app: FastAPI, own_client: AsyncClient) -> None:
    client, key = own_client, Ed25519PrivateKey.generate()
    public = signing.public_bytes(key.public_key())
    first = await _settled(client, "AU-1")
    await integrate_all(own_app.state.sessionmaker, key)
    small, _ = await _tree(own_app)  # the first head: everything so far, AU-1's entry included
    second = await _settled(client, "AU-2")
    await integrate_all(own_app.state.sessionmaker, key)
    tree, entries = await _tree(own_app)
    n, m = tree.size, small.size
    assert n > m > 0

    page = await client.get(PAGE, headers=headers(AGENCY))
    assert page.status_code == 200, page.text
    _assert_same_origin(page)
    # The latest head: n leaves, the reference root, signed by our key.
    assert _field(page.text, "tree_size") == str(n)
    assert _field(page.text, "root_hash") == tree.root().hex()
    assert _field(page.text, "signature_ok") == "签名有效"
    assert base64.b64encode(public).decode() in page.text
    assert "校验整个审计日志" in page.text and 'id="chain-result"' not in page.text

    # The file is the API's head, byte for byte as JSON, and an anchor verify accepts.
    download = await client.get(f"{PAGE}/head.json", headers=headers(AGENCY))
    assert download.status_code == 200
    assert download.headers["content-disposition"] == (
        f'attachment; filename="audit-head-{n}.json"'
    )
    api = await client.get("/v1/audit/head", headers=headers(AGENCY))
    assert download.json() == api.json()
    anchored = anchored_from_json(download.json())
    assert (anchored.tree_size, anchored.root_hash, anchored.public_key) == (
        n,
        tree.root(),
        public,
    )
    assert signing.verify_head(public, n, tree.root(), anchored.signed_at, anchored.signature)

    # A settlement's entry against the latest head: its leaf index, the reference audit path.
    by_id = {e.entity_id: e for e in entries if e.action == "settlement.create"}
    entry = by_id[second["settlement_id"]]
    assert entry.leaf_index is not None
    page = await client.get(
        PAGE, params={"settlement_id": second["settlement_id"]}, headers=headers(AGENCY)
    )
    assert page.status_code == 200, page.text
    assert _text_of(page.text, "inclusion-result") == (
        f"验证通过：第 {entry.id} 条记录是大小为 {n} 的签名树头中的第 {entry.leaf_index} 个叶子。"
    )
    assert _field(page.text, "leaf_index") == str(entry.leaf_index)
    assert _field(page.text, "leaf_hash") == merkle.leaf_hash(leaf_data(entry)).hex()
    assert _path(page.text) == [h.hex() for h in tree.inclusion(entry.leaf_index)]
    shown = html.unescape(
        re.search(r'<pre class="wrap" id="leaf-data">(.*?)</pre>', page.text, re.S).group(1)
    )  # type: ignore[union-attr]
    assert (
        json.loads(shown)["details"]["fund_paid_fen"]
        == json.loads(leaf_data(entry))["details"]["fund_paid_fen"]
    )

    # The first settlement by entry id, against the first (smaller) head.
    old = by_id[first["settlement_id"]]
    assert old.leaf_index is not None and old.leaf_index < m
    page = await client.get(
        PAGE, params={"entry_id": str(old.id), "tree_size": str(m)}, headers=headers(ADMIN)
    )
    assert page.status_code == 200, page.text
    assert _text_of(page.text, "inclusion-result").startswith(
        f"验证通过：第 {old.id} 条记录是大小为 {m} "
    )
    assert _path(page.text) == [h.hex() for h in small.inclusion(old.leaf_index)]

    # Consistency m -> latest: the reference proof, both heads shown.
    page = await client.get(PAGE, params={"first": str(m)}, headers=headers(AGENCY))
    assert page.status_code == 200, page.text
    assert _text_of(page.text, "consistency-result") == (
        f"一致：大小为 {m} 的树头是大小为 {n} 的树头的前缀，两个签名均有效。"
    )
    assert _path(page.text) == [h.hex() for h in tree.consistency(m)]
    assert small.root().hex() in page.text
    assert merkle.verify_consistency(m, n, small.root(), tree.root(), tree.consistency(m))

    # The whole log's verification, when asked.
    page = await client.get(PAGE, params={"verify": "1"}, headers=headers(AGENCY))
    assert "审计链完整" in _text_of(page.text, "chain-result")

    # An entry edited behind the trigger's back: its proof no longer verifies.
    async with own_app.state.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        await conn.execute(
            text(
                "UPDATE audit_log SET details = details || '{\"fund_paid_fen\": 1}' WHERE id = :i"
            ),
            {"i": entry.id},
        )
        await conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    page = await client.get(
        PAGE, params={"settlement_id": second["settlement_id"]}, headers=headers(AGENCY)
    )
    assert _text_of(page.text, "inclusion-result").startswith(
        f"验证未通过：第 {entry.id} 条记录的当前内容与树中的叶子不符"
    )


async def test_bad_input_is_a_chinese_message_and_changes_nothing(
    own_app: FastAPI, own_client: AsyncClient
) -> None:
    client, key = own_client, Ed25519PrivateKey.generate()
    await _settled(client, "AU-3")
    await integrate_all(own_app.state.sessionmaker, key)
    tree, entries = await _tree(own_app)
    n = tree.size
    waiting = await _settled(client, "AU-4")  # committed, not integrated
    before = await _log_state(own_app)
    assert before[2] > 0
    last = entries[-1].id
    cases: list[tuple[dict[str, str], str, str]] = [
        ({"entry_id": "abc"}, "entry_id", "审计记录序号应为正整数（只含数字，不以 0 开头）。"),
        ({"entry_id": "0"}, "entry_id", "审计记录序号应为正整数"),
        ({"entry_id": "012"}, "entry_id", "审计记录序号应为正整数"),
        ({"entry_id": "１２"}, "entry_id", "审计记录序号应为正整数"),  # full-width digits
        ({"entry_id": str(2**63)}, "entry_id", "审计记录序号应为正整数"),  # past BIGINT
        ({"tree_size": "5"}, "entry_id", "请填写审计记录序号或结算编号（二者填一个）。"),
        (
            {"entry_id": "1", "settlement_id": str(uuid.uuid4())},
            "settlement_id",
            "审计记录序号和结算编号只能填一个。",
        ),
        ({"settlement_id": "not-a-uuid"}, "settlement_id", "结算编号应为 UUID"),
        ({"entry_id": str(last + 10_000)}, "entry_id", f"没有第 {last + 10_000} 条审计记录。"),
        (
            {"settlement_id": "00000000-0000-4000-8000-000000000000"},
            "settlement_id",
            "结算 00000000-0000-4000-8000-000000000000 没有结算审计记录（settlement.create）。",
        ),
        (
            {"settlement_id": waiting["settlement_id"]},
            "settlement_id",
            "该记录尚未整合进最新树头",
        ),
        (
            {"entry_id": "1", "tree_size": str(n + 1)},
            "tree_size",
            f"没有大小为 {n + 1} 的签名树头",
        ),
        ({"entry_id": "1", "tree_size": "-1"}, "tree_size", "树头大小（不填为最新）应为正整数"),
        ({"second": str(n)}, "first", "请填写第一个树头大小。"),
        ({"first": str(n), "second": "1"}, "second", "第二个树头大小不能小于第一个。"),
        ({"first": str(n + 1)}, "first", f"没有大小为 {n + 1} 的签名树头"),
        ({"first": "x1"}, "first", "第一个树头大小应为正整数"),
    ]
    for params, name, words in cases:
        page = await client.get(PAGE, params=params, headers=headers(AGENCY))
        assert page.status_code == 422, (params, page.status_code)
        assert 'aria-invalid="true" aria-describedby="' + name + '-error"' in page.text, params
        assert words in _text_of(page.text, f"{name}-error"), (params, page.text[-3000:])
        assert 'id="inclusion-result"' not in page.text
        assert 'id="consistency-result"' not in page.text
    assert await _log_state(own_app) == before


async def test_roles_and_no_head_yet(own_app: FastAPI, own_client: AsyncClient) -> None:
    client = own_client
    # Nothing integrated yet in this database (the test settings run no sequencer).
    page = await client.get(PAGE, headers=headers(AGENCY))
    assert page.status_code == 200
    assert _text_of(page.text, "latest-head") == "还没有签名树头：尚无记录被整合。"
    download = await client.get(f"{PAGE}/head.json", headers=headers(ADMIN))
    assert download.status_code == 404
    assert "还没有签名树头，无法下载" in download.text
    for path in (PAGE, f"{PAGE}/head.json"):
        refused = await client.get(path, headers=headers(f"demo-{HOSPITAL}"))
        assert refused.status_code == 403, path
