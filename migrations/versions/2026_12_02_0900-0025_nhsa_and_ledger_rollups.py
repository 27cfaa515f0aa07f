"""3201 对总账 rollups (issue 15): ``report_nhsa_rollups``, per hospital × Asia/Shanghai day ×
the person's county (``setl_optins``) × kind, what the national interface's total
reconciliation counts, maintained by triggers in the writing transaction and filled here from
the rows already stored (app/nhsa/rollup.py, docs/design.md §6).

Kinds: 0 the settlement events (every settlement, on the day it was settled), 1 the reversal
records of kind ``reversal`` (撤销, on the day reversed, amounts negated), 2 what the
corrections (冲正, reversals of kind ``correction``) take out: minus the corrected settlement's
event, on the day the settlement was *settled* (3201 counts neither the settlement nor its
correction, whatever day the correction was made). A report's figures are the sum of the three
kinds (without kind 1 when ``refd_setl_flag`` is "0").

As migration 0023: statement-level triggers with transition tables, the slot ``xid % 8`` of the
writing transaction, ``max_xact_id`` the largest id of a transaction that changed the row; here
also of the rows whose figures it holds (the settlement's ``xact_id``, the correction's), so a
row is below a horizon only when everything it depends on is.

And the agency console's ledger over every category (its dashboard's "every standing
settlement of the county's persons"): ``report_ledger_all_rollups`` and
``report_ledger_all_fund_rollups``, the columns and triggers of 0023's registered-poor ledger
rollups without the registered-poor condition (standing settlements per day of settlement × the
person's county; a reversal takes its settlement out of the day it was settled, a reinstate puts
it back).

Hand-written (the DDL is what the models compile to, checked by tests/test_migrations.py).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | Sequence[str] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = """
CREATE TABLE report_nhsa_rollups (
    hospital_code VARCHAR(32) NOT NULL,
    day DATE NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    kind SMALLINT NOT NULL,
    slot SMALLINT NOT NULL,
    record_count BIGINT NOT NULL,
    total_fen BIGINT NOT NULL,
    fund_paid_fen BIGINT NOT NULL,
    self_pay_fen BIGINT NOT NULL,
    max_xact_id BIGINT NOT NULL,
    CONSTRAINT pk_report_nhsa_rollups PRIMARY KEY (hospital_code, day, county_code, kind, slot)
)
"""

LEDGER_TABLES = """
CREATE TABLE report_ledger_all_rollups (
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
    CONSTRAINT pk_report_ledger_all_rollups PRIMARY KEY (day, county_code, slot)
);
CREATE TABLE report_ledger_all_fund_rollups (
    day DATE NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    fund_code VARCHAR(16) NOT NULL,
    slot SMALLINT NOT NULL,
    fund_name VARCHAR(100) NOT NULL,
    position SMALLINT NOT NULL,
    layer_count BIGINT NOT NULL,
    paid_fen BIGINT NOT NULL,
    max_xact_id BIGINT NOT NULL,
    CONSTRAINT pk_report_ledger_all_fund_rollups PRIMARY KEY (day, county_code, fund_code, slot)
)
"""

_ADD = """
  INSERT INTO report_nhsa_rollups AS r (hospital_code, day, county_code, kind, slot,
    record_count, total_fen, fund_paid_fen, self_pay_fen, max_xact_id)
  {select}
  ON CONFLICT (hospital_code, day, county_code, kind, slot) DO UPDATE SET
    record_count = r.record_count + EXCLUDED.record_count,
    total_fen = r.total_fen + EXCLUDED.total_fen,
    fund_paid_fen = r.fund_paid_fen + EXCLUDED.fund_paid_fen,
    self_pay_fen = r.self_pay_fen + EXCLUDED.self_pay_fen,
    max_xact_id = GREATEST(r.max_xact_id, EXCLUDED.max_xact_id)"""

_DAY = "(({col}) AT TIME ZONE 'Asia/Shanghai')::date"
_XID = "(pg_current_xact_id())::text::bigint"
_SLOT = f"({_XID} % 8)::smallint"
_AMOUNTS = ("total", "fund_paid", "self_pay")


def _figures(count_sign: int, amount_sign: int) -> str:
    amounts = ", ".join(f"{amount_sign} * sum(s.{n}_fen)::bigint" for n in _AMOUNTS)
    return f"{count_sign} * count(*), {amounts}"


def _settled(settlements: str, sign: int, slot: str = _SLOT, xid: str = _XID) -> str:
    """Add ``sign`` times the settlement events (kind 0) of the rows ``settlements``."""
    select = (
        f"SELECT s.hospital_code, {_DAY.format(col='s.settled_at')}, s.person_county_code, 0,"
        f" {slot}, {_figures(sign, sign)}, GREATEST({xid}, max(s.xact_id))"
        f" FROM {settlements} s GROUP BY 1, 2, 3, 5"
    )
    return _ADD.format(select=select)


def _reversed(
    reversals: str, settlements: str, sign: int, slot: str = _SLOT, xid: str = _XID
) -> str:
    """Add ``sign`` times the reversal records (kind 1: counted, amounts negated) of the rows
    ``reversals`` of kind ``reversal``."""
    select = (
        f"SELECT s.hospital_code, {_DAY.format(col='v.reversed_at')}, s.person_county_code, 1,"
        f" {slot}, {_figures(sign, -sign)}, GREATEST({xid}, max(s.xact_id), max(v.xact_id))"
        f" FROM {reversals} v JOIN {settlements} s ON s.id = v.settlement_id"
        " WHERE v.kind = 'reversal' GROUP BY 1, 2, 3, 5"
    )
    return _ADD.format(select=select)


def _corrected(
    reversals: str, settlements: str, sign: int, slot: str = _SLOT, xid: str = _XID
) -> str:
    """Add ``sign`` times what the corrections among ``reversals`` take out (kind 2: minus the
    corrected settlement's event, on its day of settlement)."""
    select = (
        f"SELECT s.hospital_code, {_DAY.format(col='s.settled_at')}, s.person_county_code, 2,"
        f" {slot}, {_figures(-sign, -sign)}, GREATEST({xid}, max(s.xact_id), max(v.xact_id))"
        f" FROM {reversals} v JOIN {settlements} s ON s.id = v.settlement_id"
        " WHERE v.kind = 'correction' GROUP BY 1, 2, 3, 5"
    )
    return _ADD.format(select=select)


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
    "INSERT INTO report_ledger_all_rollups AS r (day, county_code, slot, "
    + ", ".join(_LEDGER_COLUMNS)
    + ", max_xact_id) {select} ON CONFLICT (day, county_code, slot) DO UPDATE SET "
    + ", ".join(f"{c} = r.{c} + EXCLUDED.{c}" for c in _LEDGER_COLUMNS)
    + ", max_xact_id = GREATEST(r.max_xact_id, EXCLUDED.max_xact_id)"
)
_ADD_LEDGER_FUNDS = """
  INSERT INTO report_ledger_all_fund_rollups AS r (day, county_code, fund_code, slot,
    fund_name, position, layer_count, paid_fen, max_xact_id)
  {select}
  ON CONFLICT (day, county_code, fund_code, slot) DO UPDATE SET
    fund_name = LEAST(r.fund_name, EXCLUDED.fund_name),
    position = LEAST(r.position, EXCLUDED.position),
    layer_count = r.layer_count + EXCLUDED.layer_count,
    paid_fen = r.paid_fen + EXCLUDED.paid_fen,
    max_xact_id = GREATEST(r.max_xact_id, EXCLUDED.max_xact_id)"""


