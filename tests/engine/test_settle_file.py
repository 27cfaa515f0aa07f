"""``onestop settle-file``: the example bill, the table, JSON, and every kind of bad file."""

from __future__ import annotations

import argparse
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.settle_file import EXIT_BAD_INPUT, BillFileError, add_parser, main, parse_bill, run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bill-example1.json"


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "bill.json"
    path.write_text(
        data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8"
    )
    return path


def errors_for(data: Any) -> list[str]:
    with pytest.raises(BillFileError) as info:
        parse_bill(data)
    return info.value.errors


def test_example_1_as_json() -> None:
    result = json.loads(run(EXAMPLE, as_json=True))
    assert result["policy_version"] == "panzhihua-2018"
    assert len(result["policy_hash"]) == 64
    assert result["totals"] == {
        "total": "20000.00",
        "hospital_borne": "0.00",
        "full_self_pay": "1000.00",
        "over_limit": "0.00",
        "pre_self_pay": "500.00",
        "in_policy": "18500.00",
    }
    assert [(x["layer"], x["paid"], x["left"]) for x in result["layers"]] == [
        ("basic", "14640.00", "3860.00"),
        ("critical_illness", "0.00", "3860.00"),
        ("supplementary", "1930.00", "1930.00"),
        ("tilted", "80.00", "1850.00"),
        ("civil_assistance", "1295.00", "555.00"),
    ]
    assert result["fund_paid"] == "17945.00"
    assert result["self_pay"] == "2055.00"
    assert result["in_policy_self_pay_ratio"] == "0.0300"


def test_example_1_as_a_table() -> None:
    text = run(EXAMPLE)
    assert re.search(r"^self pay .*\b2055\.00$", text, re.MULTILINE), text
    assert re.search(r"^fund paid\s+17945\.00$", text, re.MULTILINE)
    assert re.search(r"^\s+basic\s+390100\s+18500\.00\s+14640\.00\s+3860\.00\s", text, re.MULTILINE)
    assert "cumulative base below the band threshold" in text
    assert "policy panzhihua-2018" in text
    assert "in county" in text and "registered_poor" in text


