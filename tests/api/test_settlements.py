"""Settlement over HTTP (docs/api.md "Settlement").

The figures of the rules' worked examples are asserted once, by hand, in the YAML cases
(``tests/engine/cases/rulebook_examples.yaml``). Here the API's answer for the same case must be
the engine's answer for it (:func:`engine_answer`), field by field: totals, every layer with its
parameters, rule and reason, the result figures, the policy version and hash. The bill the API
settles is ``make_bill``'s demo-catalogue bill; the case's bill has the same classes, which the
equal ``totals`` prove. Every test uses fresh persons and bill numbers.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from engine.caseformat import load_cases, settle_case
from httpx import AsyncClient
from support import fresh_uuid, unique

from app import clock
from app.engine.report import settlement_dict
from app.policy import load_directory

from .conftest import (
    ADMIN,
    AGENCY,
    EXAMPLE_ITEMS,
    assert_problem,
    bill_no,
    figures,
    find,
    headers,
    hospital_key,
    item,
    layers,
    make_bill,
    masked,
    new_id_number,
    new_person,
    preview,
    reverse,
    settle,
)

pytestmark = pytest.mark.usefixtures("demo")

POOR = ["registered_poor"]
CASES = {case.name: case for case in load_cases()}
POLICIES = [document.policy for document in load_directory()]


def engine_answer(case: str) -> dict[str, Any]:
    """What the engine computes for a case of ``tests/engine/cases``, as the API writes it:
    the policy version and hash, totals, layers, the result figures."""
    _, _, computed = settle_case(CASES[case], POLICIES)
    answer = settlement_dict(computed)
    del answer["accumulator_deltas"]  # stored, not answered
    return answer


def assert_engine_answer(out: dict[str, Any], case: str) -> None:
    """The API's answer holds the engine's answer for ``case`` (and adds ids, dates, the
    patient)."""
    expected = engine_answer(case)
    assert {field: out[field] for field in expected} == expected


EXAMPLE_1 = "rulebook-example-1"
EXAMPLE_2 = "rulebook-example-2"
EXAMPLE_3 = "rulebook-example-3"
EXAMPLE_4 = "rulebook-example-4-after-example-1"  # example 1 settled, then the same bill again


def caps_read(answer: dict[str, Any]) -> dict[str, Any]:
    """What a settlement read from the accumulators: each layer's cap left before it, and the
    critical-illness base accumulated before it."""
    by_layer = layers(answer)
    return {name: line["params"].get("cap_remaining_before") for name, line in by_layer.items()} | {
        "critical_base_before": by_layer["critical_illness"]["params"]["cumulative_base_before"]
    }


# Nothing settled yet for a registered_poor person: what example 1, a first admission, reads.
UNTOUCHED_POOR = caps_read(engine_answer(EXAMPLE_1))
# After example 1: what example 4, the second admission, reads.
AFTER_EXAMPLE_1 = caps_read(engine_answer(EXAMPLE_4))


def assert_settlement(
    out: dict[str, Any],
    case: str,
    *,
    id_number: str,
    categories: list[str],
    in_county: bool,
    status: str = "settled",
) -> None:
    """``out`` is the engine's answer for ``case``, for this person, with this status."""
    assert_engine_answer(out, case)
    assert out["status"] == status
    assert out["patient"] == {
        "id_number": masked(id_number),
        "categories": categories,
        "in_county": in_county,
    }
    assert out["patient"]["id_number"].startswith("5104**********")


