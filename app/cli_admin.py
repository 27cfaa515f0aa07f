"""``onestop keys create|list|revoke`` and ``onestop audit verify|sequence|head``: admin work on
the database."""

from __future__ import annotations

import argparse
import base64
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.audit import sequencer, signing
from app.audit.models import SigningKey, TreeHead
from app.audit.service import record
from app.audit.verification import anchored_from_json, head_json, verify_all
from app.auth.service import ROLES, LastAdminKey, create_key, list_keys, revoke_key
from app.config import Settings
from app.db.session import make_engine, make_sessionmaker
from app.registry.models import Hospital

__all__ = ["add_admin_commands", "run_admin"]


def add_admin_commands(commands: Any) -> None:
    keys = commands.add_parser("keys", help="create, list or revoke API keys")
    actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key; the secret is printed once")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--hospital", dest="hospital_code", help="required for --role hospital")
    create.add_argument("--label")
    actions.add_parser("list", help="list keys (no secrets)")
    revoke = actions.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id", type=uuid.UUID)
    audit = commands.add_parser("audit", help="the audit trail")
    audit_actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = audit_actions.add_parser(
        "verify",
        help="recompute the Merkle tree, check every signed head and cross-check the settlements,"
        " layer lines and reversals against their entries; exit 1 on any finding",
    )
    check.add_argument(
        "--anchor",
        action="append",
        default=[],
        type=Path,
        help="a head kept outside (JSON of GET /v1/audit/head); repeatable",
    )
    check.add_argument(
        "--public-key",
        action="append",
        default=[],
        help="base64 Ed25519 public key the heads must be signed with; repeatable",
    )
    audit_actions.add_parser(
        "sequence", help="integrate every committed entry into the tree now (run once)"
    )
    audit_actions.add_parser("head", help="print the latest signed tree head (JSON), to anchor it")


async def run_admin(url: str, settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(url, settings)
    try:
        if args.command == "audit" and args.action == "sequence":
            signer = signing.load_private_key(
                settings.audit_signing_key.get_secret_value()
                if settings.audit_signing_key
                else None
            )
            added = await sequencer.integrate_all(make_sessionmaker(engine), signer)
            print(f"integrated {added} entries")
            return 0
        async with make_sessionmaker(engine)() as session, session.begin():
            if args.command == "audit" and args.action == "head":
                head = await session.scalar(
                    select(TreeHead).order_by(TreeHead.tree_size.desc()).limit(1)
                )
                if head is None:
                    print("no signed tree head yet", file=sys.stderr)
                    return 1
                public = await session.get(SigningKey, head.key_id)
                print(json.dumps(head_json(head, bytes(public.public_key) if public else b"")))
                return 0
            if args.command == "audit":
                try:
                    anchored = [
                        anchored_from_json(json.loads(p.read_text(encoding="utf-8")))
                        for p in args.anchor
                    ]
                    trusted = [base64.b64decode(k, validate=True) for k in args.public_key]
                except (OSError, ValueError) as bad:  # binascii.Error is a ValueError
                    print(f"audit verify: {bad}", file=sys.stderr)
                    return 2
                report = await verify_all(session, trusted, anchored)
                summary = (
                    f"{report.leaves} leaves, {report.heads} signed heads, "
                    f"{report.chain_checked} pre-0022 chain entries, {report.unsequenced} not yet "
                    f"integrated, {report.settlements} settlements and {report.reversals} "
                    "reversals cross-checked"
                )
                if report.ok:
                    print(f"audit log intact: {summary}")
                    return 0
                where = f" at entry {report.broken_entry_id}" if report.broken_entry_id else ""
                print(f"audit log BROKEN{where}: {summary}")
                for problem in report.problems:
                    print(f"  {problem}")
                return 1
            if args.action == "create":
                if (args.role == "hospital") != (args.hospital_code is not None):
                    print(
                        "--hospital is required for --role hospital, and only for it",
                        file=sys.stderr,
                    )
                    return 2
                if args.hospital_code is not None and not await session.get(
                    Hospital, args.hospital_code
                ):
                    # As POST /v1/api-keys answers 422 unknown_hospital (the key's foreign key).
                    print(
                        f"unknown_hospital: no hospital {args.hospital_code} "
                        "(register it first: PUT /v1/hospitals/{code})",
                        file=sys.stderr,
                    )
                    return 2
                key, secret = await create_key(session, args.role, args.hospital_code, args.label)
                record(
                    session,
                    None,
                    "api_key.create",
                    "api_key",
                    str(key.id),
                    {
                        "role": key.role,
                        "hospital_code": key.hospital_code,
                        "label": key.label,
                        "via": "cli",
                    },
                )
                print(
                    json.dumps(
                        {
                            "id": str(key.id),
                            "role": key.role,
                            "hospital_code": key.hospital_code,
                            "key": secret,
                        },
                        ensure_ascii=False,
                    )
                )
                return 0
            if args.action == "list":
                for key in await list_keys(session):
                    print(
                        json.dumps(
                            {
                                "id": str(key.id),
                                "prefix": key.prefix,
                                "role": key.role,
                                "hospital_code": key.hospital_code,
                                "label": key.label,
                                "revoked": key.revoked_at is not None,
                                "last_used_at": key.last_used_at.isoformat()
                                if key.last_used_at
                                else None,
                            },
                            ensure_ascii=False,
                        )
                    )
                return 0
            try:
                revoked, changed = await revoke_key(session, args.key_id)
            except LastAdminKey as refused:
                print(refused.detail, file=sys.stderr)
                return 1
            if revoked is None:
                print(f"no key {args.key_id}", file=sys.stderr)
                return 1
            if changed:
                record(
                    session,
                    None,
                    "api_key.revoke",
                    "api_key",
                    str(revoked.id),
                    {"role": revoked.role, "via": "cli"},
                )
            print(f"revoked {revoked.id}" if changed else f"{revoked.id} was already revoked")
            return 0
    finally:
        await engine.dispose()
