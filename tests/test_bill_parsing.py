"""A settlement body is parsed in pydantic's JSON mode when that succeeds, else the way every body
is parsed (``app.routing.loads``, then the model: app/settlement/endpoints.py). The fast way must
never accept what the usual way rejects, nor read a body differently."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import ValidationError

from app.config import Settings
from app.main import create_app
from app.routing import JSONRoute, loads
from app.settlement.schemas import SettlementIn

BASE = (
    '{"hospital_code":"H510402001","bill_no":"ZY1","patient":{"id_number":"510402195001010014",'
    '"name":NAME},"admission_date":"2018-06-01","discharge_date":"2018-06-12",'
    '"items":[{"seq":SEQ,"code":"XA01","unit_price":PRICE,"quantity":"1","amount":"1.00"}]}'
)


def body(name: str = '"张三"', price: str = '"1"', seq: str = "1") -> str:
    return BASE.replace("NAME", name).replace("PRICE", price).replace("SEQ", seq)


BODIES = {
    "plain": body(),
    "duplicate key": body(name='"a","name":"b"'),
    "duplicate line key": body(price='"1","unit_price":"2"'),
    "lone surrogate": body(name='"\\ud800"'),
    "surrogate pair": body(name='"\\ud83d\\ude00"'),
    "escapes": body(name='"a\\/b\\u5f20\\n\\"q\\""'),
    "escaped NUL": body(name='"a\\u0000"'),
    "raw newline in a string": body(name='"a\nb"'),
    "raw tab in a string": body(name='"a\tb"'),
    "leading zero": body(price="01"),
    "number": body(price="12.5"),
    "exponent": body(price="1e2"),
    "exponent with a fraction": body(price="5.0e3"),
    "number with trailing zeros": body(price="12.50"),
    "Arabic-Indic digits": body(price='"٥٠"'),
    "fullwidth digits": body(price='"５０.００"'),
    "trailing newline": body(price='"50\\n"'),
    "huge exponent": body(price="1e400"),
    "NaN": body(price="NaN"),
    "Infinity": body(price="Infinity"),
    "negative zero": body(price="-0"),
    "big integer": body(price="123456789012345678901234567890"),
    "float noise": body(price="0.30000000000000004"),
    "boolean price": body(price="true"),
    "float seq": body(seq="1.0"),
    "string seq": body(seq='"1"'),
    "trailing garbage": body() + " x",
    "trailing whitespace": body() + " \n\t",
    "byte order mark": "\ufeff" + body(),
    "unix time as a date": body().replace('"2018-06-01"', "1527811200"),
    "padded date": body().replace('"2018-06-01"', '" 2018-06-01"'),
    "spaces around a code": body().replace('"XA01"', '" XA01 "'),
    "not an object": "[1, 2]",
    "empty": "",
}


def usual(raw: bytes) -> tuple[str, Any]:
    try:
        data = loads(raw)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        return "not json", type(exc).__name__
    try:
        return "valid", SettlementIn.model_validate(data).model_dump()
    except ValidationError as exc:
        return "invalid", exc.errors(include_url=False, include_context=False)


@pytest.mark.parametrize("raw", BODIES.values(), ids=BODIES.keys())
def test_json_mode_accepts_only_what_the_usual_way_accepts_and_reads_it_alike(raw: str) -> None:
    data = raw.encode("utf-8", "surrogatepass")
    try:
        fast = SettlementIn.model_validate_json(data).model_dump()
    except ValidationError:
        return  # the endpoint then parses it the usual way: nothing changes
    assert usual(data) == ("valid", fast)


def test_invalid_utf8_is_left_to_the_usual_way() -> None:
    with pytest.raises(ValidationError):
        SettlementIn.model_validate_json(body(name='"\xff"').encode("latin-1"))


@pytest.mark.parametrize(
    ("price", "unit_price_e4"),
    [
        ("12.5", 125_000),  # 12.5 yuan in 1/10000 yuan
        ("12.50", 125_000),
        ("50", 500_000),
        ("5e1", None),  # refused: an exponent, though it is 50
        ("5.0e3", None),
        ("1E2", None),
    ],
)
def test_a_json_number_is_read_by_its_text_the_same_both_ways(
    price: str, unit_price_e4: int | None
) -> None:
    data = body(price=price).encode()
    if "." in price or "e" in price.lower():
        # A float in JSON mode: the money types refuse it, so the endpoint reads it the usual way.
        with pytest.raises(ValidationError):
            SettlementIn.model_validate_json(data)
    read, result = usual(data)
    if unit_price_e4 is None:
        assert read == "invalid"
        assert [e["loc"] for e in result] == [("items", 0, "unit_price")]
    else:
        assert read == "valid"
        assert result["items"][0]["unit_price"] == unit_price_e4


def test_every_route_with_a_body_reads_its_numbers_by_their_text() -> None:
    # With FastAPI's own json.loads, 5e1 would reach the money types as the float 50.0.
    routes = [
        route
        for included in create_app(Settings()).routes
        for route in getattr(getattr(included, "original_router", None), "routes", [included])
        if isinstance(route, APIRoute)
    ]
    with_body = [r.path for r in routes if r.body_field is not None]
    assert "/v1/settlements" in with_body and "/v1/catalog/{code}" in with_body
    assert [
        r.path for r in routes if r.body_field is not None and not isinstance(r, JSONRoute)
    ] == []