async def _settled(client: AsyncClient, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    response = await settle(client, body)
    assert response.status_code == status, response.text
    return response.json()


async def _cap_remaining(
    client: AsyncClient, id_number: str, hospital: str = "H510402001"
) -> dict[str, Any]:
    """What a preview for this person now reads from the accumulators."""
    response = await preview(client, make_bill(bill_no("PV"), id_number, hospital=hospital))
    assert response.status_code == 200, response.text
    return caps_read(response.json())


# --- the worked examples of docs/rules.md §7, as the cases of rulebook_examples.yaml ----------


async def test_example_1(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    bill = bill_no()
    out = await _settled(client, make_bill(bill, person))
    assert_settlement(out, EXAMPLE_1, id_number=person, categories=POOR, in_county=True)
    assert out["hospital_code"] == "H510402001"
    assert out["bill_no"] == bill
    assert out["settlement_id"]
    assert out["settled_at"]
    assert out["reversed_at"] is None
    assert out["accumulator_year"] == 2018
    # the same as GET by id
    got = await client.get(
        f"/v1/settlements/{out['settlement_id']}", headers=headers(hospital_key("H510402001"))
    )
    assert got.status_code == 200
    assert got.json() == out


async def test_example_2(client: AsyncClient) -> None:
    person = await new_person(client, [])
    out = await _settled(client, make_bill(bill_no(), person))
    assert_settlement(out, EXAMPLE_2, id_number=person, categories=[], in_county=True)


async def test_example_3(client: AsyncClient) -> None:
    person = await new_person(client, POOR, county="510402")
    out = await _settled(client, make_bill(bill_no(), person, hospital="H510421001"))
    assert_settlement(out, EXAMPLE_3, id_number=person, categories=POOR, in_county=False)


async def test_example_3_with_referral_keeps_full_ratio(client: AsyncClient) -> None:
    person = await new_person(client, POOR, county="510402")
    out = await _settled(client, make_bill(bill_no(), person, hospital="H510421001", referral=True))
    assert_settlement(
        out, "out-of-county-with-referral", id_number=person, categories=POOR, in_county=False
    )


async def test_example_4_and_reversal_of_the_second(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    first = await _settled(client, make_bill(bill_no(), person))
    assert_settlement(first, EXAMPLE_1, id_number=person, categories=POOR, in_county=True)
    second_body = make_bill(bill_no(), person)
    second = await _settled(client, second_body)
    assert_settlement(second, EXAMPLE_4, id_number=person, categories=POOR, in_county=True)

    reversed_ = await reverse(client, second)
    assert reversed_.status_code == 200, reversed_.text
    assert reversed_.json()["status"] == "reversed"
    # the same bill may be settled again, when the body names the reversed settlement
    again = await _settled(client, {**second_body, "replaces": second["settlement_id"]})
    assert again["settlement_id"] != second["settlement_id"]
    assert again["replaces"] == second["settlement_id"]
    assert_settlement(
        again,
        "rulebook-example-4-reversed-and-settled-again",
        id_number=person,
        categories=POOR,
        in_county=True,
    )
    assert (await find(client, "H510402001", second_body["bill_no"])).json()[
        "settlement_id"
    ] == again["settlement_id"]


async def test_example_4_first_reversed_before_the_second(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    first = await _settled(client, make_bill(bill_no(), person))
    assert_settlement(first, EXAMPLE_1, id_number=person, categories=POOR, in_county=True)
    assert (await reverse(client, first)).status_code == 200
    second = await _settled(client, make_bill(bill_no(), person))
    assert_settlement(
        second,
        "rulebook-example-1-reversed-then-example-4-bill",
        id_number=person,
        categories=POOR,
        in_county=True,
    )


async def test_2019_discharge_uses_the_2019_policy(client: AsyncClient) -> None:
    """2019 differs only in the critical-illness threshold (poor 6000); example 1's critical base
    3860 is under both 5000 and 6000, so the money is example 1's."""
    person = await new_person(client, POOR, years=(2019,))
    out = await _settled(client, make_bill(bill_no(), person, discharge="2019-03-01"))
    assert out["policy_version"] == "panzhihua-2019"
    assert figures(out) == figures(engine_answer(EXAMPLE_1))
    assert out["accumulator_year"] == 2019
    assert "6000.00" in layers(out)["critical_illness"]["params"]["bands"]


async def test_2019_threshold_and_separate_years(client: AsyncClient) -> None:
    """A general person with a 2018 bill and then a 2019 bill: accumulators are per year, and the
    2019 bands start at 12000. Bill: A XA06 1280.00 × 20 = 25600.00 in_policy, secondary general:
    basic (25600 − 400) × 0.75 = 18900.00, left 6700.00 — under both thresholds, so critical 0.
    Then a second 2019 bill of the same: c 6700 → 13400; 2018 bands would give
    0.55 × 3400 = 1870.00, the 2019 bands give 0.55 × (13400 − 12000) = 770.00."""
    person = await new_person(client, [], years=(2018, 2019))
    items = [item(1, "XA06", "1280.00", "20", "25600.00")]
    in_2018 = await _settled(
        client, make_bill(bill_no(), person, discharge="2018-12-20", items=items)
    )
    assert layers(in_2018)["critical_illness"]["paid"] == "0.00"
    first = await _settled(
        client, make_bill(bill_no(), person, discharge="2019-01-10", items=items)
    )
    # the 2018 bill does not count in 2019: cumulative base starts at 0 again
    assert layers(first)["critical_illness"]["params"]["cumulative_base_before"] == "0.00"
    assert layers(first)["basic"]["params"]["cap_remaining_before"] == "150000.00"
    second = await _settled(
        client, make_bill(bill_no(), person, discharge="2019-02-10", items=items)
    )
    assert second["policy_version"] == "panzhihua-2019"
    assert [(x["paid"], x["left"]) for x in second["layers"][:2]] == [
        ("18900.00", "6700.00"),
        ("770.00", "5930.00"),
    ]
    assert second["self_pay"] == "5930.00"  # 25600 − 18900 − 770


# --- idempotency ----------------------------------------------------------------------------


async def test_replay_returns_the_same_settlement_and_touches_accumulators_once(
    client: AsyncClient,
) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    first = await _settled(client, body, 201)
    for _ in range(2):
        replay = await _settled(client, body, 200)
        assert replay["settlement_id"] == first["settlement_id"]
        assert replay == first
    # had a replay settled again, the next bill would be a third admission, not example 4
    second = await _settled(client, make_bill(bill_no(), person))
    assert_engine_answer(second, EXAMPLE_4)


async def test_amounts_as_numbers_or_strings_are_the_same_body(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    bill = bill_no()
    as_strings = make_bill(
        bill,
        person,
        items=[
            item(1, "XA01", "12.50", "2", "25.00"),
            item(2, "XA06", "1280", "10", "12800"),
        ],
    )
    first = await _settled(client, as_strings, 201)
    as_numbers = make_bill(
        bill,
        person,
        items=[
            item(1, "XA01", 12.5, 2, 25),
            item(2, "XA06", 1280, 10.0, 12800.00),
        ],
    )
    assert (await settle(client, as_numbers)).status_code == 200
    mixed = make_bill(
        bill,
        person,
        items=[
            item(1, "XA01", "12.5000", "2.000", "25"),
            item(2, "XA06", "1280.00", 10, "12800.0"),
        ],
    )
    replay = await settle(client, mixed)
    assert replay.status_code == 200, replay.text
    assert replay.json()["settlement_id"] == first["settlement_id"]
    # the defaults written out are the same body too
    explicit = json.loads(json.dumps(as_strings))
    for line in explicit["items"]:
        line["hospital_borne"] = False
    assert (await settle(client, explicit)).status_code == 200


async def test_different_body_for_active_bill_is_409(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    first = await _settled(client, body)
    changed = make_bill(
        body["bill_no"],
        person,
        items=[*EXAMPLE_ITEMS[:3], item(4, "XA06", "1280.00", "9", "11520.00")],
    )
    conflict = await settle(client, changed)
    assert_problem(conflict, 409, "bill_conflict", [["body", "bill_no"]])
    assert first["settlement_id"] in conflict.json()["detail"]
    # a different discharge date is a different body too
    later = dict(body, discharge_date="2018-06-13")
    assert_problem(await settle(client, later), 409, "bill_conflict")
    # nothing changed: the active settlement is the first one, accumulators as after example 1
    assert (await find(client, "H510402001", body["bill_no"])).json()["settlement_id"] == first[
        "settlement_id"
    ]
    caps = await _cap_remaining(client, person)
    assert caps == AFTER_EXAMPLE_1
    # after a reversal the changed bill may be settled, naming the reversed settlement
    await reverse(client, first)
    settled = await _settled(client, {**changed, "replaces": first["settlement_id"]}, 201)
    assert settled["totals"]["total"] == "18720.00"  # 20000 − 1280


# --- preview --------------------------------------------------------------------------------


async def test_preview_stores_nothing_and_equals_the_settlement(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    await _settled(
        client, make_bill(bill_no(), person)
    )  # so the preview reads non-zero accumulators
    body = make_bill(bill_no(), person)
    previews = []
    for _ in range(2):
        response = await preview(client, body)
        assert response.status_code == 200, response.text
        previews.append(response.json())
    assert previews[0] == previews[1]  # a preview changes nothing
    pv = previews[0]
    assert pv["status"] == "preview"
    assert pv["settlement_id"] is None
    assert pv["settled_at"] is None
    assert pv["setl_id"] is None
    assert_engine_answer(pv, EXAMPLE_4)
    assert_problem(await find(client, "H510402001", body["bill_no"]), 404, "settlement_not_found")

    out = await _settled(client, body)
    skip = {"settlement_id", "setl_id", "status", "settled_at"}  # what a settlement adds
    assert {k: v for k, v in pv.items() if k not in skip} == {
        k: v for k, v in out.items() if k not in skip
    }


# --- reading ----------------------------------------------------------------------------------


async def test_get_and_find(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    out = await _settled(client, body)
    sid = out["settlement_id"]
    for key in (hospital_key("H510402001"), AGENCY, ADMIN):
        got = await client.get(f"/v1/settlements/{sid}", headers=headers(key))
        assert got.status_code == 200, (key, got.text)
        assert got.json() == out
        found = await find(client, "H510402001", body["bill_no"], key=key)
        assert found.status_code == 200
        assert found.json() == out
    # the reversal makes it inactive
    await reverse(client, out)
    assert_problem(await find(client, "H510402001", body["bill_no"]), 404, "settlement_not_found")
    got = await client.get(f"/v1/settlements/{sid}", headers=headers(AGENCY))
    assert got.status_code == 200
    assert got.json()["status"] == "reversed"


async def test_reversal_twice_is_one_reversal(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    out = await _settled(client, make_bill(bill_no(), person))
    assert await _cap_remaining(client, person) == AFTER_EXAMPLE_1
    first = await reverse(client, out)
    assert first.status_code == 200, first.text
    second = await reverse(client, out)
    assert second.status_code == 200, second.text
    assert first.json()["status"] == "reversed"
    assert first.json()["reversed_at"] is not None
    assert second.json() == first.json()
    assert_engine_answer(first.json(), EXAMPLE_1)  # what it reversed
    # accumulators restored exactly once: back to untouched, not below
    assert await _cap_remaining(client, person) == UNTOUCHED_POOR
    again = await _settled(client, make_bill(bill_no(), person))
    assert_engine_answer(again, EXAMPLE_1)


async def test_reversal_with_reason(client: AsyncClient) -> None:
    person = await new_person(client, [])
    out = await _settled(client, make_bill(bill_no(), person))
    response = await client.post(
        f"/v1/settlements/{out['settlement_id']}/reversal",
        headers=headers(hospital_key("H510402001")),
        json={"reason": "录入错误"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "reversed"
    bad = await client.post(
        f"/v1/settlements/{out['settlement_id']}/reversal",
        headers=headers(hospital_key("H510402001")),
        json={"why": "x"},
    )
    assert_problem(bad, 422, "validation_error", [["body", "why"]])


# --- business errors: status, code, loc, and nothing changed ---------------------------------


async def _assert_untouched(client: AsyncClient, person: str, body: dict[str, Any]) -> None:
    assert_problem(
        await find(client, body["hospital_code"], body["bill_no"]), 404, "settlement_not_found"
    )
    assert await _cap_remaining(client, person) == UNTOUCHED_POOR


async def test_hospital_not_designated(client: AsyncClient) -> None:
    person = await new_person(client, POOR, county="510422")
    body = make_bill(bill_no(), person, hospital="H510422009")
    response = await settle(client, body)
    assert_problem(response, 422, "hospital_not_designated", [["body", "hospital_code"]])
    assert_problem(
        await preview(client, body), 422, "hospital_not_designated", [["body", "hospital_code"]]
    )
    assert_problem(
        await find(client, body["hospital_code"], body["bill_no"]), 404, "settlement_not_found"
    )
    caps = await _cap_remaining(client, person, hospital="H510422001")
    assert caps == UNTOUCHED_POOR


async def test_unknown_hospital_in_body_is_not_the_keys_hospital(client: AsyncClient) -> None:
    """A hospital key is bound to an existing hospital, so a bill naming an unknown hospital is
    always another hospital's: 403 before any lookup (``unknown_hospital`` is what the API-key
    endpoint says, see test_registry)."""
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person, hospital="H999999999")
    response = await settle(client, body, key=hospital_key("H510402001"))
    assert_problem(response, 403, "forbidden", [["body", "hospital_code"]])
    await _assert_untouched(client, person, make_bill(body["bill_no"], person))


async def test_unknown_catalog_codes_are_all_listed(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(
        bill_no(),
        person,
        items=[
            *EXAMPLE_ITEMS,
            item(5, "NOPE1", "1.00", "1", "1.00"),
            item(6, "XA01", "1.00", "1", "1.00"),
            item(7, "NOPE2", "1.00", "1", "1.00"),
        ],
    )
    response = await settle(client, body)
    problem = assert_problem(
        response,
        422,
        "unknown_catalog_code",
        [["body", "items", 4, "code"], ["body", "items", 6, "code"]],
    )
    assert "NOPE1" in problem["detail"]
    assert "NOPE2" in problem["detail"]
    assert "NOPE1" in problem["errors"][0]["msg"]
    assert "NOPE2" in problem["errors"][1]["msg"]
    assert_problem(await preview(client, body), 422, "unknown_catalog_code")
    await _assert_untouched(client, person, body)


async def test_catalog_code_not_valid_on_discharge_date(client: AsyncClient) -> None:
    code = unique("XT")
    put = await client.put(
        f"/v1/catalog/{code}",
        headers=headers(ADMIN),
        json={"name": "限期项目", "grade": "A", "valid_from": "2018-07-01", "valid_to": None},
    )
    assert put.status_code == 201
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person, items=[item(1, code, "10.00", "1", "10.00")])
    assert_problem(
        await settle(client, body), 422, "unknown_catalog_code", [["body", "items", 0, "code"]]
    )
    later = make_bill(
        bill_no(), person, discharge="2018-07-01", items=[item(1, code, "10.00", "1", "10.00")]
    )
    assert (await preview(client, later)).status_code == 200


async def test_unknown_person(client: AsyncClient) -> None:
    stranger = new_id_number()  # valid, but never registered
    body = make_bill(bill_no(), stranger)
    assert_problem(
        await settle(client, body), 422, "unknown_person", [["body", "patient", "id_number"]]
    )
    assert_problem(
        await preview(client, body), 422, "unknown_person", [["body", "patient", "id_number"]]
    )
    assert_problem(await find(client, "H510402001", body["bill_no"]), 404, "settlement_not_found")
    assert_problem(
        await client.get(f"/v1/persons/{stranger}", headers=headers(ADMIN)), 404, "person_not_found"
    )


async def test_person_not_enrolled(client: AsyncClient) -> None:
    person = await new_person(client, POOR, years=(2018,))
    body = make_bill(bill_no(), person, discharge="2019-06-12")
    problem = assert_problem(
        await settle(client, body), 422, "person_not_enrolled", [["body", "patient", "id_number"]]
    )
    assert "2019" in problem["detail"]
    await _assert_untouched(client, person, body)


async def test_amount_mismatch(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(
        bill_no(),
        person,
        items=[
            item(1, "XA01", "12.50", "2", "25.01"),  # 12.50 × 2 = 25.00
            item(2, "XA06", "1280.00", "10", "12800.00"),
            item(3, "XA01", "0.3333", "3", "1.01"),  # round(0.9999) = 1.00
        ],
    )
    problem = assert_problem(
        await settle(client, body),
        422,
        "amount_mismatch",
        [["body", "items", 0, "amount"], ["body", "items", 2, "amount"]],
    )
    assert "25.00" in problem["errors"][0]["msg"]
    await _assert_untouched(client, person, body)
    # round half up to the fen is accepted: 0.3333 × 3 = 0.9999 → 1.00; 0.005 × 1 → 0.01
    ok = make_bill(
        bill_no(),
        person,
        items=[item(1, "XA01", "0.3333", "3", "1.00"), item(2, "XA01", "0.005", "1", "0.01")],
    )
    assert (await preview(client, ok)).status_code == 200


async def test_dates_out_of_order(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person, discharge="2018-06-12", admission="2018-06-13")
    assert_problem(
        await settle(client, body), 422, "dates_out_of_order", [["body", "discharge_date"]]
    )
    await _assert_untouched(client, person, body)
    same_day = make_bill(bill_no(), person, discharge="2018-06-12", admission="2018-06-12")
    assert (await preview(client, same_day)).status_code == 200


async def test_discharge_after_today_is_refused(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 11 item 4: "today" is the server's day in Asia/Shanghai (app.clock.today). Moved back
    # to 2018-06-11, a discharge on 2018-06-12 is tomorrow: 422 naming discharge_date, nothing
    # stored; on the day itself it settles.
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person, discharge="2018-06-12")
    monkeypatch.setattr(clock, "today", lambda: dt.date(2018, 6, 11))
    problem = assert_problem(
        await settle(client, body), 422, "validation_error", [["body", "discharge_date"]]
    )
    assert "after today (2018-06-11, Asia/Shanghai)" in problem["errors"][0]["msg"]
    monkeypatch.setattr(clock, "today", lambda: dt.date(2018, 6, 12))
    await _assert_untouched(client, person, body)  # (its preview discharges on 2018-06-12)
    assert (await settle(client, body)).status_code == 201
    monkeypatch.undo()
    # and with the real clock: tomorrow in Shanghai (whatever the host's own time zone)
    tomorrow = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)
    late = make_bill(bill_no(), person, discharge=tomorrow.isoformat())
    assert_problem(
        await preview(client, late), 422, "validation_error", [["body", "discharge_date"]]
    )


async def test_admission_before_1900_is_refused(client: AsyncClient) -> None:
    # Issue 11 item 4: 1899-12-31 is a typing error, not a stay; 1900-01-01 is the first day taken.
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person, admission="1899-12-31")
    assert_problem(
        await settle(client, body), 422, "validation_error", [["body", "admission_date"]]
    )
    await _assert_untouched(client, person, body)
    first = make_bill(bill_no(), person, admission="1900-01-01")
    assert (await preview(client, first)).status_code == 200


async def test_no_policy_in_force(client: AsyncClient) -> None:
    """The demo catalogue starts in 2018, so the bill uses an entry valid since 2010 (the catalogue
    is checked before the policy)."""
    code = unique("XT")
    put = await client.put(
        f"/v1/catalog/{code}",
        headers=headers(ADMIN),
        json={"name": "老项目", "grade": "A", "valid_from": "2010-01-01", "valid_to": None},
    )
    assert put.status_code == 201
    person = await new_person(client, POOR, years=(2017, 2018))
    body = make_bill(
        bill_no(), person, discharge="2017-06-12", items=[item(1, code, "10.00", "1", "10.00")]
    )
    assert_problem(
        await settle(client, body), 422, "no_policy_in_force", [["body", "discharge_date"]]
    )
    assert_problem(
        await preview(client, body), 422, "no_policy_in_force", [["body", "discharge_date"]]
    )
    await _assert_untouched(client, person, body)


async def test_settlement_not_found(client: AsyncClient) -> None:
    missing = fresh_uuid()
    key = headers(hospital_key("H510402001"))
    assert_problem(
        await client.get(f"/v1/settlements/{missing}", headers=key), 404, "settlement_not_found"
    )
    assert_problem(
        await client.post(f"/v1/settlements/{missing}/reversal", headers=key),
        404,
        "settlement_not_found",
    )
    assert_problem(
        await client.get(f"/v1/settlements/{missing}", headers=headers(AGENCY)),
        404,
        "settlement_not_found",
    )
    # A segment that is no settlement id matches no route (`preview` is a path of its own).
    assert_problem(await client.get("/v1/settlements/not-a-uuid", headers=key), 404, "not_found")
    assert_problem(await find(client, "H510402001", bill_no()), 404, "settlement_not_found")


async def test_wrong_method_answers_405_with_every_allowed_method(client: AsyncClient) -> None:
    """The schemathesis findings of issue 11: `/v1/settlements` serves GET and POST, and
    `preview` is no settlement id."""
    key = headers(hospital_key("H510402001"))
    wrong = await client.delete("/v1/settlements", headers=key)
    assert_problem(wrong, 405, "method_not_allowed")
    assert wrong.headers["allow"] == "GET, POST"
    for method in ("GET", "PUT", "DELETE"):
        preview_ = await client.request(method, "/v1/settlements/preview", headers=key)
        assert_problem(preview_, 405, "method_not_allowed")
        assert preview_.headers["allow"] == "POST"
    reversal = await client.get(f"/v1/settlements/{fresh_uuid()}/reversal", headers=key)
    assert_problem(reversal, 405, "method_not_allowed")
    assert reversal.headers["allow"] == "POST"


def _raw_with_amount(
    body: dict[str, Any], raw_amount: str, line: int = 0, field: str = "amount"
) -> str:
    """The JSON text of ``body`` with one line's ``field`` (the first line's amount unless
    told) written exactly as ``raw_amount``."""
    body = json.loads(json.dumps(body))
    body["items"][line][field] = "__AMOUNT__"
    return json.dumps(body, ensure_ascii=False).replace('"__AMOUNT__"', raw_amount)


@pytest.mark.parametrize(
    "raw_amount",
    [
        '"1e30"',
        "1e30",
        '"12.345"',
        "12.345",
        "true",
        '"NaN"',
        "null",
        '"-1.00"',
        '"1,000.00"',
        '""',
        "[]",
    ],
)
async def test_bad_amount_is_a_validation_error(client: AsyncClient, raw_amount: str) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    response = await client.post(
        "/v1/settlements",
        content=_raw_with_amount(body, raw_amount),
        headers={**headers(hospital_key("H510402001")), "content-type": "application/json"},
    )
    assert_problem(response, 422, "validation_error", [["body", "items", 0, "amount"]])
    await _assert_untouched(client, person, body)


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        # Issue 11 item 3, on the XB01 line (50.00 × 100 = 5000.00): each reads as that line's
        # own value, so the bill used to settle (201); none is a plain decimal as written.
        ("amount", '"٥٠٠٠"'),  # Arabic-Indic digits: int() reads 5000
        ("amount", '"５０００.００"'),  # fullwidth digits (and an ASCII point)
        ("amount", '"5000.00\\n"'),  # a trailing newline, which "$" let through
        ("quantity", '"100\\n"'),
        ("unit_price", "5e1"),  # JSON numbers with an exponent: 50 and 5000 as floats
        ("amount", "5.0e3"),
        ("amount", "5000e0"),
    ],
)
async def test_money_text_that_is_not_a_plain_decimal_is_refused(
    client: AsyncClient, field: str, raw: str
) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    response = await client.post(
        "/v1/settlements",
        content=_raw_with_amount(body, raw, line=1, field=field),
        headers={**headers(hospital_key("H510402001")), "content-type": "application/json"},
    )
    assert_problem(response, 422, "validation_error", [["body", "items", 1, field]])
    await _assert_untouched(client, person, body)


@pytest.mark.parametrize(
    ("where", "value", "loc"),
    [
        (
            "unit_price",
            "12.34567",
            ["body", "items", 0, "unit_price"],
        ),  # prices: at most 4 decimals
        ("quantity", "1.2345", ["body", "items", 0, "quantity"]),  # quantities: at most 3
        ("quantity", "0", ["body", "items", 0, "quantity"]),
        ("seq", "1", ["body", "items", 0, "seq"]),  # seq is an integer, not a string
        ("hospital_borne", "yes", ["body", "items", 0, "hospital_borne"]),
        ("code", "X A01", ["body", "items", 0, "code"]),
    ],
)
async def test_bad_line_field_is_named(
    client: AsyncClient, where: str, value: Any, loc: list[Any]
) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    body["items"][0][where] = value
    assert_problem(await settle(client, body), 422, "validation_error", [loc])
    await _assert_untouched(client, person, body)


@pytest.mark.parametrize(
    "field", ["discharge_date", "hospital_code", "bill_no", "patient", "items"]
)
async def test_missing_field(client: AsyncClient, field: str) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    del body[field]
    assert_problem(
        await settle(client, body, key=hospital_key("H510402001")),
        422,
        "validation_error",
        [["body", field]],
    )
    if field != "bill_no":
        await _assert_untouched(client, person, make_bill(body.get("bill_no", bill_no()), person))


async def test_other_body_errors(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    for changed, loc in (
        (dict(body, items=[]), ["body", "items"]),
        (dict(body, referral="no"), ["body", "referral"]),
        (dict(body, discharge_date="2018-13-01"), ["body", "discharge_date"]),
        (dict(body, patient={"id_number": "51040219500101001"}), ["body", "patient", "id_number"]),
        (dict(body, surprise=1), ["body", "surprise"]),
    ):
        assert_problem(await settle(client, changed), 422, "validation_error", [loc])
    await _assert_untouched(client, person, body)


async def test_duplicate_seq(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(
        bill_no(),
        person,
        items=[item(1, "XA01", "1.00", "1", "1.00"), item(1, "XA06", "2.00", "1", "2.00")],
    )
    problem = assert_problem(await settle(client, body), 422, "validation_error")
    (error,) = problem["errors"]
    assert error["loc"] == ["body", "items"]
    assert "seq" in error["msg"]
    await _assert_untouched(client, person, body)


async def test_invalid_id_checksum_in_bill(client: AsyncClient) -> None:
    """An ID with a wrong checksum is refused before anything is looked up."""
    valid = new_id_number()
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    response = await settle(client, make_bill(bill_no(), wrong))
    assert response.status_code == 422
    problem = assert_problem(response, 422, "validation_error", [["body", "patient", "id_number"]])
    assert "checksum" in problem["errors"][0]["msg"]


# --- auth -----------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", [None, "Bearer nope", "Bearer demo-admin2", "demo-H510402001"])
async def test_settlement_needs_a_valid_key(client: AsyncClient, auth: str | None) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    h = {} if auth is None else {"Authorization": auth}
    assert_problem(await client.post("/v1/settlements", json=body, headers=h), 401, "unauthorized")
    assert_problem(
        await client.post("/v1/settlements/preview", json=body, headers=h), 401, "unauthorized"
    )
    assert_problem(
        await client.get(
            "/v1/settlements",
            headers=h,
            params={"hospital_code": "H510402001", "bill_no": body["bill_no"]},
        ),
        401,
        "unauthorized",
    )
    assert_problem(
        await client.post(f"/v1/settlements/{fresh_uuid()}/reversal", headers=h),
        401,
        "unauthorized",
    )
    await _assert_untouched(client, person, body)


async def test_hospital_key_cannot_settle_another_hospitals_bill(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person, hospital="H510402001")
    for call in (settle, preview):
        assert_problem(
            await call(client, body, key=hospital_key("H510402003")),
            403,
            "forbidden",
            [["body", "hospital_code"]],
        )
    assert_problem(
        await find(client, "H510402001", body["bill_no"], key=hospital_key("H510402003")),
        403,
        "forbidden",
    )
    await _assert_untouched(client, person, body)


async def test_other_hospitals_settlement_is_not_found(client: AsyncClient) -> None:
    person = await new_person(client, POOR)
    out = await _settled(client, make_bill(bill_no(), person, hospital="H510402001"))
    other = headers(hospital_key("H510402003"))
    assert_problem(
        await client.get(f"/v1/settlements/{out['settlement_id']}", headers=other),
        404,
        "settlement_not_found",
    )
    assert_problem(
        await client.post(f"/v1/settlements/{out['settlement_id']}/reversal", headers=other),
        404,
        "settlement_not_found",
    )
    # still settled, accumulators still hold it
    got = await client.get(f"/v1/settlements/{out['settlement_id']}", headers=headers(AGENCY))
    assert got.json()["status"] == "settled"
    assert await _cap_remaining(client, person) == AFTER_EXAMPLE_1


@pytest.mark.parametrize("key", [AGENCY, ADMIN])
async def test_only_hospitals_settle_and_reverse(client: AsyncClient, key: str) -> None:
    person = await new_person(client, POOR)
    body = make_bill(bill_no(), person)
    assert_problem(await settle(client, body, key=key), 403, "forbidden")
    assert_problem(await preview(client, body, key=key), 403, "forbidden")
    await _assert_untouched(client, person, body)
    out = await _settled(client, body)
    assert_problem(await reverse(client, out, key=key), 403, "forbidden")
    got = await client.get(f"/v1/settlements/{out['settlement_id']}", headers=headers(key))
    assert got.status_code == 200
    assert got.json()["status"] == "settled"
    assert got.json() == out
