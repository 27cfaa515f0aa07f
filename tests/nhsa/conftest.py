"""Fixtures of the national-interface tests: the API tests' ``demo`` (tests/api/conftest.py);
the helpers are in ``fsi.py``."""

from api.conftest import demo

__all__ = ["demo"]