def test_main_writes_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "2055.00" in out
    assert main([str(EXAMPLE), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["self_pay"] == "2055.00"


def test_add_parser_registers_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="onestop")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_parser(subparsers)
    args = parser.parse_args(["settle-file", str(EXAMPLE), "--json"])
    assert args.command == "settle-file"
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["fund_paid"] == "17945.00"


def test_accumulators_give_example_4(tmp_path: Path) -> None:
    data = example()
    data["accumulators"] = {
        "basic": {"paid": "14640.00"},
        "critical_illness": {"base": "3860.00", "paid": "0.00"},
        "supplementary": {"paid": "1930.00"},
        "tilted": {"paid": "80.00"},
        "civil_assistance": {"paid": "1295.00"},
    }
    result = json.loads(run(write(tmp_path, data), as_json=True))
    assert result["self_pay"] == "1834.20"


def test_accumulators_may_be_null_or_absent() -> None:
    data = example()
    data["accumulators"] = None
    assert parse_bill(data).accumulators == {}
    del data["accumulators"]
    assert parse_bill(data).accumulators == {}


def test_hospital_in_another_county_gives_example_3(tmp_path: Path) -> None:
    data = example()
    data["hospital"]["county_code"] = "510421"
    result = json.loads(run(write(tmp_path, data), as_json=True))
    assert result["self_pay"] == "2291.40"
    data["hospital"] = {"level": "secondary", "in_county": False}
    assert json.loads(run(write(tmp_path, data), as_json=True))["self_pay"] == "2291.40"
    data["referral"] = True
    text = run(write(tmp_path, data))
    assert "out of county, referred" in text


def test_numbers_are_accepted_as_json_numbers(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('"amount": "5000.00"', '"amount": 5000.00')
    text = text.replace('"quantity": "40.000"', '"quantity": 40')
    text = text.replace('"unit_price": "1000.0000"', '"unit_price": 1000.0000')
    result = json.loads(run(write(tmp_path, text), as_json=True))
    assert result["self_pay"] == "2055.00"


@pytest.mark.parametrize(
    "raw",
    ["1E+3", "1e3", "1000e0", "10000e-1", '"１０００"', '"١٠٠٠"', '"1000\\n"', '"1000.00 "'],
)
def test_exponents_and_other_digits_are_not_plain_decimals(tmp_path: Path, raw: str) -> None:
    # Issue 11 item 3: each is 1000 (line 3's unit price) to float() or int(), but none is a
    # plain decimal as written; the file is refused, naming the field.
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count('"unit_price": "1000.0000"') == 1
    text = text.replace('"unit_price": "1000.0000"', f'"unit_price": {raw}')
    with pytest.raises(BillFileError) as caught:
        run(write(tmp_path, text))
    assert [e.split(":")[:2] for e in caught.value.errors] == [["item seq 3", " unit_price"]]


def test_2019_discharge_uses_the_2019_policy(tmp_path: Path) -> None:
    data = example()
    data["discharge_date"] = "2019-03-01"
    assert json.loads(run(write(tmp_path, data), as_json=True))["policy_version"] == (
        "panzhihua-2019"
    )


# -- bad files ------------------------------------------------------------------------------------
def _item(data: dict[str, Any], seq: int) -> dict[str, Any]:
    return next(item for item in data["items"] if item["seq"] == seq)


def test_bad_amount_names_the_item_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = example()
    _item(data, 2)["amount"] = "5000.01"
    assert main([str(write(tmp_path, data))]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        "item seq 2: amount: 5000.01 does not equal round(unit_price × quantity) = 5000.00"
        in captured.err
    )


BAD_ITEMS: list[tuple[str, str, Any, str]] = [
    ("grade", "grade", "D", "item seq 2: grade: must be A"),
    ("ratio-above-one", "self_pay_ratio", "1.5", "item seq 2: self_pay_ratio: must not exceed 1"),
    ("ratio-missing-for-b", "self_pay_ratio", None, "item seq 2: self_pay_ratio: required"),
    ("ratio-bad-text", "self_pay_ratio", "ten%", "item seq 2: self_pay_ratio: 'ten%' is not"),
    (
        "unit-price-5-decimals",
        "unit_price",
        "125.00001",
        "item seq 2: unit_price: '125.00001' is not a decimal with at most 4 decimal places",
    ),
    ("quantity-negative", "quantity", "-1.000", "item seq 2: quantity: must not be negative"),
    ("amount-missing", "amount", None, "item seq 2: amount: required"),
    ("amount-bool", "amount", True, "item seq 2: amount: must be a decimal number or string"),
    ("price-cap-bad", "price_cap", "cheap", "item seq 2: price_cap: 'cheap' is not"),
    (
        "hospital-borne-not-bool",
        "hospital_borne",
        "no",
        "item seq 2: hospital_borne: must be true or false",
    ),
    ("code-missing", "code", "", "item seq 2: code: required"),
    ("unknown-field", "colour", "red", "item seq 2.colour: unknown field"),
]


@pytest.mark.parametrize(
    ("field", "value", "message"), [c[1:] for c in BAD_ITEMS], ids=[c[0] for c in BAD_ITEMS]
)
def test_bad_item_field(field: str, value: Any, message: str) -> None:
    data = example()
    if value is None:
        del _item(data, 2)[field]
    else:
        _item(data, 2)[field] = value
    errors = errors_for(data)
    assert any(error.startswith(message) for error in errors), errors


def test_every_problem_is_reported_at_once() -> None:
    data = example()
    data["discharge_date"] = "30/06/2018"
    data["hospital"]["level"] = "county"
    data["person"]["categories"] = ["poor"]
    data["referral"] = "no"
    data["items"][0]["amount"] = "999.99"
    data["items"][1]["seq"] = 1
    data["items"][2]["seq"] = 0
    errors = errors_for(data)
    assert "discharge_date: required, a date YYYY-MM-DD" in errors
    assert "hospital.level: must be one of primary, secondary, tertiary" in errors
    assert "person.categories: must be a list of registered_poor, dibao, tekun" in errors
    assert "referral: must be true or false" in errors
    assert "item seq 1: seq is used by an earlier item" in errors
    assert "items[2].seq: must be a positive integer" in errors
    assert any(e.startswith("item seq 1: amount: 999.99 does not equal") for e in errors)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(discharge_date=20180630), "discharge_date: required, a date"),
        (lambda d: d.pop("discharge_date"), "discharge_date: required, a date"),
        (lambda d: d.update(items=[]), "items: required, a non-empty list"),
        (lambda d: d.update(items=["x"]), "item seq 1: must be an object"),
        (lambda d: d.pop("hospital"), "hospital: must be an object"),
        (
            lambda d: d.update(hospital={"level": "secondary"}),
            "hospital: give in_county, or county_code with person.county_code",
        ),
        (
            lambda d: d["person"].update(county_code=510411),
            "person.county_code: must be a county code string",
        ),
        (  # fullwidth digits (issue 11 item 1): 6 ASCII digits only
            lambda d: d["person"].update(county_code="５１０４１１"),
            "person.county_code: must be a county code string",
        ),
        (
            lambda d: d["hospital"].update(county_code="510411\n"),
            "hospital.county_code: must be a county code string",
        ),
        (
            lambda d: d.update(discharge_date="2018-06-30T00:00:00"),  # issue 11 item 4
            "discharge_date: required, a date",
        ),
        (lambda d: d.update(discharge_date="20180630"), "discharge_date: required, a date"),
        (
            lambda d: d.update(accumulators={"basic": {"paid": "-1.00"}}),
            "accumulators.basic.paid: must not be negative",
        ),
        (
            lambda d: d.update(accumulators={"basic": {"spent": "1.00"}}),
            "accumulators.basic.spent: unknown field",
        ),
        (lambda d: d.update(accumulators={"basic": "1.00"}), "accumulators.basic: must be an"),
        (lambda d: d.update(accumulators=[]), "accumulators: must be an object"),
        (lambda d: d.update(patient="x"), "bill.patient: unknown field"),
        (lambda d: d["hospital"].update(beds=100), "hospital.beds: unknown field"),
        (
            lambda d: d["items"][0].update(unit_price=[1]),
            "item seq 1: unit_price: must be a decimal number or string, got list",
        ),
    ],
)
def test_bad_file_structure(change: Any, message: str) -> None:
    data = example()
    change(data)
    errors = errors_for(data)
    assert any(error.startswith(message) for error in errors), errors


