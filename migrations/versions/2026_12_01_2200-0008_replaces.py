"""Settling a reversed bill again is explicit: ``settlements.replaces_id``; the lock state says
which settlement of the bill is the latest.

After a reversal the same bill is settled again only when the body names the reversed
settlement (``"replaces"``); a late retry of the old body is refused with 409 ``bill_reversed``
(issue 11, item 5). ``replaces_id`` records which settlement a new one replaced (NULL for a
bill's first settlement and for settlements stored before this revision).
``settlement_lock_state()`` now also returns ``last_id``, the bill's latest settlement: when no
settlement of the bill is active, it is the one a ``replaces`` must name.

The function's body is ``sql/0008_settlement_lock_state.sql`` beside this file: the version
this revision creates, kept as it was when a later revision (0010) changed the function, whose
body as the code calls it now lives beside the repository
(``app/settlement/sql/settlement_lock_state.sql``).

Hand-written.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HERE = Path(__file__).resolve().parent
_LOCK_STATE_SQL = _HERE / "sql" / "0008_settlement_lock_state.sql"
_DROP = "DROP FUNCTION settlement_lock_state(text, text, bigint, integer)"


def _revision_0007() -> ModuleType:
    """Revision 0007's module, whose upgrade creates the function this one replaces."""
    (path,) = _HERE.glob("*-0007_*.py")
    spec = importlib.util.spec_from_file_location("onestop_revision_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.add_column(
        "settlements",
        sa.Column(
            "replaces_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("settlements.id", name=op.f("fk_settlements_replaces_id_settlements")),
            nullable=True,
        ),
    )
    op.execute(_DROP)
    op.execute(_LOCK_STATE_SQL.read_text(encoding="utf-8"))


def downgrade() -> None:
    op.execute(_DROP)
    _revision_0007().upgrade()
    op.drop_column("settlements", "replaces_id")
