"""The national medical-insurance platform's interface ("fsi", NHSA.md): the adapter.

Importing the package imports every handler module, so each registers its transactions."""

from . import tx_reconcile  # noqa: F401 - registers 3201 3202 9101 9102