def test_not_an_object() -> None:
    assert errors_for([1, 2]) == ["the file must hold a JSON object"]


def test_unreadable_or_invalid_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.json")]) == EXIT_BAD_INPUT
    assert "cannot read" in capsys.readouterr().err
    assert main([str(write(tmp_path, "{not json"))]) == EXIT_BAD_INPUT
    assert "not valid JSON" in capsys.readouterr().err


def test_no_policy_in_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = example()
    data["discharge_date"] = "2017-12-31"
    assert main([str(write(tmp_path, data))]) == EXIT_BAD_INPUT
    assert (
        "discharge_date: no policy for region 510400 in force on 2017-12-31"
        in capsys.readouterr().err
    )
    data = copy.deepcopy(example())
    data["person"]["county_code"] = "110101"
    data["hospital"]["county_code"] = "110101"
    assert main([str(write(tmp_path, data))]) == EXIT_BAD_INPUT
    assert "no policy for region 110100" in capsys.readouterr().err
    data = example()
    data["discharge_date"] = "2017-12-31"
    data["hospital"] = {"level": "secondary", "in_county": True}
    del data["person"]["county_code"]
    with pytest.raises(BillFileError, match="discharge_date: no policy in force on 2017-12-31"):
        run(write(tmp_path, data))


def test_accumulator_for_a_layer_the_policy_does_not_have(tmp_path: Path) -> None:
    data = example()
    data["accumulators"] = {"lottery": {"paid": "1.00"}}
    with pytest.raises(BillFileError, match=r"accumulators\.lottery: not a layer of policy"):
        run(write(tmp_path, data))


def test_argparse_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == EXIT_BAD_INPUT


def test_optional_item_fields_default(tmp_path: Path) -> None:
    """hospital_borne defaults to false, price_cap to none, self_pay_ratio to 0 (not for 乙类)."""
    data = example()
    for item in data["items"]:
        del item["hospital_borne"]
        del item["price_cap"]
        if item["grade"] != "B":
            del item["self_pay_ratio"]
    assert json.loads(run(write(tmp_path, data), as_json=True))["self_pay"] == "2055.00"
