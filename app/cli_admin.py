"""``onestop keys create|list|revoke`` and ``onestop audit verify``: admin work on the database."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from typing import Any

from app.audit.service import record, verify
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
    audit_actions.add_parser("verify", help="walk the hash chain; exit 1 at the first broken link")


async def run_admin(url: str, settings: Settings, args: argparse.Namespace) -> int:
    engine = make_engine(url, settings)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            if args.command == "audit":
                checked, broken = await verify(session)
                if broken is None:
                    print(f"audit chain intact: {checked} entries")
                    return 0
                print(f"audit chain BROKEN at entry {broken.entry_id}: {broken.problem}")
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
