"""Settling a reversed bill again is explicit (issue 11, item 5).

On the tree before, the same body sent after a reversal (a HIS's late retry of a request whose
answer it had lost) silently settled the bill again as generation 1: the funds paid twice for
one discharge unless someone noticed. Now it is 409 ``bill_reversed`` naming the reversed
settlement; a HIS that means to settle again names it in ``replaces``.
"""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from support import fresh_uuid

from .conftest import bill_no, find, headers, hospital_key, make_bill, new_person, reverse, settle

pytestmark = pytest.mark.usefixtures("demo")


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


async def test_a_late_retry_after_a_reversal_is_refused(client: AsyncClient) -> None:
    person = await new_person(client, ["registered_poor"])
    body = make_bill(bill_no("RS"), person)
    first = (await settle(client, body)).json()
    assert first["replaces"] is None
    assert (await reverse(client, first)).status_code == 200

    refused = problem(await settle(client, body), 409, "bill_reversed")
    assert first["settlement_id"] in refused["detail"]
    assert refused["errors"][0]["loc"] == ["body", "replaces"]
    assert first["settlement_id"] in refused["errors"][0]["msg"]
    # nothing was settled: the bill has no active settlement
    assert (await find(client, body["hospital_code"], body["bill_no"])).status_code == 404
    # a changed body is refused the same way
    changed = {**body, "referral": True}
    problem(await settle(client, changed), 409, "bill_reversed")


async def test_replaces_settles_again_and_replays_like_any_settlement(client: AsyncClient) -> None:
    person = await new_person(client, ["registered_poor"])
    body = make_bill(bill_no("RS"), person)
    first = (await settle(client, body)).json()
    await reverse(client, first)

    again_body = {**body, "replaces": first["settlement_id"]}
    response = await settle(client, again_body)
    assert response.status_code == 201, response.text
    again = response.json()
    assert again["settlement_id"] != first["settlement_id"]
    assert again["replaces"] == first["settlement_id"]
    # docs/rules.md §7 example 1 again: the reversal restored the accumulators, so the same figures
    assert again["fund_paid"] == first["fund_paid"] == "17945.00"
    got = await client.get(
        f"/v1/settlements/{again['settlement_id']}",
        headers=headers(hospital_key(body["hospital_code"])),
    )
    assert got.json()["replaces"] == first["settlement_id"]

    # the retry of the re-settlement, with or without replaces, is a replay of it (200)
    for retry in (again_body, body):
        replay = await settle(client, retry)
        assert replay.status_code == 200, replay.text
        assert replay.json()["settlement_id"] == again["settlement_id"]
    # a changed body for the now active bill is a conflict, replaces or not
    changed = {**again_body, "referral": True}
    problem(await settle(client, changed), 409, "bill_conflict")


async def test_replaces_must_name_the_bills_latest_reversed_settlement(
    client: AsyncClient,
) -> None:
    person = await new_person(client, ["registered_poor"])
    body = make_bill(bill_no("RS"), person)
    # a bill never settled has nothing to replace
    stranger = str(fresh_uuid())
    mismatch = problem(
        await settle(client, {**body, "replaces": stranger}), 409, "replaces_mismatch"
    )
    assert mismatch["errors"][0]["loc"] == ["body", "replaces"]
    assert (await find(client, body["hospital_code"], body["bill_no"])).status_code == 404

    first = (await settle(client, body)).json()
    await reverse(client, first)
    # another id than the reversed settlement's
    problem(await settle(client, {**body, "replaces": stranger}), 409, "replaces_mismatch")
    second = (await settle(client, {**body, "replaces": first["settlement_id"]})).json()
    await reverse(client, second)
    # the first settlement is reversed too, but no longer the bill's latest
    stale = problem(
        await settle(client, {**body, "replaces": first["settlement_id"]}), 409, "replaces_mismatch"
    )
    assert second["settlement_id"] in stale["errors"][0]["msg"]
    third = await settle(client, {**body, "replaces": second["settlement_id"]})
    assert third.status_code == 201, third.text


async def test_replaces_is_not_a_uuid(client: AsyncClient) -> None:
    person = await new_person(client)
    body = {**make_bill(bill_no("RS"), person), "replaces": "not-an-id"}
    response = await settle(client, body)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["errors"]] == [["body", "replaces"]]
