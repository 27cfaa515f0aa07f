"""``person_year_lock_key()``: the person-year lock key written once, in the database.

The key of the advisory lock that serializes one person-year was written three times: in Python
for reversals (``app.settlement.repository``), in ``settlement_lock_state()`` for the settle
path, and in ``bench/http.py``'s pgbench script, with no test tying them. Now it is one SQL
function, ``person_year_lock_key(person, year)``, which ``settlement_lock_state()`` (replaced
here), the reversal path and the pgbench script all call. Same key as before
(``person * 4096 + year - 1900``), so a settlement on the old code and a reversal on the new one
still exclude each other during a rolling upgrade.

Both bodies live beside the repository (``app/settlement/sql/``) and are loaded as they stand in
the tree this revision ships with; the downgrade restores 0008's version of
``settlement_lock_state()`` (``sql/0008_settlement_lock_state.sql`` beside this file). A later
revision that changes either function keeps this revision's version beside this file the same
way, and points this revision at it.

Hand-written.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HERE = Path(__file__).resolve().parent
_SQL = _HERE.parents[1] / "app" / "settlement" / "sql"
_LOCK_STATE_0008 = _HERE / "sql" / "0008_settlement_lock_state.sql"


def upgrade() -> None:
    op.execute((_SQL / "person_year_lock_key.sql").read_text(encoding="utf-8"))
    op.execute((_SQL / "settlement_lock_state.sql").read_text(encoding="utf-8"))


def downgrade() -> None:
    op.execute("DROP FUNCTION settlement_lock_state(text, text, bigint, integer)")
    op.execute(_LOCK_STATE_0008.read_text(encoding="utf-8"))
    op.execute("DROP FUNCTION person_year_lock_key(bigint, integer)")
