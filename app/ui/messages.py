"""The words the web pages show that code chooses (errors, role names, navigation): they live in
the one message catalogue (:mod:`app.i18n.catalog` ``PAGES``, ``ROLE_NAMES``, ``NAV``); this
module keeps the names the page code and templates use."""

from __future__ import annotations

from app.i18n.catalog import NAV, ROLE_NAMES
from app.i18n.catalog import PAGES as MESSAGES

__all__ = ["MESSAGES", "NAV", "ROLE_NAMES", "message"]


def message(code: str) -> str:
    return MESSAGES[code]
