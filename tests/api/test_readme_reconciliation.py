"""The README's reconciliation example finds the settlement its demo curl just made: days are
those of ``settled_at`` (Asia/Shanghai), which is the moment of settling, so the example's dates
are computed, not fixed (a fixed June 2018 answered zeros)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from httpx import AsyncClient
from support import unique

from .conftest import ADMIN, AGENCY, bill_no, headers, new_person, settle

pytestmark = pytest.mark.usefixtures("demo")

ROOT = Path(__file__).resolve().parents[2]


def readme_query() -> dict[str, str]:
    """``$Q`` of the README's reconciliation example, as its shell lines make it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Reconciliation") :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    lines = [line for line in block[1].splitlines() if re.match(r"^[A-Z]+=", line)]
    assert any(line.startswith("Q=") for line in lines)
    script = "\n".join([*lines, 'printf %s "$Q"'])
    q = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    return dict(parse_qsl(q.stdout, strict_parsing=True))


async def test_the_readme_reconciliation_example_finds_the_demo_settlement(
    client: AsyncClient,
) -> None:
    # The demo bill, at a hospital and for a person of this test only: the shared database holds
    # every other test's settlements of today too.
    hospital = unique("RM")
    put = await client.put(
        f"/v1/hospitals/{hospital}",
        headers=headers(ADMIN),
        json={"name": "演示", "level": "secondary", "county_code": "510402", "designated": True},
    )
    assert put.status_code == 201, put.text
    key = await client.post(
        "/v1/api-keys", headers=headers(ADMIN), json={"role": "hospital", "hospital_code": hospital}
    )
    bill = json.loads((ROOT / "examples" / "demo-bill.json").read_text(encoding="utf-8"))
    bill |= {"hospital_code": hospital, "bill_no": bill_no()}
    bill["patient"] = {"id_number": await new_person(client, ["registered_poor"])}
    settled = await settle(client, bill, key=key.json()["key"])
    assert settled.status_code == 201, settled.text

    params = {**readme_query(), "hospital_code": hospital}
    totals = await client.get("/v1/reconciliation/totals", params=params, headers=headers(AGENCY))
    assert totals.status_code == 200, totals.text
    assert (totals.json()["count"], totals.json()["fund_paid"]) == (1, "17945.00")
    events = await client.get(
        "/v1/reconciliation/settlements",
        params={**params, "limit": 100},
        headers=headers(AGENCY),
    )
    assert [e["settlement_id"] for e in events.json()["items"]] == [settled.json()["settlement_id"]]
