from __future__ import annotations

import json
from pathlib import Path

from app.main import create_app

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == create_app().openapi(), (
        "openapi/openapi.json is out of date with the app: run `make openapi` and commit it"
    )
