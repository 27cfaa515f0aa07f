"""The money types (app/types.py) answer a text they have seen before from a memo: it accepts,
rejects and converts exactly as the general path (app.engine.money.parse_scaled of the value's
text, in range) does: same integer, or the same error message."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from app.types import MEMO_SIZE, Money, Price, Quantity, Ratio, Text, _scaled

PARSERS = [
    _scaled(2, "amount", maximum=10**14),
    _scaled(3, "quantity", maximum=10**12, positive=True),
    _scaled(4, "unit price", maximum=10**16),
    _scaled(4, "ratio", maximum=10_000),
]


def outcome(parse: Any, value: Any) -> tuple[str, Any]:
    try:
        return "ok", parse(value)
    except ValueError as exc:
        return "error", str(exc)


def test_memo_answers_as_the_first_conversion_did_and_stays_bounded() -> None:
    parse = _scaled(2, "amount", maximum=10**14)
    texts = [f"{n}.{n % 100:02d}" for n in range(MEMO_SIZE + 10)]
    for text in texts[:50]:
        assert parse(text) == parse(text) == parse.general(text)
        assert parse.memo[text] == parse.general(text)
    for text in texts:
        parse(text)
    assert 0 < len(parse.memo) <= MEMO_SIZE
    # Only accepted texts are kept, and nothing that is not a str ever matches one.
    assert outcome(parse, "-1") == outcome(parse, "-1") == ("error", "amount must not be negative")
    parse("1")
    assert outcome(parse, True) == (
        "error",
        "amount must be a decimal string or number, not a boolean",
    )
    assert outcome(parse, 1) == ("ok", 100)
    assert all(type(k) is str for k in parse.memo)


decimal_text = st.from_regex(r"\A-?[0-9]{0,20}(\.[0-9]{0,6})?\Z")
odd_text = st.text(alphabet="0123456789.-+eE \n_٣१", max_size=12)


@given(st.one_of(decimal_text, odd_text, st.text(max_size=8)))
@example("12.50")
@example("0")
@example("00012.5")
@example("12.")
@example(".5")
@example("1.2.3")
@example("12.50\n")
@example("١٢")
@example("99999999999999999999")
@example("1000000000000")
@example("1000000000000.01")
def test_fast_path_equals_general_path_on_text(value: str) -> None:
    for parse in PARSERS:
        expected = outcome(parse.general, value)
        assert outcome(parse, value) == expected
        assert outcome(parse, value) == expected  # again, from the memo if it was accepted


# Issue 11 items 1 and 3: every digit of Unicode category Nd outside 0-9 (Arabic-Indic ٥,
# fullwidth ５, Devanagari ५, ...) is a digit to str.isdigit() and int(), so "٥٠٠٠" once read as
# 5000; and "$" let a trailing newline through ("100\n"). Anywhere in a decimal, each is refused.
non_ascii_digits = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii())


@given(decimal_text, non_ascii_digits, st.data())
@example("5000", "٥", None)
@example("5000.00", "５", None)
def test_text_with_a_non_ascii_digit_is_refused(text: str, digit: str, data: Any) -> None:
    at = len(text) if data is None else data.draw(st.integers(0, len(text)))
    value = text[:at] + digit + text[at:]
    for parse in PARSERS:
        assert outcome(parse, value)[0] == "error", value
        assert outcome(parse.general, value)[0] == "error", value


@given(decimal_text, st.sampled_from(["\n", "\r\n", " ", "\t", "\u3000", "\x00"]))
@example("100", "\n")
@example("5000.00", "\n")
def test_text_with_trailing_whitespace_or_nul_is_refused(text: str, tail: str) -> None:
    for parse in PARSERS:
        assert outcome(parse, text + tail)[0] == "error"


@given(
    st.one_of(
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(),
        st.booleans(),
        st.none(),
    )
)
def test_fast_path_equals_general_path_on_other_values(value: Any) -> None:
    for parse in PARSERS:
        assert outcome(parse, value) == outcome(parse.general, value)


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        (Money, "25.00", 2500),
        (Money, "25", 2500),
        (Money, 12, 1200),  # a JSON integer
        (Money, Decimal("12.5"), 1250),  # a JSON number, as app.routing.loads reads it
        (Money, Decimal("12.50"), 1250),
        (Money, Decimal("0.01"), 1),
        (Price, "12.3456", 123456),
        (Quantity, "2.5", 2500),
        (Ratio, "0.1", 1000),
        (Ratio, "1", 10_000),
    ],
)
def test_values(type_: Any, value: Any, expected: int) -> None:
    assert TypeAdapter(type_).validate_python(value) == expected


@pytest.mark.parametrize(
    ("type_", "value", "message"),
    [
        (Money, "12.345", "amount must be a plain decimal with at most 2 decimal places"),
        (Money, "-1", "amount must not be negative"),
        (Money, True, "amount must be a decimal string or number, not a boolean"),
        (Ratio, "1.0001", "ratio is too large"),
        (Price, " 1", "unit price must be a plain decimal with at most 4 decimal places"),
        (Quantity, "0", "quantity must be positive"),
        (Quantity, "0.000", "quantity must be positive"),
        (Quantity, 0, "quantity must be positive"),
        (Quantity, "-0.001", "quantity must not be negative"),
        # Issue 11 item 3: JSON numbers 5e1 and 5.0e3 keep their text as Decimals, refused for
        # the exponent; as floats (pydantic's JSON mode) they no longer say how they were
        # written (5e1 == 50.0), so a float is refused whatever it holds.
        (Money, Decimal("5e1"), "amount must be a plain decimal with at most 2 decimal places"),
        (Money, Decimal("5.0e3"), "amount must be a plain decimal with at most 2 decimal places"),
        (Money, 50.0, "amount must be a decimal string or number, not a binary float"),
        (Money, 12.5, "amount must be a decimal string or number, not a binary float"),
        (Price, "５０", "unit price must be a plain decimal with at most 4 decimal places"),
    ],
)
def test_errors(type_: Any, value: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TypeAdapter(type_).validate_python(value)


class _Named(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: Annotated[str, Text(5, min_length=1)]
    note: Annotated[str, Text(3)] | None = None


def _problems(data: Any) -> list[tuple[Any, str]]:
    try:
        _Named.model_validate(data)
    except ValidationError as exc:
        return [(e["loc"], e["type"]) for e in exc.errors()]
    return []


def test_text_is_measured_as_sent_then_stripped_and_never_holds_nul() -> None:
    # Issue 11 items 8 and 10: 5 letters and a space are 6 sent (too long, though 5 once
    # stripped); 4 and a space are 5 (taken, kept as 4); blank is empty; NUL names its field.
    assert _Named.model_validate({"name": " abcd"}).name == "abcd"
    assert _Named.model_validate_json('{"name": "abcd ", "note": null}').note is None
    assert _problems({"name": "abcde "}) == [(("name",), "string_too_long")]
    assert _problems({"name": "   "}) == [(("name",), "string_too_short")]
    assert _problems({"name": "a\x00b"}) == [(("name",), "invalid_character")]
    assert _problems({"name": "ab", "note": "\x00"}) == [(("note",), "invalid_character")]
    with pytest.raises(TypeError, match="Text applies to str"):

        class _Misused(BaseModel):
            note: Annotated[str | None, Text(3)] = None
