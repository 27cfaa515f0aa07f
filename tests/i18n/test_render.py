"""Rendering Chinese from the catalogue: problems, pydantic messages, layer reasons."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.engine.layers.base import REASONS as ENGINE_REASONS
from app.i18n import msg_zh, reason_zh, zh_problem
from app.i18n.catalog import REASONS
from app.types import AdmissionDate, DischargeDate, IsoDate, Money, Quantity, Text

CJK = re.compile(r"[\u4e00-\u9fff]")


class _Item(BaseModel):
    x: int


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, Text(3)] = "a"
    short: Annotated[str, Field(min_length=2)] = "ab"
    pattern: Annotated[str, Field(pattern=r"^[0-9]+$")] = "1"
    number: int = 1
    ge: Annotated[int, Field(ge=1, le=9)] = 1
    gt: Annotated[int, Field(gt=0, lt=9)] = 1
    flag: bool = True
    level: Literal["primary", "secondary"] = "primary"
    items: Annotated[list[_Item], Field(max_length=1, min_length=1)] = [_Item(x=1)]
    item: _Item = _Item(x=1)
    ident: uuid.UUID = uuid.UUID(int=0)
    money: Money = 0
    quantity: Quantity = 10
    day: IsoDate = dt.date(2018, 1, 1)
    admitted: AdmissionDate = dt.date(2018, 1, 1)
    discharged: DischargeDate = dt.date(2018, 1, 1)
    required: str


CASES: list[tuple[dict[str, Any], str]] = [
    ({}, "缺少此字段"),
    ({"other": 1}, "不允许的字段"),
    ({"text": "abcd"}, "最多 3 个字符"),
    ({"text": "a\x00"}, "不得包含 U+0000（NUL）字符"),
    ({"short": "a"}, "至少 2 个字符"),
    ({"pattern": "x"}, "格式不符合要求（^[0-9]+$）"),
    ({"number": "x"}, "须为整数"),
    ({"ge": 0}, "须大于或等于 1"),
    ({"ge": 10}, "须小于或等于 9"),
    ({"gt": 0}, "须大于 0"),
    ({"gt": 9}, "须小于 9"),
    ({"flag": "x"}, "须为布尔值（true 或 false）"),
    ({"level": "x"}, "须为以下之一：'primary' or 'secondary'"),
    ({"items": []}, "至少 1 项"),
    ({"items": [{"x": 1}, {"x": 2}]}, "最多 1 项"),
    ({"items": "x"}, "须为数组"),
    ({"item": 1}, "须为 JSON 对象"),
    ({"ident": "x"}, "须为 UUID"),
    ({"money": True}, "金额须为十进制字符串或数字，不能是布尔值"),
    ({"money": "1.234"}, "金额须为普通十进制数，最多 2 位小数"),
    ({"money": "-1"}, "金额不得为负数"),
    ({"money": "9999999999"}, "金额不得超过 9999999.99"),
    ({"quantity": "0"}, "数量须为正数"),
    ({"day": 5}, "须为 YYYY-MM-DD 格式的日期字符串，不能是数字或日期时间"),
    ({"admitted": "1899-12-31"}, "不得早于 1900-01-01"),
]


@pytest.mark.parametrize(("data", "chinese"), CASES)
def test_validation_message_in_chinese(data: dict[str, Any], chinese: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate({"required": "r", **data} if data else {})
    errors = caught.value.errors()
    assert chinese in [msg_zh(e) for e in errors], [(e["type"], e["msg"]) for e in errors]


def test_after_today_names_the_day_and_zone() -> None:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate({"required": "r", "discharged": "2999-01-01"})
    message = msg_zh(caught.value.errors()[0])
    assert message.startswith("不得晚于今天（") and "Asia/Shanghai" in message


def test_an_unknown_validation_type_keeps_its_english_inside_chinese() -> None:
    assert msg_zh({"type": "no_such_type", "msg": "odd"}) == "取值无效（odd）"


def test_problem_in_chinese_keeps_loc() -> None:
    title, detail, errors = zh_problem(
        status=422,
        code="unknown_catalog_code",
        title="Unprocessable Content",
        detail="Unknown catalogue codes: XA99.",
        params={"codes": "XA99"},
        errors=[{"loc": ["body", "items", 0, "code"], "msg": "unknown code XA99"}],
    )
    assert (title, detail) == ("无法处理的内容", "医保目录中没有以下编码：XA99。")
    assert errors == [{"loc": ["body", "items", 0, "code"], "msg": "unknown code XA99"}]


def test_a_missing_parameter_keeps_the_english_detail(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="app.i18n.render"):
        title, detail, _ = zh_problem(
            status=422, code="unknown_catalog_code", title="T", detail="English."
        )
    assert (title, detail) == ("无法处理的内容", "English.")
    assert "unknown_catalog_code" in caplog.text


def test_an_unknown_code_gets_a_status_title() -> None:
    title, detail, _ = zh_problem(status=404, code="no_such_code", title="Not Found", detail="x")
    assert (title, detail) == ("未找到", "x")


@pytest.mark.parametrize("code", sorted(ENGINE_REASONS))
def test_reason_in_chinese_by_code_and_by_text(code: str) -> None:
    assert reason_zh(code) == REASONS[code]
    assert reason_zh(ENGINE_REASONS[code]) == REASONS[code]
    assert CJK.search(REASONS[code])


def test_reason_none_and_unknown() -> None:
    assert reason_zh(None) is None
    assert reason_zh("a text the engine never writes") == "a text the engine never writes"


def test_an_error_item_with_a_key_is_chinese_and_one_without_keeps_its_english() -> None:
    from app.i18n.render import item_zh

    errors = [
        {"loc": ["body", "items", 0, "amount"], "msg": "amount 1.00 ≠ … = 2.00"},
        {"loc": ["body", "x"], "msg": "english only"},
        {"loc": ["body", "y"], "msg": "lacks a parameter"},
    ]
    keys = [
        ("amount_not_price_times_quantity", {"amount": "1.00", "expected": "2.00"}),
        (None, {}),
        ("code_not_in_catalogue", {"code": "XA99"}),
    ]
    _, _, zh = zh_problem(
        status=422, code="amount_mismatch", title="t", detail="d", errors=errors, keys=keys
    )
    assert [e["msg"] for e in zh] == [
        "金额 1.00 ≠ round(单价 × 数量) = 2.00",
        "english only",
        "lacks a parameter",
    ]
    assert [e["loc"] for e in zh] == [e["loc"] for e in errors]
    assert item_zh("line_positive", {"what": "unit price"}, "x") == "单价须为正数"
