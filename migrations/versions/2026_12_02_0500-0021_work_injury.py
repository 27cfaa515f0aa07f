"""Work-injury advance payment (先行支付, notice part 三): tables ``wi_*`` (app/work_injury/models.py,
docs/work-injury.md), and the ``work_injury`` role of API keys (the work-injury agency's staff).

Construction projects insured by project and their worker rosters; injury cases; advance
applications on the three paths of 人社部令第15号; the employer reminders; decisions (pay or
refuse) with their items; recoveries and repayments. Money is integer fen; every state is
CHECKed and every natural key a retry could repeat (project_no, case_no, one application per case
and path, one decision and one recovery per application, repayment_no per recovery) is UNIQUE,
so a retried request can never record money twice.

Hand-written (the DDL is what the models compile to, checked by tests/test_migrations.py).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "wi_repayments",
    "wi_recoveries",
    "wi_decision_items",
    "wi_decisions",
    "wi_reminders",
    "wi_applications",
    "wi_cases",
    "wi_project_workers",
    "wi_projects",
)

DDL = """
CREATE TABLE wi_projects (
    id BIGSERIAL NOT NULL,
    project_no VARCHAR(64) NOT NULL,
    name VARCHAR(200) NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    contractor_name VARCHAR(200) NOT NULL,
    contractor_code VARCHAR(18) NOT NULL,
    contract_price_fen BIGINT NOT NULL,
    rate_ppm INTEGER NOT NULL,
    rate_source VARCHAR(500) NOT NULL,
    premium_fen BIGINT NOT NULL,
    premium_paid_on DATE NOT NULL,
    work_start_on DATE NOT NULL,
    cover_from DATE NOT NULL,
    cover_to DATE NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_wi_projects PRIMARY KEY (id),
    CONSTRAINT ck_wi_projects_price CHECK (contract_price_fen >= 0),
    CONSTRAINT ck_wi_projects_premium CHECK (premium_fen >= 0),
    CONSTRAINT ck_wi_projects_rate CHECK (rate_ppm BETWEEN 0 AND 1000000),
    CONSTRAINT ck_wi_projects_paid_before_start CHECK (premium_paid_on <= work_start_on),
    CONSTRAINT ck_wi_projects_cover_range CHECK (cover_to >= cover_from),
    CONSTRAINT uq_wi_projects_project_no UNIQUE (project_no)
);
CREATE TABLE wi_project_workers (
    project_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL,
    on_from DATE NOT NULL,
    on_to DATE,
    CONSTRAINT pk_wi_project_workers PRIMARY KEY (project_id, person_id),
    CONSTRAINT ck_wi_project_workers_range CHECK (on_to IS NULL OR on_to >= on_from),
    CONSTRAINT fk_wi_project_workers_project_id_wi_projects FOREIGN KEY(project_id) REFERENCES wi_projects (id) ON DELETE CASCADE,
    CONSTRAINT fk_wi_project_workers_person_id_persons FOREIGN KEY(person_id) REFERENCES persons (id)
);
CREATE INDEX ix_wi_project_workers_person_id ON wi_project_workers (person_id);
CREATE TABLE wi_cases (
    id BIGSERIAL NOT NULL,
    case_no VARCHAR(64) NOT NULL,
    person_id BIGINT NOT NULL,
    county_code VARCHAR(6) NOT NULL,
    employer_name VARCHAR(200) NOT NULL,
    employer_code VARCHAR(18) NOT NULL,
    project_id BIGINT,
    injury_date DATE NOT NULL,
    recognition_no VARCHAR(64) NOT NULL,
    recognition_date DATE NOT NULL,
    third_party_liable BOOLEAN NOT NULL,
    employer_insured BOOLEAN NOT NULL,
    poor_worker BOOLEAN NOT NULL,
    poor_category VARCHAR(32),
    request_hash VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_wi_cases PRIMARY KEY (id),
    CONSTRAINT ck_wi_cases_recognised_after_injury CHECK (recognition_date >= injury_date),
    CONSTRAINT uq_wi_cases_case_no UNIQUE (case_no),
    CONSTRAINT fk_wi_cases_person_id_persons FOREIGN KEY(person_id) REFERENCES persons (id),
    CONSTRAINT fk_wi_cases_project_id_wi_projects FOREIGN KEY(project_id) REFERENCES wi_projects (id)
);
CREATE INDEX ix_wi_cases_project_id ON wi_cases (project_id);
CREATE INDEX ix_wi_cases_person_id ON wi_cases (person_id);
CREATE INDEX ix_wi_cases_county_code ON wi_cases (county_code);
CREATE TABLE wi_applications (
    id BIGSERIAL NOT NULL,
    case_id BIGINT NOT NULL,
    path VARCHAR(32) NOT NULL,
    trigger VARCHAR(32),
    applicant VARCHAR(16) NOT NULL,
    applied_on DATE NOT NULL,
    claims JSONB NOT NULL,
    claimed_fen BIGINT NOT NULL,
    yb_advance_fen BIGINT NOT NULL,
    reminder_needed BOOLEAN NOT NULL,
    reminder_due_on DATE,
    status VARCHAR(16) NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_wi_applications PRIMARY KEY (id),
    CONSTRAINT uq_wi_applications_case_id_path UNIQUE (case_id, path),
    CONSTRAINT ck_wi_applications_path CHECK (path IN ('employer_unpaid', 'third_party_unpaid', 'third_party_unknown')),
    CONSTRAINT ck_wi_applications_trigger CHECK (trigger IS NULL OR trigger IN ('licence_revoked', 'refuses', 'court_suspension', 'other')),
    CONSTRAINT ck_wi_applications_trigger_path CHECK ((path = 'employer_unpaid') = (trigger IS NOT NULL)),
    CONSTRAINT ck_wi_applications_applicant CHECK (applicant IN ('worker', 'relative')),
    CONSTRAINT ck_wi_applications_status CHECK (status IN ('applied', 'reminded', 'employer_paid', 'paid', 'refused')),
    CONSTRAINT ck_wi_applications_amounts CHECK (claimed_fen > 0 AND yb_advance_fen >= 0),
    CONSTRAINT fk_wi_applications_case_id_wi_cases FOREIGN KEY(case_id) REFERENCES wi_cases (id)
);
CREATE INDEX ix_wi_applications_case_id ON wi_applications (case_id);
CREATE TABLE wi_reminders (
    application_id BIGINT NOT NULL,
    sent_on DATE NOT NULL,
    late BOOLEAN NOT NULL,
    employer_due_on DATE NOT NULL,
    employer_paid_fen BIGINT DEFAULT '0' NOT NULL,
    employer_paid_on DATE,
    CONSTRAINT pk_wi_reminders PRIMARY KEY (application_id),
    CONSTRAINT ck_wi_reminders_due_after_sent CHECK (employer_due_on > sent_on),
    CONSTRAINT ck_wi_reminders_paid CHECK (employer_paid_fen >= 0),
    CONSTRAINT fk_wi_reminders_application_id_wi_applications FOREIGN KEY(application_id) REFERENCES wi_applications (id)
);
CREATE TABLE wi_decisions (
    id BIGSERIAL NOT NULL,
    application_id BIGINT NOT NULL,
    decision VARCHAR(8) NOT NULL,
    decided_on DATE NOT NULL,
    reason VARCHAR(1000) NOT NULL,
    total_fen BIGINT NOT NULL,
    yb_refund_fen BIGINT NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_wi_decisions PRIMARY KEY (id),
    CONSTRAINT ck_wi_decisions_decision CHECK (decision IN ('pay', 'refuse')),
    CONSTRAINT ck_wi_decisions_amounts CHECK ((decision = 'pay') = (total_fen > 0) AND yb_refund_fen >= 0 AND yb_refund_fen <= total_fen),
    CONSTRAINT uq_wi_decisions_application_id UNIQUE (application_id),
    CONSTRAINT fk_wi_decisions_application_id_wi_applications FOREIGN KEY(application_id) REFERENCES wi_applications (id)
);
CREATE TABLE wi_decision_items (
    decision_id BIGINT NOT NULL,
    item_code VARCHAR(32) NOT NULL,
    amount_fen BIGINT NOT NULL,
    CONSTRAINT pk_wi_decision_items PRIMARY KEY (decision_id, item_code),
    CONSTRAINT ck_wi_decision_items_amount CHECK (amount_fen >= 0),
    CONSTRAINT fk_wi_decision_items_decision_id_wi_decisions FOREIGN KEY(decision_id) REFERENCES wi_decisions (id) ON DELETE CASCADE
);
CREATE TABLE wi_recoveries (
    id BIGSERIAL NOT NULL,
    application_id BIGINT NOT NULL,
    debtor VARCHAR(16) NOT NULL,
    debtor_name VARCHAR(200) NOT NULL,
    ordered_on DATE NOT NULL,
    due_on DATE NOT NULL,
    amount_fen BIGINT NOT NULL,
    repaid_fen BIGINT DEFAULT '0' NOT NULL,
    written_off_fen BIGINT DEFAULT '0' NOT NULL,
    written_off_on DATE,
    write_off_ref VARCHAR(200),
    status VARCHAR(16) NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_wi_recoveries PRIMARY KEY (id),
    CONSTRAINT ck_wi_recoveries_debtor CHECK (debtor IN ('employer', 'third_party', 'person')),
    CONSTRAINT ck_wi_recoveries_status CHECK (status IN ('open', 'repaid', 'written_off')),
    CONSTRAINT ck_wi_recoveries_money CHECK (amount_fen > 0 AND repaid_fen >= 0 AND written_off_fen >= 0 AND repaid_fen + written_off_fen <= amount_fen),
    CONSTRAINT ck_wi_recoveries_status_money CHECK ((status = 'repaid') = (repaid_fen = amount_fen) AND (status = 'written_off') = (written_off_fen > 0)),
    CONSTRAINT ck_wi_recoveries_due_after_order CHECK (due_on >= ordered_on),
    CONSTRAINT uq_wi_recoveries_application_id UNIQUE (application_id),
    CONSTRAINT fk_wi_recoveries_application_id_wi_applications FOREIGN KEY(application_id) REFERENCES wi_applications (id)
);
CREATE TABLE wi_repayments (
    id BIGSERIAL NOT NULL,
    recovery_id BIGINT NOT NULL,
    repayment_no VARCHAR(64) NOT NULL,
    paid_on DATE NOT NULL,
    amount_fen BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_wi_repayments PRIMARY KEY (id),
    CONSTRAINT uq_wi_repayments_recovery_id_repayment_no UNIQUE (recovery_id, repayment_no),
    CONSTRAINT ck_wi_repayments_amount CHECK (amount_fen > 0),
    CONSTRAINT fk_wi_repayments_recovery_id_wi_recoveries FOREIGN KEY(recovery_id) REFERENCES wi_recoveries (id)
);
CREATE INDEX ix_wi_repayments_recovery_id ON wi_repayments (recovery_id);
"""


def upgrade() -> None:
    # One statement at a time: asyncpg prepares each, and a prepared statement holds one.
    for statement in DDL.split(";"):
        if statement.strip():
            op.execute(statement)
    op.execute("ALTER TABLE api_keys DROP CONSTRAINT ck_api_keys_role")
    op.execute(
        "ALTER TABLE api_keys ADD CONSTRAINT ck_api_keys_role "
        "CHECK (role IN ('hospital', 'agency', 'admin', 'work_injury'))"
    )


def downgrade() -> None:
    op.execute("DELETE FROM api_keys WHERE role = 'work_injury'")
    op.execute("ALTER TABLE api_keys DROP CONSTRAINT ck_api_keys_role")
    op.execute(
        "ALTER TABLE api_keys ADD CONSTRAINT ck_api_keys_role "
        "CHECK (role IN ('hospital', 'agency', 'admin'))"
    )
    for table in TABLES:
        op.drop_table(table)
