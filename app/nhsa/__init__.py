"""The national medical-insurance platform's interface (the "fsi" adapter).

Importing the package imports every handler module, so each registers its transactions."""

from . import tx_visits

__all__ = ["tx_visits"]
