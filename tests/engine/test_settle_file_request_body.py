"""``onestop settle-file`` takes the API's request body too (``examples/demo-bill.json``, what
the README's curl sends), looked up in the demo registry; before, it refused every field of it
as unknown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.demo import DEMO_PERSONS
from app.settle_file import EXIT_BAD_INPUT, BillFileError, main, parse_bill, run

ROOT = Path(__file__).resolve().parents[2]
DEMO_BILL = ROOT / "examples" / "demo-bill.json"
QIAN_QI = next(id_number for id_number, (name, *_) in DEMO_PERSONS.items() if name == "钱七")


def demo_bill(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(DEMO_BILL.read_text(encoding="utf-8"))
    return {**body, **changes}


def errors_for(data: Any) -> list[str]:
    with pytest.raises(BillFileError) as info:
        parse_bill(data)
    return info.value.errors


def test_the_readme_demo_bill_gives_the_apis_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DEMO_BILL)]) == 0
    table = capsys.readouterr().out
    assert "secondary hospital, in county; person: registered_poor; 4 items" in table
    result = json.loads(run(DEMO_BILL, as_json=True))
    # The README's answer to the same body over HTTP (tests/test_example_client.py checks it).
    assert result["totals"] == {
        "total": "20000.00",
        "hospital_borne": "0.00",
        "full_self_pay": "1000.00",
        "over_limit": "0.00",
        "pre_self_pay": "500.00",
        "in_policy": "18500.00",
    }
    assert [(x["layer"], x["paid"]) for x in result["layers"]] == [
        ("basic", "14640.00"),
        ("critical_illness", "0.00"),
        ("supplementary", "1930.00"),
        ("tilted", "80.00"),
        ("civil_assistance", "1295.00"),
    ]
    assert (result["fund_paid"], result["self_pay"]) == ("17945.00", "2055.00")


def test_a_category_counts_only_on_its_valid_dates(tmp_path: Path) -> None:
    """钱七 (demo) is registered poor until 2018-12-31: a 2019 discharge is a general one."""
    body = demo_bill(
        hospital_code="H510411001",
        patient={"id_number": QIAN_QI},
        admission_date="2019-01-02",
        discharge_date="2019-01-10",
    )
    path = tmp_path / "bill.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    result = json.loads(run(path, as_json=True))
    assert result["policy_version"] == "panzhihua-2019"
    assert result["layers"][0]["params"]["profile"] == "general"
    body["discharge_date"] = "2018-12-31"
    body["admission_date"] = "2018-12-20"
    path.write_text(json.dumps(body), encoding="utf-8")
    result = json.loads(run(path, as_json=True))
    assert result["layers"][0]["params"]["profile"] == "registered_poor"


def test_what_the_demo_registry_does_not_know_is_listed_at_once() -> None:
    items = demo_bill()["items"]
    items[0]["code"], items[2]["code"] = "NOPE2", "NOPE1"
    assert errors_for(
        demo_bill(
            hospital_code="H999",
            patient={"id_number": "11010519491231002X"},
            items=items,
        )
    ) == [
        "hospital_code: H999 is not in the demo registry (without a database settle-file knows "
        "the demo hospitals only; a bill file names the level and county itself)",
        "patient.id_number: not in the demo registry (a bill file names the person's county and "
        "categories itself)",
        "items: not in the demo catalogue: NOPE1, NOPE2",
    ]
    assert errors_for(demo_bill(hospital_code="H510422009")) == [
        "hospital_code: H510422009 is not designated (非定点)"
    ]
    assert errors_for(demo_bill(discharge_date="2017-06-12", admission_date="2017-06-01")) == [
        "patient.id_number: not enrolled for 2017"
    ]
    assert errors_for(demo_bill(discharge_date="2018-05-01")) == [
        "discharge_date: must not be before admission_date"
    ]


def test_the_body_is_validated_as_the_api_validates_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = demo_bill()["items"]
    items[1]["amount"] = "5000.001"
    del items[2]["unit_price"]
    path = tmp_path / "bill.json"
    path.write_text(json.dumps(demo_bill(items=items, extra=1)), encoding="utf-8")
    assert main([str(path)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"settle-file: {path} is not a valid bill:"
    assert [line.split(":")[0] for line in err[1:]] == [
        "  - items[1].amount",
        "  - items[2].unit_price",
        "  - extra",
    ]
    # A line whose amount is not unit price × quantity, as the bill file format says it.
    items = demo_bill()["items"]
    items[1]["amount"] = "5000.01"
    assert errors_for(demo_bill(items=items)) == [
        "item seq 2: amount: 5000.01 does not equal round(unit_price × quantity) = 5000.00"
    ]
