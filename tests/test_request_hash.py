"""The request hash recognises a replayed settlement, and it is stored with every settlement: the
hand-written canonical JSON must stay byte for byte what the reference expression gives, for
every valid body, or a replay after an upgrade would become a 409 bill_conflict."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.bounds import LINE_MAX_FEN
from app.settlement.schemas import ItemIn, PatientIn, SettlementIn
from app.settlement.service import canonical_json
from app.types import id_check_digit


def reference(body: SettlementIn) -> str:
    # `replaces` is an instruction about the bill, not its content (issue 11, item 5): left out.
    return json.dumps(
        body.model_dump(mode="json", exclude={"replaces"}),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def test_the_body_has_the_fields_canonical_json_writes() -> None:
    # A new field must be added to canonical_json too (and thought about: it changes hashes).
    assert list(SettlementIn.model_fields) == [
        "hospital_code",
        "bill_no",
        "patient",
        "admission_date",
        "discharge_date",
        "referral",
        "items",
        "replaces",  # not hashed: see reference()
    ]
    assert list(PatientIn.model_fields) == ["id_number", "name"]
    assert list(ItemIn.model_fields) == [
        "seq",
        "code",
        "name",
        "unit_price",
        "quantity",
        "amount",
        "hospital_borne",
    ]


# Names as a valid body may hold them: no lone surrogates, no U+0000 (refused: issue 11 item 8).
names = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12
).map(str.strip)
codes = st.from_regex(r"\A[A-Za-z0-9._-]{1,12}\Z")
decimals = st.integers(min_value=0, max_value=LINE_MAX_FEN).map(
    lambda n: f"{n // 100}.{n % 100:02d}"
)


@st.composite
def items(draw: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=8))
    out = []
    for seq in draw(st.lists(st.integers(1, 10**6), min_size=count, max_size=count, unique=True)):
        line: dict[str, Any] = {
            "seq": seq,
            "code": draw(codes),
            "unit_price": draw(st.one_of(decimals, st.integers(0, 10**6))),
            "quantity": draw(st.sampled_from(["1", "0.5", "2.125", 3])),
            "amount": draw(decimals),
        }
        if draw(st.booleans()):
            line["name"] = draw(names)
        if draw(st.booleans()):
            line["hospital_borne"] = draw(st.booleans())
        out.append(line)
    return out


@st.composite
def bodies(draw: Any) -> SettlementIn:
    first17 = f"510402{draw(st.integers(19300101, 20101231))}{draw(st.integers(0, 999)):03d}"
    day = dt.date(2018, 1, 1) + dt.timedelta(days=draw(st.integers(0, 700)))
    return SettlementIn.model_validate(
        {
            "hospital_code": draw(codes),
            "bill_no": draw(st.from_regex(r"\A[A-Za-z0-9._/-]{1,20}\Z")),
            "patient": {
                "id_number": first17 + id_check_digit(first17),
                "name": draw(st.one_of(st.none(), names.filter(lambda n: len(n) <= 100))),
            },
            "admission_date": day.isoformat(),
            "discharge_date": (day + dt.timedelta(days=3)).isoformat(),
            "referral": draw(st.booleans()),
            "items": draw(items()),
        }
    )


@settings(max_examples=300)
@given(bodies())
def test_canonical_json_is_the_reference_text(body: SettlementIn) -> None:
    assert canonical_json(body) == reference(body)


def test_awkward_text_is_escaped_as_json_dumps_does() -> None:
    body = SettlementIn.model_validate(
        {
            "hospital_code": "H1",
            "bill_no": "B/1",
            "patient": {"id_number": "510402195001010014", "name": 'a"b\\c\n\x01\u2028张'},
            "admission_date": "2018-06-01",
            "discharge_date": "2018-06-12",
            "items": [
                {
                    "seq": 1,
                    "code": "X",
                    "unit_price": "1",
                    "quantity": "1",
                    "amount": "1.00",
                    "name": "\x7f\ud7ff\U0001f600",
                },
            ],
        }
    )
    assert canonical_json(body) == reference(body)
