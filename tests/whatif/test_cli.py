"""``onestop what-if``: the replay of the API run from the command line (a subprocess on the
test's own database), with the progress bar on stderr and the comparison on stdout; a refused
draft is exit 2 with each problem's field."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from api.conftest import make_bill, new_person, settle
from httpx import AsyncClient
from openpyxl import load_workbook
from test_cli_admin import onestop

from .conftest import today

POLICY = Path(__file__).resolve().parents[2] / "policies" / "panzhihua" / "2018-01-01.yaml"


async def test_the_cli_replays_a_draft(
    own_database_url: str, own_client: AsyncClient, tmp_path: Path
) -> None:
    # The supplementary draft of test_hand_worked.py: self-pay 2055.00 → 1963.20 (−91.80).
    person = await new_person(own_client, ["registered_poor"])
    assert (await settle(own_client, make_bill("WC0001", person))).status_code == 201
    draft = tmp_path / "draft.yaml"
    text = POLICY.read_text(encoding="utf-8")
    draft.write_text(
        text.replace('ratio:\n        value: "0.50"', 'ratio:\n        value: "0.60"'), "utf-8"
    )
    assert draft.read_text(encoding="utf-8") != text
    day = today()
    done = await asyncio.to_thread(
        onestop, own_database_url, "what-if", str(draft), "--from", day, "--to", day, "--json",
        "--xlsx", str(tmp_path / "out.xlsx"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1/1 100%" in done.stderr  # the bar, at its end
    result = json.loads(done.stdout)
    assert result["self_pay"] == {"actual": "2055.00", "what_if": "1963.20", "delta": "-91.80"}
    assert load_workbook(tmp_path / "out.xlsx").sheetnames == ["测算", "基金", "县月", "变化最大"]
    plain = await asyncio.to_thread(
        onestop, own_database_url, "what-if", str(draft), "--from", day, "--to", day
    )
    assert plain.returncode == 0, plain.stderr
    assert any(
        line.split()[:1] == ["self_pay"] and line.split()[1:] == ["2055.00", "1963.20", "-91.80"]
        for line in plain.stdout.splitlines()
    ), plain.stdout


async def test_a_refused_draft_names_its_field(own_database_url: str, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(POLICY.read_text(encoding="utf-8").replace("order:", "ordre:"), "utf-8")
    day = today()
    refused = await asyncio.to_thread(
        onestop, own_database_url, "what-if", str(draft), "--from", day, "--to", day
    )
    assert refused.returncode == 2
    assert "invalid_policy" in refused.stderr
    assert "  ordre: unknown field" in refused.stderr
    assert "  order: missing" in refused.stderr
