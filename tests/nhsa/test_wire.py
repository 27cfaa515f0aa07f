"""The strict parsers and the answer writer of app/nhsa/wire.py (no database)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import Unprocessable
from app.nhsa import wire
from app.nhsa.dispatch import err_msg
from app.routing import loads

W = wire.Where("feedetail", 3).field("det_item_fee_sumamt")


def refusal(parse: Any, value: Any, where: wire.Where) -> str:
    """The message of the one error ``parse`` raises, which names ``where``."""
    with pytest.raises(Unprocessable) as caught:
        parse(value, where)
    (error,) = caught.value.errors
    assert error["loc"] == where.loc
    assert caught.value.code == "validation_error"
    return str(error["msg"])


def test_where_builds_the_wire_path() -> None:
    assert W.loc == ["feedetail", 3, "det_item_fee_sumamt"]
    assert wire.Where("data").field("certno").loc == ["data", "certno"]
    assert wire.Where("feedetail").at(0).field("cnt").loc == ["feedetail", 0, "cnt"]


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        ("14640.00", 1464000),
        ("14640.5", 1464050),
        ("0", 0),
        (12, 1200),
        (Decimal("12.50"), 1250),
        ("007.01", 701),
    ],
)
def test_amount_reads_strings_and_json_numbers_exactly(value: Any, fen: int) -> None:
    assert wire.amount(value, W) == fen


def test_amount_from_a_json_body_keeps_the_text() -> None:
    body = loads(b'{"a": 0.1, "b": 14640.00, "c": 100}')
    # 0.1 as a float is 0.1000000000000000055…: read as text it is 10 fen exactly
    assert [wire.amount(body[k], W) for k in "abc"] == [10, 1464000, 10000]


@pytest.mark.parametrize(
    ("value", "msg"),
    [
        ("1.234", "金额最多两位小数"),
        (Decimal("1.234"), "金额最多两位小数"),
        (0.5, "金额不能是二进制浮点数（须按原文传数字或字符串）"),
        (True, "金额必须是数字或数字字符串"),
        (None, "金额必须是数字或数字字符串"),
        ("-1.00", "金额不能为负数"),
        ("1e3", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),
        ("１２", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),  # fullwidth
        ("١٢", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),  # Arabic-Indic
        (" 12", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),
        ("12\n", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),
        ("+12", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),
        (".5", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),
        ("5.", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),
        ("1,000.00", "金额不是有效的数字（只允许ASCII数字0-9和一个小数点）"),
        ("12345678901234567", "金额超出范围（最多16位数字）"),
    ],
)
def test_amount_refuses(value: Any, msg: str) -> None:
    assert refusal(wire.amount, value, W) == msg


def test_exponent_json_numbers_are_refused() -> None:
    for text in (b"5e1", b"5.0E3", b"125e-2", b"1e30"):
        value = loads(b'{"v": ' + text + b"}")["v"]
        assert refusal(wire.amount, value, W) == "金额不能使用科学计数法"


def test_negative_where_allowed_price_and_count_places() -> None:
    assert wire.amount("-12.30", W, negative=True) == -1230
    assert wire.count("-2.5", W, negative=True) == -25000  # 2.5 × 10^4
    assert wire.price("0.123456", W) == 123456
    assert wire.count(Decimal("1.0000"), W) == 10000
    assert refusal(wire.price, "0.1234567", W) == "单价最多六位小数"
    assert refusal(wire.count, "1.00001", W) == "数量最多四位小数"
    assert refusal(wire.count, "-1", W) == "数量不能为负数"


@given(st.integers(min_value=0, max_value=10**14 - 1), st.sampled_from(["str", "json"]))
def test_amount_round_trips_exactly(fen: int, form: str) -> None:
    written = wire.dumps({"v": wire.Fen(fen)}).decode()
    # the writer: two decimals always (fen 5 → 0.05)
    assert written == '{"v":' + f"{fen // 100}.{fen % 100:02d}" + "}"
    value = loads(written)["v"] if form == "json" else written[5:-1]
    assert wire.amount(value, W) == fen


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_amount_refuses_every_float(value: float) -> None:
    with pytest.raises(Unprocessable):
        wire.amount(value, W)


@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=3, max_value=8).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(min_value=1, max_value=9))
    ),
)
def test_amount_refuses_three_or_more_decimals(whole: int, places: tuple[int, int]) -> None:
    n, last = places
    text = f"{whole}." + "0" * (n - 1) + str(last)  # a non-zero digit at position n > 2
    assert refusal(wire.amount, text, W) == "金额最多两位小数"


@given(
    st.text(
        alphabet=st.characters(categories=["Nd"]).filter(lambda c: not c.isascii()),
        min_size=1,
        max_size=5,
    )
)
def test_amount_refuses_non_ascii_digits(digits: str) -> None:
    with pytest.raises(Unprocessable):
        wire.amount(digits, W)


def test_day_and_moment() -> None:
    where = wire.Where("dscginfo").field("endtime")
    assert wire.day("2018-06-12", where) == dt.date(2018, 6, 12)
    assert wire.day("2018-06-12 17:30:00", where) == dt.date(2018, 6, 12)
    at = wire.moment("2018-06-12 17:30:00", where)
    assert at == dt.datetime(2018, 6, 12, 17, 30, tzinfo=wire.ZONE)
    for bad in ("2018-02-30", "2018-6-12", "20180612", "２０１８-06-12", 20180612, None):
        with pytest.raises(Unprocessable) as caught:
            wire.day(bad, where)
        assert caught.value.errors[0]["msg"] == "不是有效的日期（yyyy-MM-dd）"
    for bad in ("2018-06-12", "2018-06-12T17:30:00", "2018-06-12 25:00:00"):
        with pytest.raises(Unprocessable) as caught:
            wire.moment(bad, where)
        assert caught.value.errors[0]["msg"] == "不是有效的日期时间（yyyy-MM-dd HH:mm:ss）"


def test_text() -> None:
    where = wire.Where("data").field("psn_name")
    assert wire.text("张三", where, 50) == "张三"
    assert wire.text("", where, 50, required=False) is None
    assert wire.text(None, where, 50, required=False) is None
    for value, msg in (
        ("", "不能为空"),
        (None, "不能为空"),
        (12, "必须是字符串"),
        ("a\x00b", "不能包含U+0000（NUL）字符"),
        ("x" * 51, "长度不能超过50个字符"),
    ):
        with pytest.raises(Unprocessable) as caught:
            wire.text(value, where, 50)
        assert caught.value.errors == [{"loc": ["data", "psn_name"], "msg": msg}]
    with pytest.raises(Unprocessable) as caught:
        wire.one_of("04", where, {"01", "02", "03"})
    assert caught.value.errors[0]["msg"] == "取值04无效，应为01/02/03"


def test_writer() -> None:
    answer = {
        "z": wire.Fen(1464000),
        "neg": wire.Fen(-5),
        "pric": wire.Scaled(125000, 6),
        "cnt": wire.Scaled(-25000, 4),
        "n": 3,
        "b": False,
        "none": None,
        "name": "攀枝花",
        "list": [wire.Fen(1), {}],
    }
    assert (
        wire.dumps(answer)
        == (
            '{"z":14640.00,"neg":-0.05,"pric":0.125000,"cnt":-2.5000,"n":3,"b":false,'
            '"none":null,"name":"攀枝花","list":[0.01,{}]}'
        ).encode()
    )
    # what it writes is JSON, and the numbers keep their text through loads
    assert loads(wire.dumps(answer))["z"] == Decimal("14640.00")
    for bad in (0.5, Decimal("1.5"), {1: "x"}, object()):
        with pytest.raises(TypeError):
            wire.dumps({"v": bad})


def test_canonical_sorts_keys_and_keeps_number_text() -> None:
    a = loads('{"b": 12.50, "a": [1, "x"]}')
    b = loads('{"a": [1, "x"], "b": 12.50}')
    c = loads('{"a": [1, "x"], "b": 12.5}')
    assert wire.canonical(a) == wire.canonical(b) == '{"a":[1,"x"],"b":12.50}'
    assert wire.canonical(c) != wire.canonical(a)  # as written: 12.5 is another input
    json.loads(wire.canonical(a))


def test_err_msg_format() -> None:
    def one(loc: list[Any], msg: str) -> str:
        return err_msg([{"loc": loc, "msg": msg}], "detail")

    assert (
        one(["feedetail", 3, "med_list_codg"], "目录编码XA99不存在")
        == "FSI-费用明细[feedetail][3].med_list_codg：目录编码XA99不存在"
    )
    assert one(["data", "certno"], "查无此人") == "FSI-输入[data].certno：查无此人"
    assert one(["input", "mdtrtinfo", "begntime"], "x") == "FSI-就诊信息[mdtrtinfo].begntime：x"
    assert one(["diseinfo", 0], "x") == "FSI-诊断信息[diseinfo][0]：x"
    assert one(["msgid"], "不能为空") == "FSI-报文头.msgid：不能为空"
    assert one(["unknownnode", "f"], "x") == "FSI-unknownnode[unknownnode].f：x"
    assert err_msg([], "该笔结算已撤销，请勿重复办理") == "该笔结算已撤销，请勿重复办理"
    assert (
        err_msg([{"loc": ["data", "a"], "msg": "m1"}, {"loc": ["data", "b"], "msg": "m2"}], "")
        == "FSI-输入[data].a：m1；FSI-输入[data].b：m2"
    )