def _standing(settlements: str) -> str:
    """The rows of ``settlements`` no reversal points at (the ledger counts those)."""
    return (
        f"(SELECT x.* FROM {settlements} x"
        " WHERE NOT EXISTS (SELECT 1 FROM reversals v WHERE v.settlement_id = x.id))"
    )


def _ledger(settlements: str, sign: int, slot: str = _SLOT, xid: str = _XID) -> str:
    """Add ``sign`` times the settlements ``settlements`` to the ledger's rollups (by the day of
    settlement and the person's county), whatever their categories."""
    above = "s.in_county AND s.in_policy_self_pay_fen > s.tilted_target_fen"
    select = (
        f"SELECT {_DAY.format(col='s.settled_at')}, s.person_county_code, {slot},"
        f" {sign} * count(*), {sign} * sum(s.in_policy_fen)::bigint,"
        f" {sign} * sum(s.self_pay_fen)::bigint, {sign} * sum(s.in_policy_self_pay_fen)::bigint,"
        f" {sign} * count(*) FILTER (WHERE s.in_county),"
        f" {sign} * coalesce(sum(s.in_policy_fen) FILTER (WHERE s.in_county), 0)::bigint,"
        f" {sign} * coalesce(sum(s.in_policy_self_pay_fen) FILTER (WHERE s.in_county), 0)::bigint,"
        f" {sign} * count(*) FILTER (WHERE {above}), {xid}"
        f" FROM {settlements} s GROUP BY 1, 2, 3"
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
        f" FROM {settlements} s JOIN {layers} l ON l.settlement_id = s.id"
        " GROUP BY 1, 2, 3, 4"
    )
    return _ADD_LEDGER_FUNDS.format(select=select)


