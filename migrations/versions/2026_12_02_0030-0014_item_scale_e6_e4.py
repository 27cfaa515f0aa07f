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
Revises: 0011
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RENAMES = (
    ("unit_price_e4", "unit_price_e6"),
    ("quantity_e3", "quantity_e4"),
    ("price_cap_e4", "price_cap_e6"),
)


def _rescale(price: str, quantity: str) -> str:
    """Rewrite every stored line with its price and cap, and its quantity, put through the two
    SQL expressions (of a bigint ``v``)."""
    p = price.replace("v", "(e.line->>{i})::bigint")
    return f"""
    UPDATE settlement_item_lists AS l SET items = (
      SELECT coalesce(jsonb_agg(jsonb_build_array(
               e.line->0, e.line->1, e.line->2,
               {p.format(i=3)}, {quantity.replace("v", "(e.line->>4)::bigint")},
               e.line->5, e.line->6, e.line->7, e.line->8, {p.format(i=9)})
             ORDER BY e.position), '[]'::jsonb)
      FROM jsonb_array_elements(l.items) WITH ORDINALITY AS e(line, position))
    """


def upgrade() -> None:
    op.execute(_rescale("v * 100", "v * 10"))
    for old, new in _RENAMES:
        op.execute(f"ALTER TABLE settlement_items RENAME COLUMN {old} TO {new}")


def downgrade() -> None:
    op.execute(
        """
        DO $$
        BEGIN
          IF EXISTS (
            SELECT FROM settlement_item_lists AS l, jsonb_array_elements(l.items) AS e(line)
            WHERE (e.line->>3)::bigint % 100 <> 0 OR (e.line->>4)::bigint % 10 <> 0
               OR coalesce((e.line->>9)::bigint % 100, 0) <> 0
          ) THEN
            RAISE EXCEPTION 'stored bill lines finer than 1e-4 yuan or 1e-3 units (settled '
              'through the national interface) cannot be held at the old scale';
          END IF;
        END $$
        """
    )
    op.execute(_rescale("v / 100", "v / 10"))
    for old, new in _RENAMES:
        op.execute(f"ALTER TABLE settlement_items RENAME COLUMN {new} TO {old}")
