"""Reconciliation for the insurance agency: totals, event details (JSON/CSV/XLSX), check, and the
poverty ledger. Read-only; see :mod:`app.reconciliation.service` for the design of the cursor."""