_LAYERS_OF = (
    "(SELECT l.* FROM settlement_layers l WHERE l.settlement_id IN (SELECT {id} FROM {rows}))"
)
# The settlements of the layers in ``new_rows``, looked up by key.
_LAYERED = "(SELECT x.* FROM settlements x WHERE x.id IN (SELECT settlement_id FROM new_rows))"

# The settlements of the reversals in a transition table, looked up by key.
_OF = "(SELECT x.* FROM settlements x WHERE x.id IN (SELECT settlement_id FROM {}))"
# The reversals of the settlements in a transition table, looked up by key.
_REVERSALS_OF = "(SELECT v.* FROM reversals v WHERE v.settlement_id IN (SELECT id FROM {}))"


def _function(name: str, statements: Sequence[str]) -> str:
    body = ";\n".join(statements)
    return (
        # SECURITY DEFINER (as the owner, like 0023's): the service's role may read the rollups
        # but never write them itself.
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
        f" SET search_path = public AS $$\nBEGIN\n{body};\n"
        "  RETURN NULL;\nEND $$"
    )


FUNCTIONS = [
    _function("report_nhsa_settlements_insert", [_settled("new_rows", 1)]),
    # A settlement is never updated by the service; tests move them in time: the old rows taken
    # back, the new added, with their reversal records and corrections.
    _function(
        "report_nhsa_settlements_update",
        [
            _settled("old_rows", -1),
            _settled("new_rows", 1),
            _reversed(_REVERSALS_OF.format("old_rows"), "old_rows", -1),
            _reversed(_REVERSALS_OF.format("new_rows"), "new_rows", 1),
            _corrected(_REVERSALS_OF.format("old_rows"), "old_rows", -1),
            _corrected(_REVERSALS_OF.format("new_rows"), "new_rows", 1),
        ],
    ),
    _function(
        "report_nhsa_reversals_insert",
        [
            _reversed("new_rows", _OF.format("new_rows"), 1),
            _corrected("new_rows", _OF.format("new_rows"), 1),
        ],
    ),
    # A reinstate (app.settlement.service.reinstate) deletes the reversal: take it back.
    _function(
        "report_nhsa_reversals_delete",
        [
            _reversed("old_rows", _OF.format("old_rows"), -1),
            _corrected("old_rows", _OF.format("old_rows"), -1),
        ],
    ),
    _function(
        "report_nhsa_reversals_update",
        [
            _reversed("old_rows", _OF.format("old_rows"), -1),
            _corrected("old_rows", _OF.format("old_rows"), -1),
            _reversed("new_rows", _OF.format("new_rows"), 1),
            _corrected("new_rows", _OF.format("new_rows"), 1),
        ],
    ),
]

