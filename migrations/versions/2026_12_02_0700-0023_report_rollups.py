"""Report rollups (issue 15): ``report_event_rollups`` and ``report_fund_rollups``, per
Asia/Shanghai day × hospital × kind of event (× fund), maintained by triggers in the writing
transaction, and filled here from the rows already stored (app/reconciliation/models.py,
docs/design.md §6).

Triggers, not code in the settle path: every writer of settlements, layers and reversals (the
settle statement, a reversal, a reinstate deleting a reversal, a bulk load) keeps the rollups
right without knowing of them. They are statement-level with transition tables, so a bulk
insert adds to each cell once. Each adds to the slot ``xid % 8`` of its own transaction
(no hot row) and sets ``max_xact_id`` to the largest id of a transaction that changed the row.

Hand-written (the DDL is what the models compile to, checked by tests/test_migrations.py).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = """
CREATE TABLE report_event_rollups (
    day DATE NOT NULL,
    hospital_code VARCHAR(32) NOT NULL,
    kind SMALLINT NOT NULL,
    slot SMALLINT NOT NULL,
    event_count BIGINT NOT NULL,
    total_fen BIGINT NOT NULL,
    hospital_borne_fen BIGINT NOT NULL,
    in_policy_fen BIGINT NOT NULL,
    fund_paid_fen BIGINT NOT NULL,
    self_pay_fen BIGINT NOT NULL,
    max_xact_id BIGINT NOT NULL,
    CONSTRAINT pk_report_event_rollups PRIMARY KEY (day, hospital_code, kind, slot)
);
CREATE TABLE report_fund_rollups (
    day DATE NOT NULL,
    hospital_code VARCHAR(32) NOT NULL,
    kind SMALLINT NOT NULL,
    fund_code VARCHAR(16) NOT NULL,
    slot SMALLINT NOT NULL,
    fund_name VARCHAR(100) NOT NULL,
    position SMALLINT NOT NULL,
    event_count BIGINT NOT NULL,
    paid_count BIGINT NOT NULL,
    paid_fen BIGINT NOT NULL,
    max_xact_id BIGINT NOT NULL,
    CONSTRAINT pk_report_fund_rollups PRIMARY KEY (day, hospital_code, kind, fund_code, slot)
);
CREATE TABLE report_ledger_rollups (
    day DATE NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    slot SMALLINT NOT NULL,
    settlement_count BIGINT NOT NULL,
    in_policy_fen BIGINT NOT NULL,
    self_pay_fen BIGINT NOT NULL,
    in_policy_self_pay_fen BIGINT NOT NULL,
    in_county_count BIGINT NOT NULL,
    in_county_in_policy_fen BIGINT NOT NULL,
    in_county_in_policy_self_pay_fen BIGINT NOT NULL,
    above_target_count BIGINT NOT NULL,
    max_xact_id BIGINT NOT NULL,
    CONSTRAINT pk_report_ledger_rollups PRIMARY KEY (day, county_code, slot)
);
CREATE TABLE report_ledger_fund_rollups (
    day DATE NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    fund_code VARCHAR(16) NOT NULL,
    slot SMALLINT NOT NULL,
    fund_name VARCHAR(100) NOT NULL,
    position SMALLINT NOT NULL,
    layer_count BIGINT NOT NULL,
    paid_fen BIGINT NOT NULL,
    max_xact_id BIGINT NOT NULL,
    CONSTRAINT pk_report_ledger_fund_rollups PRIMARY KEY (day, county_code, fund_code, slot)
)
"""

_LEDGER_COLUMNS = (
    "settlement_count",
    "in_policy_fen",
    "self_pay_fen",
    "in_policy_self_pay_fen",
    "in_county_count",
    "in_county_in_policy_fen",
    "in_county_in_policy_self_pay_fen",
    "above_target_count",
)
_ADD_LEDGER = (
    "INSERT INTO report_ledger_rollups AS r (day, county_code, slot, "
    + ", ".join(_LEDGER_COLUMNS)
    + ", max_xact_id) {select} ON CONFLICT (day, county_code, slot) DO UPDATE SET "
    + ", ".join(f"{c} = r.{c} + EXCLUDED.{c}" for c in _LEDGER_COLUMNS)
    + ", max_xact_id = GREATEST(r.max_xact_id, EXCLUDED.max_xact_id)"
)
_ADD_LEDGER_FUNDS = """
  INSERT INTO report_ledger_fund_rollups AS r (day, county_code, fund_code, slot, fund_name,
    position, layer_count, paid_fen, max_xact_id)
  {select}
  ON CONFLICT (day, county_code, fund_code, slot) DO UPDATE SET
    fund_name = LEAST(r.fund_name, EXCLUDED.fund_name),
    position = LEAST(r.position, EXCLUDED.position),
    layer_count = r.layer_count + EXCLUDED.layer_count,
    paid_fen = r.paid_fen + EXCLUDED.paid_fen,
    max_xact_id = GREATEST(r.max_xact_id, EXCLUDED.max_xact_id)"""
# literally the predicate of app.settlement.models.REGISTERED_POOR
_POOR = "s.categories @> '{registered_poor}'::varchar[]"

# $1 of each upsert's SELECT: the rows to add, one per cell (their sign already applied).
_ADD_EVENTS = """
  INSERT INTO report_event_rollups AS r (day, hospital_code, kind, slot, event_count, total_fen,
    hospital_borne_fen, in_policy_fen, fund_paid_fen, self_pay_fen, max_xact_id)
  {select}
  ON CONFLICT (day, hospital_code, kind, slot) DO UPDATE SET
    event_count = r.event_count + EXCLUDED.event_count,
    total_fen = r.total_fen + EXCLUDED.total_fen,
    hospital_borne_fen = r.hospital_borne_fen + EXCLUDED.hospital_borne_fen,
    in_policy_fen = r.in_policy_fen + EXCLUDED.in_policy_fen,
    fund_paid_fen = r.fund_paid_fen + EXCLUDED.fund_paid_fen,
    self_pay_fen = r.self_pay_fen + EXCLUDED.self_pay_fen,
    max_xact_id = GREATEST(r.max_xact_id, EXCLUDED.max_xact_id)"""

_ADD_FUNDS = """
  INSERT INTO report_fund_rollups AS r (day, hospital_code, kind, fund_code, slot, fund_name,
    position, event_count, paid_count, paid_fen, max_xact_id)
  {select}
  ON CONFLICT (day, hospital_code, kind, fund_code, slot) DO UPDATE SET
    fund_name = LEAST(r.fund_name, EXCLUDED.fund_name),
    position = LEAST(r.position, EXCLUDED.position),
    event_count = r.event_count + EXCLUDED.event_count,
    paid_count = r.paid_count + EXCLUDED.paid_count,
    paid_fen = r.paid_fen + EXCLUDED.paid_fen,
    max_xact_id = GREATEST(r.max_xact_id, EXCLUDED.max_xact_id)"""

_DAY = "(({col}) AT TIME ZONE 'Asia/Shanghai')::date"
_XID = "(pg_current_xact_id())::text::bigint"
_SLOT = f"({_XID} % 8)::smallint"
_AMOUNTS = ("total", "hospital_borne", "in_policy", "fund_paid", "self_pay")


def _per_fund(layers: str, ids: str | None) -> str:
    """Per settlement and fund code what its layers ``layers`` paid (a policy could give two
    layers one fund), of the settlements ``ids`` (a query of ids) only if given."""
    where = "" if ids is None else f" WHERE l.settlement_id IN ({ids})"
    return (
        "(SELECT l.settlement_id, l.fund_code, min(l.fund_name) AS fund_name,"
        " min(l.position) AS position, sum(l.paid_fen) AS paid_fen"
        f" FROM {layers} l{where} GROUP BY l.settlement_id, l.fund_code)"
    )


def _settled(settlements: str, sign: int, slot: str = _SLOT, xid: str = _XID) -> str:
    """Add ``sign`` times the settlement events of the rows ``settlements``."""
    amounts = ", ".join(f"{sign} * sum(s.{n}_fen)::bigint" for n in _AMOUNTS)
    select = (
        f"SELECT {_DAY.format(col='s.settled_at')}, s.hospital_code, 0, {slot},"
        f" {sign} * count(*), {amounts}, {xid} FROM {settlements} s GROUP BY 1, 2, 4"
    )
    return _ADD_EVENTS.format(select=select)


def _settled_funds(
    settlements: str, layers: str, ids: str | None, sign: int, slot: str = _SLOT, xid: str = _XID
) -> str:
    """Add ``sign`` times what the funds paid in those settlement events (layers ``layers``)."""
    select = (
        f"SELECT {_DAY.format(col='s.settled_at')}, s.hospital_code, 0, f.fund_code, {slot},"
        f" min(f.fund_name), min(f.position), {sign} * count(*),"
        f" {sign} * count(*) FILTER (WHERE f.paid_fen <> 0), {sign} * sum(f.paid_fen)::bigint,"
        f" {xid} FROM {settlements} s JOIN {_per_fund(layers, ids)} f ON f.settlement_id = s.id"
        " GROUP BY 1, 2, 4, 5"
    )
    return _ADD_FUNDS.format(select=select)


def _reversed(
    reversals: str, settlements: str, sign: int, slot: str = _SLOT, xid: str = _XID
) -> str:
    """Add ``sign`` times the reversal events (counted, amounts negated) of ``reversals``."""
    amounts = ", ".join(f"{-sign} * sum(s.{n}_fen)::bigint" for n in _AMOUNTS)
    select = (
        f"SELECT {_DAY.format(col='v.reversed_at')}, s.hospital_code, 1, {slot},"
        f" {sign} * count(*), {amounts}, {xid}"
        f" FROM {reversals} v JOIN {settlements} s ON s.id = v.settlement_id GROUP BY 1, 2, 4"
    )
    return _ADD_EVENTS.format(select=select)


def _reversed_funds(
    reversals: str,
    settlements: str,
    layers: str,
    ids: str | None,
    sign: int,
    slot: str = _SLOT,
    xid: str = _XID,
) -> str:
    select = (
        f"SELECT {_DAY.format(col='v.reversed_at')}, s.hospital_code, 1, f.fund_code, {slot},"
        f" min(f.fund_name), min(f.position), {sign} * count(*),"
        f" {sign} * count(*) FILTER (WHERE f.paid_fen <> 0), {-sign} * sum(f.paid_fen)::bigint,"
        f" {xid} FROM {reversals} v JOIN {settlements} s ON s.id = v.settlement_id"
        f" JOIN {_per_fund(layers, ids)} f ON f.settlement_id = s.id GROUP BY 1, 2, 4, 5"
    )
    return _ADD_FUNDS.format(select=select)


def _standing(settlements: str) -> str:
    """The rows of ``settlements`` no reversal points at (the poverty ledger counts those)."""
    return (
        f"(SELECT x.* FROM {settlements} x"
        " WHERE NOT EXISTS (SELECT 1 FROM reversals v WHERE v.settlement_id = x.id))"
    )


def _ledger(settlements: str, sign: int, slot: str = _SLOT, xid: str = _XID) -> str:
    """Add ``sign`` times the registered-poor settlements ``settlements`` to the ledger's
    rollups (by the day of settlement and the person's county)."""
    above = "s.in_county AND s.in_policy_self_pay_fen > s.tilted_target_fen"
    select = (
        f"SELECT {_DAY.format(col='s.settled_at')}, s.person_county_code, {slot},"
        f" {sign} * count(*), {sign} * sum(s.in_policy_fen)::bigint,"
        f" {sign} * sum(s.self_pay_fen)::bigint, {sign} * sum(s.in_policy_self_pay_fen)::bigint,"
        f" {sign} * count(*) FILTER (WHERE s.in_county),"
        f" {sign} * coalesce(sum(s.in_policy_fen) FILTER (WHERE s.in_county), 0)::bigint,"
        f" {sign} * coalesce(sum(s.in_policy_self_pay_fen) FILTER (WHERE s.in_county), 0)::bigint,"
        f" {sign} * count(*) FILTER (WHERE {above}), {xid}"
        f" FROM {settlements} s WHERE {_POOR} GROUP BY 1, 2, 3"
    )
    return _ADD_LEDGER.format(select=select)


def _ledger_funds(
    settlements: str, layers: str, sign: int, slot: str = _SLOT, xid: str = _XID
) -> str:
    """The same for what the funds paid in them (their layers ``layers``)."""
    select = (
        f"SELECT {_DAY.format(col='s.settled_at')}, s.person_county_code, l.fund_code, {slot},"
        f" min(l.fund_name), min(l.position), {sign} * count(*),"
        f" {sign} * sum(l.paid_fen)::bigint, {xid}"
        f" FROM {settlements} s JOIN {layers} l ON l.settlement_id = s.id WHERE {_POOR}"
        " GROUP BY 1, 2, 3, 4"
    )
    return _ADD_LEDGER_FUNDS.format(select=select)


_REVERSED_OF = "(SELECT x.* FROM settlements x WHERE x.id IN (SELECT settlement_id FROM {}))"
_LAYERS_OF = (
    "(SELECT l.* FROM settlement_layers l WHERE l.settlement_id IN (SELECT {id} FROM {rows}))"
)


# The layers of the updated settlements as they were before a statement updating some of them.
_OLD_LAYERS = (
    "(SELECT l.* FROM settlement_layers l"
    " WHERE l.settlement_id IN (SELECT settlement_id FROM new_rows)"
    " AND (l.settlement_id, l.position) NOT IN (SELECT settlement_id, position FROM new_rows)"
    " UNION ALL SELECT * FROM old_rows)"
)
_NEW_IDS = "SELECT settlement_id FROM new_rows"
# The settlements of the layers in ``new_rows``, looked up by key (not a join the planner could
# make a scan of the whole table).
_LAYERED = "(SELECT x.* FROM settlements x WHERE x.id IN (SELECT settlement_id FROM new_rows))"
_OLD_IDS = "SELECT settlement_id FROM old_rows"


def _function(name: str, statements: Sequence[str]) -> str:
    body = ";\n".join(statements)
    return (
        # SECURITY DEFINER (as the owner, like the audit chain's trigger): the service's role
        # (deploy/postgres-roles.sql) may read the rollups but never write them itself.
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
        f" SET search_path = public AS $$\nBEGIN\n{body};\n"
        "  RETURN NULL;\nEND $$"
    )


FUNCTIONS = [
    _function(
        "report_rollup_settlements_insert", [_settled("new_rows", 1), _ledger("new_rows", 1)]
    ),
    # A settlement is never updated by the service; tests move them in time, and the rollups
    # follow whatever changes: take the old rows back, add the new.
    _function(
        "report_rollup_settlements_update",
        [
            _settled("old_rows", -1),
            _settled("new_rows", 1),
            _settled_funds("old_rows", "settlement_layers", "SELECT id FROM old_rows", -1),
            _settled_funds("new_rows", "settlement_layers", "SELECT id FROM new_rows", 1),
            _reversed("reversals", "old_rows", -1),
            _reversed("reversals", "new_rows", 1),
            _reversed_funds(
                "reversals", "old_rows", "settlement_layers", "SELECT id FROM old_rows", -1
            ),
            _reversed_funds(
                "reversals", "new_rows", "settlement_layers", "SELECT id FROM new_rows", 1
            ),
            _ledger(_standing("old_rows"), -1),
            _ledger(_standing("new_rows"), 1),
            _ledger_funds(_standing("old_rows"), _LAYERS_OF.format(id="id", rows="old_rows"), -1),
            _ledger_funds(_standing("new_rows"), _LAYERS_OF.format(id="id", rows="new_rows"), 1),
        ],
    ),
    _function(
        "report_rollup_layers_insert",
        [
            # Layers come with their settlement, never after its reversal: no reversal cells.
            _settled_funds(_LAYERED, "new_rows", None, 1),
            _ledger_funds(_standing(_LAYERED), "new_rows", 1),
        ],
    ),
    _function(
        "report_rollup_layers_update",
        [
            _settled_funds(_LAYERED, _OLD_LAYERS, None, -1),
            _settled_funds(_LAYERED, "settlement_layers", _NEW_IDS, 1),
            _reversed_funds("reversals", _LAYERED, _OLD_LAYERS, None, -1),
            _reversed_funds("reversals", _LAYERED, "settlement_layers", _NEW_IDS, 1),
            _ledger_funds(_standing(_LAYERED), "old_rows", -1),
            _ledger_funds(_standing(_LAYERED), "new_rows", 1),
        ],
    ),
    _function(
        "report_rollup_reversals_insert",
        [
            _reversed("new_rows", "settlements", 1),
            _reversed_funds("new_rows", "settlements", "settlement_layers", _NEW_IDS, 1),
            _ledger(_REVERSED_OF.format("new_rows"), -1),
            _ledger_funds(
                _REVERSED_OF.format("new_rows"),
                _LAYERS_OF.format(id="settlement_id", rows="new_rows"),
                -1,
            ),
        ],
    ),
    # A reinstate (app.settlement.service.reinstate) deletes the reversal: take it back.
    _function(
        "report_rollup_reversals_delete",
        [
            _reversed("old_rows", "settlements", -1),
            _reversed_funds("old_rows", "settlements", "settlement_layers", _OLD_IDS, -1),
            _ledger(_REVERSED_OF.format("old_rows"), 1),
            _ledger_funds(
                _REVERSED_OF.format("old_rows"),
                _LAYERS_OF.format(id="settlement_id", rows="old_rows"),
                1,
            ),
        ],
    ),
    _function(
        "report_rollup_reversals_update",
        [
            _reversed("old_rows", "settlements", -1),
            _reversed_funds("old_rows", "settlements", "settlement_layers", _OLD_IDS, -1),
            _reversed("new_rows", "settlements", 1),
            _reversed_funds("new_rows", "settlements", "settlement_layers", _NEW_IDS, 1),
        ],
    ),
]

_REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}
TRIGGERS = [
    ("settlements", "settlements", "INSERT"),
    ("settlements", "settlements", "UPDATE"),
    ("layers", "settlement_layers", "INSERT"),
    ("layers", "settlement_layers", "UPDATE"),
    ("reversals", "reversals", "INSERT"),
    ("reversals", "reversals", "DELETE"),
    ("reversals", "reversals", "UPDATE"),
]


