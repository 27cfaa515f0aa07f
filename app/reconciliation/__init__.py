"""Reconciliation for the insurance agency: totals, event details (JSON/CSV/XLSX), check, and the
poverty ledger. Read-only; :mod:`app.reconciliation.service` maps the modules, and
:mod:`app.reconciliation.cursor` explains the cursor (transaction ids below the snapshot's xmin)."""
