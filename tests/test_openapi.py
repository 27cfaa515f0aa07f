from __future__ import annotations

import json
import re
from pathlib import Path

from app.main import create_app

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == create_app().openapi(), (
        "openapi/openapi.json is out of date with the app: run `make openapi` and commit it"
    )


def test_every_authenticated_operation_documents_ambiguous_credentials() -> None:
    """Two Authorization headers are refused before authentication on every endpoint
    (app.middleware), so every operation that documents 401 also documents that 400."""
    paths = create_app().openapi()["paths"]
    authenticated = [
        (method, path, operation["responses"])
        for path, item in paths.items()
        for method, operation in item.items()
        if "401" in operation["responses"]
    ]
    assert len(authenticated) > 10  # the whole /v1 API, not an empty selection
    for method, path, responses in authenticated:
        assert "`ambiguous_credentials`" in responses.get("400", {}).get("description", ""), (
            method,
            path,
        )


# "结算 Settle a bill": the Chinese term a HIS developer or the agency knows, then English.
SUMMARY = re.compile(r"^[\u4e00-\u9fff]+ [A-Z][\w'(),:-]*( [\w'(),:-]+)+$")


def test_every_operation_has_a_summary_in_chinese_and_english() -> None:
    """Without one, FastAPI titles an operation after its function ("List ", "Create",
    "Totals"), which is what docs and the generated client showed."""
    operations = [
        (f"{method.upper()} {path}", operation.get("summary", ""))
        for path, item in create_app().openapi()["paths"].items()
        for method, operation in item.items()
    ]
    assert operations
    bad = [(where, summary) for where, summary in operations if not SUMMARY.match(summary)]
    assert not bad, f"summaries must read '结算 Settle a bill': {bad}"
    summaries = [summary for _, summary in operations]
    assert len(set(summaries)) == len(summaries), "two operations share a summary"


def test_schema_names_are_plain() -> None:
    """Two models of one name in different modules make FastAPI name both by their module path
    (``app__work_injury__schemas__LedgerOut``), and the generated clients' classes with them:
    every component schema must have a name of its own."""
    names = list(create_app().openapi()["components"]["schemas"])
    assert len(names) > 50  # the whole document, not an empty selection
    assert [name for name in names if "__" in name] == []