def _trigger_name(short: str, op_: str) -> str:
    return f"report_rollup_{short}_{op_.lower()}"


# The backfill: every stored row, in slot 0, ``max_xact_id`` the largest id of the rows behind
# the cell (all committed: the migration takes the tables' lock first).
BACKFILL = [
    _settled("settlements", 1, "0::smallint", "max(s.xact_id)"),
    _reversed("reversals", "settlements", 1, "0::smallint", "max(v.xact_id)"),
    _settled_funds("settlements", "settlement_layers", None, 1, "0::smallint", "max(s.xact_id)"),
    _reversed_funds(
        "reversals", "settlements", "settlement_layers", None, 1, "0::smallint", "max(v.xact_id)"
    ),
    _ledger(_standing("settlements"), 1, "0::smallint", "max(s.xact_id)"),
    _ledger_funds(
        _standing("settlements"), "settlement_layers", 1, "0::smallint", "max(s.xact_id)"
    ),
]


def upgrade() -> None:
    for statement in TABLES.split(";"):
        op.execute(statement)
    for function in FUNCTIONS:
        op.execute(function)
    # The backfill and the triggers in one transaction (the migration's), under a lock that
    # lets no writer of these tables in: a row committed before is added by the backfill, one
    # committed after by its trigger, none twice.
    op.execute("LOCK TABLE settlements, settlement_layers, reversals IN SHARE MODE")
    op.execute("SET LOCAL statement_timeout = 0")
    for statement in BACKFILL:
        op.execute(statement)
    for short, table, op_ in TRIGGERS:
        name = _trigger_name(short, op_)
        op.execute(
            f"CREATE TRIGGER {name} AFTER {op_} ON {table} {_REFERENCING[op_]}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    for short, table, op_ in TRIGGERS:
        op.execute(f"DROP TRIGGER {_trigger_name(short, op_)} ON {table}")
        op.execute(f"DROP FUNCTION {_trigger_name(short, op_)}()")
    op.execute("DROP TABLE report_ledger_fund_rollups")
    op.execute("DROP TABLE report_ledger_rollups")
    op.execute("DROP TABLE report_fund_rollups")
    op.execute("DROP TABLE report_event_rollups")