LEDGER_FUNCTIONS = [
    _function(
        "report_ledger_all_settlements_insert",
        [_ledger("new_rows", 1)],
    ),
    _function(
        "report_ledger_all_settlements_update",
        [
            _ledger(_standing("old_rows"), -1),
            _ledger(_standing("new_rows"), 1),
            _ledger_funds(_standing("old_rows"), _LAYERS_OF.format(id="id", rows="old_rows"), -1),
            _ledger_funds(_standing("new_rows"), _LAYERS_OF.format(id="id", rows="new_rows"), 1),
        ],
    ),
    # Layers come with their settlement, never after its reversal.
    _function(
        "report_ledger_all_layers_insert", [_ledger_funds(_standing(_LAYERED), "new_rows", 1)]
    ),
    _function(
        "report_ledger_all_layers_update",
        [
            _ledger_funds(_standing(_LAYERED), "old_rows", -1),
            _ledger_funds(_standing(_LAYERED), "new_rows", 1),
        ],
    ),
    _function(
        "report_ledger_all_reversals_insert",
        [
            _ledger(_OF.format("new_rows"), -1),
            _ledger_funds(
                _OF.format("new_rows"), _LAYERS_OF.format(id="settlement_id", rows="new_rows"), -1
            ),
        ],
    ),
    _function(
        "report_ledger_all_reversals_delete",
        [
            _ledger(_OF.format("old_rows"), 1),
            _ledger_funds(
                _OF.format("old_rows"), _LAYERS_OF.format(id="settlement_id", rows="old_rows"), 1
            ),
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
    ("reversals", "reversals", "INSERT"),
    ("reversals", "reversals", "DELETE"),
    ("reversals", "reversals", "UPDATE"),
]


LEDGER_TRIGGERS = [
    ("settlements", "settlements", "INSERT"),
    ("settlements", "settlements", "UPDATE"),
    ("layers", "settlement_layers", "INSERT"),
    ("layers", "settlement_layers", "UPDATE"),
    ("reversals", "reversals", "INSERT"),
    ("reversals", "reversals", "DELETE"),
]


def _trigger_name(short: str, op_: str, prefix: str = "report_nhsa") -> str:
    return f"{prefix}_{short}_{op_.lower()}"


_LEDGER = "report_ledger_all"


# The backfill: every stored row, in slot 0, ``max_xact_id`` the largest id of the rows behind
# the cell (all committed: the migration takes the tables' lock first).
_NONE = "0::bigint"
BACKFILL = [
    _settled("settlements", 1, "0::smallint", _NONE),
    _reversed("reversals", "settlements", 1, "0::smallint", _NONE),
    _corrected("reversals", "settlements", 1, "0::smallint", _NONE),
]
LEDGER_BACKFILL = [
    _ledger(_standing("settlements"), 1, "0::smallint", "max(s.xact_id)"),
    _ledger_funds(
        _standing("settlements"), "settlement_layers", 1, "0::smallint", "max(s.xact_id)"
    ),
]


def upgrade() -> None:
    op.execute(TABLE)
    for statement in LEDGER_TABLES.split(";"):
        op.execute(statement)
    for function in FUNCTIONS + LEDGER_FUNCTIONS:
        op.execute(function)
    # The backfill and the triggers in one transaction, under a lock that lets no writer of
    # these tables in: a row committed before is added by the backfill, one after by its
    # trigger, none twice.
    op.execute("LOCK TABLE settlements, settlement_layers, reversals IN SHARE MODE")
    op.execute("SET LOCAL statement_timeout = 0")
    for statement in BACKFILL + LEDGER_BACKFILL:
        op.execute(statement)
    for prefix, triggers in (("report_nhsa", TRIGGERS), (_LEDGER, LEDGER_TRIGGERS)):
        for short, table, op_ in triggers:
            name = _trigger_name(short, op_, prefix)
            op.execute(
                f"CREATE TRIGGER {name} AFTER {op_} ON {table} {_REFERENCING[op_]}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def downgrade() -> None:
    for prefix, triggers in (("report_nhsa", TRIGGERS), (_LEDGER, LEDGER_TRIGGERS)):
        for short, table, op_ in triggers:
            op.execute(f"DROP TRIGGER {_trigger_name(short, op_, prefix)} ON {table}")
            op.execute(f"DROP FUNCTION {_trigger_name(short, op_, prefix)}()")
    op.execute("DROP TABLE report_ledger_all_fund_rollups")
    op.execute("DROP TABLE report_ledger_all_rollups")
    op.execute("DROP TABLE report_nhsa_rollups")
