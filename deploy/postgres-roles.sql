-- Production database roles for onestop: run once as the database owner, after `onestop migrate`
-- (which runs as the owner, because migrations create and alter tables).
--
-- The service connects as `onestop_app`. It may insert into the append-only tables but never
-- update or delete them, so a bug, a stolen service credential or a careless hand cannot rewrite
-- a settlement, a reversal or the audit trail. (audit_log also refuses UPDATE/DELETE by trigger,
-- and `onestop audit verify` detects what a superuser might still do.)
--
--   psql "$OWNER_URL" -f deploy/postgres-roles.sql
--   psql "$OWNER_URL" -c "ALTER ROLE onestop_app PASSWORD '…'"   -- or your secret manager's way
--
-- Re-run after a migration that adds a table. Keep this file in step with migrations/.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'onestop_app') THEN
        CREATE ROLE onestop_app LOGIN;
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO onestop_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM onestop_app;

-- Append-only: read and insert, nothing else.
GRANT SELECT, INSERT ON settlements, settlement_layers, settlement_item_lists, reversals,
    policy_versions TO onestop_app;
-- The one exception: the national interface's 2601 undo of a 2305 cancellation reinstates the
-- settlement by deleting its reversal (app/settlement/service.py `reinstate`), so reversals can
-- be deleted, never updated. The deletion is recorded in the audit trail with the same commit
-- (`settlement.reinstate`). Follow-up: make reinstatement an append-only row of its own and
-- revoke this.
GRANT DELETE ON reversals TO onestop_app;
-- The bill lines as rows (a view over settlement_item_lists).
GRANT SELECT ON settlement_items TO onestop_app;
-- The audit trail: read only. Entries are staged in audit_pending; at COMMIT a trigger (running
-- as its owner, migration 0006) chains them into audit_log and deletes them, so the only way
-- into the chain is through that trigger.
GRANT SELECT ON audit_log TO onestop_app;
GRANT INSERT ON audit_pending TO onestop_app;
-- The Merkle log's sequencer (migration 0022) runs in the service: it sets each entry's
-- leaf_index once (the append-only trigger refuses any other change), and appends tree nodes,
-- signing keys and signed heads. Nothing of them is ever updated or deleted.
GRANT UPDATE (leaf_index) ON audit_log TO onestop_app;
GRANT SELECT, INSERT ON audit_tree_nodes, audit_signing_keys, audit_tree_heads TO onestop_app;

-- Mutable state: the annual accumulators and the registries (a PUT replaces a person's
-- enrolments and categories), API keys (revocation, last use).
GRANT SELECT, INSERT, UPDATE ON accumulators, hospitals, persons, catalog_items, api_keys
    TO onestop_app;
GRANT SELECT, INSERT, DELETE ON person_enrolments, person_categories TO onestop_app;
-- A proxy-payment run adopts a person's own enrolment of the year (app/enrolment/proxy.py); a
-- roster import ends or amends the categories of its source (app/roster/service.py).
GRANT UPDATE ON person_enrolments, person_categories TO onestop_app;
-- Web sessions (/ui/): created at sign-in, deleted at sign-out and when expired.
GRANT SELECT, INSERT, DELETE ON ui_sessions TO onestop_app;

-- Work injury (docs/work-injury.md): records whose state moves on (an application, a
-- reminder, a recovery) are updated; decisions, their items and repayments are append-only.
GRANT SELECT, INSERT, UPDATE ON wi_projects, wi_cases, wi_applications, wi_reminders,
    wi_recoveries TO onestop_app;
GRANT SELECT, INSERT ON wi_project_workers, wi_decisions, wi_decision_items, wi_repayments
    TO onestop_app;

-- Visits and their fee lines (docs/nhsa-visits.md): a visit is admitted, discharged, cancelled or
-- reopened; a fee line is refunded by an update.
GRANT SELECT, INSERT, UPDATE ON visits, fee_lines TO onestop_app;

-- The NHSA interface (docs/nhsa.md): files and sign-ins are append-only; a message is marked
-- reversed by a later 2601 (reversed_by, reversed_at); the replay nonces are upserted and the
-- expired ones deleted.
GRANT SELECT, INSERT ON nhsa_files, nhsa_signins TO onestop_app;
GRANT SELECT, INSERT, UPDATE ON nhsa_messages TO onestop_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON nhsa_nonces TO onestop_app;

-- Rosters and enrolment (docs/roster.md, docs/enrolment.md): an import's counts are updated
-- when it ends; a roster replaces its source's external enrolments of a year; a proxy-payment
-- run moves through its states; its lines and shares are append-only.
GRANT SELECT, INSERT, UPDATE ON roster_imports, pension_enrolments, proxy_payment_runs
    TO onestop_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON external_enrolments TO onestop_app;
GRANT SELECT, INSERT ON proxy_payment_lines, proxy_payment_shares TO onestop_app;

-- What-if replays (docs/what-if.md): a job's state and result are updated; expired jobs deleted.
GRANT SELECT, INSERT, UPDATE, DELETE ON what_if_jobs TO onestop_app;

-- Report rollups (migration 0023): read only; the triggers that keep them run as their owner.
GRANT SELECT ON report_event_rollups, report_fund_rollups, report_ledger_rollups,
    report_ledger_fund_rollups TO onestop_app;
-- 3201 对总账's and the console's all-category ledger rollups (migration 0025): the same.
GRANT SELECT ON report_nhsa_rollups, report_ledger_all_rollups, report_ledger_all_fund_rollups
    TO onestop_app;

-- /readyz reads the migration version.
GRANT SELECT ON alembic_version TO onestop_app;

GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO onestop_app;
