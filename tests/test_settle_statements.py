"""The settle path's insert (app/settlement/repository.py) writes its audit entry itself, in the
statement that writes the settlement, where a reader sees every table a settlement writes. The
audit module stages every other entry at commit with a statement of its own: the two must put
the same columns into ``audit_pending`` (the table migration 0006's trigger chains from), and
the insert must take exactly the parameters ``staged_params`` gives."""

from __future__ import annotations

import re
from pathlib import Path

from app.audit import service as audit
from app.audit.models import AuditPending
from app.settlement import repository


def inserted_columns(statement: str, table: str) -> list[str]:
    (columns,) = re.findall(rf"INSERT INTO {table} \(([^)]*)\)", statement)
    return [column.strip() for column in columns.split(",")]


def test_the_settle_insert_and_the_commit_hook_stage_the_same_audit_columns() -> None:
    settle = str(repository._INSERT_SETTLEMENT)
    hook = str(audit._STAGE)
    # audit_pending's columns but its id (an identity)
    table = [column.name for column in AuditPending.__table__.columns if column.name != "id"]
    assert table == ["lock_key", "entry", "body"]
    assert inserted_columns(settle, "audit_pending") == inserted_columns(hook, "audit_pending")
    assert inserted_columns(settle, "audit_pending") == table


def test_the_settle_insert_takes_the_parameters_staged_params_gives() -> None:
    settle = str(repository._INSERT_SETTLEMENT)
    (audited,) = re.findall(r"audited AS \((.*?)\n\)", settle, flags=re.DOTALL)
    params = audit.staged_params(None, "settlement.create", "settlement", "x", {"a": 1})
    assert set(re.findall(r"(?<!:):(\w+)", audited)) == set(params)
    assert params["audit_lock_key"] == audit._LOCK_KEY  # the chain's one lock


def test_every_table_a_settlement_writes_is_in_one_statement() -> None:
    settle = str(repository._INSERT_SETTLEMENT)
    written = re.findall(r"INSERT INTO (\w+)", settle)
    assert written == [
        "settlements",
        "settlement_layers",
        "settlement_item_lists",
        "audit_pending",
        "accumulators",
    ]
    assert ".replace(" not in Path(repository.__file__).read_text(encoding="utf-8")
