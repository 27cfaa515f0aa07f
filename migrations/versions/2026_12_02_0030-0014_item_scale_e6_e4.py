"""Stored bill lines at the engine's precision: unit prices and price caps in 1e-6 yuan,
quantities in 1e-4 units (they were 1e-4 yuan and 1e-3 units).

The national interface sends ``pric`` with up to 6 decimals and ``cnt`` with up to 4, and the
engine (``app.engine.BillLine``) now works at that scale; a settlement's lines are stored as the
engine was given them. Every stored line of ``settlement_item_lists.items`` (migration 0005: an
array per line in ``app.settlement.models.ITEM_COLUMNS`` order) is rewritten: element 3 (unit
price) ×100, element 4 (quantity) ×10, element 9 (price cap, or null) ×100. The view
``settlement_items`` reads the same positions; its columns are renamed ``unit_price_e6``,
``quantity_e4`` and ``price_cap_e6`` (a rename keeps the view and the privileges granted on it,
deploy/postgres-roles.sql).

Hand-written. The downgrade divides back; it refuses (and changes nothing) when a stored line
has a price or quantity finer than the old scale, i.e. one settled through the national
interface with more than 4 price decimals or 3 quantity decimals.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RENAMES = (
    ("unit_price_e4", "unit_price_e6"),
    ("quantity_e3", "quantity_e4"),
    ("price_cap_e4", "price_cap_e6"),
)


def _rescale(operator: str) -> str:
    """Rewrite every stored line with its unit price and cap ``operator`` 100 and its quantity
    ``operator`` 10 (``*`` up, ``/`` down), the other elements as they are."""
    price, quantity, cap = (
        f"(e.line->>{i})::bigint {operator} {f}" for i, f in ((3, 100), (4, 10), (9, 100))
    )
    return f"""
    UPDATE settlement_item_lists AS l SET items = (
      SELECT coalesce(jsonb_agg(jsonb_build_array(
               e.line->0, e.line->1, e.line->2, {price}, {quantity},
               e.line->5, e.line->6, e.line->7, e.line->8, {cap})
             ORDER BY e.position), '[]'::jsonb)
      FROM jsonb_array_elements(l.items) WITH ORDINALITY AS e(line, position))
    """


# Stored lines with a price, cap or quantity finer than the old scale.
_FINER = """
SELECT count(*) FROM settlement_item_lists AS l, jsonb_array_elements(l.items) AS e(line)
WHERE (e.line->>3)::bigint % 100 <> 0 OR (e.line->>4)::bigint % 10 <> 0
   OR coalesce((e.line->>9)::bigint % 100, 0) <> 0
"""


def upgrade() -> None:
    op.execute(_rescale("*"))
    for old, new in _RENAMES:
        op.execute(f"ALTER TABLE settlement_items RENAME COLUMN {old} TO {new}")


def downgrade() -> None:
    finer = op.get_bind().execute(sa.text(_FINER)).scalar_one()
    if finer:
        raise RuntimeError(
            f"{finer} stored bill line(s) finer than 1e-4 yuan or 1e-3 units (settled through the "
            "national interface) cannot be held at the old scale"
        )
    op.execute(_rescale("/"))
    for old, new in _RENAMES:
        op.execute(f"ALTER TABLE settlement_items RENAME COLUMN {new} TO {old}")
